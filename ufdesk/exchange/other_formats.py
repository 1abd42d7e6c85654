"""Tables that are not workbooks calamine opens: an HTML table (what many web systems export
as ".xls") and Excel 2003's XML (SpreadsheetML). Each gives ``(sheet name, rows, merges)`` in
the shape ``xlsx_read`` gives any sheet: rows of Python values from row 1, merged ranges as
``(first row, first column, last row, last column)`` with the value in the first cell.

HTML is parsed by lxml's forgiving HTML parser (already installed with python-docx; web
exports are rarely well-formed), SpreadsheetML by the standard library's XML parser.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from xml.etree import ElementTree

MAX_BYTES = 256 << 20  # an HTML or XML roster of 50,000 rows is some 50 MB

Table = tuple[str, list[list], list[tuple[int, int, int, int]]]


class _Grid:
    """Cells placed as a spreadsheet would show them, spans leaving the covered cells empty."""

    def __init__(self, max_rows: int, max_cells: int):
        self.rows: list[list] = []
        self.merges: list[tuple[int, int, int, int]] = []
        self.taken: set[tuple[int, int]] = set()  # cells covered by a span from a row above
        self.max_rows, self.max_cells, self.cells = max_rows, max_cells, 0

    def put(self, r: int, c: int, value, down: int = 1, across: int = 1) -> None:
        while len(self.rows) <= r:
            self.rows.append([])
        row = self.rows[r]
        while len(row) <= c + across - 1:
            row.append(None)
        row[c] = value
        self.cells += down * across
        if self.cells > self.max_cells or r + down > self.max_rows:
            raise OverflowError
        if down > 1 or across > 1:
            self.merges.append((r, c, r + down - 1, c + across - 1))
            for rr in range(r, r + down):
                for cc in range(c, c + across):
                    if (rr, cc) != (r, c):
                        self.taken.add((rr, cc))

    def square(self) -> list[list]:
        width = max((len(r) for r in self.rows), default=0)
        return [r + [None] * (width - len(r)) for r in self.rows]


# -- HTML -------------------------------------------------------------------------------------
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


def _decode_html(raw: bytes) -> str:
    m = _CHARSET.search(raw[:4096])
    tried = [m.group(1).decode("ascii").lower()] if m else []
    for enc in [*tried, "utf-8-sig", "gb18030"]:
        if enc in ("gb2312", "gbk"):
            enc = "gb18030"
        try:
            return raw.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("gb18030", errors="replace")


def html_tables(path: Path, max_rows: int, max_cells: int) -> list[Table]:
    import lxml.html

    raw = path.read_bytes()
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", _decode_html(raw))
    doc = lxml.html.document_fromstring(text or "<html></html>")
    tables = [t for t in doc.iter("table") if not any(True for _ in t.iterancestors("table"))]  # outermost
    out = []
    for n, table in enumerate(tables, 1):
        grid = _Grid(max_rows, max_cells)
        r = -1
        for tr in table.iter("tr"):
            if next(tr.iterancestors("table")) is not table:
                continue  # a row of a table nested in a cell
            r += 1
            c = 0
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                while (r, c) in grid.taken:
                    c += 1
                down, across = _span(cell.get("rowspan")), _span(cell.get("colspan"))
                grid.put(r, c, _cell_text(cell), down, across)
                c += across
        rows = grid.square()
        if any(v not in (None, "") for row in rows for v in row):
            caption = table.find("caption")
            name = (caption.text_content().strip() if caption is not None else "") or (
                path.stem if len(tables) == 1 else f"表{n}")
            out.append((name[:31], rows, sorted(grid.merges)))
    return out


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 10_000))
    except (TypeError, ValueError):
        return 1


def _cell_text(cell) -> str | None:
    for br in cell.iter("br"):
        br.tail = "\n" + (br.tail or "")
    text = cell.text_content().replace("\xa0", " ").strip()
    return text or None


# -- SpreadsheetML 2003 -------------------------------------------------------------------------
_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def spreadsheetml_tables(path: Path, max_rows: int, max_cells: int) -> list[Table]:
    out: list[Table] = []
    grid: _Grid | None = None
    name = ""
    r = c = -1
    with open(path, "rb") as fh:
        for event, el in ElementTree.iterparse(fh, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == f"{_SS}Worksheet":
                    grid, name, r = _Grid(max_rows, max_cells), el.get(f"{_SS}Name") or f"Sheet{len(out) + 1}", -1
                elif tag == f"{_SS}Row" and grid is not None:
                    index = el.get(f"{_SS}Index")
                    r = int(index) - 1 if index else r + 1
                    c = -1
                elif tag == f"{_SS}Cell" and grid is not None:
                    index = el.get(f"{_SS}Index")
                    c = int(index) - 1 if index else c + 1
                    while (r, c) in grid.taken:
                        c += 1
                continue
            if tag == f"{_SS}Cell" and grid is not None:
                data = el.find(f"{_SS}Data")
                across = int(el.get(f"{_SS}MergeAcross", "0")) + 1
                down = int(el.get(f"{_SS}MergeDown", "0")) + 1
                grid.put(r, c, _xml_value(data), down, across)
                c += across - 1
                el.clear()
            elif tag == f"{_SS}Row":
                el.clear()
            elif tag == f"{_SS}Worksheet" and grid is not None:
                out.append((name[:31], grid.square(), sorted(grid.merges)))
                grid = None
                el.clear()
    return out


def _xml_value(data):
    if data is None:
        return None
    text = "".join(data.itertext())
    kind = data.get(f"{_SS}Type", "String")
    if kind == "Number":
        try:
            number = float(text)
        except ValueError:
            return text
        return number
    if kind == "DateTime":
        try:
            return dt.datetime.fromisoformat(text.rstrip("Z")[:19])
        except ValueError:
            return text
    if kind == "Boolean":
        return text.strip() in ("1", "true")
    return text if text != "" else None
