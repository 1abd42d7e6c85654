"""Backups of a SQLite database: automatic and manual copies, rotation, encrypted copies for a
stick, and restore — also when the current database is too damaged to open.

Copies are made with SQLite's online backup API (``sqlite3.Connection.backup``), which gives a
consistent snapshot while the program keeps the database open. They live in
``paths.backups_dir()`` as ``<db name>_<YYYYmmdd-HHMMSS>_<kind>.db`` and are kept as 7 daily,
4 weekly and 12 monthly copies. A copy for another disk or a stick is encrypted like a package
(age, passphrase). PostgreSQL databases are backed up with the server's pg_dump instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import LEDGERS
from ..domain.errors import UfError
from ..paths import backups_dir, create_private, private_file

KINDS = {"auto": "自动", "manual": "手动", "before-restore": "恢复前", "damaged": "损坏的原文件"}
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
KEEP_BEFORE_RESTORE = 10
AGE_MAGIC = b"age-encryption.org/v1"
ENC_MAGIC = b"UFPKGENC"  # exchange/pkgcrypt.py
PG_TEXT = ("PostgreSQL 数据库请用服务器的 pg_dump 备份、pg_restore 恢复"
           "（ufdesk 的备份与恢复只用于 SQLite 数据库文件）。")


class BackupError(UfError):
    pass


@dataclass
class BackupInfo:
    """One backup file, with what it holds (``counts`` of live records per ledger)."""

    path: Path
    at: dt.datetime
    kind: str
    size: int
    ok: bool = True
    counts: dict[str, int] = field(default_factory=dict)
    problem: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    def describe(self) -> str:
        """``2026-11-23 17:05（自动）代表人士 120，商会社团 8 …`` — one line of the restore list."""
        head = f"{self.at:%Y-%m-%d %H:%M}（{self.kind_label}）"
        if not self.ok:
            return f"{head} 无法使用：{self.problem}"
        return head + " " + "，".join(f"{LEDGERS[n].label} {c}" for n, c in self.counts.items())


# -- paths --------------------------------------------------------------------------------------
def sqlite_path(db) -> Path:
    """The file of a SQLite database (a path, a ``sqlite:///`` URL, a Store or a Services)."""
    if hasattr(db, "is_sqlite"):
        if not db.is_sqlite:
            raise BackupError(PG_TEXT)
        return Path(db.path)
    text = str(db)
    if "://" in text:
        if not text.startswith("sqlite:///"):
            raise BackupError(PG_TEXT)
        text = text.removeprefix("sqlite:///")
    return Path(text).expanduser().resolve()


def _name(stem: str, at: dt.datetime, kind: str) -> str:
    return f"{stem}_{at:%Y%m%d-%H%M%S}_{kind}.db"


def _parse(path: Path) -> tuple[str, dt.datetime, str] | None:
    parts = path.stem.rsplit("_", 2)
    if len(parts) != 3 or parts[2] not in KINDS:
        return None
    try:
        return parts[0], dt.datetime.strptime(parts[1], "%Y%m%d-%H%M%S"), parts[2]
    except ValueError:
        return None


# -- copying ------------------------------------------------------------------------------------
def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def copy_database(src: Path, dest: Path) -> None:
    """A consistent copy of ``src`` (which may be open and in use) as one self-contained file."""
    from ..store.check import as_one_file, file_quick_check

    src, dest = Path(src), Path(dest)
    if not src.exists():
        raise BackupError(f"数据库文件不存在：{src}")
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    source = target = None
    try:
        create_private(tmp)  # 0600 before the first record is copied in; the copy keeps it
        source = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=10)
        target = sqlite3.connect(tmp)
        source.backup(target, pages=4096)
        as_one_file(target)
        result = file_quick_check(target)
        if result != "ok":
            raise BackupError(f"备份副本检查未通过（{result[:80]}），原数据库可能已损坏。")
        target.close()
        target = None
        _fsync(tmp)
        os.replace(tmp, dest)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"无法备份 {src.name}：{_sqlite_reason(exc)}") from exc
    finally:
        for c in (source, target):
            if c is not None:
                c.close()
        tmp.unlink(missing_ok=True)


def _sqlite_reason(exc: sqlite3.Error) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "磁盘已满"
    if "locked" in text or "busy" in text:
        return "数据库正被另一个程序长时间占用"
    if "not a database" in text or "malformed" in text:
        return "文件已损坏或不是数据库"
    if "unable to open" in text:
        return "无法打开文件（路径或权限问题）"
    return type(exc).__name__


def inspect(path: Path) -> BackupInfo:
    """Read a backup (without changing it): is it sound, and how many records does it hold."""
    path = Path(path)
    parsed = _parse(path)
    at = parsed[1] if parsed else dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    info = BackupInfo(path, at, parsed[2] if parsed else "manual", path.stat().st_size)
    try:
        with open(path, "rb") as f:
            head = f.read(len(AGE_MAGIC))
            if head == AGE_MAGIC or head.startswith(ENC_MAGIC):
                info.kind, info.counts = "encrypted", {}
                return info
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            from ..store.check import file_quick_check

            if file_quick_check(conn) != "ok":
                raise sqlite3.DatabaseError("malformed")
            if conn.execute("SELECT count(*) FROM installation").fetchone()[0] != 1:
                raise BackupError("缺少本机安装信息")
            for name in LEDGERS:
                info.counts[name] = conn.execute(f'SELECT count(*) FROM "{name}" WHERE deleted = 0').fetchone()[0]
        finally:
            conn.close()
    except (sqlite3.Error, BackupError) as exc:
        info.ok = False
        info.problem = str(exc) if isinstance(exc, BackupError) else _sqlite_reason(exc)
    return info


def has_users(path: Path) -> bool:
    """Whether a (plain) backup file has users: its restore then needs one of its admins."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return bool(conn.execute("SELECT count(*) FROM users").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return False


# -- the backups folder -------------------------------------------------------------------------
def make_backup(db, kind: str = "manual", *, folder: Path | None = None,
                now: dt.datetime | None = None) -> BackupInfo:
    """Copy the database into the backups folder, then thin out old copies."""
    src = sqlite_path(db)
    folder = Path(folder) if folder else backups_dir()
    folder.mkdir(parents=True, exist_ok=True)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    dest = folder / _name(src.stem, now, kind)
    while dest.exists():  # two copies in one second
        now += dt.timedelta(seconds=1)
        dest = folder / _name(src.stem, now, kind)
    copy_database(src, dest)
    rotate(src.stem, folder=folder, protect=dest, live=src)
    return inspect(dest)


def auto_backup(db, *, folder: Path | None = None, now: dt.datetime | None = None) -> BackupInfo | None:
    """The automatic backup (at close): at most one a day; None when today's copy exists."""
    src = sqlite_path(db)
    now = now or dt.datetime.now()
    for info in _files(src.stem, Path(folder) if folder else backups_dir()):
        if info[1].date() == now.date() and info[2] != "damaged":
            return None
    return make_backup(src, "auto", folder=folder, now=now)


def _files(stem: str, folder: Path) -> list[tuple[Path, dt.datetime, str]]:
    out = []
    if folder.is_dir():
        for p in folder.glob("*.db"):
            parsed = _parse(p)
            if parsed and parsed[0] == stem:
                out.append((p, parsed[1], parsed[2]))
    return sorted(out, key=lambda t: t[1], reverse=True)


def rotate(stem: str, *, folder: Path | None = None, protect: Path | None = None,
           live: Path | None = None) -> list[Path]:
    """Keep the newest copy of each of the last 7 days, 4 weeks and 12 months that have one;
    delete the rest. The copies taken before a restore are kept apart: the newest 10, and any
    older one that still holds the newest copy of some record — a version of a record that no
    newer copy and not the live database (``live``) has — so that restoring small backups
    again and again cannot push out the only copy of the real data. Copies of a damaged
    original are left for a person to judge."""
    folder = Path(folder) if folder else backups_dir()
    every = _files(stem, folder)  # newest first
    files = [f for f in every if f[2] in ("auto", "manual")]
    keep: set[Path] = set()
    for bucket, n in ((lambda d: d.date(), KEEP_DAILY), (lambda d: d.isocalendar()[:2], KEEP_WEEKLY),
                      (lambda d: (d.year, d.month), KEEP_MONTHLY)):
        seen = []
        for path, at, _kind in files:  # the first (newest) of each bucket is kept
            b = bucket(at)
            if b not in seen:
                seen.append(b)
                if len(seen) <= n:
                    keep.add(path)
    doomed = [f[0] for f in files if f[0] not in keep and f[0] != protect]
    for path, at, _kind in [f for f in every if f[2] == "before-restore"][KEEP_BEFORE_RESTORE:]:
        newer = [p for p, a, _k in every if a > at and p not in doomed and p.exists()]
        if not _holds_newest(path, newer + ([Path(live)] if live else [])):
            doomed.append(path)
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def _versions(path: Path) -> set[tuple] | None:
    """Every record version in a database file (ledger, UUID, edit counter, time, deleted,
    version vector); None when it cannot be read."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        out: set[tuple] = set()
        for name in LEDGERS:
            out.update((name, *r) for r in conn.execute(
                f'SELECT uuid, version, updated_at, deleted, coalesce(vv, \'\') FROM "{name}"'))
        return out
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _holds_newest(path: Path, newer: list[Path]) -> bool:
    """Whether ``path`` holds a record version found in none of ``newer`` (unreadable counts as
    holding: a copy is never deleted on a guess)."""
    mine = _versions(path)
    if mine is None:
        return True
    for other in newer:
        theirs = _versions(other)
        if theirs:
            mine -= theirs
        if not mine:
            return False
    return bool(mine)


def list_backups(db=None, *, folder: Path | None = None) -> list[BackupInfo]:
    """The backups of ``db`` (or of every database), newest first, with dates and record counts."""
    folder = Path(folder) if folder else backups_dir()
    if db is not None:
        return [inspect(p) for p, _at, _k in _files(sqlite_path(db).stem, folder)]
    infos = [inspect(p) for p in folder.glob("*.db") if _parse(p)] if folder.is_dir() else []
    return sorted(infos, key=lambda i: i.at, reverse=True)


def newest_good_backup(db, *, folder: Path | None = None) -> BackupInfo | None:
    """The newest backup of ``db`` that passes SQLite's check (what the GUI offers when the
    database is damaged); None when there is none."""
    for info in list_backups(db, folder=folder):
        if info.ok and info.kind != "damaged":
            return info
    return None


# -- encrypted copies ---------------------------------------------------------------------------
# Encrypted "like a package": the package engine's passphrase encryption (scrypt +
# ChaCha20-Poly1305 in authenticated chunks, exchange/pkgcrypt.py).
def encrypt(data: bytes, secret: str) -> bytes:
    from ..exchange import pkgcrypt

    if not secret:
        raise BackupError("加密备份需要口令。")
    return pkgcrypt.encrypt(data, secret)


def decrypt(data: bytes, secret: str) -> bytes:
    from ..exchange import pkgcrypt

    try:
        return pkgcrypt.decrypt(data, secret)
    except Exception as exc:  # wrong passphrase, truncated or altered file
        text = str(exc)
        if "不完整" in text or "截断" in text:
            reason = "备份文件不完整（被截断），可能是复制时U盘拔出过早。"
        elif "口令" in text:
            reason = "口令不正确（或备份文件头已损坏），请核对口令后重试。"
        else:
            reason = "备份文件已损坏或被改动。"
        raise BackupError(f"无法解密备份：{reason}") from exc


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as f:
        head = f.read(len(AGE_MAGIC))
    return head.startswith(ENC_MAGIC) or head == AGE_MAGIC


def export_copy(db, out: Path, *, passphrase: str | None = None) -> Path:
    """A copy of the database at ``out`` (for another disk or a stick), encrypted when a
    passphrase is given. Built on local disk, written under a temporary name, read back and
    verified before it takes its name."""
    src, out = sqlite_path(db), Path(out)
    if out.is_dir():  # a stick's folder: name the file
        out = out / f"{src.stem}_{dt.datetime.now():%Y%m%d-%H%M}{'.ufbak' if passphrase else '.db'}"
    if out.resolve() == src:
        raise BackupError("备份文件不能覆盖数据库本身。")
    work = private_file("export-", ".db")
    try:
        copy_database(src, work)
        data = work.read_bytes()
    finally:
        work.unlink(missing_ok=True)
    payload = encrypt(data, passphrase) if passphrase else data
    _write_verified(out, payload, (lambda b: decrypt(b, passphrase)) if passphrase else None, data)
    return out


def _write_verified(out: Path, payload: bytes, reader, original: bytes) -> None:
    tmp = out.with_name(out.name + ".part")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if shutil.disk_usage(out.parent).free < len(payload) + (1 << 20):
            raise BackupError(f"{out.parent} 空间不足：需要 {len(payload) // (1 << 20) + 1} MB。")
        create_private(tmp)
        with open(tmp, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        back = tmp.read_bytes()
        check = reader(back) if reader else back
        if hashlib.sha256(check).digest() != hashlib.sha256(original).digest():
            raise BackupError(f"写入 {out} 后读回校验不一致：该磁盘或U盘可能有问题，请换一个再试。")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)


def restore(db, source, **kwargs):
    """Replace ``db`` with the backup ``source``: see ``services/restore.py``."""
    from .restore import restore as _restore

    return _restore(db, source, **kwargs)


# -- for a logged-in session (what the GUI and the CLI call) --------------------------------------
def copy_out(svc, out: Path, *, passphrase: str | None = None) -> Path:
    """``export_copy`` as ``svc``'s user, audited. A plain copy carries every ID number in
    clear and needs 'export_full_ids'; an encrypted one is like a package ('packages')."""
    from . import audit

    svc.require("admin" if passphrase else "export_full_ids")  # either copy holds every ID and password hash
    written = export_copy(svc.store, Path(out), passphrase=passphrase)
    with svc.store.write(svc.user) as (conn, ctx):
        audit.write(conn, user=svc.user, installation=ctx.installation, action="backup", at=ctx.now,
                    summary=f"备份到 {written.name}" + ("（加密）" if passphrase else "（未加密）"))
    return written


def restore_open(svc, source: Path, *, user: str, password: str, passphrase: str | None = None,
                 other_installation: bool = False):
    """Restore over the database ``svc`` has open: its connections are closed first (the caller
    runs this on the one thread that uses the database) and its caches dropped after. The
    session's undo history is cleared — its changes were made to the data the restore replaced,
    and Ctrl+Z would now change the restored records — and ``undo_cleared`` says how many."""
    from .users import get_user

    svc.require("admin")
    store = svc.store
    store.engine.dispose()
    try:
        done = restore(store.path, source, user=user, password=password, passphrase=passphrase,
                       other_installation=other_installation)
    finally:
        store.engine.dispose()
        store.invalidate()
    done.undo_cleared = len(svc._undo)
    svc._undo.clear()
    if done.user:
        row = get_user(store, done.user)
        svc.user, svc.role = done.user, (row or {}).get("role", svc.role)
    return done


def preview_restore(svc, source: Path, *, passphrase: str | None = None):
    """What a restore of ``source`` would replace and by what (``restore.Preview``); changes nothing."""
    from .restore import preview

    svc.require("admin")
    return preview(svc.store.path, source, passphrase=passphrase)


__all__ = ["BackupError", "BackupInfo", "copy_out", "restore_open", "auto_backup", "copy_database", "export_copy", "has_users",
           "inspect", "is_encrypted", "list_backups", "make_backup", "newest_good_backup", "restore", "rotate",
           "sqlite_path"]
