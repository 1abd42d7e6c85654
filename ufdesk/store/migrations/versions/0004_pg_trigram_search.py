"""PostgreSQL: trigram (pg_trgm) indexes for the free-text search; nothing on SQLite.

On a server, several PCs search the same ledgers; a GIN trigram index lets ``LIKE '%…%'``
queries of three or more characters use an index. Shorter queries (most Chinese name
searches, e.g. 伟) cannot use trigrams, so they scan — the result is the same either way.
Where the extension is not available (no permission to create it), the search still works,
only without the index.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LEDGERS = ("representatives", "chambers", "sites", "proposals", "cadres", "activities")


def _trgm_available(bind) -> bool:
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        return True
    except sa.exc.DBAPIError:
        return False


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _trgm_available(bind):
        return
    for table in LEDGERS:
        op.create_index(f"ix_{table}_search_trgm", table, ["search"], postgresql_using="gin",
                        postgresql_ops={"search": "gin_trgm_ops"})


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in LEDGERS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_trgm")
