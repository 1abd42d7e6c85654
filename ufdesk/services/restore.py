"""Restoring a backup over a database — also when the current file is too damaged to open.

The backup is copied (or decrypted) next to the database and checked; the login is checked
against the live database's users (the backup's only when the live file cannot be opened); the current state is saved; the audit rows written since the
backup are carried over; only then is the file replaced. Nothing changes when a step before
the replacement fails.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import PermissionDenied, UfError
from ..paths import backups_dir, create_private
from .backup import (
    BackupError,
    BackupInfo,
    _fsync,
    _name,
    copy_database,
    decrypt,
    inspect,
    is_encrypted,
    make_backup,
    sqlite_path,
)


@dataclass
class Restored:
    counts: dict[str, int]
    before: Path | None  # the copy of the state before the restore
    user: str | None
    undo_cleared: int = 0  # changes of this session that Ctrl+Z can no longer take back


@dataclass
class Side:
    """One database file as the restore confirmation shows it."""

    file: Path
    place: str = ""  # 测试县城关镇 / 测试县（县委统战部）
    installation: str | None = None
    township: str | None = None
    at: dt.datetime | None = None  # when this state was saved (a backup's date)
    counts: dict[str, int] | None = None
    problem: str = ""  # the file cannot be read: why

    @property
    def total(self) -> int:
        return sum((self.counts or {}).values())

    def describe(self) -> str:
        if self.problem:
            return f"{self.file.name}：{self.problem}"
        from ..domain import LEDGERS

        counts = "，".join(f"{LEDGERS[n].label} {c}" for n, c in (self.counts or {}).items())
        return f"{self.place}，{counts}（共 {self.total} 条）"


@dataclass
class Preview:
    """What a restore would replace, and by what."""

    current: Side
    backup: Side

    @property
    def other_installation(self) -> bool:
        """The backup was made on another PC (another installation) than the live database."""
        return bool(self.current.installation and self.backup.installation
                    and self.current.installation != self.backup.installation)

    def lines(self) -> list[str]:
        when = f"{self.backup.at:%Y-%m-%d %H:%M}" if self.backup.at else "日期不明"
        out = [f"将被替换的当前数据库：{self.current.file}", f"　　{self.current.describe()}",
               f"用来替换的备份：{self.backup.file}（{when}）", f"　　{self.backup.describe()}"]
        if self.other_installation:
            out.append(f"注意：这份备份来自另一台电脑（{self.backup.place}，安装编号 {self.backup.installation}），"
                       "不是本机的备份。")
        return out


def _side(path: Path, label: Path | None = None, at: dt.datetime | None = None) -> Side:
    """Read a database file without changing it: its installation, place and record counts."""
    side = Side(label or path)
    info = inspect(path)
    if not info.ok:
        side.problem = info.problem
        return side
    side.counts = info.counts
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        side.installation, county, side.township = conn.execute(
            "SELECT id, county_name, township FROM installation").fetchone()
        name = conn.execute("SELECT name FROM townships WHERE code = ?", (side.township,)).fetchone()
        side.place = f"{county}{name[0] if name else side.township}" if side.township else f"{county}（县委统战部）"
        newest = conn.execute("SELECT max(at) FROM audit").fetchone()[0]
    finally:
        conn.close()
    side.at = at or (dt.datetime.fromisoformat(str(newest)).replace(microsecond=0) if newest else None)
    return side


def preview(db, source, *, passphrase: str | None = None) -> Preview:
    """What restoring ``source`` over ``db`` would replace and by what — nothing is changed. An
    encrypted backup is decrypted into the private folder to be read, and removed."""
    from ..paths import private_file
    from .backup import _parse

    target, source = sqlite_path(db), Path(source)
    if not source.exists():
        raise BackupError(f"备份文件不存在：{source}")
    current = _side(target) if target.exists() else Side(target, problem="文件不存在")
    parsed = _parse(source)
    if not is_encrypted(source):
        return Preview(current, _side(source, at=parsed[1] if parsed else None))
    if not passphrase:
        raise BackupError("这是加密的备份，需要口令才能恢复。")
    work = private_file("restore-preview-", ".db")
    try:
        work.write_bytes(decrypt(source.read_bytes(), passphrase))
        return Preview(current, _side(work, source, parsed[1] if parsed else None))
    finally:
        work.unlink(missing_ok=True)


def restore(db, source, *, user: str | None = None, password: str | None = None,
            passphrase: str | None = None, folder: Path | None = None,
            other_installation: bool = False) -> Restored:
    """Replace the database at ``db`` with the backup ``source`` (plain or encrypted).

    The backup is checked first, and the login is checked against the live database's users
    (an administrator is needed); against the backup's only when the live file cannot be opened. The current state is then backed up (or, when it is too damaged to
    copy, its files are kept as they are), and only then replaced. Nothing is changed when any
    step before the replacement fails. A backup made on another PC (another installation)
    replaces the live database only with ``other_installation``. The caller must have closed
    the database."""
    target, source = sqlite_path(db), Path(source)
    if not source.exists():
        raise BackupError(f"备份文件不存在：{source}")
    folder = Path(folder) if folder else backups_dir()
    work = target.with_name(f".{target.name}.restoring")
    _remove_db_files(work)
    try:
        if is_encrypted(source):
            if not passphrase:
                raise BackupError("这是加密的备份，需要口令才能恢复。")
            create_private(work)  # the decrypted copy holds every record: 0600 from the start
            work.write_bytes(decrypt(source.read_bytes(), passphrase))
        else:
            copy_database(source, work)
        info = inspect(work)
        if not info.ok:
            raise BackupError(f"备份文件不能使用：{info.problem}")
        base = _max_audit_id(work)
        who, by_backup = _check_login(work, target, user, password)
        if not other_installation:
            _same_installation(work, target)
        before = _save_current(target, folder)
        carried = _carry_audit(target, work, base)
        _finish(work, source, info, who, before, carried, by_backup)
        _remove_db_files(target, main=False)  # a stale -wal must never be replayed onto the new file
        os.replace(work, target)
    finally:
        _remove_db_files(work)
    return Restored(info.counts, before, who)


def _same_installation(work: Path, target: Path) -> None:
    if not target.exists():
        return
    live = _side(target)
    if live.problem:  # the live file cannot be read: nothing to compare with
        return
    backup = _side(work)
    if live.installation != backup.installation:
        raise BackupError(f"这份备份来自另一台电脑（{backup.place}，安装编号 {backup.installation}），不是本机"
                          f"（{live.place}）的备份。确要用它替换本机数据，请在确认时另行选择"
                          "“用另一台电脑的备份替换”（命令行加 --other-installation）。")


def _remove_db_files(path: Path, *, main: bool = True) -> None:
    for suffix in ("", "-wal", "-shm", "-journal") if main else ("-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _check_login(work: Path, target: Path, user: str | None, password: str | None) -> tuple[str | None, bool]:
    """``(user, by the backup's users)``. An administrator of the *live* database decides: a
    backup's own users (which may be an old state, a disabled admin, or a file made for the
    purpose) are consulted only when the live file cannot be opened — and the restore then says
    so in the audit."""
    from ..store import Store
    from .users import has_users

    try:
        live = Store.open(target) if target.exists() else None
    except UfError:
        live = None
    if live is not None:
        try:
            return (_admin(live, user, password) if has_users(live) else user), False
        finally:
            live.close()
    store = Store.open(work)
    try:
        return (_admin(store, user, password) if has_users(store) else user), True
    finally:
        store.close()


def _admin(store, user: str | None, password: str | None) -> str:
    from .users import login

    if not user:
        raise PermissionDenied("恢复备份需要管理员登录（--user 用户名，密码取自 UFDESK_PASSWORD）。")
    row = login(store, user, password or "")
    if row["role"] != "admin":
        raise PermissionDenied(f"用户“{user}”不是管理员，不能恢复备份。")
    return row["name"]


def _save_current(target: Path, folder: Path) -> Path | None:
    if not target.exists():
        return None
    try:
        return make_backup(target, "before-restore", folder=folder).path
    except BackupError:  # too damaged to copy page by page: keep its files as they are
        folder.mkdir(parents=True, exist_ok=True)
        dest = folder / _name(target.stem, dt.datetime.now().replace(microsecond=0), "damaged")
        shutil.copy2(target, dest)
        for suffix in ("-wal", "-shm"):
            if Path(str(target) + suffix).exists():
                shutil.copy2(str(target) + suffix, str(dest) + suffix)
        return dest


def _max_audit_id(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
    finally:
        conn.close()


def _carry_audit(target: Path, work: Path, base: int) -> int:
    """Keep the audit rows written since the backup was taken: a restore brings records back,
    it must not erase who did what in between. Skipped when the current file cannot be read."""
    if not target.exists():
        return 0
    conn = sqlite3.connect(work)
    try:
        conn.execute("ATTACH DATABASE ? AS cur", (str(target),))  # only read; it is replaced next
        cols = "at, user, installation, action, ledger, record, summary, details, batch"
        with conn:
            n = conn.execute(f"INSERT INTO main.audit ({cols}) SELECT {cols} FROM cur.audit WHERE id > ? "
                             "ORDER BY id", (base,)).rowcount
        return max(n, 0)
    except sqlite3.Error:  # the current file is too damaged: its copy was kept as it is
        return 0
    finally:
        conn.close()


def _finish(work: Path, source: Path, info: BackupInfo, who: str | None, before: Path | None,
            carried: int = 0, by_backup: bool = False) -> None:
    """Bring the restored copy to this program's schema and note the restore in its audit log."""
    from ..store import Store
    from . import audit

    store = Store.open(work)
    try:
        with store.write(who) as (conn, ctx):
            audit.write(conn, user=who, installation=ctx.installation, action="restore", at=ctx.now,
                        summary=f"从备份恢复：{source.name}（{info.at:%Y-%m-%d %H:%M}，{info.total} 条记录）"
                                + (f"；恢复前的数据已存为 {before.name}" if before else "")
                                + (f"；保留了备份之后的审计记录 {carried} 条" if carried else "")
                                + ("；当前数据库无法打开，按备份中的用户核验了管理员" if by_backup else ""))
    finally:
        store.close()
    conn = sqlite3.connect(work)
    try:
        from ..store.check import as_one_file

        as_one_file(conn)
    finally:
        conn.close()
    _fsync(work)
