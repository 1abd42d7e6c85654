"""Reading spreadsheets: xlsx, xls and ods through python-calamine; CSV in UTF-8 or GBK.

calamine builds a dense cell range of a whole sheet (and aborts the process when it cannot
allocate it), so an xlsx sheet's used range is found from its cells' own references before
calamine loads it — never from its ``<dimension>``. Cells far away from the table (a stray
"x" in XFD1048576) are left out of a copy of the sheet made in memory, and said so in
``Sheet.notes``. A sheet arrives as plain rows of Python values; ``first_row`` is the
spreadsheet row number (1-based, as the user sees it) of the first of them; ``merges`` are
its merged ranges (xlsx and xls from calamine, ods from its ``content.xml``; CSV has none),
as ``(first row, first column, last row, last column)`` indexes into ``rows``.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from ..domain.errors import UfError
from . import file_kind as K

# .et: WPS 表格; .htm/.html/.xml: what web systems export as tables (read by content, file_kind)
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv", ".txt", ".htm", ".html", ".xml")
MAX_CELLS = 20_000_000  # ~60 columns × 300,000 rows; far beyond any roster
MAX_ROWS = 1_048_576


class SpreadsheetError(UfError):
    pass


@dataclass
class Sheet:
    name: str
    rows: list[list]
    first_row: int = 1  # spreadsheet row number of rows[0]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what reading left out, for the check report


def sheet_names(path: str | Path) -> list[str]:
    path = Path(path)
    kind = _check_file(path)
    if kind == K.CSV:
        return [path.stem]
    if kind in (K.HTML, K.XML2003):
        return [name for name, _, _ in _other_tables(path, kind)]
    wb = _open(path, kind)
    try:
        return [m.name for m in wb.sheets_metadata if _visible(m)] or list(wb.sheet_names)
    finally:
        wb.close()


def read_sheets(path: str | Path, names: list[str] | None = None, *, visible: list[str] | None = None):
    """Yield ``Sheet`` objects for the named sheets (all visible sheets by default), one at a time.
    ``visible``, when given, receives the names ``sheet_names`` would give, without opening the
    workbook a second time (calamine reads the whole shared-string table on opening)."""
    path = Path(path)
    kind = _check_file(path)
    said = K.note_for(path, kind)
    if kind == K.CSV:
        if visible is not None:
            visible[:] = [path.stem]
        yield Sheet(path.stem, read_csv(path), 1, notes=[said] if said else [])
        return
    if kind in (K.HTML, K.XML2003):
        yield from _other_sheets(path, kind, names, visible, said)
        return
    first = _Scan.start(path, names[0] if names else None, kind)  # while calamine opens the workbook
    wb = _open(path, kind)
    try:
        shown = [m.name for m in wb.sheets_metadata if _visible(m)] or list(wb.sheet_names)
        if visible is not None:
            visible[:] = shown
        wanted = names or shown
        for name in wanted:
            if name not in wb.sheet_names:
                raise SpreadsheetError(f"{path.name} 中没有名为“{name}”的工作表（有：{'、'.join(wb.sheet_names)}）")
            notes: list[str] = [said] if said else []
            scan = first if first is not None and first.name == name else _Scan(path, name, kind=kind)
            first = None
            bounded = scan.bounded_copy(notes)  # None: the sheet's cells are near each other
            if bounded is not None:
                other = _open_bytes(path, bounded)
                try:
                    sheet = _load(other, path, name)
                finally:
                    other.close()
            else:
                sheet = _load(wb, path, name)
            _check_size(path, name, sheet.height, sheet.width)
            start = sheet.start or (0, 0)
            rows = sheet.to_python()  # from the first used row: rows[0] is spreadsheet row start[0] + 1
            merges = _merges(sheet, path, name, start, kind)
            yield Sheet(name, rows, start[0] + 1, merges, notes)
    finally:
        wb.close()


def read_sheet(path: str | Path, name: str | None = None, *, visible: list[str] | None = None) -> Sheet:
    for sheet in read_sheets(path, [name] if name else None, visible=visible):
        return sheet
    raise SpreadsheetError(f"{Path(path).name} 中没有工作表")


def _visible(meta) -> bool:
    return str(meta.visible).endswith("Visible")


def _check_file(path: Path) -> str:
    """What the file really is (``file_kind``), or a refusal saying what it is and what to do."""
    if not path.exists():
        raise SpreadsheetError(f"文件不存在：{path}")
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        raise SpreadsheetError(f"{path.name}：只能导入 xlsx、xls、et、ods 或 csv 文件")
    try:
        return K.real_kind(path)
    except K.NotASpreadsheet as exc:
        raise SpreadsheetError(str(exc)) from None
    except OSError as exc:
        raise SpreadsheetError(f"{path.name} 无法读取：{exc}") from None


def _other_tables(path: Path, kind: str) -> list:
    from . import other_formats

    if path.stat().st_size > other_formats.MAX_BYTES:
        raise SpreadsheetError(f"{path.name} 是{K.NAMES[kind]}，有 {path.stat().st_size >> 20} MB，远超任何花名册：{K.SAVE_AS}")
    read = other_formats.html_tables if kind == K.HTML else other_formats.spreadsheetml_tables
    try:
        tables = read(path, MAX_ROWS, MAX_CELLS)
    except OverflowError:
        raise SpreadsheetError(f"{path.name} 是{K.NAMES[kind]}，范围过大：{K.SAVE_AS}") from None
    except (ElementTree.ParseError, ValueError) as exc:
        raise SpreadsheetError(f"{path.name} 是{K.NAMES[kind]}，但内容不完整，无法读取（{type(exc).__name__}）：{K.SAVE_AS}"
                               ) from None
    if not tables:
        raise SpreadsheetError(f"{path.name} 是{K.NAMES[kind]}，但其中没有表格：请确认选择了正确的文件")
    return tables


def _other_sheets(path: Path, kind: str, names: list[str] | None, visible: list[str] | None, said: str | None):
    tables = _other_tables(path, kind)
    shown = [name for name, _, _ in tables]
    if visible is not None:
        visible[:] = shown
    by_name = {name: (rows, merges) for name, rows, merges in tables}
    for name in names or shown:
        if name not in by_name:
            raise SpreadsheetError(f"{path.name} 中没有名为“{name}”的工作表（有：{'、'.join(shown)}）")
        rows, merges = by_name[name]
        yield Sheet(name, rows, 1, merges, [said] if said else [])


MAX_UNPACKED = 1 << 30  # 1 GiB of XML is far beyond a roster
MAX_RATIO = 100  # a real sheet's XML packs 5–30 to 1; a zip bomb, about 1000 to 1


def _check_unpacked(path: Path, kind: str) -> None:
    """Refuse a zip bomb by the sizes its zip directory declares, before anything is unpacked
    (calamine would unpack it into memory)."""
    if kind not in (K.XLSX, K.ODS):
        return
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: calamine says so
    total = sum(i.file_size for i in infos)
    bomb = any(i.file_size > (64 << 20) and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos)
    if total > MAX_UNPACKED or bomb:
        raise SpreadsheetError(f"{path.name} 解压后有 {total >> 20} MB，远超任何花名册：文件可能已损坏或是恶意构造的，"
                               "已拒绝读取。请在 Excel 中打开检查后另存为新文件再导入")


def _open(path: Path, kind: str):
    from python_calamine import CalamineError, CalamineWorkbook

    _check_unpacked(path, kind)
    try:
        if K.note_for(path, kind) is None:
            return CalamineWorkbook.from_path(str(path))
        with open(path, "rb") as fh:  # named otherwise (an xlsx called .xls, a WPS .et): by content
            return CalamineWorkbook.from_filelike(fh)
    except CalamineError as exc:
        if type(exc).__name__ == "PasswordError":
            raise SpreadsheetError(f"{path.name} 设有打开密码：请在 Excel 中取消密码后另存，再导入") from None
        if kind == K.XLS and _is_word(path):
            raise SpreadsheetError(f"{path.name} 其实是 Word 文档（.doc），不是电子表格：请把其中的表格复制到 Excel 或 WPS 表格，"
                                   "另存为 .xlsx 后再导入") from None
        raise SpreadsheetError(f"{path.name} 无法读取，文件可能已损坏或不是电子表格（{type(exc).__name__}）") from None
    except (OSError, ValueError) as exc:
        raise SpreadsheetError(f"{path.name} 无法读取：{exc}") from None


def _is_word(path: Path) -> bool:
    """An OLE2 file holding a WordDocument stream (its name is in the directory, UTF-16)."""
    try:
        with open(path, "rb") as fh:
            return "WordDocument".encode("utf-16-le") in fh.read(64 << 20)
    except OSError:
        return False


def _load(wb, path: Path, name: str):
    from python_calamine import CalamineError

    try:
        return wb.get_sheet_by_name(name)
    except CalamineError as exc:
        raise SpreadsheetError(f"{path.name} 的工作表“{name}”无法读取（{type(exc).__name__}）") from None


def _check_size(path: Path, name: str, height: int, width: int) -> None:
    if height > MAX_ROWS or height * width > MAX_CELLS:
        raise SpreadsheetError(
            f"{path.name} 的工作表“{name}”范围过大（{height} 行 × {width} 列），多半是表格远处有格式或空格："
            "请把需要的数据复制到一个新工作表（或删除多余的行列）后再导入"
        )


_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def _cell_pos(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref)
    if not m:
        return 0, 0
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


# -- bounded reading of xlsx -----------------------------------------------------------------------
# One pass over the sheet's XML, streamed: the number of every row, and the cells in columns
# AA and beyond (a roster's columns are A–Z; anything else is rare and looked at closely).
_ROWS = re.compile(rb'<row r="(\d+)"')
_WIDE = re.compile(rb'<c r="([A-Z]{2,3})\d')
_ROWS_NS = re.compile(rb'<\w+:row r="(\d+)"')  # a writer that prefixes the namespace (rare)
_WIDE_NS = re.compile(rb'<\w+:c r="([A-Z]{2,3})\d')
# A whole cell, to tell a value from a styled empty cell (which calamine does not load).
_WHOLE_CELL = re.compile(rb'<((?:\w+:)?)c r="([A-Z]{1,3})(\d+)"[^>]*?(?:/>|>(.*?)</\1c>)', re.S)
ROW_GAP = 1000  # empty rows after which a cell is "far away" from the table
COL_GAP = 30  # empty columns likewise
NARROW = 26  # columns A–Z: taken as used without looking
_DAMAGED = (zipfile.BadZipFile, KeyError, ElementTree.ParseError, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError)  # calamine then says the file cannot be read


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _cut(numbers: list[int], gap: int) -> int | None:
    """The last number before the first gap wider than ``gap``; None when there is no such gap."""
    for a, b in zip(numbers, numbers[1:], strict=False):
        if b - a > gap:
            return a
    return None


class _Scan:
    """The used range of one xlsx sheet from its cells' references, found in a thread while
    calamine opens the workbook (zlib works without the GIL, calamine too)."""

    def __init__(self, path: Path, name: str, threaded: bool = False, kind: str = K.XLSX):
        self.path, self.name, self.kind = path, name, kind
        self.member: str | None = None
        self.rows: list[int] = []
        self.wide: set[int] = set()
        self.thread = None
        if threaded:
            self.thread = threading.Thread(target=self._run, name="ufdesk-scan-sheet", daemon=True)
            self.thread.start()
        else:
            self._run()

    @classmethod
    def start(cls, path: Path, name: str | None, kind: str) -> _Scan | None:
        if kind != K.XLSX:
            return None
        if name is None:
            name = _first_visible(path)
            if name is None:
                return None
        return cls(path, name, threaded=True, kind=kind)

    def _run(self) -> None:
        if self.kind != K.XLSX:
            return
        try:
            with zipfile.ZipFile(self.path) as zf:
                self.member = _xlsx_sheet_files(zf).get(self.name)
                if self.member is None:
                    return
                rows: set[bytes] = set()
                wide: set[bytes] = set()
                with zf.open(self.member) as fh:
                    tail = b""
                    row_re, wide_re = _ROWS, _WIDE
                    while True:
                        chunk = fh.read(1 << 22)
                        buf = tail + chunk
                        end = max(buf.rfind(b"<"), 0) if chunk else len(buf)
                        if not rows and row_re is _ROWS and b"<row " not in buf and b":row " in buf:
                            row_re, wide_re = _ROWS_NS, _WIDE_NS
                        rows.update(row_re.findall(buf, 0, end))
                        wide.update(wide_re.findall(buf, 0, end))
                        tail = buf[end:]
                        if not chunk:
                            break
        except _DAMAGED:
            self.member = None
            return
        self.rows, self.wide = sorted(map(int, rows)), {_col_number(c) for c in wide}

    def bounded_copy(self, notes: list[str]) -> bytes | None:
        """For a sheet whose cells span a huge range because of a few far-away cells, the
        workbook (in memory) with those cells left out, and a note saying which; else None."""
        if self.thread is not None:
            self.thread.join()
        if self.member is None or not self.rows:
            return None
        cols = sorted({*range(1, NARROW + 1), *self.wide})
        if (_cut(self.rows, ROW_GAP) is None and _cut(cols, COL_GAP) is None
                and (self.rows[-1] - self.rows[0] + 1) * cols[-1] <= MAX_CELLS):
            return None  # the common case: one pass, nothing far away
        return self._precise(notes)

    def _precise(self, notes: list[str]) -> bytes | None:
        """Look at every cell: which hold a value, where the table ends, what lies beyond."""
        try:
            with zipfile.ZipFile(self.path) as zf:
                data = zf.read(self.member)
        except _DAMAGED:
            return None
        held = [(int(m.group(3)), _col_number(m.group(2))) for m in _WHOLE_CELL.finditer(data) if _has_value(m)]
        if not held:
            return None
        rows, cols = sorted({r for r, _ in held}), sorted({c for _, c in held})
        last_row, last_col = _cut(rows, ROW_GAP) or rows[-1], _cut(cols, COL_GAP) or cols[-1]
        _check_size(self.path, self.name, last_row - rows[0] + 1, last_col - cols[0] + 1)
        if last_row == rows[-1] and last_col == cols[-1]:
            return None  # far only in styled empty cells: calamine leaves those out by itself
        dropped: list[str] = []

        def keep(m: re.Match) -> bytes:
            if int(m.group(3)) <= last_row and _col_number(m.group(2)) <= last_col:
                return m.group(0)
            if _has_value(m):
                dropped.append(m.group(2).decode() + m.group(3).decode())
            return b""

        trimmed = _WHOLE_CELL.sub(keep, data)
        trimmed = re.sub(rb"<(?:\w+:)?dimension [^>]*/>", b"", trimmed, count=1)
        shown = "、".join(dropped[:5]) + (f"等{len(dropped)}个" if len(dropped) > 5 else "")
        notes.append(f"工作表“{self.name}”中远离表格的单元格 {shown} 未读取（表格止于第{last_row}行）")
        out = io.BytesIO()
        with zipfile.ZipFile(self.path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info, trimmed if info.filename == self.member else zin.read(info.filename))
        return out.getvalue()


def _has_value(m: re.Match) -> bool:
    return bool(m.group(4)) and re.search(rb"<(?:\w+:)?(?:v|is)\b", m.group(4)) is not None


def _first_visible(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    except _DAMAGED:
        return None
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    for s in wb.iter(f"{ns}sheet"):
        if s.get("state") in (None, "visible"):
            return s.get("name")
    return None


def _open_bytes(path: Path, data: bytes):
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except CalamineError:
        raise SpreadsheetError(f"{path.name} 无法读取，文件可能已损坏或不是电子表格") from None


# -- merged cells -----------------------------------------------------------------------------------
def _merges(sheet, path: Path, name: str, start: tuple[int, int], kind: str) -> list[tuple[int, int, int, int]]:
    r0, c0 = start
    if kind == K.ODS:
        found = _ods_merges(path, name)
    else:
        found = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
    out = []
    for r1, c1, r2, c2 in found:
        if (r2 > r1 or c2 > c1) and r2 >= r0 and c2 >= c0:
            out.append((max(r1 - r0, 0), max(c1 - c0, 0), r2 - r0, c2 - c0))
    return sorted(out)


_ODS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _ods_merges(path: Path, name: str) -> list[tuple[int, int, int, int]]:
    """The merged ranges of an ods sheet (calamine gives none): the cells of ``content.xml``
    with ``table:number-rows-spanned`` or ``number-columns-spanned``."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            if b"-spanned=" not in zf.read("content.xml"):
                return []
            return _ods_spans(fh, name)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, zlib.error, EOFError, OSError, ValueError):
        return []


def _ods_spans(fh, name: str) -> list[tuple[int, int, int, int]]:
    table, row, col = f"{{{_ODS}}}table", f"{{{_ODS}}}table-row", f"{{{_ODS}}}table-column"
    cell, covered = f"{{{_ODS}}}table-cell", f"{{{_ODS}}}covered-table-cell"
    a_name, rep_r, rep_c = f"{{{_ODS}}}name", f"{{{_ODS}}}number-rows-repeated", f"{{{_ODS}}}number-columns-repeated"
    span_r, span_c = f"{{{_ODS}}}number-rows-spanned", f"{{{_ODS}}}number-columns-spanned"
    out: list[tuple[int, int, int, int]] = []
    inside, r, c = False, -1, 0
    for event, el in ElementTree.iterparse(fh, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == table:
                inside, r = el.get(a_name) == name, -1
            elif inside and tag == row:
                r, c = r + 1, 0
            elif inside and tag in (cell, covered):
                rs, cs = int(el.get(span_r, "1")), int(el.get(span_c, "1"))
                if tag == cell and (rs > 1 or cs > 1):
                    out.append((r, c, r + rs - 1, c + cs - 1))
            continue
        if tag == table and inside:
            break
        if inside and tag == row:
            r += int(el.get(rep_r, "1")) - 1
        elif inside and tag in (cell, covered):
            c += int(el.get(rep_c, "1"))
        if tag in (row, table) or tag == col:
            el.clear()
    return out


def _xlsx_sheet_files(zf: zipfile.ZipFile) -> dict[str, str]:
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for s in wb.iterfind("m:sheets/m:sheet", ns):
        target = targets.get(s.get(f"{{{ns['r']}}}id"), "")
        member = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if member in zf.namelist():
            out[s.get("name")] = member
    return out


# -- CSV ----------------------------------------------------------------------------------------
def decode_text(raw: bytes, name: str = "") -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312)."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(f"{name}：无法识别文件编码，请另存为“CSV UTF-8”或 GBK 编码的 CSV")


def read_csv(path: Path) -> list[list]:
    text = decode_text(path.read_bytes(), path.name).replace("\x00", "")  # NUL: never part of a cell
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:  # a cell over 128 KiB, a stray NUL: not a roster a person typed
        why = "有超过 13 万个字符的单元格" if "field larger" in str(exc) else "含有不可见的控制字符或引号不配对"
        raise SpreadsheetError(f"{path.name} 无法按 CSV 读取：{why}。请在 Excel 中打开检查后另存为“CSV UTF-8”再导入"
                               ) from None
