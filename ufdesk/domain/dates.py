"""Reading a date as offices write it — the one parser the form, the import and the command line share.

Accepted: real dates (an Excel date cell, a ``datetime``), Excel serial day numbers, and text
such as ``1975-03-15``, ``1975/3/15``, ``1975.3.15``, ``1975年3月15日``, ``19750315``,
``1975-03-15 00:00`` (a time of day is dropped), ``1975.03``, ``1975年3月``, ``197503`` (a year
and month alone mean the first of the month), ``1975年`` and ``1975`` (a year alone means
1 January). Full-width digits and stray spaces are folded. A numeric cell holding ``1975.03``
arrives as the float 1975.03 and is read as March; ``1975.10`` arrives as 1975.1 and is read as
January, as offices write it by hand. No I/O, no Qt.
"""

from __future__ import annotations

import datetime as dt
import re

EXCEL_EPOCH = dt.date(1899, 12, 30)
UNREADABLE = "无法识别的日期（可写作 1975-03-15、1975.03 或 1975年3月）"
NO_SUCH_DAY = "日期不存在"

# Full-width digits, punctuation and the ideographic space → half-width.
_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_TIME = re.compile(r"^(.*?\d)(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_AROUND_SEP = re.compile(r"\s*([-/.年月日])\s*")
_SPACES = re.compile(r"[\s\u00a0]+")
_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"),
    re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})年?$"),
]


class DateError(ValueError):
    """A value that is not a date; ``str(exc)`` is the Chinese sentence to show."""


def date_result(raw: object) -> tuple[dt.date | None, str | None]:
    """``(date, None)``, ``(None, None)`` for a blank value, or ``(None, problem)``."""
    if raw is None:
        return None, None
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    if isinstance(raw, bool):
        return None, UNREADABLE
    if isinstance(raw, (int, float)):
        return _from_number(float(raw))
    text = str(raw).translate(_FULLWIDTH).strip()
    if not text:
        return None, None
    return _from_text(text)


def parse_date(raw: object) -> dt.date | None:
    """The date in ``raw`` (None when blank); raises ``DateError`` with a Chinese sentence."""
    value, problem = date_result(raw)
    if problem:
        raise DateError(problem)
    return value


def _from_number(number: float) -> tuple[dt.date | None, str | None]:
    if number.is_integer():
        whole = int(number)
        if 1900 <= whole <= 2100:  # a year typed into a numeric cell, not a serial day in 1905
            return dt.date(whole, 1, 1), None
        if 190001 <= whole <= 210012 and 1 <= whole % 100 <= 12:
            return dt.date(whole // 100, whole % 100, 1), None
        if 19000101 <= whole <= 21001231:
            return _from_text(str(whole))
    elif 1900 <= number < 2101:  # 1975.03 typed into a numeric cell
        return _from_text(f"{number:.2f}".rstrip("0").rstrip("."))
    if 1 <= number < 80000:  # an Excel serial day (the fraction is a time of day)
        return EXCEL_EPOCH + dt.timedelta(days=int(number)), None
    return None, UNREADABLE


def _from_text(text: str) -> tuple[dt.date | None, str | None]:
    m = _TIME.match(text)
    if m:
        text = m.group(1)
    text = _AROUND_SEP.sub(r"\1", text)
    text = _SPACES.sub("-", text)  # 1975 3 15
    for pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            parts = [int(p) for p in m.groups()]
            year, month, day = (parts + [1, 1])[:3]
            try:
                return dt.date(year, month, day), None
            except ValueError:
                return None, NO_SUCH_DAY
    return None, UNREADABLE
