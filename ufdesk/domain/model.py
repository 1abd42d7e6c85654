"""The vocabulary in which the six ledgers are described: fields, sub-records, ledgers.

A ledger is data. Table columns, edit forms, Excel headers, PDF rosters and the filter bar
are all derived from these descriptions, so adding a field is one line in ``ledgers.py``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

FieldType = Literal[
    "text",  # one line of text
    "memo",  # several lines of text
    "date",  # a calendar date (datetime.date)
    "int",  # a whole number
    "decimal",  # a number with decimals (money, in 万元)
    "bool",  # yes / no
    "code",  # one value from a code table (``code`` names it)
    "codes",  # several values from a code table, stored as ",01,05,"
    "idcard",  # GB 11643 citizen ID number
    "mobile",  # mobile phone number
    "phone",  # any phone number (landline or mobile)
    "uscc",  # GB 32100 unified social credit code
    "site_reg",  # religious-site registration number 宗场证字(渝)F000140001
    "ref",  # the UUID of a record of another ledger (``ref`` names it)
    "village",  # 12-digit village/community code of the record's county
]


@dataclass(frozen=True)
class Field:
    """One field of a ledger or sub-record."""

    name: str  # column name in the store, English snake_case
    label: str  # Chinese label shown everywhere
    type: FieldType = "text"
    code: str | None = None  # code table name for code / codes
    required: bool = False
    ref: str | None = None  # ledger name for type "ref"
    max_len: int | None = None
    sensitive: bool = False  # masked for roles without full access; never logged
    search: bool = False  # part of the free-text search
    filter: bool = False  # offered in the filter bar
    sortable: bool = True
    in_table: bool = True  # shown as a column of the ledger's table
    width: int = 8  # typical width in characters, for tables, Excel and PDF
    aliases: tuple[str, ...] = ()  # other headers seen in offices' spreadsheets
    help: str = ""  # a hint shown beside the input
    default: str | None = None  # the value a new record gets when none is given (status fields)
    # a cell merged down over several rows (a township's people, a unit's staff) holds the
    # value of every row it covers; other merged cells count for their first row only
    fill_merged: bool = False

    @property
    def is_code(self) -> bool:
        return self.type in ("code", "codes")


@dataclass(frozen=True)
class SubLedger:
    """Rows that belong to one record of a ledger (e.g. a person's trainings)."""

    name: str  # table name, e.g. "rep_arrangements"
    label: str
    fields: tuple[Field, ...]
    order_by: str | None = None  # field that orders the rows (a date, usually)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Ledger:
    """One of the ledgers: its fields, sub-records and habits."""

    name: str  # e.g. "representatives" — also the table name
    label: str  # e.g. "代表人士"
    title: str  # the field that names a record (姓名, 名称, 题目)
    fields: tuple[Field, ...]
    subs: tuple[SubLedger, ...] = ()
    person: bool = False  # listed 按姓氏笔画 by default
    date_field: str | None = None  # the date that places a record in a month
    match_keys: tuple[tuple[str, ...], ...] = ()  # import matching, in order of preference
    attachments: tuple[str, ...] = ()  # kinds of attachment a record may hold
    unit: str = "条"  # counting word: 人, 个, 件, 条
    # What a township installation may change of a record the county set up (fields and
    # sub-records by name); None: everything. A township then creates and deletes none.
    township_scope: tuple[str, ...] | None = None

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def sub(self, name: str) -> SubLedger:
        for s in self.subs:
            if s.name == name:
                return s
        raise KeyError(name)

    @functools.cached_property  # asked for once per row written
    def search_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.search)

    @functools.cached_property  # asked for once per row written
    def filter_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.filter)

def defaults_of(desc) -> dict[str, str]:
    """``{field: default}`` of a ledger's or sub-record's fields that have one: what the form
    shows on a new record, and what the store writes where a record (typed, imported, or
    received in a package) leaves the field empty."""
    return {f.name: f.default for f in desc.fields if f.default is not None}


TOWNSHIP_LABEL = "所属乡镇"
BULK_FIELDS = ("status", "kinds")  # 批量修改 sets these (and 所属乡镇) on many records at once
COUNTY_KEY = "county"  # how the county itself appears where a township code would
