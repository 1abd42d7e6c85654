"""What a file really is, from its first bytes, whatever its name says.

Web systems export an HTML table as ".xls", older ones Excel 2003's XML (SpreadsheetML); a
clerk renames an xlsx to .xls; WPS saves .et (the xls format under another name); a PDF or a
Word file is sent as "the roster". Each is read by its content, and the check report says what
the file was, or it is refused with one sentence saying what it is and what to do.
"""

from __future__ import annotations

import functools
import re
import zipfile
from pathlib import Path

from ..domain.errors import UfError

# what read_sheets can read, by content
XLSX, XLS, ODS, CSV, HTML, XML2003 = "xlsx", "xls", "ods", "csv", "html", "xml2003"
NAMES = {XLSX: "xlsx 工作簿", XLS: "Excel 97-2003 工作簿（.xls）", ODS: "ods 电子表格", CSV: "CSV 文本表格",
         HTML: "网页（HTML）表格", XML2003: "Excel 2003 XML 表格（SpreadsheetML）"}
_SUFFIX_KIND = {".xlsx": XLSX, ".xlsm": XLSX, ".xls": XLS, ".et": XLS, ".ods": ODS, ".csv": CSV, ".txt": CSV}
SAVE_AS = "请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入"


class NotASpreadsheet(UfError):
    pass


def real_kind(path: Path) -> str:
    """One of the kinds above, by content; NotASpreadsheet (one sentence) for anything else."""
    st = path.stat()
    return _kind(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _kind(name: str, size: int, mtime: int) -> str:
    path = Path(name)
    with open(path, "rb") as fh:
        head = fh.read(8192)
    said = _SUFFIX_KIND.get(path.suffix.lower())
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path, said)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return XLS  # OLE2: xls, WPS .et — or a Word .doc, which calamine's failure then names
    refused = _other_binary(head)
    if refused:
        raise NotASpreadsheet(f"{path.name} 其实是{_spaced(refused)}，不是电子表格：{_what_to_do(refused)}")
    text = _head_text(head)
    low = text.lstrip("\ufeff \t\r\n").lower()
    if low.startswith("<?xml") or low.startswith("<workbook"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in low:
            return XML2003
        raise NotASpreadsheet(f"{path.name} 其实是 XML 数据文件，不是电子表格：{SAVE_AS}")
    if low.startswith(("<!doctype html", "<html", "<table", "<meta", "<head", "<body", "<style", "<!--")) \
            or re.search(r"<table[\s>]", low):
        return HTML
    if said in (CSV, None) or (said == XLS and _looks_delimited(text)):
        return CSV  # a tab-separated text saved as .xls by a web system reads as such
    return said


def _zip_kind(path: Path, said: str | None) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            mime = zf.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return said or XLSX  # damaged: the reader says it cannot be read
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return XLSX
    if b"spreadsheet" in mime:
        return ODS
    if "word/document.xml" in names or b"opendocument.text" in mime:
        raise NotASpreadsheet(f"{path.name} 其实是 Word 文档，不是电子表格：{_what_to_do('Word 文档')}")
    if "ppt/presentation.xml" in names or b"presentation" in mime:
        raise NotASpreadsheet(f"{path.name} 其实是演示文稿（PPT），不是电子表格：请要来原来的 Excel 表再导入")
    raise NotASpreadsheet(f"{path.name} 其实是压缩包（zip），不是电子表格：请先解压，再导入其中的表格文件")


def _other_binary(head: bytes) -> str | None:
    if head.startswith(b"%PDF"):
        return "PDF 文件"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")) or head[8:12] == b"WEBP":
        return "一张图片"
    if head.startswith((b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b")):
        return "压缩包"
    if head.startswith(b"{\\rtf"):
        return "Word 文档（RTF）"
    return None


def _what_to_do(what: str) -> str:
    if what.startswith("Word"):
        return "请把其中的表格复制到 Excel 或 WPS 表格，另存为 .xlsx 后再导入"
    if what == "压缩包":
        return "请先解压，再导入其中的表格文件"
    return "请要来原来的 Excel 表（.xlsx 或 .xls）再导入"


def _head_text(head: bytes) -> str:
    for enc in ("utf-8", "gb18030", "utf-16"):
        try:
            return head.decode(enc)
        except UnicodeDecodeError as exc:
            if enc == "utf-8" and exc.start > len(head) - 4:
                return head[: exc.start].decode("utf-8")  # cut inside a character at the end
    return head.decode("latin-1")


def _looks_delimited(text: str) -> bool:
    lines = [line for line in text.splitlines()[:5] if line.strip()]
    return bool(lines) and all("\t" in line or "," in line for line in lines) and "\x00" not in text


def note_for(path: Path, kind: str) -> str | None:
    """The check report's sentence when the name does not say what the file is; None when it does."""
    suffix = path.suffix.lower()
    if suffix == ".et" and kind == XLS:
        return f"{path.name} 是 WPS 表格文件（.et），已按 Excel 97-2003 格式读取；如有不对，请在 WPS 中另存为 .xlsx 再导入"
    if _SUFFIX_KIND.get(suffix) == kind:
        return None
    if kind == HTML:
        return (f"{path.name} 其实是网页（HTML）表格，不是真正的 Excel 文件（很多网上系统这样导出），已按网页中的表格读取，"
                f"数字和日期以网页上显示的文字为准；如有不对，{SAVE_AS}")
    return f"{path.name} 的文件名是 {suffix or '（无扩展名）'}，内容其实是{_spaced(NAMES[kind])}，已按其实际格式读取"


def _spaced(what: str) -> str:
    """A space between Chinese and a Latin word: 其实是 PDF 文件."""
    return f" {what}" if what[:1].isascii() else what
