"""A workbook with one sheet per township (城关镇 | 河东乡 | …), each sheet the same roster: read
whole, as one table, the township of each row taken from its sheet's name when no column gives
it. Only when the sheet the table was found on is itself named for a township: a workbook whose
first sheet is a 汇总 is read from that sheet alone, as before."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.model import TOWNSHIP_LABEL
from . import normalize as N
from .mapping import TOWNSHIP, header_text
from .table_find import find_table


class SheetRow(int):
    """A spreadsheet row number that knows its sheet (problems say 工作表“河东乡”第5行)."""

    sheet: str = ""

    def __new__(cls, number: int, sheet: str):
        self = super().__new__(cls, number)
        self.sheet = sheet
        return self

    def __reduce__(self):
        return SheetRow, (int(self), self.sheet)


@dataclass
class Part:
    offset: int  # index in the combined rows of this sheet's first row kept
    sheet: str
    first_row: int  # spreadsheet row number of that row


def township_of(store, name: str):
    """``(True, code)`` when a sheet's name is a township of the county (code None: the county
    itself, 县直); ``(False, None)`` otherwise."""
    if store is None:
        return False, None
    towns = N.Townships(list(store.townships()), store.county_name)
    code, problem = towns.find(name)
    if problem is not None or (code is None and _strip(name) not in towns.county_words):
        return False, None
    return True, code


def _strip(name: str) -> str:
    return name.replace(" ", "").replace("\u3000", "")


def combine(path, lg, first, table, names: list[str], store, read_sheet):
    """The rows, merges and parts of every sheet named for a township that holds the same table
    as ``first`` (an ``xlsx_read.Sheet`` whose header is ``table``); None when ``first`` is not
    named for a township. Returns ``(rows, merges, parts, notes)``."""
    ok, _ = township_of(store, first.name)
    if not ok:
        return None
    key = [header_text(h) for h in table.headers]
    rows, merges = list(first.rows), list(first.merges)
    parts = [Part(0, first.name, first.first_row)]
    left_out = []
    for name in names:
        if name == first.name or not township_of(store, name)[0]:
            continue
        sh = read_sheet(path, name)
        t = find_table(sh.rows, lg)
        if t is None or [header_text(h) for h in t.headers] != key:
            left_out.append(name)
            continue
        start = t.header_index + 1
        offset = len(rows) - start
        parts.append(Part(len(rows), name, sh.first_row + start))
        rows.extend(sh.rows[start:])
        for r1, c1, r2, c2 in sh.merges:
            if r2 >= start:
                merges.append((max(r1, start) + offset, c1, r2 + offset, c2))
    notes = [f"按乡镇分的工作表一并读取：{'、'.join(p.sheet for p in parts)}（表头相同）"] if len(parts) > 1 else []
    if left_out:
        notes.append(f"工作表{'、'.join(f'“{n}”' for n in left_out)}的表头与“{first.name}”不同，未读取：请分别导入")
    return rows, merges, parts, notes


def add_township_column(source, store) -> str | None:
    """When no column gives the township: a 所属乡镇 column from each part's sheet name; the note."""
    if TOWNSHIP in source.mapping or not source.parts:
        return None
    source.headers.append(TOWNSHIP_LABEL)
    source.mapping.append(TOWNSHIP)
    width = len(source.headers)
    bounds = [p.offset for p in source.parts[1:]] + [len(source.rows)]
    for part, end in zip(source.parts, bounds, strict=True):
        start = part.offset if part.offset else source.header_index + 1
        for i in range(start, end):
            row = source.rows[i]
            source.rows[i] = (list(row) + [None] * width)[: width - 1] + [part.sheet]
    return "表中没有所属乡镇列：每行的所属乡镇按其工作表名计入"
