"""Migrations a newcomer can trust: the revision list is Alembic's own (a migration in Alembic's
typed style applies), and a database lacking a described column is named — at start-up and
by ``ufdesk check`` (exit 1) — instead of failing on the first listing."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
import sqlalchemy as sa

from ufdesk.domain.errors import StoreError
from ufdesk.store import Store
from ufdesk.store import engine as E

TYPED = '''"""A migration written the way Alembic's current template writes it.

Revision ID: 0999
Revises: {down}
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = "0999"
down_revision: Union[str, None] = "{down}"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table("typed_probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("typed_probe")
'''


def test_the_saved_revision_list_is_the_one_alembic_reads():
    import json

    from ufdesk.paths import migrations_dir

    saved = json.loads((migrations_dir() / E.REVISIONS_FILE).read_text(encoding="utf-8"))
    assert saved == E.alembic_graph(), "revisions.json is stale: run  python scripts/new_migration.py --refresh"


@pytest.fixture
def own_migrations(tmp_path, monkeypatch):
    """A copy of the migrations folder the program uses instead of its own."""
    from ufdesk import paths

    folder = tmp_path / "migrations"
    shutil.copytree(paths.migrations_dir(), folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "migrations_dir", lambda: folder)
    E._revision_graph.cache_clear()
    yield folder
    E._revision_graph.cache_clear()


def test_a_typed_style_migration_is_applied_to_old_databases_and_new_ones_open(tmp_path, own_migrations, store):
    old = store.location
    store.close()
    head = E.alembic_graph(own_migrations)["head"]
    (own_migrations / "versions" / "0999_typed_probe.py").write_text(TYPED.format(down=head), encoding="utf-8")
    E._revision_graph.cache_clear()
    assert E._revision_graph()[0] == "0999", "a migration added without refreshing revisions.json still counts"

    s = Store.open(old)  # an existing database is brought up to the typed migration
    try:
        with s.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0999"
            assert sa.inspect(conn).has_table("typed_probe")
    finally:
        s.close()
    fresh = Store.create(tmp_path / "fresh.db", county_code="510599", county_name="测试县",
                         townships=[("510599100", "城关镇")])
    fresh.close()
    assert Store.open(tmp_path / "fresh.db").close() is None, "a new database is not refused as 由较新版本创建"

    E.write_revisions_file(own_migrations)
    E._revision_graph.cache_clear()
    assert E._revision_graph() == ("0999", frozenset(E.alembic_graph(own_migrations)["revisions"]))


def _ufdesk(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("UFDESK_")}
    env.update(HOME=str(tmp_path / "home"), UFDESK_HOME=str(tmp_path / "home"))
    return subprocess.run([sys.executable, "-m", "ufdesk", *map(str, args)], capture_output=True, text=True,
                          env=env, encoding="utf-8")


def test_a_column_missing_from_the_database_is_named_at_start_up_and_by_check(tmp_path, store):
    path = store.path
    store.close()
    with sqlite3.connect(path) as conn:  # what a field added without its migration looks like
        conn.execute("ALTER TABLE representatives DROP COLUMN notes")
    with pytest.raises(StoreError, match=r"代表人士（representatives）：备注（notes）"):
        Store.open(path)
    r = _ufdesk(tmp_path, "check", "--db", path)
    assert r.returncode == 1 and "代表人士（representatives）：备注（notes）" in r.stderr and "检查未通过" in r.stderr
    r = _ufdesk(tmp_path, "stats", "--db", path)
    assert r.returncode == 1 and "scripts/new_migration.py" in r.stderr and "Traceback" not in r.stderr


def test_check_passes_the_columns_of_a_sound_database(tmp_path, store):
    path = store.path
    store.close()
    r = _ufdesk(tmp_path, "check", "--db", path)
    assert r.returncode == 0 and "字段检查：与台账定义一致" in r.stdout
