"""Finding the table in a sheet as offices lay it out: a merged title row, a "填报单位/填报日期"
row, perhaps a blank row, then the header row; then data, blank rows, and a closing "合计" row."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.model import Ledger
from .mapping import guess_field, header_text
from .normalize import is_blank

SCAN_ROWS = 30  # how far down a header row may sit
SERIAL_HEADERS = {"序号", "编号序号", "No", "NO", "no", "No.", "序"}
_FOOTER = re.compile(r"^(填表人|审核人|制表人|负责人|联系人|填报人|注|说明)")
_TOTAL = re.compile(r"^(合计|总计|小计|共计|累计)")


@dataclass
class Table:
    header_index: int  # index in sheet.rows of the header row
    headers: list[str]


def header_score(row: list, lg: Ledger) -> int:
    """How many cells of a row name a field of the ledger."""
    return sum(1 for cell in row if not is_blank(cell) and guess_field(header_text(cell), lg) is not None)


def find_table(rows: list[list], lg: Ledger) -> Table | None:
    """The header row: the first of the top rows naming at least two fields, and the most of them."""
    best, best_score = None, 1
    for i, row in enumerate(rows[:SCAN_ROWS]):
        score = header_score(row, lg)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        return None
    return Table(best, [header_text(c) for c in rows[best]])


def is_serial_header(text: str) -> bool:
    return text in SERIAL_HEADERS


_TOTAL_FIRST = frozenset("合总小共累")


def is_total_row(row: list) -> bool:
    """A closing row such as "合计：25人" or "总计" (in any of its first few cells)."""
    for cell in row[:4]:
        if (isinstance(cell, str) and cell.lstrip(" \t\r\n\u3000")[:1] in _TOTAL_FIRST
                and _TOTAL.match(cell.strip().replace(" ", "").replace("\u3000", ""))):
            return True
    return False


def is_blank_row(row: list, serial_cols: set[int] = frozenset()) -> bool:
    """Blank, or holding nothing but a serial number."""
    for i, c in enumerate(row):
        if c is None or c == "" or i in serial_cols:
            continue
        if not is_blank(c):
            return False
    return True


def is_footer_row(row: list) -> bool:
    """Notes under the table: "填表人：", "审核人：", "注：…"."""
    first = next((c for c in row if c is not None and c != ""), None)
    if not isinstance(first, str) or not _FOOTER.match(first.strip()):
        return False
    cells = [c for c in row if not is_blank(c)]
    if len(cells) > 2 or not cells or not isinstance(cells[0], str):
        return False
    return bool(re.match(r"^((填表人|审核人|制表人|负责人|联系人|填报人)[:：]|注[:：]|说明[:：])", cells[0].strip()))
