"""Retention (PIPL): purge the records of people who left or died long ago.

A purged record becomes a tombstone (UUID, version and clocks kept so the purge travels to
other installations; no personal data), the audit rows that named the person lose their text,
and one audit entry says what was purged — by whom and how many, never who.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from ..domain import LEDGERS
from ..domain.errors import UfError
from ..store import records as R
from ..store.schema import LEDGER_TABLES, audit, conflicts, issued_reports
from . import audit as A

SETTING = "retention_years"  # the office's chosen N, kept in the database
GONE = {"representatives": ("2", "3")}  # status codes: 退出, 去世 (cadres: a 离任日期 says it)
PERSON_LEDGERS = ("representatives", "cadres")


@dataclass
class Candidates:
    """What a purge would remove: uuids per ledger, and people gone without a date (kept)."""

    uuids: dict[str, list[str]]
    undated: int
    cutoff: dt.date
    issued: int = 0  # issued (定稿) report editions naming any of them: kept as official records

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.uuids.values())


def cutoff_date(years: int, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def candidates(store, years: int, today: dt.date | None = None) -> Candidates:
    if years < 1:
        raise UfError("保留年限至少为 1 年。")
    cut = cutoff_date(years, today)
    found: dict[str, list[str]] = {}
    undated = 0
    with store.connect() as conn:
        for name in PERSON_LEDGERS:
            t = LEDGER_TABLES[name]
            gone = t.c.status.in_(GONE[name]) if name in GONE else t.c.left_on.is_not(None)
            live = t.c.deleted.is_(False)
            found[name] = list(conn.execute(sa.select(t.c.uuid).where(live, gone, t.c.left_on < cut)).scalars())
            if name in GONE:
                undated += conn.execute(sa.select(sa.func.count()).where(live, gone, t.c.left_on.is_(None))).scalar()
    return Candidates(found, undated, cut, _issued_naming(store, [u for v in found.values() for u in v]))


def _issued_naming(store, uuids: list[str]) -> int:
    """Issued editions that name any of these people. A purge keeps them: they are the records
    as issued (the office's own copy of what it sent), not working data."""
    import json

    wanted = set(uuids)
    if not wanted:
        return 0
    with store.connect() as conn:
        named = conn.execute(sa.select(issued_reports.c.named)).scalars().all()
    return sum(1 for n in named if n and wanted.intersection(json.loads(n)))


def purge(svc, years: int, *, dry_run: bool = False, today: dt.date | None = None) -> Candidates:
    """Tombstone every candidate in one transaction (administrators only)."""
    svc.require("admin")
    found = candidates(svc.store, years, today)
    if dry_run or not found.total:
        return found
    batch = f"purge-{secrets.token_hex(6)}"
    with svc.store.write(svc.user) as (conn, ctx):
        for name, uuids in found.uuids.items():
            for uuid in uuids:
                R.tombstone(conn, name, uuid, ctx)
            for chunk in range(0, len(uuids), 500):
                part = uuids[chunk:chunk + 500]
                conn.execute(sa.update(audit).where(audit.c.record.in_(part))
                             .values(summary="（个人信息已按保留期限清除）", details=None))
                conn.execute(sa.update(conflicts).where(conflicts.c.record.in_(part)).values(mine=None, theirs=None))
            for uuid in uuids:
                A.write(conn, user=svc.user, installation=ctx.installation, action="purge", ledger=name,
                        record=uuid, summary=f"按保留期限清除{LEDGERS[name].label}记录", batch=batch, at=ctx.now)
        counts = "，".join(f"{LEDGERS[n].label} {len(u)}" for n, u in found.uuids.items() if u)
        A.write(conn, user=svc.user, installation=ctx.installation, action="purge", batch=batch, at=ctx.now,
                summary=f"按保留期限（{years} 年）清除 {found.cutoff:%Y-%m-%d} 以前退出、去世或离任人员的记录"
                        f" {found.total} 条（{counts}）")
    return found
