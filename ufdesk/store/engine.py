"""Opening a database: engine, connection settings, automatic migration.

SQLite is the default (a file path); any SQLAlchemy URL such as ``postgresql://…`` works too.
Everything SQLite-only (PRAGMAs, integrity check) lives here, behind ``Dialect``-neutral calls.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from ..domain.errors import SchemaTooNew, StoreError


def make_url(db: str | os.PathLike) -> str:
    """A SQLAlchemy URL for a file path (SQLite) or a server address such as
    ``postgresql://user@host/ufdesk`` (driven by psycopg 3)."""
    text = str(db)
    if "://" in text:
        if text.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + text.split("://", 1)[1]
        return text
    mapped = test_server_url(text)
    if mapped:
        return mapped
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def test_server_url(path: str) -> str | None:
    """Test setting ``UFDESK_TEST_PG=postgresql://…``: every database *file path* then names a
    database of its own on that server, so the same test suite runs against PostgreSQL.
    Never set in production."""
    server = os.environ.get("UFDESK_TEST_PG")
    if not server:
        return None
    import hashlib

    from sqlalchemy.engine import make_url as sa_url

    name = "ufdesk_" + hashlib.sha1(str(Path(path).expanduser().resolve()).encode()).hexdigest()[:24]
    base = sa_url(make_url(server))
    return base.set(database=name).render_as_string(hide_password=False)


def server_database(url: str) -> tuple[str, str]:
    """``(maintenance URL, database name)`` of a server URL."""
    from sqlalchemy.engine import make_url as sa_url

    u = sa_url(url)
    return u.set(database="postgres").render_as_string(hide_password=False), u.database


PG_DRIVER_MISSING = ("使用 PostgreSQL 数据库需要 psycopg，本机没有安装：请运行 pip install \"ufdesk[postgres]\""
                     "（打包好的程序已带有它）。")


def require_driver(url: str) -> None:
    """A server URL whose driver is not installed: one Chinese sentence saying what to install
    (psycopg is the optional ``postgres`` extra), not a ModuleNotFoundError."""
    if url.startswith("postgresql+psycopg://"):
        from importlib.util import find_spec

        try:
            found = find_spec("psycopg") is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise StoreError(PG_DRIVER_MISSING)


def database_exists(url: str) -> bool:
    require_driver(url)
    admin, name = server_database(url)
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT", hide_parameters=True)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(sa.text("select 1 from pg_database where datname = :n"), {"n": name}).scalar())
    finally:
        engine.dispose()


def create_database(url: str) -> None:
    """Create the server database named by ``url`` if it does not exist (needs CREATEDB)."""
    if database_exists(url):
        return
    admin, name = server_database(url)
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT", hide_parameters=True)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
    finally:
        engine.dispose()


def is_sqlite_url(url: str) -> bool:
    return url.startswith("sqlite")


CACHE_KIB = 32_000  # SQLite's everyday page cache per connection (store/fastpath enlarges it for a big merge)


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")  # a second program waits, it does not corrupt
    cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a power cut loses no committed data file
    cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _hinting_compiler():
    """SQLite's compiler drops table hints; ours renders them, so a query can say
    ``INDEXED BY`` where SQLite's planner cannot know how selective a substring test is."""
    from sqlalchemy.dialects.sqlite.base import SQLiteCompiler

    class HintingSQLiteCompiler(SQLiteCompiler):
        def get_from_hint_text(self, table, text):
            return text

    return HintingSQLiteCompiler


FULL_BYTES = 1_000_000  # less free space than this and the next save may not fit


def disk_full(folder: str | os.PathLike) -> bool:
    import shutil

    try:
        return shutil.disk_usage(folder).free < FULL_BYTES
    except OSError:
        return False


def create_engine(db: str | os.PathLike, *, readonly: bool = False) -> sa.Engine:
    url = make_url(db)
    if is_sqlite_url(url):
        path = url.removeprefix("sqlite:///")
        if readonly:
            # A WAL database needs its -shm file beside it even to read; in a folder nobody may
            # write (a write-protected stick, a read-only share) SQLite can only read it as
            # immutable — nothing else changes it while it cannot be written.
            folder = os.path.dirname(os.path.abspath(path)) or "."
            immutable = "&immutable=1" if not os.access(folder, os.W_OK) or disk_full(folder) else ""
            url = f"sqlite:///file:{path}?mode=ro{immutable}&uri=true"
        # hide_parameters: an error or a log line shows the SQL, never the values (ID numbers, names)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 5}, hide_parameters=True)
        engine.dialect.statement_compiler = _hinting_compiler()
        event.listen(engine, "connect", _sqlite_pragmas)

        @event.listens_for(engine, "connect")
        def _wal(dbapi_conn, _record):
            if not readonly:
                cur = dbapi_conn.cursor()
                try:
                    cur.execute("PRAGMA journal_mode=WAL")
                except Exception:  # read-only media: keep the rollback journal
                    pass
                cur.close()

        # pysqlite's own transaction handling defers BEGIN; take it ourselves so that a
        # write transaction is atomic and SAVEPOINTs work.
        @event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_conn, _record):
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn):
            conn.exec_driver_sql("BEGIN")

        return engine
    require_driver(url)
    from .schema import postgresql_partial_indexes

    postgresql_partial_indexes()
    try:
        return sa.create_engine(url, pool_pre_ping=True, hide_parameters=True)
    except Exception as exc:  # bad URL, missing driver
        raise StoreError(f"无法连接数据库：{exc}") from exc


def alembic_config(engine: sa.Engine):
    from alembic.config import Config

    from ..paths import migrations_dir

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: sa.Engine) -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def known_revisions(engine: sa.Engine) -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config(engine)).walk_revisions()}


REVISIONS_FILE = "revisions.json"  # next to env.py: written by scripts/new_migration.py


def alembic_graph(script_location: Path | None = None) -> dict:
    """The revision graph as Alembic's own script directory reads it: ``{"head", "revisions",
    "files"}`` (``head`` None when the migrations have several heads)."""
    from alembic.script import ScriptDirectory

    from ..paths import migrations_dir

    folder = Path(script_location or migrations_dir())
    script = ScriptDirectory(str(folder))
    heads = script.get_heads()
    return {"head": heads[0] if len(heads) == 1 else None,
            "revisions": sorted(s.revision for s in script.walk_revisions()),
            "files": _version_files(folder)}


def _version_files(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "versions").glob("*.py"))


def write_revisions_file(script_location: Path | None = None) -> Path:
    """Record Alembic's graph for the start-up fast path (run after adding a migration)."""
    import json

    from ..paths import migrations_dir

    folder = Path(script_location or migrations_dir())
    target = folder / REVISIONS_FILE
    target.write_text(json.dumps(alembic_graph(folder), indent=1) + "\n", encoding="utf-8")
    return target


@functools.cache
def _revision_graph() -> tuple[str | None, frozenset[str]]:
    """``(head, every revision)``. Opening a database that is already up to date should cost
    one query, not an Alembic import and a parse of every migration (0.2–0.3 s of start-up):
    so the graph Alembic computed is kept in ``revisions.json`` and used while the migration
    files are the ones it was computed from. Any other file set (a migration added without
    refreshing it) is read by Alembic itself — slower, never wrong."""
    import json

    from ..paths import migrations_dir

    folder = migrations_dir()
    try:
        saved = json.loads((folder / REVISIONS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = None
    if not (isinstance(saved, dict) and saved.get("files") == _version_files(folder)):
        saved = alembic_graph(folder)
    return saved["head"], frozenset(saved["revisions"])


def _stamped_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: sa.Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (default: the newest this program knows)."""
    head, known = _revision_graph()
    current = _stamped_revision(engine)
    if current is not None and current not in known:
        raise SchemaTooNew(current, head or head_revision(engine))
    if revision == "head" and current is not None and current == head:
        return
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
