"""``Store``: one open database — its engine, installation, places and code tables."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

from ..domain.codes import CodeBook
from ..domain.errors import StoreError
from . import schema as S
from .engine import create_engine, is_sqlite_url, make_url, migrate
from .records import WriteCtx


def write_error(exc: Exception) -> StoreError:
    """A failed save told as a sentence: the transaction was rolled back, nothing saved is lost."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError("磁盘已满，本次修改未能保存（之前保存的数据未受影响）。请清理磁盘空间后重试。")
    if "locked" in text or "busy" in text:
        return StoreError("数据库正被另一个程序（或另一台电脑上的 ufdesk）使用，等待 5 秒后仍未释放。"
                          "本次修改未保存，请稍后重试。")
    if "readonly" in text or "read-only" in text:
        return StoreError("数据库是只读的（文件或文件夹没有写权限），本次修改未保存。")
    if "malformed" in text or "not a database" in text or "disk i/o" in text:
        return StoreError("数据库文件已损坏或无法读写，本次修改未保存。请运行“ufdesk check”检查，"
                          "必要时从备份恢复。")
    return StoreError(f"保存失败（{type(getattr(exc, 'orig', exc)).__name__}），本次修改未保存。")


def _drop_everything(engine: sa.Engine) -> None:
    """Empty a server database for ``--force``: every ufdesk table and the migration stamp."""
    with engine.begin() as conn:
        S.metadata.drop_all(conn)
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


class Store:
    """An open ufdesk database. Create with ``Store.create`` or open with ``Store.open``."""

    def __init__(self, engine: sa.Engine, *, readonly: bool = False):
        self.engine = engine
        self.url = str(engine.url)
        self.readonly = readonly
        self.readonly_reason: str | None = "readonly" if readonly else None  # or "full"
        self.location = self.url  # what to pass as --db to reach this database again
        self._codebook: CodeBook | None = None
        self._townships: list[tuple[str, str]] | None = None
        self._villages: list[tuple[str, str, str]] | None = None
        self._inst: dict | None = None

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, db: str | os.PathLike, *, migrate_schema: bool = True) -> Store:
        url = make_url(db)
        if is_sqlite_url(url):
            path = Path(url.removeprefix("sqlite:///"))
            if not path.exists():
                raise StoreError(f"数据库文件不存在：{path}")
            from .engine import disk_full

            unwritable = not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
            full = not unwritable and disk_full(path.parent)
            readonly = unwritable or full
            if not readonly and path.stat().st_uid == getattr(os, "getuid", lambda: -1)():
                from ..paths import make_private

                make_private(path)  # a file made by an older version was 0644
            engine = create_engine(db, readonly=readonly)
            store = cls(engine, readonly=readonly)
            store.readonly_reason = "full" if full else "readonly" if readonly else None
            if readonly:
                store.location = str(db)
                return store
        else:
            from .engine import database_exists

            try:
                exists = database_exists(url)
            except sa.exc.DBAPIError as exc:
                raise StoreError(f"无法连接数据库服务器：{type(exc.orig).__name__}（请检查地址、用户和密码）") from exc
            if not exists:
                raise StoreError("数据库服务器上没有这个数据库，请先运行 ufdesk init 或 ufdesk demo。")
            store = cls(create_engine(db))
        try:
            if migrate_schema:
                migrate(store.engine)
                store._check_columns()
            inst = store.installation
        except sa.exc.DatabaseError as exc:  # not a database, damaged, locked during migration
            store.close()
            if isinstance(exc, sa.exc.OperationalError) and "locked" in str(exc.orig).lower():
                raise write_error(exc) from exc
            if not store.is_sqlite:
                raise StoreError(f"无法连接数据库服务器：{type(exc.orig).__name__}") from exc
            raise StoreError(f"无法打开数据库 {db}：文件已损坏或不是 ufdesk 数据库。"
                             "请运行“ufdesk check”检查，并从备份恢复（ufdesk restore）。") from exc
        if inst is None:
            raise StoreError("数据库尚未初始化（没有本机安装信息），请先运行 ufdesk init 或 ufdesk demo。")
        store.location = str(db)
        return store

    @classmethod
    def create(
        cls,
        db: str | os.PathLike,
        *,
        county_code: str,
        county_name: str,
        townships: list[tuple[str, str]],
        villages: list[tuple[str, str]] = (),
        township: str | None = None,
        force: bool = False,
    ) -> Store:
        """Make a new database for a county (or one township of it)."""
        url = make_url(db)
        if is_sqlite_url(url):
            path = Path(url.removeprefix("sqlite:///"))
            _check_new_file(path)
            if path.exists():
                if not force:
                    raise StoreError(f"文件已存在：{path}（如确需覆盖，请加 --force）")
                for suffix in ("", "-wal", "-shm"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"无法建立数据库“{path}”：不能在这里建立文件夹“{path.parent}”"
                                 "（没有权限，或磁盘是只读的）。") from exc
        else:
            from .engine import create_database

            create_database(url)
        if is_sqlite_url(url):
            from ..paths import create_private

            create_private(url.removeprefix("sqlite:///"))  # 0600: SQLite gives its -wal and -shm the same
        engine = create_engine(db)
        try:
            return cls._fill_new(engine, db, url, county_code, county_name, township, townships, villages, force)
        except BaseException:  # a full disk, a cancel: no half-made file is left behind
            engine.dispose()
            if is_sqlite_url(url):
                Store.discard_file(url.removeprefix("sqlite:///"))
            raise

    @staticmethod
    def discard_file(path: str | os.PathLike) -> None:
        """Remove an unfinished SQLite database and its -wal/-shm files."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.remove(f"{os.fspath(path)}{suffix}")
            except OSError:
                pass

    @classmethod
    def _fill_new(cls, engine, db, url, county_code, county_name, township, townships, villages, force) -> Store:
        if not is_sqlite_url(url) and force:
            _drop_everything(engine)
        migrate(engine)
        store = cls(engine)
        store.location = str(db)
        with engine.begin() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(S.installation)).scalar():
                raise StoreError("该数据库已经初始化过（如确需覆盖，请加 --force）。")
            conn.execute(
                sa.insert(S.installation).values(
                    id=secrets.token_hex(8),
                    county_code=county_code,
                    county_name=county_name,
                    township=township,
                    counter=0,
                    created_at=dt.datetime.now().replace(microsecond=0),
                )
            )
            store._write_places(conn, townships, villages)
        return store

    def _write_places(self, conn, townships, villages) -> None:
        now = dt.datetime.now().replace(microsecond=0)
        if townships:
            conn.execute(
                sa.insert(S.townships),
                [{"code": c, "name": n, "sort_no": i, "updated_at": now} for i, (c, n) in enumerate(townships, 1)],
            )
        if villages:
            conn.execute(
                sa.insert(S.villages),
                [
                    {"code": c, "township": c[:9], "name": n, "kind": "社区" if "社区" in n else "村", "updated_at": now}
                    for c, n in villages
                ],
            )
        self._townships = self._villages = self._codebook = None

    def _check_columns(self) -> None:
        """Refuse, naming them, when columns of the ledger descriptions are missing (a field added
        without its migration): otherwise the first listing would fail with an SQL error."""
        from .check import MISSING_TEXT, missing_columns

        with self.engine.connect() as conn:
            lacking = missing_columns(conn)
        if lacking:
            self.close()
            raise StoreError(MISSING_TEXT.format("；".join(lacking)))

    def close(self) -> None:
        self.engine.dispose()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        return Path(self.engine.url.database or "")

    @property
    def readonly_message(self) -> str:
        """Why this database was opened read-only, as the notice the CLI and the GUI show."""
        if self.readonly_reason == "full":
            return "磁盘已满：数据库只能查看和打印，修改、导入都保存不了（请先清理磁盘空间）。"
        return "数据库文件不能写入（文件、文件夹或磁盘是只读的）：只能查看和打印，不能保存修改。"

    # -- transactions -------------------------------------------------------------------------
    def connect(self) -> sa.Connection:
        return self.engine.connect()

    @contextlib.contextmanager
    def write(self, user: str | None = None) -> Iterator[tuple[sa.Connection, WriteCtx]]:
        """One write transaction with one fresh counter: everything in it commits or nothing."""
        if self.readonly:
            raise StoreError(self.readonly_message + "本次修改没有保存。")
        try:
            with self.engine.begin() as conn:
                yield conn, WriteCtx(self.installation["id"], self.next_counter(conn), user)
        except sa.exc.OperationalError as exc:
            raise write_error(exc) from exc

    def next_counter(self, conn: sa.Connection) -> int:
        conn.execute(sa.update(S.installation).values(counter=S.installation.c.counter + 1))
        return conn.execute(sa.select(S.installation.c.counter)).scalar_one()

    # -- installation and places --------------------------------------------------------------
    @property
    def installation(self) -> dict | None:
        if self._inst is None:
            with self.engine.connect() as conn:
                row = conn.execute(sa.select(S.installation)).mappings().first()
            self._inst = dict(row) if row else None
        return self._inst

    @property
    def county_code(self) -> str:
        return self.installation["county_code"]

    @property
    def county_name(self) -> str:
        return self.installation["county_name"]

    @property
    def township(self) -> str | None:
        """The township this installation belongs to, or None for the county office."""
        return self.installation["township"]

    def townships(self) -> list[tuple[str, str]]:
        if self._townships is None:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(S.townships.c.code, S.townships.c.name)
                    .where(S.townships.c.active.is_(True))
                    .order_by(S.townships.c.sort_no, S.townships.c.code)
                ).all()
            self._townships = [(r.code, r.name) for r in rows]
        return self._townships

    def township_name(self, code: str | None) -> str:
        if code is None or code == "county":
            return "县直"  # one name for the county's own units, in every report and list
        return dict(self.townships()).get(code, code)

    def villages(self, township: str | None = None) -> list[tuple[str, str, str]]:
        """``(code, township, name)`` of every village/community, or of one township."""
        if self._villages is None:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(S.villages.c.code, S.villages.c.township, S.villages.c.name)
                    .where(S.villages.c.active.is_(True))
                    .order_by(S.villages.c.code)
                ).all()
            self._villages = [(r.code, r.township, r.name) for r in rows]
        if township is None:
            return self._villages
        return [v for v in self._villages if v[1] == township]

    def add_places(self, townships: list[tuple[str, str]], villages: list[tuple[str, str]] = ()) -> None:
        with self.engine.begin() as conn:
            self._write_places(conn, townships, villages)

    # -- code tables and settings -------------------------------------------------------------
    def codebook(self) -> CodeBook:
        if self._codebook is None:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    sa.select(
                        S.code_overrides.c.code_table,
                        S.code_overrides.c.code,
                        S.code_overrides.c.name,
                        S.code_overrides.c.aliases,
                        S.code_overrides.c.active,
                    )
                ).all()
            # 责任单位 (task_unit) lists the county's own townships as well, under their codes;
            # the county's edits (rows) still come last and win.
            units = [("task_unit", c, n, "", True) for c, n in self.townships()]
            self._codebook = CodeBook.defaults().with_overrides(units + [tuple(r) for r in rows])
        return self._codebook

    def set_code(self, table: str, code: str, name: str, aliases: str = "", active: bool = True) -> None:
        """Record a county's edit of a code table (kept in the database; travels to townships)."""
        with self.write() as (conn, ctx):
            conn.execute(sa.delete(S.code_overrides).where(S.code_overrides.c.code_table == table, S.code_overrides.c.code == code))
            conn.execute(
                sa.insert(S.code_overrides).values(
                    code_table=table, code=code, name=name, aliases=aliases, active=active,
                    updated_at=ctx.now, counter=ctx.counter,
                )
            )
        self._codebook = None

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(S.settings.c.value).where(S.settings.c.key == key)).scalar()
        return default if value is None else value

    def set_setting(self, key: str, value: str | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.delete(S.settings).where(S.settings.c.key == key))
            if value is not None:
                conn.execute(sa.insert(S.settings).values(key=key, value=value))

    def invalidate(self) -> None:
        """Forget cached places, codes and installation (after an exchange changed them)."""
        self._codebook = self._townships = self._villages = self._inst = None


def _check_new_file(path: Path) -> None:
    """Say in a sentence why a new database file cannot be made here, before trying."""
    if path.is_dir():
        raise StoreError(f"“{path}”是一个文件夹：请给出数据库文件名，如 {path / 'ufdesk.db'}")
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise StoreError(f"无法建立数据库“{path}”：“{parent}”是一个文件，不是文件夹。")
    if parent.exists() and not os.access(parent, os.W_OK):
        raise StoreError(f"无法建立数据库“{path}”：没有在“{parent}”中写入的权限。")
