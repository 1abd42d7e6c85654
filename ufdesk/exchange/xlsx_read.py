"""Reading spreadsheets: xlsx, xls and ods through python-calamine; CSV in UTF-8 or GBK.

calamine builds a dense cell range of a whole sheet, so a sheet that claims (or turns out)
to span millions of empty cells is refused with a message before it exhausts memory.
A sheet arrives as plain rows of Python values; ``first_row`` is the spreadsheet row number
(1-based, as the user sees it) of the first of them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..domain.errors import UfError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")
MAX_CELLS = 20_000_000  # ~60 columns × 300,000 rows; far beyond any roster
MAX_ROWS = 1_048_576


class SpreadsheetError(UfError):
    pass


@dataclass
class Sheet:
    name: str
    rows: list[list]
    first_row: int = 1  # spreadsheet row number of rows[0]


def sheet_names(path: str | Path) -> list[str]:
    path = Path(path)
    _check_file(path)
    if _is_csv(path):
        return [path.stem]
    wb = _open(path)
    try:
        return [m.name for m in wb.sheets_metadata if _visible(m)] or list(wb.sheet_names)
    finally:
        wb.close()


def read_sheets(path: str | Path, names: list[str] | None = None, *, visible: list[str] | None = None):
    """Yield ``Sheet`` objects for the named sheets (all visible sheets by default), one at a time.
    ``visible``, when given, receives the names ``sheet_names`` would give, without opening the
    workbook a second time (calamine reads the whole shared-string table on opening)."""
    path = Path(path)
    _check_file(path)
    if _is_csv(path):
        if visible is not None:
            visible[:] = [path.stem]
        yield Sheet(path.stem, read_csv(path), 1)
        return
    declared = _declared_sizes(path)
    wb = _open(path)
    try:
        shown = [m.name for m in wb.sheets_metadata if _visible(m)] or list(wb.sheet_names)
        if visible is not None:
            visible[:] = shown
        wanted = names or shown
        for name in wanted:
            if name not in wb.sheet_names:
                raise SpreadsheetError(f"{path.name} 中没有名为“{name}”的工作表（有：{'、'.join(wb.sheet_names)}）")
            _check_size(path, name, *declared.get(name, (0, 0)))
            sheet = _load(wb, path, name)
            _check_size(path, name, sheet.height, sheet.width)
            start = sheet.start or (0, 0)
            rows = sheet.to_python()  # from the first used row: rows[0] is spreadsheet row start[0] + 1
            yield Sheet(name, rows, start[0] + 1)
    finally:
        wb.close()


def read_sheet(path: str | Path, name: str | None = None, *, visible: list[str] | None = None) -> Sheet:
    for sheet in read_sheets(path, [name] if name else None, visible=visible):
        return sheet
    raise SpreadsheetError(f"{Path(path).name} 中没有工作表")


def _visible(meta) -> bool:
    return str(meta.visible).endswith("Visible")


def _check_file(path: Path) -> None:
    if not path.exists():
        raise SpreadsheetError(f"文件不存在：{path}")
    if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
        raise SpreadsheetError(f"{path.name}：只能导入 xlsx、xls、ods 或 csv 文件")


def _is_csv(path: Path) -> bool:
    return path.suffix.lower() in (".csv", ".txt")


MAX_UNPACKED = 1 << 30  # 1 GiB of XML is far beyond a roster
MAX_RATIO = 100  # a real sheet's XML packs 5–30 to 1; a zip bomb, about 1000 to 1


def _check_unpacked(path: Path) -> None:
    """Refuse a zip bomb by the sizes its zip directory declares, before anything is unpacked
    (calamine would unpack it into memory)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".ods"):
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


def _open(path: Path):
    from python_calamine import CalamineError, CalamineWorkbook

    _check_unpacked(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except CalamineError as exc:
        if type(exc).__name__ == "PasswordError":
            raise SpreadsheetError(f"{path.name} 设有打开密码：请在 Excel 中取消密码后另存，再导入") from None
        raise SpreadsheetError(f"{path.name} 无法读取，文件可能已损坏或不是电子表格（{type(exc).__name__}）") from None
    except (OSError, ValueError) as exc:
        raise SpreadsheetError(f"{path.name} 无法读取：{exc}") from None


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


def _declared_sizes(path: Path) -> dict[str, tuple[int, int]]:
    """The ``<dimension ref="A1:XFD1048576"/>`` each xlsx sheet declares, read before calamine
    builds the range. Other formats declare nothing cheap to read; their loaded size is checked."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    try:
        with zipfile.ZipFile(path) as zf:
            names = _xlsx_sheet_files(zf)
            out = {}
            for sheet_name, member in names.items():
                with zf.open(member) as fh:
                    head = fh.read(4096).decode("utf-8", "replace")
                m = re.search(r'<(?:\w+:)?dimension ref="([A-Z]+\d+)(?::([A-Z]+\d+))?"', head)
                if m:
                    r1, c1 = _cell_pos(m.group(1))
                    r2, c2 = _cell_pos(m.group(2) or m.group(1))
                    out[sheet_name] = (r2 - r1 + 1, c2 - c1 + 1)
            return out
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError):  # damaged: calamine then says the file cannot be read
        return {}


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
    text = decode_text(path.read_bytes(), path.name)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:  # a cell over 128 KiB, a stray NUL: not a roster a person typed
        why = "有超过 13 万个字符的单元格" if "field larger" in str(exc) else "含有不可见的控制字符或引号不配对"
        raise SpreadsheetError(f"{path.name} 无法按 CSV 读取：{why}。请在 Excel 中打开检查后另存为“CSV UTF-8”再导入"
                               ) from None
