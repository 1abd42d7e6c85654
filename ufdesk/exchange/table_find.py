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
_FOOTER_WORDS = ("填表人|审核人|审批人|制表人|负责人|单位负责人|分管领导|主要领导|联系人|填报人|经办人|统计人|"
                 "填报日期|填表日期|制表日期|审核日期|报送日期|填报时间|联系电话|签字|签名|盖章|单位盖章|"
                 "注|说明|填表说明|备注")
# A cell of a footer line: "填表人：张科员", "审核人:", "（盖章）", "填报日期：2026年11月20日"
_FOOTER_CELL = re.compile(rf"^[（(]?({_FOOTER_WORDS})[)）]?\s*([:：]|$)|^[（(](盖章|签字|公章)[)）]")
_NOTE_START = re.compile(r"^(注|说明|填表说明|备注)\s*[:：]|^注\s*\d|^\d[.、．]\s*本表")
# Lines a printed roster repeats on each page: the title, the unit, the date, the page number.
_UNIT_DATE = re.compile(r"^[（(]?(填报单位|报送单位|填表单位|单位名称|单位|统计单位|制表单位|乡镇|"
                        r"填报日期|填表日期|报送日期|制表日期|统计日期|日期|时间|截至|截止)\s*[:：（(]")
_TITLE = re.compile(r"(花名册|名册|名单|一览表|统计表|登记表|汇总表|情况表|基本情况|台账|明细表|信息表)\s*[（(]?[^）)]*[）)]?$")
_PAGE = re.compile(r"^[（(]?(第\s*\d+\s*页|共\s*\d+\s*页|续表|续上表|接上页|\d+\s*/\s*\d+|-\s*\d+\s*-|—\s*\d+\s*—)"
                   r"[，,\s]*(共\s*\d+\s*页)?[)）]?$")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?$|^\d{4}[-./]\d{1,2}[-./]\d{1,2}$")
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


def _squeeze(text: str) -> str:
    return text.strip().replace(" ", "").replace("\u3000", "")


def is_footer_row(row: list) -> bool:
    """Lines under the table, in any number of cells: "填表人：张科员 | 审核人：李部长 |
    填报日期：…", "（盖章）", or a note "注：…" / "说明：1. 本表…"."""
    first = next((c for c in row if c is not None and c != "" and not is_blank(c)), None)
    if not isinstance(first, str):
        return False
    head = _squeeze(first)
    if _NOTE_START.match(head):
        return True
    if not _FOOTER_CELL.match(head):
        return False
    return all(isinstance(c, str) and (_FOOTER_CELL.match(_squeeze(c)) or _DATE_LINE.match(_squeeze(c)))
               for c in row if not is_blank(c))


def page_row_kind(row: list, titles: set[str]) -> str | None:
    """What a repeated page line is — "标题", "填报单位/日期", "页码" — when every filled cell
    of the row is one (``titles``: the texts above the header row); None for a data row."""
    first = next((c for c in row if c is not None and c != "" and not is_blank(c)), None)
    if not isinstance(first, str):
        return None
    head = _squeeze(first)
    if not (head in titles or _UNIT_DATE.match(head) or _TITLE.search(head) or _PAGE.match(head)
            or _DATE_LINE.match(head)):
        return None
    kinds = set()
    for c in row:
        if is_blank(c):
            continue
        if not isinstance(c, str):
            return None
        text = _squeeze(c)
        if _UNIT_DATE.match(text) or _DATE_LINE.match(text):
            kinds.add("填报单位/日期")
        elif _PAGE.match(text):
            kinds.add("页码")
        elif text in titles or _TITLE.search(text):
            kinds.add("标题")
        else:
            return None
    return "、".join(sorted(kinds, key=["标题", "填报单位/日期", "页码"].index))


def join_subheader(rows: list[list], table: Table, merges, lg: Ledger,
                   first_row: int = 1) -> tuple[Table, str | None, set[str]]:
    """A header over two rows (政治安排 merged over 人大 | 政协): the row under the header names
    the columns of a group. Its columns are then named "group + name" (or the name alone when
    it names a field), the data begin below it, and a note says so. Without merged cells (a
    CSV) a group is a header cell followed by blank ones. Returns the table, the note and the
    words of both rows (to know them when repeated on a later page)."""
    i = table.header_index
    if i + 1 >= len(rows):
        return table, None, set()
    head, sub = rows[i], rows[i + 1]
    groups: dict[int, str] = {}
    for r1, c1, r2, c2 in merges:
        if r1 == i and r2 == i and c2 > c1 and c1 < len(head):
            for c in range(c1, c2 + 1):
                groups[c] = header_text(head[c1])
    if not groups:
        parent = None
        for c, cell in enumerate(head):
            if not is_blank(cell):
                parent = (c, header_text(cell))
            elif parent is not None and parent[1]:
                groups[parent[0]] = groups[c] = parent[1]
    filled = [c for c, cell in enumerate(sub) if not is_blank(cell)]
    if not filled or any(c not in groups or not isinstance(sub[c], str) for c in filled):
        return table, None, set()
    headers = list(table.headers) + [""] * max(0, len(sub) - len(table.headers))
    joined = []
    for c in sorted(groups):
        child = header_text(sub[c]) if c < len(sub) else ""
        if not child:
            continue
        headers[c] = child if guess_field(child, lg) is not None else groups[c] + child
        joined.append(headers[c])
    note = f"表头占两行（第{first_row + i}、{first_row + i + 1}行），已合并为：{'、'.join(joined)}"
    words = {header_text(c) for c in (*head, *sub) if not is_blank(c)}
    return Table(i + 1, headers), note, words
