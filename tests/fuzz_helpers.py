"""Shared by the fuzz tests: a database fingerprint, byte mutations and a zip bomb."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import zipfile
from pathlib import Path

from ufdesk.store.check import check


def fingerprint(db: Path) -> str:
    """Every row of every table, hashed: "unchanged" means this did not move. The importer's
    memory of a spreadsheet's column layout (``import_mappings``) is left out: it holds no
    record and is kept even when the rows are refused; so is the audit, where a refused
    package leaves its one row (``package_refused``)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        for line in conn.iterdump():
            if 'INTO "import_mappings"' not in line and 'INTO "audit"' not in line:
                h.update(line.encode("utf-8", "surrogatepass"))
        return h.hexdigest()
    finally:
        conn.close()


def live_rows(db: Path, table: str = "representatives") -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}" WHERE deleted = 0').fetchone()[0]
    finally:
        conn.close()


def sound(db: Path) -> None:
    ok, lines = check(db)
    assert ok, lines


def truncations(data: bytes) -> list[tuple[str, bytes]]:
    cuts = sorted({0, 1, 30, len(data) // 10, len(data) // 3, len(data) // 2, len(data) * 9 // 10, len(data) - 22,
                   len(data) - 1})
    return [(f"cut{c}", data[:c]) for c in cuts if 0 <= c < len(data)]


def bit_flips(data: bytes, n: int, seed: int) -> list[tuple[str, bytes]]:
    """``n`` variants, each with 1–8 random bits flipped (half of them in the first KiB, where
    the headers are)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        b = bytearray(data)
        span = min(len(b), 1024) if i % 2 else len(b)
        flips = {(rng.randrange(span), rng.randrange(8)) for _ in range(rng.randint(1, 8))}  # distinct: none undone
        for pos, bit in flips:
            b[pos] ^= 1 << bit
        out.append((f"flip{i}", bytes(b)))
    return out


def zip_bomb_member(z: zipfile.ZipFile, name: str, size: int, head: bytes = b"", tail: bytes = b"") -> None:
    """A member of ``size`` bytes that compresses to about a thousandth of that."""
    z.compresslevel = 9
    with z.open(name, "w", force_zip64=True) as f:
        f.write(head)
        chunk = b"A" * (1 << 22)
        left = size
        while left > 0:
            f.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
        f.write(tail)
