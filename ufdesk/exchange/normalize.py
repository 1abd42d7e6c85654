"""Turning what offices type into Excel cells into the values a ledger stores.

Every function takes a raw cell value (str, int, float, bool, date, datetime or None) and
returns ``(value, problem)``: the normalised value, or None with a Chinese message saying
what is wrong with it. No I/O: the code tables and townships are handed in.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from decimal import Decimal, InvalidOperation

from ..domain.codes import CodeBook, join_multi
from ..domain.dates import date_result

# Full-width ASCII (digits, letters, punctuation) and the ideographic space → half-width.
_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_ALNUM_ONLY = {i: i - 0xFEE0 for i in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_ALNUM_ONLY[0x3000] = 0x20
# Control and invisible characters (pasted from web pages and chat programs, written by some
# systems' exports): never part of a value. Tabs and line breaks are spaces, handled apart.
_HIDDEN_RANGES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x61C, 0x61C),
                  (0x180E, 0x180E), (0x200B, 0x200F), (0x2028, 0x2029), (0x202A, 0x202E), (0x2060, 0x2064),
                  (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB))
HIDDEN = "".join(f"\\x{a:02x}" if a == b and a < 256 else f"\\u{a:04x}-\\u{b:04x}" for a, b in _HIDDEN_RANGES)
_HIDDEN = re.compile(f"[{HIDDEN}]")
_DROP = {c: None for a, b in _HIDDEN_RANGES for c in range(a, b + 1)}
_FULLWIDTH.update(_DROP)
_ALNUM_ONLY.update(_DROP)
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_UNUSUAL = re.compile(f"[\\uff01-\\uff5e\\s\\u00a0{HIDDEN}]|^$|^['=]")
_WRAPPED = re.compile(r'^="(.*)"$|^\'(.*)$', re.S)  # ="510…" (a CSV trick to keep digits) and '510…
_LATIN_NAME = re.compile(r"[A-Za-z]\s+[A-Za-z]")
_ANY_SPACE = re.compile(r"\s+")
MULTI_SEPARATORS = re.compile(r"[、，,；;/\s\u3000]+")

Result = tuple[object, str | None]


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip(" \t\r\n\u3000\u00a0\u200b\ufeff"))


def has_hidden(text: str) -> bool:
    """Whether a cell holds a control or invisible character (or is wrapped in ' or ="…")."""
    return _HIDDEN.search(text) is not None


def unwrap(text: str) -> str:
    """'510… and ="510…" as the clerk meant them: 510…"""
    m = _WRAPPED.match(text)
    if m is None:
        return text
    return (m.group(1) if m.group(1) is not None else m.group(2)).strip()


def excel_digits(number: float) -> str:
    """A whole number as Excel shows it: at most 15 significant digits (510599198205150016.0 →
    "510599198205150000")."""
    if abs(number) < 1e15:
        return str(int(number))
    return str(int(Decimal(f"{number:.14e}")))


def ascii_text(raw) -> str:
    """A cell as text with full-width digits, letters and spaces made half-width, trimmed."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).translate(_FULLWIDTH).strip()
    return unwrap(text) if text[:1] in ("'", "=") else text


def plain_text(raw) -> str:
    """Free text (addresses, unit names): full-width letters, digits and spaces half-width,
    Chinese punctuation kept, runs of spaces made one."""
    if isinstance(raw, str) and not _UNUSUAL.search(raw):
        return raw  # the common case: nothing to fold
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, (dt.date, dt.datetime)):
        return raw.strftime("%Y-%m-%d")
    text = str(raw).translate(_ALNUM_ONLY).replace("\r\n", "\n").strip()
    if text[:1] in ("'", "="):
        text = unwrap(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def person_name(raw) -> Result:
    """张　三 → 张三: spaces inside Chinese names are padding; Latin names keep one space."""
    text = plain_text(raw)
    if not text.isascii() and " " not in text and "\n" not in text:
        return text, None  # the common case: a Chinese name with nothing to take out
    if _LATIN_NAME.search(text):
        return text, None
    return _SPACES.sub("", text), None


def text(raw, max_len: int | None = None) -> Result:
    value = plain_text(raw)
    return value, None


def date(raw) -> Result:
    """A date cell, read by the one date parser (``domain.dates``): real Excel dates, serial
    numbers, 1975.03, 1975年3月, 197503, 1975-03-15, 1975-03-15 00:00, 19750315, 1975年."""
    return date_result(raw)


def id_number(raw) -> Result:
    """An ID number as text, upper-case X. A number ≥ 10^15 read from a numeric cell has
    lost its last digits in Excel (which keeps 15 significant digits): refuse it."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        exact = int(raw) if float(raw).is_integer() else None
        digits = (str(raw) if isinstance(raw, int) else excel_digits(raw)) if exact is not None else ascii_text(raw)
        if exact is not None and raw >= 1e15:
            from ..domain.validators import check_id_number

            if isinstance(raw, int) and check_id_number(digits) is None:
                return digits, None
            return None, "身份证号以数字格式保存，Excel 已把末几位舍入：请把该列设置为“文本”格式后重新录入完整号码"
        if len(digits) == 15 and digits.isdigit():  # an old number in a number cell: exact below 10^15
            from ..domain.validators import upgrade_id15

            return upgrade_id15(digits), None
        return digits, None
    value = ascii_text(raw).replace(" ", "").upper()
    if len(value) == 15 and value.isdigit():  # an old number of before 1999: the check report says so
        from ..domain.validators import upgrade_id15

        return upgrade_id15(value), None
    if re.fullmatch(r"\d(\.\d+)?E\+1[4-7]", value):  # a CSV saved from a numeric column
        return None, "身份证号被保存为科学计数法，末几位已经丢失：请把该列设置为“文本”格式后重新录入完整号码"
    return value, None


_CONTACT_SEPARATORS = re.compile(r"[/、，,；;|]+|\s{2,}|\n")
_CONTACT_LABELS = re.compile(r"[\u4e00-\u9fff：:（）()]+")  # 手机：、（办）、宅 …


def contact_numbers(raw) -> tuple[list[str], list[str], bool]:
    """A 联系电话 cell sorted by content: ``(mobile numbers, landline numbers, all parts read)``.
    "13812345678／0830-1234567（办）" → (["13812345678"], ["0830-1234567"], True)."""
    from ..domain.validators import check_mobile, check_phone

    mobiles, landlines, ok = [], [], True
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = excel_digits(raw) if float(raw).is_integer() else str(raw)
    for part in _CONTACT_SEPARATORS.split(ascii_text(raw)):
        number = _ANY_SPACE.sub("", _CONTACT_LABELS.sub("", part)).removeprefix("+86")
        if not number:
            continue
        if check_mobile(number) is None:
            mobiles.append(number)
        elif check_phone(number) is None:
            landlines.append(number)
        else:
            ok = False
    return mobiles, landlines, ok


def phone(raw) -> Result:
    value = ascii_text(raw)
    value = _ANY_SPACE.sub("", value)
    return value, None


def code(raw, codes: CodeBook, table: str) -> Result:
    if isinstance(raw, bool):
        raw = "是" if raw else "否"
    text = ascii_text(raw)
    found = codes[table].find(text)
    if found is None and text.endswith(("盟员", "会员", "党员", "社员")):
        found = codes[table].find(text[:-2])
    if found is None:
        return None, f"不是{codes[table].label}中的值"
    return found, None


def codes_multi(raw, codes: CodeBook, table: str) -> Result:
    """Several values in one cell, separated by 、，,；; / or spaces."""
    text = ascii_text(raw).translate(_FULLWIDTH)
    found, bad = [], []
    for c, name in _names_with_separators(codes, table):  # 香港同胞、澳门同胞 is one value
        if name in text:
            text = text.replace(name, f" \x00{c} ")
    parts = [p for p in MULTI_SEPARATORS.split(text) if p]
    for p in parts:
        c = p[1:] if p.startswith("\x00") else codes[table].find(p)
        if c is None:
            bad.append(p)
        elif c not in found:
            found.append(c)
    if bad:
        return None, f"“{'、'.join(bad)}”不是{codes[table].label}中的值"
    return join_multi(found), None


def _names_with_separators(codes: CodeBook, table: str) -> list[tuple[str, str]]:
    t = codes[table]
    found = _SEPARATED.get(t)
    if found is None:
        found = _SEPARATED[t] = _find_names_with_separators(codes, table)
    return found


_SEPARATED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _find_names_with_separators(codes: CodeBook, table: str) -> list[tuple[str, str]]:
    out = []
    for c in codes[table]:
        for name in (c.name, *c.aliases):
            if MULTI_SEPARATORS.search(name):
                out.append((c.code, name))
    return sorted(out, key=lambda item: -len(item[1]))


_TRUE = {"是", "有", "√", "✓", "✔", "y", "yes", "true", "1", "t", "对"}
_FALSE = {"否", "无", "×", "✗", "n", "no", "false", "0", "f", "不是", "-"}


def boolean(raw) -> Result:
    if isinstance(raw, bool):
        return raw, None
    text = ascii_text(raw).lower()
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    return None, "应填“是”或“否”"


def integer(raw) -> Result:
    if isinstance(raw, bool):
        return None, "应为整数"
    if isinstance(raw, (int, float)):
        return (int(raw), None) if float(raw).is_integer() else (None, "应为整数")
    text = ascii_text(raw).replace(",", "")
    m = re.fullmatch(r"约?(\d+)\s*(人|个|名|余人|多人|位)?", text)
    return (int(m.group(1)), None) if m else (None, "应为整数")


def decimal(raw) -> Result:
    if isinstance(raw, bool):
        return None, "应为数字"
    if isinstance(raw, (int, float)):
        return float(Decimal(str(raw)).quantize(Decimal("0.01"))), None
    text = ascii_text(raw).replace(",", "").removesuffix("万元").removesuffix("万")
    try:
        return float(Decimal(text).quantize(Decimal("0.01"))), None
    except InvalidOperation:
        return None, "应为数字"


TOWNSHIP_SUFFIXES = ("街道办事处", "民族苏木", "民族乡", "街道", "苏木", "镇", "乡")
VILLAGE_SUFFIXES = ("村民委员会", "居民委员会", "社区居委会", "村委会", "居委会", "社区", "嘎查", "村")
COUNTY_WORDS = ("县直", "县级", "县直单位", "县本级", "本级", "旗直", "旗直单位", "市直", "市直单位", "区直", "区直单位")


def _ambiguous(text: str, names: list[str], what: str) -> str:
    return f"“{text}”不能确定是哪一个{what}（可能是{'、'.join(sorted(names))}），请写全称"


class Townships:
    """Looks a township up by code or full name, else by a unique match without its suffix
    (镇/乡/街道/苏木/民族乡): 城关 is 城关镇 unless there is also a 城关乡."""

    def __init__(self, townships: list[tuple[str, str]], county_name: str = ""):
        self.by_key: dict[str, str] = {}
        self.by_bare: dict[str, dict[str, str]] = {}
        for code_, name in townships:
            self.by_key[code_] = code_
            self.by_key[name] = code_
            self.by_bare.setdefault(_strip_suffix(name), {})[code_] = name
        self.county_words = set(COUNTY_WORDS)
        if county_name:
            bare = _strip_suffix(county_name, ("自治县", "自治旗", "县", "旗", "市", "区"))
            self.county_words |= {county_name, county_name + "直", county_name + "直单位", bare + "县直", bare + "旗直",
                                  bare + "市直", bare + "区直"}

    def find(self, raw) -> Result:
        text = _SPACES.sub("", ascii_text(raw))
        if text in self.county_words:
            return None, None
        found = self.by_key.get(text)
        if found is not None:
            return found, None
        hits = self.by_bare.get(_strip_suffix(text), {})
        if len(hits) == 1:
            return next(iter(hits)), None
        if len(hits) > 1:
            return None, _ambiguous(text, list(hits.values()), "乡镇（街道）")
        return None, "不是本县的乡镇（街道）"


def _strip_suffix(name: str, suffixes: tuple[str, ...] = TOWNSHIP_SUFFIXES) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class Villages:
    """Looks a village or community up by 12-digit code or by name (within a township if known),
    exactly first, then by a unique match without its suffix (村/社区/嘎查/村委会/居委会)."""

    def __init__(self, villages: list[tuple[str, str, str]]):
        self.codes = {c for c, _, _ in villages}
        self.by_name: dict[tuple[str, str], str] = {}
        self.by_bare: dict[str, list[str]] = {}
        self.bare_in: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self.bare_any: dict[str, list[tuple[str, str]]] = {}
        for c, tw, name in villages:
            self.by_name[(tw, name)] = c
            self.by_bare.setdefault(name, []).append(c)
            bare = _strip_suffix(name, VILLAGE_SUFFIXES)
            self.bare_in.setdefault((tw, bare), []).append((c, name))
            self.bare_any.setdefault(bare, []).append((c, name))

    def find(self, raw, township: str | None) -> Result:
        text = _SPACES.sub("", ascii_text(raw))
        if text in self.codes:
            return text, None
        if township and (township, text) in self.by_name:
            return self.by_name[(township, text)], None
        hits = self.by_bare.get(text, [])
        if len(hits) == 1:
            return hits[0], None
        if len(hits) > 1:
            return None, "有多个同名村(社区)，请填写所属乡镇或12位代码"
        bare = _strip_suffix(text, VILLAGE_SUFFIXES)
        near = self.bare_in.get((township, bare), []) if township else []
        near = near or self.bare_any.get(bare, [])
        if len(near) == 1:
            return near[0][0], None
        if len(near) > 1:
            return None, _ambiguous(text, [n for _, n in near], "村(社区)")
        return None, "不是本县的村(社区)"
