"""Merged cells as a clerk reads them: one township merged down over its people means that
township on every row. Which columns are filled is said by the fields (``Field.fill_merged``;
所属乡镇 always); a merged cell of any other column counts for its first row only, and the
check report says so."""

from __future__ import annotations

from ..domain.model import TOWNSHIP_LABEL
from . import normalize as N
from .mapping import TOWNSHIP


def fillable(source, name: str | None) -> bool:
    if name is None:
        return False
    if name == TOWNSHIP:
        return True
    try:
        return source.ledger.field(name).fill_merged
    except KeyError:
        return False


def merged_fills(source) -> tuple[dict[int, list[tuple[int, object]]], list[str]]:
    """``{row index: [(column, value)]}`` to fill in, and the notes saying what was filled."""
    fills: dict[int, list[tuple[int, object]]] = {}
    notes: list[str] = []
    first_data = source.header_index + 1
    rows, mapping = source.rows, source.mapping
    for r1, c1, r2, c2 in source.merges:
        if r2 < first_data or r2 == r1:
            continue  # above the table, or merged across one row only
        top = max(r1, first_data)
        value = rows[r1][c1] if r1 < len(rows) and c1 < len(rows[r1]) else None
        for c in range(c1, c2 + 1):
            name = mapping[c] if c < len(mapping) else None
            if name is None:
                continue
            header = source.headers[c] or TOWNSHIP_LABEL
            span = source.rows_text(top, min(r2, len(rows) - 1))
            if not fillable(source, name) or N.is_blank(value):
                if not N.is_blank(value):
                    notes.append(f"{span}的“{header}”是合并单元格，只计入{source.rows_text(r1)}")
                continue
            n = 0
            for r in range(top, min(r2, len(rows) - 1) + 1):
                if r == r1 and c == c1:
                    continue
                cell = rows[r][c] if c < len(rows[r]) else None
                if N.is_blank(cell):
                    fills.setdefault(r, []).append((c, value))
                    n += 1
            if n:
                notes.append(f"{span}的“{header}”是合并单元格，已把“{N.plain_text(value)[:20]}”填入其中{n}行")
    return fills, notes
