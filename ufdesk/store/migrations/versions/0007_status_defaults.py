"""Status defaults: records typed, imported or received without a status get the default.

Records entered through the form or an Excel import without a 状态 column had an empty
status and so were in no report (an imported roster printed "共0人"). The values are filled
in place, without a change record (version, clocks, vector and updated_at stay), so the next
package exchange does not see every such record as changed on both sides: every
installation fills the same default the same way.

Revision ID: 0007
Revises: 0006
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Frozen here as at this revision (the ledger descriptions may change later).
DEFAULTS = {
    "representatives": "1",  # 在册
    "chambers": "1",  # 正常
    "sites": "1",  # 正常
    "proposals": "10",  # 提交
    "site_issues": "1",  # 整改中
}


def upgrade() -> None:
    conn = op.get_bind()
    alive = "deleted = 0" if conn.dialect.name == "sqlite" else "NOT deleted"
    for table, default in DEFAULTS.items():
        op.execute(f"UPDATE {table} SET status = '{default}' "
                   f"WHERE {alive} AND (status IS NULL OR TRIM(status) = '')")


def downgrade() -> None:
    pass  # the filled values are indistinguishable from chosen ones: nothing to undo
