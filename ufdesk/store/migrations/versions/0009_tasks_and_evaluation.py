"""The seventh ledger 重点任务 (tasks, with its monthly 进展 task_progress) and the tables of
考核评价: each year's rubric and the county's manual 加分/扣分.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

LIVE = {"sqlite_where": sa.text("deleted = 0"), "postgresql_where": sa.text("NOT deleted")}


def _meta() -> list:
    return [
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("township", sa.String(length=9), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.String(length=60), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("updated_by", sa.String(length=60), nullable=True),
        sa.Column("changed_by", sa.String(length=32), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("born", sa.String(length=48), nullable=True),
        sa.Column("clock", sa.Text(), nullable=True),
        sa.Column("vv", sa.Text(), nullable=True),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "tasks", *_meta(),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("seq", sa.String(length=20), nullable=True),
        sa.Column("parent_task", sa.String(length=36), nullable=True),
        sa.Column("content", sa.String(length=1000), nullable=True),
        sa.Column("standard", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("leader", sa.String(length=500), nullable=True),
        sa.Column("unit", sa.String(length=16), nullable=True),
        sa.Column("owner", sa.String(length=500), nullable=True),
        sa.Column("owner_ref", sa.String(length=36), nullable=True),
        sa.Column("partners", sa.String(length=500), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("search", sa.Text(), nullable=True),
        sa.Column("sk_stroke", sa.String(length=400), nullable=True),
        sa.Column("sk_pinyin", sa.String(length=400), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("uuid", name=op.f("uq_tasks_uuid")),
    )
    for col in ("category", "content", "deadline", "done_on", "leader", "owner", "partners", "seq",
                "sk_pinyin", "sk_stroke", "status", "unit", "year"):
        op.create_index(f"ix_tasks_live_{col}", "tasks", [col], unique=False, **LIVE)
    op.create_index("ix_tasks_live_search", "tasks", ["search", "sk_pinyin"], unique=False, **LIVE)
    op.create_index("ix_tasks_live_township", "tasks", ["township", "sk_pinyin"], unique=False, **LIVE)
    op.create_index(op.f("ix_tasks_township"), "tasks", ["township"], unique=False)
    op.create_table(
        "task_progress", *_meta(),
        sa.Column("parent", sa.String(length=36), nullable=False),
        sa.Column("month", sa.Date(), nullable=True),
        sa.Column("progress", sa.Text(), nullable=True),
        sa.Column("reporter", sa.String(length=500), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["parent"], ["tasks.uuid"], name=op.f("fk_task_progress_parent_tasks"),
                                initially="DEFERRED", deferrable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_progress")),
        sa.UniqueConstraint("uuid", name=op.f("uq_task_progress_uuid")),
    )
    op.create_index(op.f("ix_task_progress_parent"), "task_progress", ["parent"], unique=False)
    op.create_index(op.f("ix_task_progress_township"), "task_progress", ["township"], unique=False)
    op.create_table(
        "evaluation_rubrics",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("sort_no", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("points", sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=False),
        sa.Column("params", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("year", "key", name=op.f("pk_evaluation_rubrics")),
    )
    op.create_table(
        "evaluation_adjustments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=True),
        sa.Column("township", sa.String(length=9), nullable=False),
        sa.Column("points", sa.Numeric(precision=8, scale=2, asdecimal=False), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.Column("user", sa.String(length=60), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_adjustments")),
    )
    op.create_index(op.f("ix_evaluation_adjustments_year"), "evaluation_adjustments", ["year"], unique=False)


def downgrade() -> None:
    op.drop_table("evaluation_adjustments")
    op.drop_table("evaluation_rubrics")
    op.drop_table("task_progress")
    op.drop_table("tasks")
