"""What a file is, when a clerk picks it as a database: an Excel workbook, a Word document, a
data package … said in one sentence, so that opening it can stop before anything is closed or
changed (and before any talk of damage or of restoring a backup). No Qt."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls / .doc / .et of old Office and WPS
PACKAGE_MAGIC = b"UFPKGENC"  # exchange/pkgcrypt.py: packages and encrypted backups
AGE_MAGIC = b"age-encryption.org/"

_ZIP_KINDS = (  # a member name that tells an Office file apart (zip containers)
    ("xl/", "Excel 表格"), ("word/", "Word 文档"), ("ppt/", "PowerPoint 演示文稿"),
)
_OLE_KINDS = {".doc": "Word 文档（doc）", ".wps": "WPS 文字文档", ".et": "WPS 表格", ".ppt": "PowerPoint 演示文稿"}
_SUFFIX_KINDS = {
    ".csv": "CSV 表格", ".txt": "文本文件", ".pdf": "PDF 文件", ".ods": "电子表格（ods 表格）",
    ".odt": "文档（odt）", ".zip": "压缩包", ".ufpkg": "数据交换包", ".ufbak": "加密备份",
    ".jpg": "图片", ".jpeg": "图片", ".png": "图片", ".bmp": "图片",
}


def not_a_database(path: str | Path) -> str | None:
    """None when ``path`` may be a ufdesk database (a SQLite file with this program's tables, or
    something too damaged to tell); otherwise the sentence saying what the file is instead."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            head = f.read(64)
    except OSError:
        return None  # missing or unreadable: the opening says why
    name = path.name
    if head.startswith(SQLITE_MAGIC):
        return None if _has_installation(path) is not False else (
            f"“{name}”是一个 SQLite 数据库，但不是统战工作台账的数据库（里面没有本程序的台账），"
            "当前数据库仍然打开着。")
    kind = _kind(path, head)
    if kind is None:
        return None
    hint = {"表格": "（其中的名单请用“导入…”放进台账）", "数据交换包": "（请用“数据交换”导入它）",
            "加密备份": "（请用“备份与恢复”从它恢复）"}
    advice = next((v for k, v in hint.items() if k in kind), "")
    return f"“{name}”是{kind}{advice}，不是统战工作台账的数据库；当前数据库仍然打开着。"


def _kind(path: Path, head: bytes) -> str | None:
    suffix = path.suffix.lower()
    if head.startswith(PACKAGE_MAGIC) or head.startswith(AGE_MAGIC):
        return "加密备份" if suffix == ".ufbak" else "数据交换包"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError):
            return "压缩包"
        for prefix, kind in _ZIP_KINDS:
            if any(n.startswith(prefix) for n in names):
                return kind
        if suffix in (".ods", ".odt"):
            return _SUFFIX_KINDS[suffix]
        return "压缩包"
    if head.startswith(OLE_MAGIC):
        return _OLE_KINDS.get(suffix, "Excel 表格（xls）")
    if head.startswith(b"%PDF"):
        return "PDF 文件"
    if suffix in _SUFFIX_KINDS:
        return _SUFFIX_KINDS[suffix]
    if head and _is_text(head):
        return "文本文件"
    return None


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
        return b"\x00" not in head
    except UnicodeDecodeError:
        try:
            head.decode("gbk")
            return b"\x00" not in head
        except UnicodeDecodeError:
            return False


def _has_installation(path: Path) -> bool | None:
    """True: a ufdesk database; False: a sound SQLite file of some other program; None: cannot
    tell (damaged, locked) — the opening and its damage handling decide."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return "installation" in tables
