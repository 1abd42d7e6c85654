"""Checking a record's values against its ledger description. Pure: no I/O.

``problems(desc, values, codes)`` returns ``{field: message}``; an empty dict means valid.
The services, the import and the edit form all call this one function.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from .codes import CodeBook, split_multi
from .model import Field, Ledger, SubLedger
from .validators import RELIGION_LETTER, TYPE_VALIDATORS, check_id_number, check_village, id_kind_of

Desc = Ledger | SubLedger


def _empty(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def check_field(f: Field, value, codes: CodeBook, values: dict, county_code: str | None = None) -> str | None:
    """The problem with one field's value, or None."""
    if _empty(value):  # a field with a default is filled by the store: never missing
        return "必填" if f.required and f.default is None else None
    t = f.type
    if t in ("text", "memo", "ref"):
        if not isinstance(value, str):
            return "应为文字"
        if f.max_len and len(value) > f.max_len:
            return f"不能超过{f.max_len}个字"
        return None
    if t == "date":
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            return "应为日期"
        if value > dt.date.today() + dt.timedelta(days=3650) or value.year < 1900:
            return "日期不合理"
        if f.name == "birth_date" and value > dt.date.today():
            return "出生日期不能晚于今天"
        return None
    if t == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return "应为整数"
        return "不能为负数" if value < 0 else None
    if t == "decimal":
        try:
            return "不能为负数" if Decimal(str(value)) < 0 else None
        except InvalidOperation:
            return "应为数字"
    if t == "bool":
        return None if isinstance(value, bool) else "应为是或否"
    if t == "code":
        return None if str(value) in codes[f.code] else f"“{value}”不是{codes[f.code].label}中的代码"
    if t == "codes":
        bad = [c for c in split_multi(value) if c not in codes[f.code]]
        return f"“{'、'.join(bad)}”不是{codes[f.code].label}中的代码" if bad else None
    if t == "idcard":
        return check_id_number(value, values.get("birth_date"), values.get("gender"), values.get("id_kind"))
    if t == "village":
        return check_village(value, county_code)
    check = TYPE_VALIDATORS.get(t)
    return check(value) if check else None


def _cross_rules(desc: Desc, values: dict) -> dict[str, str]:
    """Rules that relate two fields of one record."""
    out: dict[str, str] = {}
    name = desc.name
    if name == "rep_arrangements" and values.get("body") == "2" and values.get("level") == "5":
        out["level"] = "政协没有乡镇一级，请选择全国、省、市或县"
    if name == "sites" and values.get("reg_no") and values.get("religion"):
        reg = str(values["reg_no"])
        letter = next((ch for ch in reg if ch in RELIGION_LETTER), None)
        if letter and RELIGION_LETTER[letter] != values["religion"]:
            out["reg_no"] = "登记证号中的宗教字母与所填宗教不一致"
    for start, end in (("recognized_on", "left_on"), ("appointed_on", "left_on"), ("start_on", "end_on"),
                       ("elected_on", "term_end"), ("found_on", "closed_on"), ("submitted_on", "replied_on")):
        a, b = values.get(start), values.get(end)
        if isinstance(a, dt.date) and isinstance(b, dt.date) and b < a:
            out.setdefault(end, "不能早于" + _label(desc, start))
    if name == "representatives" and values.get("status") in ("2", "3") and _empty(values.get("left_on")):
        pass  # 退出/去世 without a date is allowed: old rosters rarely have it
    if name == "site_issues" and values.get("status") == "2" and _empty(values.get("closed_on")):
        out["closed_on"] = "已销号的问题请填写销号日期"
    if name == "tasks" and values.get("status") == "3" and _empty(values.get("done_on")):
        out["done_on"] = "已完成的任务请填写完成日期"
    if name == "tasks" and values.get("year") is not None and not isinstance(values["year"], bool) \
            and isinstance(values["year"], int) and not 2000 <= values["year"] <= 2100:
        out["year"] = "年度应为四位年份，如 2026"
    return out


# Fields filled from another field of the record when left empty: {ledger: {field: source}}.
# A 重点任务's 年度 is its 完成时限's year — a 任务分解表 gives the year once, in its title.
COMPLETIONS: dict[str, dict[str, str]] = {"tasks": {"year": "deadline"}}


def complete(desc: Desc, values: dict) -> dict:
    """Fill in (in place; returned) what a record's other fields say when it is left empty:
    a task's 年度 from its 完成时限, a person's 证件类型 from the number's prefix."""
    for name, source in COMPLETIONS.get(desc.name, {}).items():
        if _empty(values.get(name)) and isinstance(values.get(source), dt.date):
            values[name] = values[source].year
    if desc.name in ID_KIND_LEDGERS:
        number = values.get("id_number")
        if _empty(values.get("id_kind")) and isinstance(number, str) and number:
            kind = id_kind_of(number)
            if kind is not None:
                values["id_kind"] = kind
    return values


ID_KIND_LEDGERS = frozenset({"representatives", "cadres"})  # the ledgers with a 证件类型 beside the number


def completed_from(desc: Desc) -> dict[str, str]:
    """``{field: source field}`` of the fields ``complete`` fills."""
    return COMPLETIONS.get(desc.name, {})


def _label(desc: Desc, name: str) -> str:
    for f in desc.fields:
        if f.name == name:
            return f.label
    return name


def problems(desc: Desc, values: dict, codes: CodeBook, *, county_code: str | None = None,
             partial: bool = False) -> dict[str, str]:
    """Every problem of ``values`` as ``{field name: message}``. With ``partial``, only the
    fields present in ``values`` are checked (an update of some fields)."""
    out: dict[str, str] = {}
    for f in desc.fields:
        if partial and f.name not in values:
            continue
        msg = check_field(f, values.get(f.name), codes, values, county_code)
        if msg:
            out[f.name] = msg
    for k, v in _cross_rules(desc, values).items():
        out.setdefault(k, v)
    return out
