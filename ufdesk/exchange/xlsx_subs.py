"""Sub-records (trainings, political arrangements, inspections …) in the extra sheets of a full
export, named "<ledger>-<sub-record>" (e.g. 代表人士-培训), each row naming its record by the
所属记录编号 column. They come back with the records created by the same import."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.model import Ledger, SubLedger
from ..domain.validate import problems as domain_problems
from . import normalize as N
from .mapping import header_text

PARENT_LABEL = "所属记录编号"


def sheet_name(lg: Ledger, sub: SubLedger) -> str:
    return f"{lg.label}-{sub.label}"[:31]


@dataclass
class SubRows:
    sub: SubLedger
    sheet: str
    rows: list[dict] = field(default_factory=list)  # values with "parent"


def check_subs(checker, source, parents: set[str], problem_cls) -> tuple[list[SubRows], list]:
    """The sub-record rows of ``source``'s workbook whose record is among ``parents`` (new
    records of this import), converted and checked; and their problems."""
    from .xlsx_read import read_sheet

    lg = source.ledger
    found, problems = [], []
    if not parents:
        return found, problems
    for sub in lg.subs:
        name = sheet_name(lg, sub)
        if name not in source.sheets:
            continue
        sheet = read_sheet(source.path, name)
        if not sheet.rows:
            continue
        headers = [header_text(h) for h in sheet.rows[0]]
        labels = {header_text(f.label): f for f in sub.fields}
        cols = [(i, labels.get(h), h) for i, h in enumerate(headers)]
        try:
            parent_col = headers.index(PARENT_LABEL)
        except ValueError:
            continue
        out = SubRows(sub, name)
        for k, cells in enumerate(sheet.rows[1:], start=1):
            number = sheet.first_row + k
            parent = cells[parent_col] if parent_col < len(cells) else None
            if not isinstance(parent, str) or parent.strip().lower() not in parents:
                continue
            values, bad = {"parent": parent.strip().lower()}, set()
            for i, f, header in cols:
                raw = cells[i] if i < len(cells) else None
                if f is None or N.is_blank(raw):
                    continue
                value, msg = checker.convert(f, raw, None)
                if msg:
                    bad.add(f.name)
                    problems.append(problem_cls(number, f"{name}·{header}", N.plain_text(raw)[:40], msg))
                elif value not in (None, ""):
                    values[f.name] = value
            for fname, msg in domain_problems(sub, values, checker.codes, county_code=checker.county_code).items():
                if fname not in bad:
                    label = next((f.label for f in sub.fields if f.name == fname), fname)
                    problems.append(problem_cls(number, f"{name}·{label}", "", msg))
                    bad.add(fname)
            if not bad:
                out.rows.append(values)
        found.append(out)
    return found, problems


def write_subs(conn, ctx, found: list[SubRows], townships: dict[str, str | None]) -> int:
    from ..store import records as R

    n = 0
    for group in found:
        rows = [{**v, "township": townships.get(v["parent"])} for v in group.rows if v["parent"] in townships]
        n += R.bulk_insert(conn, group.sub.name, rows, ctx)
    return n
