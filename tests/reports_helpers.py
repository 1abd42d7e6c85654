"""Reading a PDF back as a user sees it: its text (pdftotext -layout), fonts (pdffonts), pages."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path


def text(pdf: Path) -> str:
    if sys.platform == "win32":  # the Windows leg: poppler is a Linux program here; read in-process
        return _pdfium_text(pdf)
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def _pdfium_text(pdf: Path) -> str:
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return "\f".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()


def flat(pdf: Path) -> str:
    """The text with all white space removed: prose wrapped over lines reads as one string."""
    return re.sub(r"\s+", "", text(pdf))


def fonts(pdf: Path) -> list[tuple[str, str, str]]:
    """(name, type, embedded) of every font the PDF uses."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type [type2] encoding emb sub uni id gen: emb is the 5th field from the end
        rows.append((parts[0], parts[1], parts[-5]))
    return rows


def pages(pdf: Path) -> int:
    if sys.platform == "win32":
        import pypdfium2

        return len(pypdfium2.PdfDocument(str(pdf)))
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def render_pages(pdf: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(out_dir / "p")], check=True)
    return sorted(out_dir.glob("p-*.png"))


def sql(db: Path, query: str, *args):
    """An independent count straight from the database (not through ufdesk's services): the
    SQLite file itself, or — when the suite runs against PostgreSQL (UFDESK_TEST_PG) — the
    server database that path stands for, with the query's SQLite spellings translated."""
    from ufdesk.store.engine import test_server_url

    url = test_server_url(str(db))
    if url is None:
        with sqlite3.connect(db) as conn:
            return conn.execute(query, args).fetchall()
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    query = re.sub(r"\b((?:\w+\.)?deleted) = 0", r"\1 = false", query.replace("%", "%%")).replace("?", "%s")
    with psycopg.connect(dbname=u.database, host=u.host or u.query.get("host"), port=u.port, user=u.username) as conn:
        return [tuple(r) for r in conn.execute(query, args).fetchall()]


def table_line(txt: str, first: str) -> list[str] | None:
    """The cells of the table line that begins with ``first`` (cells split on 2+ spaces)."""
    for line in txt.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells and cells[0] == first:
            return cells
    return None
