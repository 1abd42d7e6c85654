"""Reporting completeness: which townships' monthly packages have arrived here, when, and on time.

A township has reported for a month when a package it exported during that month has been
imported here (and not undone). It is on time when that package was exported by the due day
(county setting ``report_due_day``, default the 28th). ``exported_at`` is the sending PC's clock:
shown and used for this report only, never for merge decisions. On a township installation the
figures are its own: the packages it exported (it receives none of its own).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..store.schema import package_log

DUE_DAY_SETTING = "report_due_day"


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """``"2026-11"`` → (2026-11-01 00:00, 2026-12-01 00:00)."""
    try:
        y, m = (int(p) for p in month.split("-"))
        start = dt.datetime(y, m, 1)
    except ValueError as exc:
        from ..domain.errors import UfError

        raise UfError(f"月份“{month}”格式不对，应为 YYYY-MM，例如 2026-11") from exc
    end = dt.datetime(y + (m == 12), m % 12 + 1, 1)
    return start, end


def due_day(store) -> int:
    from ..services.settings import value

    return value(store, DUE_DAY_SETTING)


def completeness(store, month: str) -> list[dict]:
    """Per active township, in the county's order: ``{code, name, reported, exported_at,
    imported_at, records, on_time, packages}``. ``exported_at`` is the first package of the month
    (the one that decides "on time"), ``imported_at`` the latest import, ``records`` the sum."""
    start, end = month_bounds(month)
    last_day = (end - dt.timedelta(days=1)).day
    due = start.replace(day=min(due_day(store), last_day), hour=23, minute=59, second=59)
    p = package_log
    own = getattr(store, "township", None)
    # At the county: the townships' packages received here. A township installation has no
    # received package of its own: there its figure is the packages it exported itself (the
    # same "exported by the due day" rule; whether the county has imported one it cannot know).
    which = (p.c.direction == "received") if own is None else sa.and_(p.c.direction == "sent",
                                                                       p.c.sender_township == own)
    with store.connect() as conn:
        rows = conn.execute(
            sa.select(p.c.sender_township, p.c.exported_at, p.c.imported_at, p.c.records)
            .where(
                which,
                sa.or_(p.c.status.is_(None), p.c.status != "undone"),
                p.c.sender_township.is_not(None),
                p.c.exported_at >= start,
                p.c.exported_at < end,
            )
            .order_by(p.c.exported_at)
        ).all()
    got: dict[str, dict] = {}
    for township, exported, imported, n in rows:
        g = got.setdefault(township, {"exported_at": exported, "imported_at": imported, "records": 0, "packages": 0})
        g["records"] += n or 0
        g["packages"] += 1
        if imported and (g["imported_at"] is None or imported > g["imported_at"]):
            g["imported_at"] = imported
    out = []
    for code, name in store.townships():
        g = got.get(code)
        out.append({
            "code": code,
            "name": name,
            "reported": g is not None,
            "exported_at": g["exported_at"] if g else None,
            "imported_at": g["imported_at"] if g else None,
            "records": g["records"] if g else 0,
            "on_time": bool(g and g["exported_at"] <= due),
            "packages": g["packages"] if g else 0,
        })
    return out


def missing(store, month: str) -> list[tuple[str, str]]:
    """``(code, name)`` of the townships that have not reported for the month (home page)."""
    return [(r["code"], r["name"]) for r in completeness(store, month) if not r["reported"]]
