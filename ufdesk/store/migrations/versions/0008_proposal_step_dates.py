"""Proposal step dates: 立案日期 and 办理日期, filled from the audit history.

A report as at a past day gives each proposal the status of its last step dated on or
before that day; 提交, 交办, 答复 and 办结 had dates, 立案 (or 不立案) and 办理 did not. Where the
audit log recorded a status change to a step whose date is empty, the day of that change
fills it (for every step, not only the new ones). Filled in place, as migration 0007 does.

Revision ID: 0008
Revises: 0007
"""
import datetime as dt
import json

from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# status code → the date column of that step, as the ledger was at this revision
STEP_DATES = {"20": "filed_on", "21": "filed_on", "30": "assigned_on", "40": "handling_on",
              "50": "replied_on", "60": "closed_on"}


def upgrade() -> None:
    live = sa.text("deleted = 0") if op.get_bind().dialect.name == "sqlite" else sa.text("NOT deleted")
    with op.batch_alter_table("proposals") as batch:
        batch.add_column(sa.Column("filed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("handling_on", sa.Date(), nullable=True))
    for col in ("filed_on", "handling_on"):
        op.create_index(f"ix_proposals_live_{col}", "proposals", [col], sqlite_where=live, postgresql_where=live)
    _fill_from_audit(op.get_bind())


def _fill_from_audit(conn) -> None:
    audit = sa.table("audit", sa.column("at", sa.DateTime), sa.column("ledger"), sa.column("record"), sa.column("details"))
    p = sa.table("proposals", sa.column("uuid"), sa.column("deleted"), *[sa.column(c, sa.Date) for c in set(STEP_DATES.values())])
    first: dict[tuple[str, str], dt.date] = {}  # (uuid, column) → the day the step was first reached
    rows = conn.execute(sa.select(audit.c.record, audit.c.at, audit.c.details).where(
        audit.c.ledger == "proposals", audit.c.details.like('%"status"%')).order_by(audit.c.at)).all()
    for uuid, at, details in rows:
        try:
            change = json.loads(details).get("status")
        except (TypeError, ValueError, AttributeError):
            continue
        if not isinstance(change, list) or len(change) != 2 or change[1] not in STEP_DATES:
            continue
        day = at.date() if isinstance(at, dt.datetime) else dt.date.fromisoformat(str(at)[:10])
        first.setdefault((uuid, STEP_DATES[change[1]]), day)
    for (uuid, col), day in first.items():
        conn.execute(p.update().where(p.c.uuid == uuid, p.c[col].is_(None), p.c.deleted == sa.false())
                     .values({col: day}))


def downgrade() -> None:
    with op.batch_alter_table("proposals") as batch:
        batch.drop_index("ix_proposals_live_filed_on")
        batch.drop_index("ix_proposals_live_handling_on")
        batch.drop_column("handling_on")
        batch.drop_column("filed_on")
