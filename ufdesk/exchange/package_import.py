"""Importing a package: copy it to local disk, verify everything, check that it is for us, then
merge it in ONE transaction (or roll back: the dry run). The batch is recorded in
``package_log`` and ``package_changes`` (before-states), so ``undo`` can reverse it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from ..domain import LEDGERS
from ..domain.errors import UfError
from ..services import audit
from ..services.progress import drain
from ..services.settings import apply_county_values as apply_county_settings
from ..store.fastpath import set_cache
from ..store.schema import (
    ALL_RECORD_TABLES,
    code_overrides,
    conflicts,
    duplicates,
    package_changes,
    package_log,
    peers,
    townships,
    villages,
)
from . import package_apply as A
from . import package_trust as PT
from .field_scope import refusals as field_refusals
from .field_scope import without
from .package import Package, PackageError, decode_row, open_bytes, schema_known
from .package_export import COUNTY
from .package_trust import identities
from .scope import Guard


@dataclass
class ImportResult:
    package_id: str
    sender: str  # e.g. "城关镇" or "测试县（县直）"
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    already: bool = False  # the same package was imported before: nothing changed
    dry_run: bool = False
    conflicts: int = 0
    duplicates: int = 0
    records: int = 0
    trust: str = ""  # verified / unverified (exchange/package_trust)
    refused: list[str] = field(default_factory=list)  # one line per row the sender may not write (scope)

    refused_fields: list[str] = field(default_factory=list)  # rows beyond a township's field scope

    def lines(self) -> list[str]:
        return [f"{name}: " + " ".join(f"{label} {c[key]}" for key, label in A.LABELS)
                for name, c in self.counts.items()]


def read_file(path: str | os.PathLike, passphrase: str, store=None) -> Package:
    """Copy the package from the stick to local disk first, then decrypt and verify it there.
    With ``store``, a package addressed to this installation is opened with its key."""
    src = Path(path)
    if not src.is_file():
        raise UfError(f"找不到数据包文件：{src}")
    from ..paths import private_file

    tmp = private_file("import-", ".ufpkg")  # the private folder, never the shared /tmp
    try:
        shutil.copyfile(src, tmp)
        data = Path(tmp).read_bytes()
    finally:
        Path(tmp).unlink(missing_ok=True)
    return open_bytes(data, passphrase, identities(store, passphrase) if store is not None else ())


def check(store, pkg: Package) -> None:
    """Refuse a package that is not for this installation, with the reason."""
    m = pkg.manifest
    inst = store.installation
    if m.get("county_code") != inst["county_code"]:
        raise PackageError(f"该数据包来自其他县（{m.get('county_name', '')}，代码 {m.get('county_code')}），"
                           f"本机属于{inst['county_name']}，不能导入。")
    if m.get("schema") not in schema_known(store.engine):
        raise PackageError(f"数据包由较新版本的 ufdesk（{m.get('app')}，结构版本 {m.get('schema')}）生成，"
                           "请先升级 ufdesk 后再导入。")
    if m.get("sender") == inst["id"]:
        raise PackageError("这是本机自己导出的数据包，不需要导入。")
    me = COUNTY if inst["township"] is None else inst["township"]
    if m.get("recipient") != me:
        to = "县委统战部" if m.get("recipient") == COUNTY else store.township_name(m.get("recipient"))
        raise PackageError(f"该数据包是发给{to}的，不是发给本机的，不能导入。")


def _previous(conn, pkg: Package) -> dict | None:
    row = conn.execute(sa.select(package_log).where(
        package_log.c.package_id == pkg.id, package_log.c.direction == "received",
        sa.or_(package_log.c.status.is_(None), package_log.c.status != "undone"))).mappings().first()
    return dict(row) if row else None


def _seq_warnings(conn, m: dict, sender_name: str) -> tuple[list[str], dict | None]:
    peer = conn.execute(sa.select(peers).where(peers.c.id == m["sender"])).mappings().first()
    last = peer["last_seq_received"] if peer else 0
    seq = m.get("seq") or 0
    out = []
    if seq > last + 1:
        missing = f"第 {last + 1} 号" if seq == last + 2 else f"第 {last + 1}～{seq - 1} 号"
        out.append(f"注意：缺少{sender_name}的{missing}数据包（可能丢失或尚未导入）。本包照常导入；"
                   "数据包是累积的，以后导入缺少的包也不会覆盖较新的修改。")
    elif seq <= last:
        out.append(f"注意：本包是{sender_name}的第 {seq} 号，早于已导入的第 {last} 号（顺序颠倒）。"
                   "照常合并，较新的修改不会被覆盖。")
    return out, dict(peer) if peer else None


def import_package(store, pkg: Package, *, dry_run: bool = False, user: str | None = None
                   ) -> Generator[tuple[int, int, str], None, ImportResult]:
    """Yield progress; return an ``ImportResult``. Refusals raise ``PackageError`` before any
    change; any failure midway rolls the whole transaction back."""
    check(store, pkg)
    m = pkg.manifest
    result = ImportResult(pkg.id, m.get("sender_name") or m.get("sender"), dry_run=dry_run)
    tables = list(ALL_RECORD_TABLES)
    total = len(tables) + 2
    if store.readonly and not dry_run:
        raise UfError("数据库是只读的（文件或文件夹没有写权限），不能导入数据包。")
    conn = store.engine.connect()
    big = sum(len(d) for d in pkg.members.values()) > 4_000_000
    if big:  # many index pages: keep them in memory while merging
        set_cache(conn, large=True)
    trans = conn.begin()
    try:
        result.trust = PT.verify(conn, store, pkg)
        prev = _previous(conn, pkg)
        if prev is not None:
            if prev["sha256"] != pkg.digest:
                raise PackageError(f"数据包编号 {pkg.id} 已于 {prev['imported_at']:%Y-%m-%d %H:%M} 导入过，"
                                   "但这次的内容与那次不同：可能被改动过或是伪造的，已拒收。")
            result.already = True
            result.warnings.append(f"该数据包已于 {prev['imported_at']:%Y-%m-%d %H:%M} 导入过，本次没有做任何修改。")
            counts = json.loads(prev["counts"] or "{}")
            result.counts = {k: {**dict.fromkeys(v, 0), "unchanged": sum(v.values())} for k, v in counts.items()}
            trans.rollback()
            return result
        warnings, peer_before = _seq_warnings(conn, m, result.sender)
        result.warnings += warnings
        counter = store.next_counter(conn)
        from ..store.records import WriteCtx

        ctx = WriteCtx(store.installation["id"], counter, user)
        per_table: dict[str, A.TableOutcome] = {}
        guard = Guard(conn, store, pkg)
        yield 0, total, "正在核对数据包…"
        for i, name in enumerate(tables, 1):
            keys = pkg.keys(name)
            bad = field_refusals(pkg, name)  # a township's edit of what only the county sets (重点任务)
            if bad:
                keys = without(keys, set(bad))
                lines = [f"拒收：{LEDGERS[name].label}“{_title(pkg, name, u)}”——{why}" for u, why in bad.items()]
                result.refused_fields += lines
            per_table[name] = A.apply_table(conn, ctx, name, keys,
                                            lambda name=name, bad=set(bad): without(pkg.table(name), bad), pkg.id,
                                            guard)
            if name in LEDGERS:
                result.records += len(keys[1])
            yield i, total, f"已合并：{name}（{len(keys[1])} 条）"
        result.counts = A.ledger_counts(per_table)
        result.conflicts = sum(r.conflicts for r in per_table.values())
        result.duplicates = sum(r.duplicates for r in per_table.values())
        result.refused = [r.line() for r in guard.refused] + result.refused_fields  # record, then field scope
        if pkg.places() is not None and m.get("sender_township") is None and store.township is not None:
            n = _apply_places(conn, pkg.places()) + apply_county_settings(conn, pkg.places().get("settings") or [])
            if n:
                result.warnings.append(f"已更新县里下发的乡镇、村(社区)、代码表和设置（{n} 项）。")
        elif pkg.places() is not None and m.get("sender_township") is not None:
            result.refused.append("拒收：乡镇、村(社区)、代码表和设置——只接受县委统战部下发的，"
                                  f"{result.sender}的数据包中的这部分未被采用")
        n = PT.take_certificates(conn, store, pkg, result.trust)
        if n:
            result.warnings.append(f"已更新县里下发的开通信息（{n} 项：新开通或吊销的安装）。")
        if result.trust == PT.UNVERIFIED:
            result.warnings.append(PT.UNVERIFIED_NOTE)
        _book(conn, ctx, store, pkg, result, peer_before)
        yield total, total, "正在提交…"
        if dry_run:
            trans.rollback()
        else:
            trans.commit()
            store.invalidate()
    except BaseException:
        trans.rollback()
        raise
    finally:
        if big:
            set_cache(conn, large=False)
        conn.close()
    return result


_import_unguarded = import_package


def import_package(store, pkg: Package, *, dry_run: bool = False, user: str | None = None
                   ) -> Generator[tuple[int, int, str], None, ImportResult]:
    """``import_package`` above, with every failure told as a sentence: a package whose records
    do not have the shape this program writes (found by fuzzing: wrong types, missing columns,
    broken clocks) is refused like any other bad package, and the transaction is rolled back."""
    try:
        return (yield from _import_unguarded(store, pkg, dry_run=dry_run, user=user))
    except PackageError as exc:
        _audit_refusal(store, pkg, exc, user)
        raise
    except UfError:
        raise
    except sa.exc.OperationalError as exc:  # disk full, database locked: say which
        from ..store.db import write_error

        raise write_error(exc) from exc
    except (sa.exc.SQLAlchemyError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise PackageError(f"数据包中的记录格式不对（{type(exc).__name__}），已拒收，数据库未作任何修改。"
                           "可能是文件被改动过，或由有问题的程序生成：请让对方重新导出。") from exc


def _title(pkg, table_name: str, uuid: str) -> str:
    lg = LEDGERS[table_name]
    row = next((r for r in pkg.rows(table_name) if r["uuid"] == uuid), {})
    return str(row.get(lg.title) or uuid[:8])[:40]


def _audit_refusal(store, pkg: Package, exc: Exception, user: str | None) -> None:
    """A refused package is a security event: one audit row saying who claimed to send it and
    why it was refused (the sentence holds no personal data). Nothing else is written."""
    if store.readonly:
        return
    m = pkg.manifest
    try:
        with store.engine.begin() as conn:
            audit.write(conn, user=user, installation=store.installation["id"], action="package_refused",
                        batch=str(m.get("package_id") or "")[:64] or None,
                        summary=f"拒收数据包（自称来自 {m.get('sender_name') or m.get('sender')}）：{exc}")
    except sa.exc.SQLAlchemyError:
        pass  # the refusal itself stands; a full disk must not hide it


def _apply_places(conn, places: dict) -> int:
    n = 0
    for table, key, rows in ((townships, ["code"], places.get("townships", [])),
                             (villages, ["code"], places.get("villages", [])),
                             (code_overrides, ["code_table", "code"], places.get("code_overrides", []))):
        for r in rows:
            r = {k: (dt.datetime.fromisoformat(v) if k == "updated_at" and v else v) for k, v in r.items()
                 if k in table.c}
            where = [table.c[k] == r[k] for k in key]
            cur = conn.execute(sa.select(table).where(*where)).mappings().first()
            if cur is None:
                conn.execute(sa.insert(table).values(**r))
                n += 1
            elif any(cur[k] != v for k, v in r.items() if k != "updated_at"):
                conn.execute(sa.update(table).where(*where).values(**r))
                n += 1
    return n


def _book(conn, ctx, store, pkg: Package, result: ImportResult, peer_before: dict | None) -> None:
    m = pkg.manifest
    me = store.installation["id"]
    now = ctx.now
    values = {"township": m.get("sender_township"), "name": result.sender, "last_seen_at": now}
    if peer_before is None:
        conn.execute(sa.insert(peers).values(id=m["sender"], last_seq_received=m.get("seq") or 0,
                                             their_counter=m.get("counter") or 0,
                                             acked_counter=(m.get("acks") or {}).get(me, 0), **values))
    else:
        conn.execute(sa.update(peers).where(peers.c.id == m["sender"]).values(
            last_seq_received=max(peer_before["last_seq_received"], m.get("seq") or 0),
            their_counter=max(peer_before["their_counter"], m.get("counter") or 0),
            acked_counter=max(peer_before["acked_counter"], (m.get("acks") or {}).get(me, 0)), **values))
    peer_json = {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in (peer_before or {}).items()}
    conn.execute(sa.insert(package_log).values(
        package_id=pkg.id, direction="received", peer=m["sender"], sender=m["sender"],
        sender_township=m.get("sender_township"), recipient=m.get("recipient"), seq=m.get("seq"),
        months=",".join(m.get("months") or []), exported_at=dt.datetime.fromisoformat(m["exported_at"]),
        imported_at=now, records=result.records, counts=json.dumps(result.counts), sha256=pkg.digest,
        status="ok", details=json.dumps({"warnings": result.warnings, "peer_before": peer_before and peer_json,
                                         "counter": ctx.counter, "user": ctx.user,
                                         "trust": result.trust}, ensure_ascii=False),
    ))
    summary = "；".join(f"{LEDGERS[k].label} 新增{v['new']} 更新{v['updated']} 冲突{v['conflict']}"
                       for k, v in result.counts.items() if any(v[x] for x in ("new", "updated", "conflict")))
    audit.write(conn, user=ctx.user, installation=me, action="package_import", summary=(
        f"导入{result.sender}的数据包（第 {m.get('seq')} 号{'，未验证' if result.trust == PT.UNVERIFIED else ''}）："
        f"{summary or '无变化'}"), batch=pkg.id, at=now)


def run(gen):
    """Drive a progress generator to its end without a GUI; return its value."""
    return drain(gen)


# -- undo of a whole batch ---------------------------------------------------------------------
def undo(store, package_id: str, user: str | None = None) -> int:
    """Put every row the package changed back as it was; refuses when a row was changed here
    since. Returns the number of rows restored or removed."""
    with store.write(user) as (conn, ctx):
        log = conn.execute(sa.select(package_log).where(
            package_log.c.package_id == package_id, package_log.c.direction == "received")
            .order_by(package_log.c.id.desc())).mappings().first()
        if log is None:
            raise UfError(f"没有导入过编号为 {package_id} 的数据包（可用 ufdesk package log 查看）。")
        if log["status"] == "undone":
            raise UfError(f"数据包 {package_id} 已经撤销过了。")
        changes = [dict(r) for r in conn.execute(sa.select(package_changes).where(
            package_changes.c.package_id == package_id).order_by(package_changes.c.id.desc())).mappings()]
        stale = 0
        for c in changes:
            t = ALL_RECORD_TABLES[c["table_name"]]
            v = conn.execute(sa.select(t.c.version).where(t.c.uuid == c["uuid"])).scalar()
            if v != c["after_version"]:
                stale += 1
        if stale:
            raise UfError(f"该数据包导入后，已有 {stale} 条记录在本机又被修改过，不能整批撤销；"
                          "请逐条核对修改。")
        order = {name: i for i, name in enumerate(ALL_RECORD_TABLES)}
        changes.sort(key=lambda c: -order[c["table_name"]])  # sub-records before their records
        for c in changes:
            t = ALL_RECORD_TABLES[c["table_name"]]
            if c["before"] is None:
                conn.execute(sa.delete(t).where(t.c.uuid == c["uuid"]))
            else:
                before = decode_row(c["table_name"], json.loads(c["before"]))
                before["version"] = c["after_version"] + 1
                conn.execute(sa.update(t).where(t.c.uuid == c["uuid"]).values(**before))
        conn.execute(sa.delete(package_changes).where(package_changes.c.package_id == package_id))
        conn.execute(sa.delete(conflicts).where(conflicts.c.package == package_id, conflicts.c.resolved.is_(None)))
        conn.execute(sa.update(conflicts).where(conflicts.c.resolved == "superseded", conflicts.c.resolved_by == package_id)
                     .values(resolved=None, resolved_at=None, resolved_by=None))
        conn.execute(sa.delete(duplicates).where(duplicates.c.package == package_id, duplicates.c.resolved.is_(None)))
        details = json.loads(log["details"] or "{}")
        peer_before = details.get("peer_before")
        if peer_before:
            peer_before["last_seen_at"] = peer_before.get("last_seen_at") and dt.datetime.fromisoformat(
                peer_before["last_seen_at"])
            conn.execute(sa.update(peers).where(peers.c.id == peer_before["id"]).values(**peer_before))
        else:
            conn.execute(sa.delete(peers).where(peers.c.id == log["sender"]))
        conn.execute(sa.update(package_log).where(package_log.c.id == log["id"]).values(status="undone"))
        audit.write(conn, user=user, installation=ctx.installation, action="package_undo",
                    summary=f"撤销导入的数据包 {package_id}（{len(changes)} 条记录）", batch=package_id, at=ctx.now)
    return len(changes)


def log_entries(store, limit: int | None = None) -> list[dict]:
    q = sa.select(package_log).order_by(package_log.c.id.desc())
    if limit:
        q = q.limit(limit)
    with store.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings()]


# -- for a logged-in session (what the GUI and the CLI call): the role is checked here ------------
def read_file_for(svc, path: str | os.PathLike, passphrase: str) -> Package:
    """``read_file`` with ``svc``'s installation key (a package addressed to it opens)."""
    return read_file(path, passphrase, svc.store)


def import_for(svc, pkg: Package, *, dry_run: bool = False) -> Generator[tuple[int, int, str], None, ImportResult]:
    """``import_package`` as ``svc``'s user, who needs the 'packages' permission (a preview too:
    it shows what the package holds)."""
    svc.require("packages")
    return (yield from import_package(svc.store, pkg, dry_run=dry_run, user=svc.user))


def undo_for(svc, package_id: str) -> int:
    svc.require("packages")
    return undo(svc.store, package_id, user=svc.user)
