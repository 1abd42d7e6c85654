"""Writing ledgers to xlsx (openpyxl write-only: rows stream to disk, memory stays flat) and
blank import templates with drop-down lists for code fields.

Headers are the fields' Chinese labels, code values their names, dates real dates, ID and
phone numbers text (masked unless full numbers were asked for and allowed). The columns are
those the import maps back, so an export imports again as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path

from ..domain import LEDGERS
from ..domain import ledger as get_ledger
from ..domain.codes import split_multi
from ..domain.model import TOWNSHIP_LABEL, Field, Ledger
from ..services.audit import MASKED_TYPES, mask
from ..xlsx_cells import safe_row, set_value
from .mapping import UUID_LABEL

PAGE = 2000
COUNTY_LABEL = "县直"
DATE_FORMAT = "yyyy-mm-dd"
TEMPLATE_ROWS = 2000  # rows of a template that carry the drop-down lists


@dataclass(frozen=True)
class Column:
    key: str  # field name, "township" or "uuid"
    label: str
    width: int
    field: Field | None = None


def columns(lg: Ledger, *, template: bool = False) -> list[Column]:
    out = []
    for f in lg.fields:
        if template and f.type == "ref":
            continue
        out.append(Column(f.name, f.label, f.width, f))
        if f.name == lg.title:
            out.append(Column("township", TOWNSHIP_LABEL, 8))
    if not template:
        out.append(Column("uuid", UUID_LABEL, 36))
    return out


def _excel_width(chars: int) -> float:
    return max(6.0, min(60.0, chars * 2.1 + 2))  # Chinese characters are two columns wide


def _col_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


class _Formatter:
    """Turns a stored row into the cells of an export row; built once per ledger."""

    def __init__(self, store, lg: Ledger, full_ids: bool):
        self.codes = store.codebook()
        self.townships = dict(store.townships())
        self.villages = {c: n for c, _, n in store.villages()}
        self.full = full_ids
        self.cols = columns(lg)

    def cells(self, row: dict) -> list:
        return [self.value(c, row.get(c.key)) for c in self.cols]

    def value(self, col: Column, v):
        if col.key == "township":
            return self.townships.get(v, v) if v else COUNTY_LABEL
        f = col.field
        if v is None or v == "" or f is None:
            return v
        t = f.type
        if t == "code":
            return self.codes.name_of(f.code, v)
        if t == "codes":
            return "、".join(self.codes.name_of(f.code, c) for c in split_multi(v))
        if t in MASKED_TYPES:
            return str(v) if self.full else mask(v, t)
        if t == "bool":
            return "是" if v else "否"
        if t == "village":
            return self.villages.get(v, v)
        if t == "date" and isinstance(v, dt.datetime):
            return v.date()
        return v


def export_xlsx(services, ledger_names: list[str] | str, path: str | Path, *, query=None,
                full_ids: bool = False, subs: bool = True) -> Generator[tuple[int, int, str], None, int]:
    """Write the ledgers (``"all"`` for every one) to ``path``, one sheet each; with ``query``,
    only the rows of that filtered view. Yields progress; returns the number of records."""
    from openpyxl import Workbook

    services.require("export")
    if full_ids:
        services.require("export_full_ids")
    names = list(LEDGERS) if ledger_names in ("all", ["all"]) else (
        [ledger_names] if isinstance(ledger_names, str) else list(ledger_names))
    lgs = [get_ledger(n) for n in names]
    from ..services.query import Query

    queries = [query if query is not None and query.ledger == lg.name else Query(lg.name) for lg in lgs]
    total = sum(services.count(q) for q in queries) or 1
    wb = Workbook(write_only=True)
    done = 0
    for lg, q in zip(lgs, queries, strict=True):
        ws = _start_sheet(wb, lg.label, columns(lg))
        fmt = _Formatter(services.store, lg, full_ids)
        offset = 0
        while True:
            page = services.page(q, offset, PAGE)
            if not page:
                break
            for row in page:
                ws.append(_row_cells(ws, fmt.cells(row)))
            offset += len(page)
            done += len(page)
            yield done, total, f"正在导出{lg.label}：{offset}条…"
    if subs and query is None:  # sub-records after the ledgers, one sheet each
        for lg in lgs:
            if lg.subs:
                yield done, total, f"正在导出{lg.label}的附属记录…"
                _write_subs(wb, services, lg, _Formatter(services.store, lg, full_ids))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    yield done, total, "正在保存文件…"
    from ..paths import create_private

    create_private(path)  # the sheet holds people's records: only its owner may read it
    wb.save(path)
    if full_ids:
        _audit_full(services, lgs, path, done)
    return done


def _start_sheet(wb, title: str, cols: list[Column]):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(title[:31])
    for i, c in enumerate(cols, 1):
        ws.column_dimensions[_col_letter(i)].width = _excel_width(c.width)
    ws.freeze_panes = "A2"
    _print_setup(ws)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    head = []
    for c in cols:
        cell = WriteOnlyCell(ws, value=c.label)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center", vertical="center")
        head.append(cell)
    ws.append(head)
    ws._ufdesk_date_cols = {i for i, c in enumerate(cols) if c.field is not None and c.field.type == "date"}
    return ws


def _print_setup(ws) -> None:
    """A4 landscape, all columns on one page width, the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _row_cells(ws, values: list) -> list:
    """Dates need a cell with a number format; everything else goes in as a plain value."""
    dates = ws._ufdesk_date_cols
    if not dates:
        return safe_row(ws, values)
    from openpyxl.cell import WriteOnlyCell

    out = list(values)
    for i in dates:
        if isinstance(out[i], dt.date):
            cell = WriteOnlyCell(ws, value=out[i])
            cell.number_format = DATE_FORMAT
            out[i] = cell
    return safe_row(ws, out)


def _write_subs(wb, services, lg: Ledger, fmt: _Formatter) -> None:
    """Sub-records (trainings, arrangements …) as extra sheets, each row naming its record."""
    import sqlalchemy as sa

    from ..store.schema import LEDGER_TABLES, SUB_TABLES

    t = LEDGER_TABLES[lg.name]
    for sub in lg.subs:
        st = SUB_TABLES[sub.name]
        cols = [Column("_parent_title", f"{lg.label}{lg.field(lg.title).label}", 10),
                *[Column(f.name, f.label, f.width, f) for f in sub.fields],
                Column("_parent", "所属记录编号", 36)]
        ws = None
        with services.store.connect() as conn:
            stmt = (sa.select(st, t.c[lg.title].label("_parent_title"))
                    .join(t, t.c.uuid == st.c.parent)
                    .where(st.c.deleted.is_(False), t.c.deleted.is_(False))
                    .order_by(t.c.id, st.c.id))
            for r in conn.execute(stmt).mappings():
                if ws is None:
                    ws = _start_sheet(wb, f"{lg.label}-{sub.label}", cols)
                row = dict(r)
                row["_parent"] = row["parent"]
                ws.append(_row_cells(ws, [row.get(c.key) if c.field is None else fmt.value(c, row.get(c.key))
                                          for c in cols]))


def _audit_full(services, lgs: list[Ledger], path: Path, count: int) -> None:
    from ..services import audit

    with services.store.write(services.user) as (conn, ctx):
        audit.write(conn, user=services.user, installation=ctx.installation, action="export_full_ids",
                    ledger=lgs[0].name if len(lgs) == 1 else None,
                    summary=f"导出含完整身份证号、电话的表格：{'、'.join(lg.label for lg in lgs)}，{count}条，文件 {path.name}",
                    at=ctx.now)


# -- blank templates ------------------------------------------------------------------------------
def write_template(lg_name: str, path: str | Path, *, codes=None, townships: list[tuple[str, str]] | None = None) -> Path:
    """A blank import template: headers (required ones marked), widths, text-formatted ID
    columns and drop-down lists for code fields and the township (lists on a hidden sheet)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..domain.codes import CodeBook

    lg = get_ledger(lg_name)
    codes = codes or CodeBook.defaults()
    cols = columns(lg, template=True)
    wb = Workbook()
    ws = wb.active
    ws.title = lg.label
    lists = wb.create_sheet("代码表")
    lists.sheet_state = "hidden"
    ws.freeze_panes = "A2"
    list_col = 0
    for i, c in enumerate(cols, 1):
        letter = _col_letter(i)
        cell = ws.cell(row=1, column=i)
        set_value(cell, c.label)
        required = c.field is not None and c.field.required
        cell.font = Font(bold=True, color="C00000" if required else "000000")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.column_dimensions[letter].width = _excel_width(c.width)
        f = c.field
        if f is not None and f.help:
            cell.comment = Comment(f.help, "ufdesk")
        if f is not None and f.type in ("idcard", "mobile", "phone", "uscc", "text", "site_reg"):
            ws.column_dimensions[letter].number_format = "@"
        values = None
        if c.key == "township":
            values = [n for _, n in (townships or [])] + [COUNTY_LABEL]
        elif f is not None and f.is_code:
            values = [name for _, name in codes[f.code].items()]
        elif f is not None and f.type == "bool":
            values = ["是", "否"]
        if values:
            list_col += 1
            ll = _col_letter(list_col)
            lists.cell(row=1, column=list_col, value=c.label)
            for r, v in enumerate(values, 2):
                set_value(lists.cell(row=r, column=list_col), v)
            dv = DataValidation(type="list", formula1=f"'代码表'!${ll}$2:${ll}${len(values) + 1}", allow_blank=True)
            if f is not None and f.type == "codes":  # several values allowed: the list is a help only
                dv.showErrorMessage = False
                dv.promptTitle, dv.prompt = c.label, "可填多个，用顿号（、）分隔"
                dv.showInputMessage = True
            else:
                dv.showErrorMessage = True
                dv.errorTitle, dv.error = c.label, "请从下拉列表中选择"
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
        elif f is not None and f.type == "date":
            for r in range(2, 3):
                ws.cell(row=r, column=i).number_format = DATE_FORMAT
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
