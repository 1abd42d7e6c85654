"""Importing a roster: open the file and find its table, check EVERY row, then write.

``open_source`` reads the sheet and guesses the mapping; ``run_import`` is a generator
yielding ``(done, total, message)`` that returns an ``ImportReport``. Nothing is committed
until every row has been checked: the rows go into one transaction as they are checked
(a large file is checked on two cores, see ``parallel_check``), and a problem in any row
(unless ``skip_invalid``), an error or a Cancel rolls it back, leaving the database as it was.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import weakref
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import ledger as get_ledger
from ..domain.errors import UfError
from ..domain.model import Field, Ledger
from ..domain.validate import _cross_rules as cross_rules  # the rules relating two fields
from ..domain.validate import check_field, complete, completed_from
from ..gcpause import paused_gc
from ..services.audit import mask
from ..services.progress import drain as _drain
from . import normalize as N
from .mapping import EMPLOYER_POSITION, TOWNSHIP, UUID, mapping_for, remember
from .merged import merged_fills
from .nesting import nester_for
from .table_find import (
    find_table,
    is_blank_row,
    is_footer_row,
    is_serial_header,
    is_total_row,
    join_subheader,
    page_row_kind,
)
from .xlsx_read import SpreadsheetError, read_sheet, read_sheets

DEFER_INDEXES_FROM = 5000  # new rows from which indexes are rebuilt after the insert, not kept up row by row
_MASKED = re.compile(r"[0-9Xx]{3,4}\*{3,}[0-9Xx]{4}")  # services.audit.mask of an ID or phone number
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class ImportRefused(UfError):
    pass


@dataclass
class Problem:
    row: int  # spreadsheet row number as the user sees it
    column: str  # the column's header (or the field's label when the column is missing)
    value: str  # the value as shown (masked for ID and phone numbers)
    message: str

    def line(self) -> str:
        shown = f"“{self.value}”" if self.value != "" else "（空）"
        sheet = getattr(self.row, "sheet", "")  # a workbook of one sheet per township
        return f"{f'工作表“{sheet}”' if sheet else ''}第{self.row}行 {self.column}{shown}：{self.message}"


@dataclass
class Source:
    """A sheet opened for import, its header row and the column mapping."""

    path: Path
    ledger: Ledger
    sheet: str
    sheets: list[str]
    rows: list[list]
    first_row: int
    header_index: int
    headers: list[str]
    mapping: list[str | None]
    remembered: bool = False
    # parallel_check.Starting, begun while reading; the first import takes it, and a source
    # dropped unused stops it (weakref.finalize in _find_source)
    helper: object = field(default=None, repr=False, compare=False)

    merges: list = field(default_factory=list, repr=False)  # the sheet's merged ranges (xlsx_read.Sheet)
    notes: list[str] = field(default_factory=list)  # what reading left out (far-away cells …)
    header_words: set[str] = field(default_factory=set)  # both rows of a two-row header
    parts: list = field(default_factory=list)  # township_sheets.Part of each sheet read (one sheet per township)

    def number(self, i: int) -> int:
        """The spreadsheet row number of ``rows[i]`` (a SheetRow naming its sheet when there are several)."""
        if len(self.parts) < 2:
            return self.first_row + i
        from .township_sheets import SheetRow

        part = next(p for p in reversed(self.parts) if p.offset <= i)
        start = part.first_row if part.offset else self.first_row
        return SheetRow(start + i - part.offset, part.sheet)

    def rows_text(self, a: int, b: int | None = None) -> str:
        """第a–b行 of rows[a..b], with the sheet's name when there are several sheets."""
        na = self.number(a)
        nb = na if b is None else self.number(b)
        sheet = getattr(na, "sheet", "")
        span = f"{na}" if nb == na else f"{na}–{nb}"
        return f"{f'工作表“{sheet}”' if sheet else ''}第{span}行"

    @property
    def header_row(self) -> int:
        return self.first_row + self.header_index

    def data_rows(self) -> list[tuple[int, list]]:
        """``(spreadsheet row, cells)`` of the data rows: blank, total, footer, note and repeated
        page rows (title, unit, date, header) left out; merged cells of the columns whose field
        says so filled over the rows they cover. ``layout_notes`` says what was done."""
        return self._layout()[0]

    def layout_notes(self) -> list[str]:
        """Everything the reader skipped or filled, for the check report: nothing happens silently."""
        return [*self.notes, *self._layout()[1]]

    def _layout(self) -> tuple[list[tuple[int, list]], list[str]]:
        key = tuple(self.mapping)
        cached = self.__dict__.get("_layout_cache")
        if cached is not None and cached[0] == key:
            return cached[1]
        fills, notes = merged_fills(self)
        serial = {i for i, h in enumerate(self.headers) if is_serial_header(h)}
        titles = {N.plain_text(c).replace(" ", "").replace("\u3000", "") for row in self.rows[: self.header_index]
                  for c in row if isinstance(c, str) and c.strip()}
        out, skipped = [], {}
        for i in range(self.header_index + 1, len(self.rows)):
            row = self.rows[i]
            if i in fills:
                row = list(row)
                for c, value in fills[i]:
                    row[c] = value
            why = None
            if is_total_row(row):
                why = "合计行"
            elif is_blank_row(row, serial):
                continue
            elif is_footer_row(row):
                why = "表尾（填表人、审核人、说明等）"
            elif self._repeats_header(row):
                why = "重复的表头"
            else:
                kind = page_row_kind(row, titles)
                if kind:
                    why = f"重复的{kind}行"
            number = self.number(i)
            if why:
                skipped.setdefault((why, getattr(number, "sheet", "")), []).append(number)
                continue
            out.append((number, row))
        for (why, sheet), numbers in skipped.items():
            where = f"工作表“{sheet}”" if sheet else ""
            notes.append(f"{where}第{_row_list(numbers)}行是{why}，未作为数据导入")
        self.__dict__["_layout_cache"] = (key, (out, notes))
        return out, notes

    def _repeats_header(self, row: list) -> bool:
        """A header repeated on a later page of a printed roster."""
        first = next((c for c in row if c is not None and c != "" and not N.is_blank(c)), None)
        if not isinstance(first, str) or N.plain_text(first).replace(" ", "") not in self._header_set:
            return False
        cells = [N.plain_text(c).replace(" ", "") for c in row if not N.is_blank(c)]
        return len(cells) >= 2 and all(c in self._header_set for c in cells)

    @functools.cached_property
    def _header_set(self) -> set[str]:
        return set(self.headers) | self.header_words


def _row_list(numbers: list[int]) -> str:
    """4、5、6、9 → 4–6、9"""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return "、".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)


def open_source(path, ledger_name: str, *, sheet: str | None = None, store=None) -> Source:
    """Open ``path`` and find the ledger's table: in ``sheet``, or the first sheet that has one."""
    lg = get_ledger(ledger_name)
    path = Path(path)
    names: list[str] = []  # the workbook's visible sheets, filled as it is opened
    helper = _start_helper(path)
    try:
        with paused_gc():
            return _find_source(path, lg, names, sheet, store, helper)
    except BaseException:
        if helper is not None:
            helper.close()
        raise


def _start_helper(path: Path):
    """For a large file, start the helper process and load the sort-key tables now, while
    calamine reads the file on its own core (it does not hold the GIL)."""
    from . import parallel_check

    try:
        large = path.stat().st_size >= parallel_check.HELPER_FILE_BYTES
    except OSError:
        return None
    if not large or not parallel_check.wanted():
        return None
    return parallel_check.Starting()


def _find_source(path: Path, lg: Ledger, names: list[str], sheet: str | None, store, helper) -> Source:
    candidates = [read_sheet(path, sheet, visible=names)] if sheet else read_sheets(path, visible=names)
    for sh in candidates:
        table = find_table(sh.rows, lg)
        if table is None:
            if sheet:
                raise SpreadsheetError(f"工作表“{sh.name}”的前30行中找不到{lg.label}的表头（如“{_example_headers(lg)}”）")
            continue
        table, joined, words = join_subheader(sh.rows, table, sh.merges, lg, sh.first_row)
        from .township_sheets import add_township_column, combine

        combined = None if sheet else combine(path, lg, sh, table, names, store, read_sheet)
        rows, merges, parts, more = combined or (sh.rows, sh.merges, [], [])
        mapping, known = mapping_for(store, lg, table.headers)
        name = sh.name if len(parts) < 2 else f"{sh.name}等{len(parts)}个工作表"
        source = Source(path, lg, name, names, rows, sh.first_row, table.header_index, list(table.headers), mapping,
                        known, helper, merges, [*sh.notes, *([joined] if joined else []), *more], words, parts)
        said = add_township_column(source, store)
        if said:
            source.notes.append(said)
        if helper is not None:  # a wizard that picks another file, or closes, drops the source: stop its helper
            weakref.finalize(source, helper.close)
        return source
    raise SpreadsheetError(f"{path.name} 中找不到{lg.label}的表头（如“{_example_headers(lg)}”）：请确认选择了正确的台账和文件")


def _example_headers(lg: Ledger) -> str:
    return "、".join(f.label for f in lg.fields[:4])


# -- checking rows ------------------------------------------------------------------------------
@dataclass
class Row:
    number: int
    cells: list
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    existing: str | None = None  # uuid of the record this row matches
    keys: dict | None = None  # search text and sort keys, computed while checking when the row will be written
    notes: list[str] = field(default_factory=list)  # what cleaning changed that the clerk should know


@dataclass
class ImportReport:
    ledger: str
    total: int = 0  # data rows
    new: int = 0
    existing: int = 0
    updated: int = 0
    rejected: int = 0
    subs: int = 0  # sub-record rows (trainings …) from the extra sheets of a full export
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    rejects_path: Path | None = None
    helper_rows: int = 0  # rows the helper process checked (see parallel_check)
    notes: list[str] = field(default_factory=list)  # rows skipped, merged cells filled, values cleaned

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        head = "检查完毕（未写入）" if self.dry_run else ("导入完成" if self.written else "未导入（数据库未作任何修改）")
        text = f"{head}：共{self.total}行，新增{self.new}，已存在{self.existing}，更新{self.updated}，拒收{self.rejected}"
        if self.subs:
            text += f"，另有明细{self.subs}条"
        if self.problems:
            text += f"，发现问题{len(self.problems)}处"
        if self.rejects_path:
            text += f"；被拒收的行已写入 {self.rejects_path}"
        return text


def _shown(f: Field | None, raw) -> str:
    if N.is_blank(raw):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = N.excel_digits(raw)
    text = raw.isoformat() if isinstance(raw, (dt.date, dt.datetime)) else str(raw).strip()
    if f is None:
        return text[:40]
    if f.type == "idcard":
        return mask(re.sub(r"\s", "", text), "idcard")
    if f.type in ("mobile", "phone") or f.sensitive:
        return mask(re.sub(r"\s", "", text), "mobile")
    return text[:40]


_CONVERTED_ONCE = frozenset({"code", "codes", "date", "bool", "int", "decimal"})  # a village depends on the township
_CACHED_TYPES = _CONVERTED_ONCE | {"village"}
_MISSING = object()

# How a mapped column's cells are turned into a value (see ``Checker._plan``).
_ONCE, _VILLAGE, _TEXT, _NAME, _EACH, _UUID_COL, _EMPLOYER_POSITION, _CONTACT = range(8)
LANDLINE = "landline"  # 固定电话: where a 手机/联系电话 column's landline numbers go


class _Column:
    __slots__ = ("index", "name", "header", "field", "kind", "cache", "limit")

    def __init__(self, index: int, name: str, header: str, f: Field | None, kind: int):
        self.index, self.name, self.header, self.field, self.kind = index, name, header, f, kind
        self.cache: dict = {}  # cell → (value, conversion problem, check problem) for _ONCE and _VILLAGE
        self.limit = f.max_len if f is not None and f.type in ("text", "memo") else None


@dataclass
class CheckSetup:
    """What checking a row needs, as plain data: the helper process gets a copy."""

    ledger: str
    headers: list[str]
    mapping: list[str | None]
    codes: object  # CodeBook
    townships: list[tuple[str, str]]
    county_name: str
    villages: list[tuple[str, str, str]]
    county_code: str | None
    default_township: str | None

    @classmethod
    def of(cls, store, source: Source) -> CheckSetup:
        return cls(source.ledger.name, list(source.headers), list(source.mapping), store.codebook(),
                   list(store.townships()), store.county_name, list(store.villages()), store.county_code,
                   store.township)


class Checker:
    """Turns the cells of one row into field values and problems; built once per import.

    50,000 rows go through ``check``, so each mapped column is planned once: a code, date or
    yes/no column converts each distinct cell value once; a text column skips the checks it
    cannot fail; a value's check is remembered where it depends on nothing else in the row.
    """

    def __init__(self, setup: CheckSetup):
        self.setup = setup
        self.lg = get_ledger(setup.ledger)
        self.codes = setup.codes
        self.townships = N.Townships(setup.townships, setup.county_name)
        self.villages = N.Villages(setup.villages)
        self.county_code = setup.county_code
        self.default_township = setup.default_township
        self.columns = [(i, name, setup.headers[i]) for i, name in enumerate(setup.mapping) if name]
        self.column_of = {name: header for _, name, header in self.columns}
        if EMPLOYER_POSITION in self.column_of:
            self.column_of.setdefault("employer", self.column_of[EMPLOYER_POSITION])
            self.column_of.setdefault("position", self.column_of[EMPLOYER_POSITION])
        self.index_of: dict[str, int] = {}
        for i, name, _ in self.columns:
            self.index_of.setdefault(name, i)
        self.fields = {f.name: f for f in self.lg.fields}
        self.seen_ids: dict[str, int] = {}
        self.required = [f for f in self.lg.fields if f.required]
        self.township_index = self.index_of.get(TOWNSHIP)
        self.township_cache: dict = {}
        self.plan = self._plan()
        self.checks: dict[str, Callable[[object, dict], str | None]] = {
            f.name: self._check_for(f) for f in self.lg.fields}
        self.has_ids = "id_number" in self.fields
        self.helper_rows = 0
        # Checked after the cells of a row are converted (the ID number against 出生年月 and 性别).
        self.each_checks = [(col.name, self.checks[col.name]) for col in self.plan if col.kind == _EACH]
        self.required_names = [f.name for f in self.required]

    @classmethod
    def for_source(cls, services, source: Source) -> Checker:
        return cls(CheckSetup.of(services.store, source))

    def _plan(self) -> list[_Column]:
        plan = []
        for i, name, header in self.columns:
            if name == TOWNSHIP:
                continue
            if name == UUID:
                plan.append(_Column(i, name, header, None, _UUID_COL))
                continue
            if name == EMPLOYER_POSITION:
                plan.append(_Column(i, name, header, None, _EMPLOYER_POSITION))
                continue
            f = self.fields[name]
            t = f.type
            if t in _CONVERTED_ONCE:
                kind = _ONCE
            elif t == "village":
                kind = _VILLAGE
            elif name == self.lg.title and self.lg.person:
                kind = _NAME
            elif t == "mobile" and LANDLINE in self.fields:
                kind = _CONTACT  # 联系电话 holds either: sorted by content
            elif t in _SPECIAL_TYPES:
                kind = _EACH
            else:
                kind = _TEXT
            plan.append(_Column(i, name, header, f, kind))
        return plan

    def _check_for(self, f: Field) -> Callable[[object, dict], str | None]:
        """The check of a present (non-blank) value of ``f``: ``domain.validate.check_field``."""
        codes, county = self.codes, self.county_code
        if f.type in ("text", "memo"):  # always text here: only the length can be wrong
            limit = f.max_len

            def check_text(value, values):
                return f"不能超过{limit}个字" if limit and len(value) > limit else None

            return check_text
        if f.type in _CACHED_TYPES:  # depends on the value alone: checked once per distinct value
            seen: dict = {}

            def check_once(value, values):
                msg = seen.get(value, _MISSING)
                if msg is _MISSING:
                    msg = seen[value] = check_field(f, value, codes, values, county)
                return msg

            return check_once

        def check_each(value, values):
            return check_field(f, value, codes, values, county)

        return check_each

    def missing_columns(self) -> list[str]:
        mapped = set(self.column_of)
        derived = {k for k, src in completed_from(self.lg).items() if src in mapped}  # 年度 from 完成时限
        return [f.label for f in self.lg.fields if f.required and f.name not in mapped and f.name not in derived]

    def convert(self, f: Field, raw, township):
        t = f.type
        if t == "code":
            return N.code(raw, self.codes, f.code)
        if t == "codes":
            return N.codes_multi(raw, self.codes, f.code)
        if t == "date":
            return N.date(raw)
        if t == "idcard":
            return N.id_number(raw)
        if t in ("mobile", "phone"):
            return N.phone(raw)
        if t == "int":
            return N.integer(raw)
        if t == "decimal":
            return N.decimal(raw)
        if t == "bool":
            return N.boolean(raw)
        if t in ("uscc", "site_reg"):
            return N.ascii_text(raw).replace(" ", "").upper() if t == "uscc" else N.ascii_text(raw), None
        if t == "village":
            return self.villages.find(raw, township)
        if t == "ref":
            text = N.ascii_text(raw).lower()
            return (text, None) if _UUID.match(text) else (None, "应为记录编号")
        if f.name == self.lg.title and self.lg.person:
            return N.person_name(raw)
        return N.text(raw)

    def validate(self, values: dict) -> dict[str, str]:
        """``domain.validate.problems`` for one row, field by field: a blank optional field has
        no problem, and a value checked once (a code, a date) need not be checked again."""
        found = {f.name: "必填" for f in self.required if N.is_blank(values.get(f.name))}
        checks = self.checks
        for name, value in values.items():
            check = checks.get(name)
            if check is None or name in found:
                continue
            msg = check(value, values)
            if msg:
                found[name] = msg
        for name, msg in cross_rules(self.lg, values).items():
            found.setdefault(name, msg)
        return found

    def _township(self, raw):
        """``(code, problem)`` of a 所属乡镇 cell (None for the county itself); None when blank."""
        key = (raw.__class__, raw)
        hit = self.township_cache.get(key, _MISSING)
        if hit is _MISSING:
            hit = self.township_cache[key] = None if N.is_blank(raw) else self.townships.find(raw)
        return hit

    def check(self, number: int, cells: list, ids: bool = True) -> Row:
        """One row's values and problems; ``ids=False`` leaves the same-ID-twice check to the caller."""
        row = Row(number, cells)
        values = row.values
        problems = row.problems
        bad: set[str] = set()
        dirty = False  # a converted value that fails its check: validate() says which, in order
        width = len(cells)
        township = self.default_township
        ti = self.township_index
        if ti is not None and ti < width and cells[ti] is not None:
            hit = self._township(cells[ti])
            if hit is not None:
                township, msg = hit
                if msg:
                    problems.append(Problem(number, self.column_of[TOWNSHIP], _shown(None, cells[ti]), msg))
        values["township"] = township
        for col in self.plan:
            i = col.index
            raw = cells[i] if i < width else None
            if raw is None or raw == "":
                continue
            kind = col.kind
            if kind == _TEXT:  # a blank cell gives "": nothing to keep, as if skipped
                value = N.plain_text(raw)
                if value:
                    values[col.name] = value
                    if col.limit and len(value) > col.limit:
                        dirty = True
                continue
            if kind == _ONCE or kind == _VILLAGE:  # a village's value depends on the row's township too
                if kind == _VILLAGE:
                    key = (raw, township)
                else:
                    key = raw if raw.__class__ is not bool else (bool, raw)
                hit = col.cache.get(key)
                if hit is None:
                    hit = col.cache[key] = self._convert_once(col, raw, township)
                value, msg, checked = hit
                dirty = dirty or checked is not None
            elif kind == _NAME:
                value, msg = N.person_name(raw)
                if col.limit and len(value) > col.limit:
                    dirty = True
            else:
                if N.is_blank(raw):
                    continue
                if kind == _EACH or kind == _CONTACT:
                    if raw.__class__ is str and "*" in raw and _MASKED.fullmatch(N.ascii_text(raw).replace(" ", "")):
                        # as the default export masks it: the stored number stays, never overwritten with stars
                        row.notes.append(f"“{col.header}”中部分隐藏的号码（如默认导出的）不导入，已有记录的号码保持不变")
                        continue
                if kind == _CONTACT:
                    value, msg = self._contact(col, raw, values, row)
                elif kind == _EACH:
                    value, msg = self.convert(col.field, raw, township)
                    if col.field.type == "idcard" and not msg:
                        self._id_notes(col, raw, value, row)
                elif kind == _UUID_COL:
                    text = N.ascii_text(raw).lower()
                    if _UUID.match(text):
                        values["uuid"] = text
                    continue
                else:  # _EMPLOYER_POSITION
                    employer, position = split_employer_position(N.plain_text(raw))
                    values.setdefault("employer", employer)
                    if position:
                        values.setdefault("position", position)
                    dirty = True  # their lengths are checked by validate()
                    continue
            if msg:
                bad.add(col.name)
                problems.append(Problem(number, col.header, _shown(col.field, raw), msg))
            elif value is not None and value != "":
                values[col.name] = value
        complete(self.lg, values)  # what other fields say (a task's 年度 from its 完成时限)
        if not (problems or dirty) and self._clean(values):
            if self.has_ids and ids:
                self.check_duplicate(row)
            return row  # the common case: no problem, and nothing more to do
        for name, msg in self.validate(values).items():
            if name in bad:
                continue
            f = self.fields.get(name)
            header = self.column_of.get(name) or (f.label if f else name)
            i = self.index_of.get(name)
            raw = cells[i] if i is not None and i < width else values.get(name)
            problems.append(Problem(number, header, _shown(f, raw), msg))
        if self.has_ids and ids:
            self.check_duplicate(row)
        return row

    def _contact(self, col: _Column, raw, values: dict, row: Row) -> tuple[str | None, str | None]:
        """A 手机 or 联系电话 cell: ``(mobile number, problem)``; a landline number in it goes to
        固定电话 (unless the file's own 固定电话 column gives one), and the check report says so."""
        mobiles, landlines, ok = N.contact_numbers(raw)
        if not ok or (not mobiles and not landlines):
            return None, "电话号码格式不正确（手机11位，固话如 0830-1234567）"
        if len(mobiles) > 1 or len(landlines) > 1:
            return None, "一格中有多个手机号码或多个固定电话号码，请只留一个（另一个可填入“固定电话”或“备注”）"
        if landlines:
            if values.get(LANDLINE) in (None, ""):
                values[LANDLINE] = landlines[0]
                row.notes.append(f"“{col.header}”中的固定电话号码已存入“固定电话”")
        return (mobiles[0] if mobiles else None), None

    def _id_notes(self, col: _Column, raw, value, row: Row) -> None:
        """What cleaning an ID number changed, for the check report (never the number itself)."""
        text = raw if raw.__class__ is str else None
        if text is not None and N.has_hidden(text):
            row.notes.append(f"第{row.number}行 {col.header}“{_shown(col.field, value)}”中有不可见的字符，已删除")
        digits = N.ascii_text(raw).replace(" ", "") if text is not None else (
            N.excel_digits(raw) if isinstance(raw, (int, float)) and float(raw).is_integer() else "")
        if len(digits) == 15 and digits.isdigit():
            row.notes.append(f"第{row.number}行 {col.header}是15位旧号码，已按规则升为18位“{_shown(col.field, value)}”"
                             "（出生年份前补19，末位补校验码）")

    def _convert_once(self, col: _Column, raw, township) -> tuple:
        """``(value, conversion problem, check problem)`` of a cell whose value depends on the
        cell alone (and for a village, the township): worked out once per distinct cell."""
        if N.is_blank(raw):
            return None, None, None
        value, msg = self.convert(col.field, raw, township)
        checked = None
        if not msg and value is not None and value != "":
            checked = self.checks[col.name](value, {})
        return value, msg, checked

    def _clean(self, values: dict) -> bool:
        """No problem left to find in a row whose cells all converted and passed the checks
        made while converting: required fields, the per-row checks, and the cross-field rules."""
        for name in self.required_names:
            if N.is_blank(values.get(name)):
                return False
        for name, check in self.each_checks:
            value = values.get(name)
            if value is not None and check(value, values):
                return False
        return not cross_rules(self.lg, values)

    def check_duplicate(self, row: Row) -> None:
        """The same ID number on an earlier row of the file (rows are given in file order)."""
        id_no = row.values.get("id_number")
        if id_no:
            first = self.seen_ids.setdefault(id_no, row.number)
            if first != row.number or getattr(first, "sheet", "") != getattr(row.number, "sheet", ""):
                sheet = getattr(first, "sheet", "")
                where = f"工作表“{sheet}”" if sheet and sheet != getattr(row.number, "sheet", "") else ""
                row.problems.append(Problem(row.number, self.column_of.get("id_number", "身份证号"), mask(id_no),
                                            f"与{where}第{first}行的身份证号相同（同一人重复录入？）"))


_SPECIAL_TYPES = frozenset({"idcard", "mobile", "phone", "uscc", "site_reg", "ref"})


_POSITION_WORDS = ("董事长", "总经理", "副总经理", "经理", "主任", "副主任", "院长", "副院长", "校长", "副校长", "局长",
                   "副局长", "会长", "副会长", "主席", "副主席", "书记", "副书记", "所长", "科长", "馆长", "站长", "部长",
                   "厂长", "总监", "理事长", "秘书长", "负责人", "教师", "医生", "医师", "律师", "会计师", "工程师",
                   "教授", "副教授", "主治医师", "主任医师", "职工", "员工", "干部", "村医", "法定代表人", "执行董事",
                   "监事", "委员", "住持", "会计", "护士", "记者", "编辑", "研究员")


def split_employer_position(text: str) -> tuple[str, str]:
    """“县人民医院 副院长” or “县人民医院副院长” → (县人民医院, 副院长)."""
    parts = re.split(r"[\s、，,/；;]+", text, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        return parts[0], parts[1]
    best = None
    for word in _POSITION_WORDS:
        pos = text.rfind(word)
        if pos > 0 and pos + len(word) == len(text):
            start = pos
            while start > 0 and text[start - 1] in "副常务执行名誉":
                start -= 1
            if best is None or start < best:
                best = start
    if best:
        return text[:best], text[best:]
    return text, ""


# -- matching existing records ------------------------------------------------------------------
def _key_value(v):
    if isinstance(v, str):
        return v.strip()
    return v


class Matcher:
    """Finds the record a row matches by the ledger's match keys, in order of preference."""

    def __init__(self, conn, lg: Ledger):
        import sqlalchemy as sa

        from ..store.schema import LEDGER_TABLES

        t = LEDGER_TABLES[lg.name]
        self.keys = lg.match_keys
        cols = sorted({c for key in self.keys for c in key} | {"uuid"})
        self.by_key: list[dict] = [{} for _ in self.keys]
        self.uuids: set[str] = set()
        for r in conn.execute(sa.select(*[t.c[c] for c in cols]).where(t.c.deleted.is_(False))).mappings():
            self.uuids.add(r["uuid"])
            for i, key in enumerate(self.keys):
                if not any(r[c] in (None, "") for c in key if c != "township"):
                    self.by_key[i].setdefault(tuple(_key_value(r[c]) for c in key), r["uuid"])

    def find(self, values: dict) -> str | None:
        if not self.uuids:  # an empty ledger (a first import): nothing to match
            return None
        if values.get("uuid") in self.uuids:
            return values["uuid"]
        for i, key in enumerate(self.keys):
            if any(values.get(c) in (None, "") for c in key if c != "township"):
                continue
            found = self.by_key[i].get(tuple(_key_value(values.get(c)) for c in key))
            if found:
                return found
        return None


# -- the import ---------------------------------------------------------------------------------
Progress = Generator[tuple[int, int, str], None, ImportReport]


def run_import(services, source: Source, *, dry_run: bool = False, skip_invalid: bool = False,
               update: bool = False, rejects: str | Path | None = None, remember_mapping: bool = True) -> Progress:
    """Check every row, then (unless a dry run, or refused) write them in one transaction."""
    with paused_gc():
        return (yield from _run_import(services, source, dry_run=dry_run, skip_invalid=skip_invalid, update=update,
                                       rejects=rejects, remember_mapping=remember_mapping))


class _Refused(Exception):
    """Raised inside the write transaction to roll it back: some row has a problem."""


def _run_import(services, source: Source, *, dry_run: bool, skip_invalid: bool, update: bool,
                rejects: str | Path | None, remember_mapping: bool) -> Progress:
    """A dry run checks every row and reports. An import opens its transaction first and writes
    each chunk of rows as soon as it and every chunk above it are checked, while the helper
    process checks further chunks; when all rows are checked, a problem in any row (unless
    ``skip_invalid``) rolls the whole transaction back: nothing is written, as before."""
    from . import parallel_check

    lg = source.ledger
    starting, source.helper = source.helper, None  # a helper serves one check
    helper = starting.get() if starting is not None else None
    began = False  # past the permission check: an import that then fails leaves an audit row
    try:
        services.require("import")
        if lg.township_scope is not None and services.store.township is not None:
            raise ImportRefused(f"{lg.label}由县委统战部下达，乡镇不能导入；县里的{lg.label}随数据包下发，"
                                "乡镇在本机填报进展即可")
        began = not dry_run
        checker = Checker.for_source(services, source)
        missing = checker.missing_columns()
        if missing:
            raise ImportRefused(f"表中找不到必填的列：{'、'.join(missing)}（表头在第{source.header_row}行）。"
                                "请在表头中加上这些列，或在导入向导中指定对应的列")
        data = source.data_rows()
        if helper is None and len(data) >= parallel_check.PARALLEL_FROM:
            helper = parallel_check.start_helper()
        # progress: one step a row checked (and written), and a quarter as much again for what
        # follows the rows (rebuilding indexes, sub-records, updates)
        total = len(data) if dry_run else len(data) + len(data) // 4
        total = total or 1
        if dry_run:
            with services.store.connect() as conn:
                matcher = Matcher(conn, lg)
            rows = yield from parallel_check.check_all(checker, data, with_keys=False, helper=helper, total=total)
            report, _ = _tally(checker, source, lg, rows, matcher, dry_run=True)
            return report
        try:
            with services.store.write(services.user) as (conn, ctx):
                report = yield from _write(services, source, checker, data, helper, conn, ctx, total,
                                           skip_invalid=skip_invalid, update=update, rejects=rejects)
                if remember_mapping:  # in the import's transaction: remembered only when it is written
                    remember(services.store, lg, source.headers, source.mapping, conn)
        except _Refused as refused:
            report = refused.args[0]
            _audit_unwritten(services, source, f"{report.rejected}行中发现问题{len(report.problems)}处，未写入")
            began = False
            return report
    except ImportRefused:
        if began:
            _audit_unwritten(services, source, "缺少必填的列，未写入")
        raise
    except BaseException as exc:  # Cancel (GeneratorExit), an error: the transaction rolled back
        if began:
            why = "已取消" if isinstance(exc, (GeneratorExit, KeyboardInterrupt)) else f"出错（{type(exc).__name__}）"
            _audit_unwritten(services, source, f"{why}，未写入")
        raise
    finally:
        if helper is not None:
            helper.close()
    report.written = True
    return report


def _audit_unwritten(services, source: Source, why: str) -> None:
    """The one row a refused, cancelled or failed import leaves: in the audit table alone
    (not through ``store.write``, which would advance the installation's counter)."""
    from ..services import audit

    try:
        with services.store.engine.begin() as conn:
            audit.write(conn, user=services.user, installation=(services.store.installation or {}).get("id"),
                        action="import_refused", ledger=source.ledger.name,
                        summary=f"导入{source.ledger.label}：{source.path.name}（{source.sheet}），{why}")
    except Exception:  # a read-only or full disk: the refusal itself was already said
        pass


def _tally(checker, source: Source, lg: Ledger, rows: list[Row], matcher: Matcher, *, dry_run: bool):
    """The report of checked rows (each matched to an existing record or not), and the
    sub-records (trainings …) of a full export's extra sheets."""
    from .xlsx_subs import check_subs

    report = ImportReport(lg.name, total=len(rows), dry_run=dry_run, helper_rows=checker.helper_rows,
                          notes=source.layout_notes())
    counts: dict[str, int] = {}  # the same note on many rows is said once, with how many
    if len(source.parts) > 1:  # rows the helper process checked came back with plain row numbers
        for row, (number, _) in zip(rows, source.data_rows(), strict=False):
            for p in row.problems:
                if p.row == number:
                    p.row = number
            row.number = number
    for row in rows:
        if dry_run:
            row.existing = matcher.find(row.values)
        report.problems.extend(row.problems)
        for note in row.notes:
            counts[note] = counts.get(note, 0) + 1
    report.notes.extend(note if n == 1 else f"{note}（共{n}行）" for note, n in counts.items())
    good = [r for r in rows if not r.problems]
    new_rows = [r for r in good if r.existing is None]
    subs, sub_problems = check_subs(checker, source, {r.values["uuid"] for r in new_rows if "uuid" in r.values},
                                    Problem)
    report.problems.extend(sub_problems)
    report.subs = sum(len(g.rows) for g in subs)
    report.new, report.existing = len(new_rows), len(good) - len(new_rows)
    report.rejected = len(rows) - len(good)
    return report, subs


def _write(services, source: Source, checker: Checker, data: list, helper, conn, ctx, total: int, *,
           skip_invalid: bool, update: bool, rejects) -> Progress:
    from ..services import audit
    from ..store import fastpath
    from ..store import records as R
    from ..store.schema import LEDGER_TABLES
    from . import parallel_check
    from .xlsx_subs import write_subs

    lg = source.ledger
    matcher = Matcher(conn, lg)
    defer = len(data) >= DEFER_INDEXES_FROM and len(data) > len(matcher.uuids)
    indexes = fastpath.drop_indexes(conn, LEDGER_TABLES[lg.name]) if defer else []
    refused = False
    nest = nester_for(lg, checker.column_of)  # 重点任务: parent tasks from nested 序号

    def write_chunk(rows: list[Row]) -> None:
        """Called with each checked chunk, in file order."""
        nonlocal refused
        new = []
        for row in rows:
            row.existing = matcher.find(row.values)
            if row.problems:
                refused = refused or not skip_invalid
            else:
                if nest is not None:
                    nest(row.values, row.existing)
                if row.existing is None:
                    new.append(row)
        if new and not refused:  # once refused, the transaction is rolled back: stop writing
            R.bulk_insert(conn, lg.name, [r.values for r in new], ctx, keys=[r.keys for r in new])

    rows = yield from parallel_check.check_all(checker, data, with_keys=True, helper=helper, total=total,
                                               on_chunk=write_chunk, verb="检查并写入")
    report, subs = _tally(checker, source, lg, rows, matcher, dry_run=False)
    bad = [r for r in rows if r.problems]
    if report.problems and not skip_invalid:  # a row's problem, or a sub-record's
        report.new = report.existing = report.subs = 0
        report.rejected = len(rows)
        raise _Refused(report)
    if bad:
        report.rejects_path = Path(rejects) if rejects else default_rejects_path(source.path)
        write_rejects(source, bad, report.rejects_path)
    done = len(data)
    if indexes:
        yield done, total, "正在重建索引…"
        for n, sql in enumerate(indexes, 1):
            fastpath.rebuild_index(conn, sql)
            yield done + (total - done) * n // (2 * len(indexes)), total, "正在重建索引…"
    if subs:
        yield done, total, "正在写入明细（培训、政治安排等）…"
        new_rows = [r for r in rows if not r.problems and r.existing is None]
        write_subs(conn, ctx, subs, {r.values["uuid"]: r.values.get("township") for r in new_rows
                                     if "uuid" in r.values})
    if update:
        old_rows = [r for r in rows if not r.problems and r.existing is not None]
        for n, row in enumerate(old_rows, 1):
            report.updated += _update_one(conn, ctx, services, lg, row, TOWNSHIP in checker.column_of)
            if n % 200 == 0:
                yield done + (total - done) * n // len(old_rows), total, f"正在更新第{n}/{len(old_rows)}条已有记录…"
    from .import_log import batch_of

    counts = {"file": source.path.name, "sheet": source.sheet, "new": report.new, "existing": report.existing,
              "updated": report.updated, "rejected": report.rejected, "subs": report.subs}
    audit.write(conn, user=services.user, installation=ctx.installation, action="import", ledger=lg.name,
                summary=f"导入{lg.label}：{source.path.name}（{source.sheet}），新增{report.new}，"
                        f"已存在{report.existing}，更新{report.updated}，拒收{report.rejected}，明细{report.subs}",
                details=json.dumps(counts, ensure_ascii=False), batch=batch_of(ctx.dot), at=ctx.now)
    return report


def _update_one(conn, ctx, services, lg: Ledger, row: Row, has_township: bool) -> int:
    """Update a matched record as a GUI edit would: versioned, clocked and audited. Only the
    columns the file has change (a file without 所属乡镇 leaves the record where it is)."""
    from ..services import audit
    from ..store import records as R

    changes = {k: v for k, v in row.values.items() if k != "uuid" and (k != "township" or has_township)}
    current = R.get_row(conn, lg.name, row.existing)
    before, diff = R.update(conn, lg.name, row.existing, changes, ctx, current=current)
    if not diff:
        return 0
    title = {**before, **changes}.get(lg.title) or ""
    audit.write(conn, user=services.user, installation=ctx.installation, action="update", ledger=lg.name,
                record=row.existing, summary=f"导入时修改{lg.label}：{title}",
                details=audit.diff_details(lg.name, diff), at=ctx.now)
    return 1


def default_rejects_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}_rejects.xlsx")


def write_rejects(source: Source, rows: list[Row], out: Path) -> Path:
    """The rejected rows with their original cells and a 错误原因 column: fix and import again."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from ..xlsx_cells import risky, safe_row, text_cell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(source.ledger.label[:31])
    ws.freeze_panes = "A2"
    width = len(source.headers)
    id_cols = {i for i, n in enumerate(source.mapping)
               if n and any(f.name == n and f.type in ("idcard", "mobile", "phone") for f in source.ledger.fields)}
    bold = Font(bold=True)
    header = []
    for h in [*source.headers, "错误原因"]:
        c = text_cell(ws, h) if risky(h) else WriteOnlyCell(ws, value=h)
        c.font = bold
        header.append(c)
    ws.append(header)
    for row in rows:
        cells = (list(row.cells) + [None] * width)[:width]
        for i in id_cols:
            v = cells[i]
            if isinstance(v, float) and v.is_integer():
                cells[i] = N.excel_digits(v)  # as Excel showed it, as text from now on
        cells = [None if (isinstance(v, str) and v == "") else v for v in cells]
        reasons = "；".join(f"{p.column}：{p.message}" for p in row.problems)
        ws.append(safe_row(ws, [*cells, reasons]))  # a cell typed "=1+1" comes back as that text
    out.parent.mkdir(parents=True, exist_ok=True)
    from ..paths import create_private

    create_private(out)  # the rows hold the supplier's values, ID numbers included
    wb.save(out)
    return out


def drain(gen: Progress, progress: Callable[[int, int, str], None] | None = None) -> ImportReport:
    """Run an import to its end (the command line's way); returns its report."""
    return _drain(gen, progress)


def import_file(services, ledger_name: str, path, *, sheet: str | None = None, **options) -> ImportReport:
    """Open, check and import in one call (tests and scripts)."""
    source = open_source(path, ledger_name, sheet=sheet, store=services.store)
    return drain(run_import(services, source, **options))

