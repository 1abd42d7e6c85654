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


def restore(db, source, *, user: str | None = None, password: str | None = None,
            passphrase: str | None = None, folder: Path | None = None) -> Restored:
    """Replace the database at ``db`` with the backup ``source`` (plain or encrypted).

    The backup is checked first, and the login is checked against the live database's users
    (an administrator is needed); against the backup's only when the live file cannot be opened. The current state is then backed up (or, when it is too damaged to
    copy, its files are kept as they are), and only then replaced. Nothing is changed when any
    step before the replacement fails. The caller must have closed the database."""
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
        before = _save_current(target, folder)
        carried = _carry_audit(target, work, base)
        _finish(work, source, info, who, before, carried, by_backup)
        _remove_db_files(target, main=False)  # a stale -wal must never be replayed onto the new file
        os.replace(work, target)
    finally:
        _remove_db_files(work)
    return Restored(info.counts, before, who)


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
