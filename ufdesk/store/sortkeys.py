"""Sort keys that SQL can order by: 姓氏笔画 (as official name lists have it) and pinyin.

SQLite and PostgreSQL sort by code point, which is neither order an office uses. We build a
key per name once, at write time, and let an index do the rest.

姓氏笔画: the surname first, then the given name; each character by stroke count, then stroke
order (横竖撇点折), then a fixed tie-break, so two surnames of the same strokes (叶 and 申 are
both 丨フ一一丨) never interleave. A 复姓 (data/compound_surnames.txt) is one surname, after
the 单姓 of its first character (欧丽 before 欧阳东); "·" in minority names is ignored. The order
of the characters is data/stroke_order.txt (see scripts/build_stroke_table.py): the basic block
in GB 13000.1 stroke order, every other ideograph (Extensions A–H) by Unihan's kTotalStrokes
among the characters of its count, then by code point.
"""

from __future__ import annotations

import functools

from ..paths import data_file

_SEP = "000000"  # ends the surname: lower than every character's key
_IGNORED = str.maketrans("", "", "·•‧・．")  # the middle dots of 买买提·艾力 and their look-alikes


@functools.cache
def _positions() -> dict[str, int]:
    """Character → its place in 姓氏笔画 order (1, 2, …), as data/stroke_order.txt lists them."""
    table: dict[str, int] = {}
    pos = 0
    with open(data_file("stroke_order.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            for ch in line.rstrip("\n").split("\t")[2]:
                pos += 1
                table[ch] = pos
    return table


@functools.cache
def compound_surnames() -> frozenset[str]:
    with open(data_file("compound_surnames.txt"), encoding="utf-8") as f:
        return frozenset(s for s in (line.strip() for line in f) if s and not s.startswith("#"))


def stroke_count(ch: str) -> int | None:
    """The stroke count of one character (None when it is not an ideograph the table knows)."""
    return _load_counts().get(ch)


@functools.cache
def _load_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    with open(data_file("stroke_order.txt"), encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                n, _, chars = line.rstrip("\n").split("\t")
                counts.update(dict.fromkeys(chars, int(n)))
    return counts


def _char_key(ch: str) -> str:
    key = _CHAR_KEYS.get(ch)
    if key is None:
        pos = _positions().get(ch)
        # A character outside the table (Latin letters, digits, Extension I): after every
        # ideograph, in code-point order among themselves.
        key = _CHAR_KEYS[ch] = f"{pos:06d}" if pos is not None else "9" + format(ord(ch), "07d")
    return key


_CHAR_KEYS: dict[str, str] = {}  # character → its key, filled as characters are met


def surname_length(name: str) -> int:
    """1, or 2 for a listed 复姓 followed by a given name."""
    return 2 if len(name) >= 3 and name[:2] in compound_surnames() else 1


@functools.lru_cache(maxsize=100_000)
def stroke_key(name: str | None, person: bool = True) -> str:
    """Key for 姓氏笔画 order: the surname (one block per surname), then the given name.
    ``person=False`` (a body's name) orders by the characters alone.

    >>> sorted(["张三", "王五", "丁一"], key=stroke_key)
    ['丁一', '王五', '张三']
    """
    if not name:
        return ""
    name = "".join(name.split()).translate(_IGNORED)
    keys = [_char_key(ch) for ch in name]
    if person and keys and keys[0][0] == "0":
        n = surname_length(name)
        keys.insert(n, _SEP)
    return "".join(keys)[:400]


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
