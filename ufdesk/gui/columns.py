"""How a field's stored value is shown in a table: one converter per column, built once
(Calibre's ``column_to_dc_map``), so ``data()`` only indexes a list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..domain.codes import split_multi
from ..domain.model import TOWNSHIP_LABEL, Field, Ledger, SubLedger
from ..services.audit import MASKED_TYPES, mask

TOWNSHIP = "township"


@dataclass(frozen=True)
class Column:
    key: str  # the store column
    label: str
    show: Callable[[object], str]
    sortable: bool = True
    width: int = 8  # in Chinese characters (digits count half)
    right: bool = False  # numbers align right


NARROW_TYPES = ("idcard", "mobile", "phone", "uscc", "date", "int", "decimal")


def field_width(field: Field, services) -> int:
    """A column's width in Chinese characters: digits are half as wide; a code column as wide
    as its longest name (within reason)."""
    if field.type in NARROW_TYPES:
        width = (field.width + 1) // 2 + 1
    elif field.type == "site_reg":  # 宗场证字(川)F519999021: four characters and ten letters/digits
        width = 12
    elif field.type == "code":
        names = [n for _c, n in services.codebook()[field.code].items()]
        width = min(max([len(n) for n in names] or [field.width]), field.width + 2)  # rare long names elide
    else:
        width = field.width
    return max(width, len(field.label) + 1)


def date_text(field: Field) -> Callable[[object], str]:
    month_only = field.label.endswith("年月")  # 出生年月: written 1975.03 on rosters

    def show(v) -> str:
        if not isinstance(v, dt.date):
            return "" if v is None else str(v)
        return v.strftime("%Y.%m") if month_only else v.isoformat()

    return show


def formatter(field: Field, services, names: dict | None = None) -> Callable[[object], str]:
    """The converter of one field: code names, masked numbers, dates, yes/no."""
    codes = services.codebook()
    t = field.type
    if t == "code":
        table = codes[field.code]
        return lambda v: table.name_of(v) if v not in (None, "") else ""
    if t == "codes":
        table = codes[field.code]
        return lambda v: "、".join(table.name_of(c) for c in split_multi(v))
    if t == "date":
        return date_text(field)
    if t == "bool":
        return lambda v: "是" if v else ""
    if t == "decimal":
        return lambda v: "" if v is None else f"{Decimal(str(v)).normalize():f}"
    if t == "village":
        villages = {c: n for c, _tw, n in services.villages()}
        return lambda v: villages.get(v, v or "")
    if t == "ref":
        names = names if names is not None else {}
        return lambda v: names.get(v, "") if v else ""
    if (field.sensitive or t in MASKED_TYPES) and not services.allowed("view_full_ids"):
        kind = t if t in MASKED_TYPES else "other"
        return lambda v: mask(v, kind)
    return lambda v: "" if v is None else str(v)


def township_formatter(services) -> Callable[[object], str]:
    names = dict(services.townships())
    county = "县直"
    return lambda v: names.get(v, v) if v else county


def ledger_columns(lg: Ledger, services) -> list[Column]:
    """The table columns of a ledger: its in-table fields, with 所属乡镇 after the title."""
    cols: list[Column] = []
    for f in lg.fields:
        if not f.in_table:
            continue
        cols.append(Column(f.name, f.label, formatter(f, services), f.sortable and f.type != "memo",
                           field_width(f, services), f.type in ("int", "decimal")))
        if f.name == lg.title:
            cols.append(Column(TOWNSHIP, TOWNSHIP_LABEL, township_formatter(services), True, 7))
    return cols


def sub_columns(sub: SubLedger, services, names: dict | None = None) -> list[Column]:
    return [Column(f.name, f.label, formatter(f, services, names), False, field_width(f, services),
                   f.type in ("int", "decimal")) for f in sub.fields]
