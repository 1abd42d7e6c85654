"""The audit log and the masking of sensitive values (ID and phone numbers, religion, party)."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from ..domain import LEDGERS, SUBS
from ..store.schema import audit

# Field types whose values are masked for roles not allowed to see them, and in the audit log.
MASKED_TYPES = ("idcard", "mobile", "phone")


def mask(value, kind: str = "idcard") -> str:
    """``510522198001011234`` → ``5105**********1234``; ``13812345678`` → ``138****5678``."""
    if value is None or value == "":
        return ""
    s = str(value)
    if kind == "idcard":
        return s[:4] + "*" * max(len(s) - 8, 0) + s[-4:] if len(s) > 8 else "*" * len(s)
    if kind in ("mobile", "phone"):
        return s[:3] + "*" * max(len(s) - 7, 0) + s[-4:] if len(s) > 7 else "*" * len(s)
    return "***"


def _field(table_name: str, name: str):
    desc = LEDGERS.get(table_name) or (SUBS[table_name][1] if table_name in SUBS else None)
    if desc is None:
        return None
    for f in desc.fields:
        if f.name == name:
            return f
    return None


def masked_value(table_name: str, name: str, value):
    """A value as the audit log may keep it: sensitive fields masked, dates as text."""
    f = _field(table_name, name)
    if f is not None and (f.sensitive or f.type in MASKED_TYPES):
        return mask(value, f.type if f.type in MASKED_TYPES else "other")
    if f is not None and f.code in ("party", "religion"):
        return "***" if value else value  # political affiliation and religion stay out of logs
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} 字节>"
    return value


def diff_details(table_name: str, diff: dict) -> str:
    return json.dumps(
        {k: [masked_value(table_name, k, o), masked_value(table_name, k, n)] for k, (o, n) in diff.items()},
        ensure_ascii=False,
        default=str,
    )


def write(conn: sa.Connection, *, user: str | None, installation: str | None, action: str,
          ledger: str | None = None, record: str | None = None, summary: str = "",
          details: str | None = None, batch: str | None = None, at: dt.datetime | None = None) -> None:
    conn.execute(
        sa.insert(audit).values(
            at=at or dt.datetime.now().replace(microsecond=0),
            user=user,
            installation=installation,
            action=action,
            ledger=ledger,
            record=record,
            summary=summary[:400],
            details=details,
            batch=batch,
        )
    )


def entries(conn: sa.Connection, *, action: str | None = None, user: str | None = None,
            record: str | None = None, since: dt.datetime | None = None, limit: int | None = None) -> list[dict]:
    q = sa.select(audit).order_by(audit.c.id.desc())
    if action:
        q = q.where(audit.c.action == action)
    if user:
        q = q.where(audit.c.user == user)
    if record:
        q = q.where(audit.c.record == record)
    if since:
        q = q.where(audit.c.at >= since)
    if limit:
        q = q.limit(limit)
    return [dict(r) for r in conn.execute(q).mappings()]
