"""Applying one table of an incoming package inside the import transaction.

Rows whose born/clock/vv/deleted equal the local copy are unchanged and cost one dictionary
lookup (a re-import of 100,000 unchanged rows takes seconds). New rows are inserted in one
statement (store/fastpath); the rest go through ``merge.merge_record``. Every row written is logged in
``package_changes`` with its before-state, so ``package undo`` can reverse the batch.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..domain import LEDGERS, SUBS
from ..store import fastpath as F
from ..store import records as R
from ..store.schema import ALL_RECORD_TABLES, LEDGER_TABLES, conflicts, duplicates, package_changes
from ..store.schema import audit as audit_table
from . import merge
from .package import binary_columns, datetime_columns, decode_row, dumps

CHUNK = 500
KEY_TYPES = ("idcard", "uscc", "site_reg")  # natural keys that suggest a duplicate, never merge


def natural_keys(table_name: str) -> list[str]:
    lg = LEDGERS.get(table_name)
    return [f.name for f in lg.fields if f.type in KEY_TYPES] if lg else []


@dataclass
class TableOutcome:
    outcomes: dict[str, str] = field(default_factory=dict)  # uuid → new/updated/unchanged/conflict/…
    conflicts: int = 0
    duplicates: int = 0
    parents: dict[str, tuple] = field(default_factory=dict)  # sub-record uuid → (ledger, parent uuid)


def _chunks(seq, n=CHUNK):
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _meta_of(conn, t, uuids) -> dict[str, tuple]:
    cols = (t.c.uuid, t.c.born, t.c.clock, t.c.vv, t.c.deleted)
    out = {}
    if len(uuids) > 2000:  # most of the table: one pass beats thousands of lookups
        wanted = set(uuids)
        for r in F.stored_rows(conn, sa.select(*cols)):
            if r[0] in wanted:
                out[r[0]] = (r[1], r[2], r[3], bool(r[4]))
        return out
    for part in _chunks(uuids):
        for r in conn.execute(sa.select(*cols).where(t.c.uuid.in_(part))):
            out[r[0]] = (r[1], r[2], r[3], bool(r[4]))
    return out


def _full_rows(conn, t, uuids) -> dict[str, dict]:
    out = {}
    for part in _chunks(uuids):
        for r in conn.execute(sa.select(t).where(t.c.uuid.in_(part))).mappings():
            out[r["uuid"]] = dict(r)
    return out


def _open_conflicts(conn, table_name, uuids) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    c = conflicts
    for part in _chunks(uuids):
        for r in conn.execute(sa.select(c.c.id, c.c.record, c.c.field, c.c.theirs_dot).where(
                c.c.table_name == table_name, c.c.resolved.is_(None), c.c.record.in_(part))).mappings():
            out.setdefault(r["record"], []).append(dict(r, theirs_dot=r["theirs_dot"]))
    return out


def before_json(row: dict) -> str:
    return dumps({k: v for k, v in row.items() if k != "id"})


def apply_table(conn, ctx, table_name: str, keys: tuple[list[str], list[list]], load_full,
                package_id: str, guard=None) -> TableOutcome:
    """Merge one table of a package. ``keys``: (columns, rows) of uuid/born/clock/vv/deleted;
    ``load_full()`` gives (columns, rows) of the whole rows, in the same order — read only when
    some row is not unchanged (a re-import of 100,000 unchanged rows never parses them).
    ``guard`` (exchange/scope): the rows the sender may not write are refused, never applied."""
    t = ALL_RECORD_TABLES[table_name]
    res = TableOutcome()
    kcols, krows = keys
    if not krows:
        return res
    kx = {c: i for i, c in enumerate(kcols)}
    iu, ib, ic, iv, idl = kx["uuid"], kx["born"], kx["clock"], kx["vv"], kx["deleted"]
    local = _meta_of(conn, t, [r[iu] for r in krows])
    new_at, full_at = [], []
    for n, r in enumerate(krows):
        m = local.get(r[iu])
        if m is None:
            new_at.append(n)
        elif m[0] != r[ib]:
            res.outcomes[r[iu]] = "rejected"  # same UUID, another record: never merged
            full_at.append(-1 - n)
        elif m[1] == r[ic] and m[2] == r[iv] and m[3] == bool(r[idl]):
            res.outcomes[r[iu]] = "unchanged"
        else:
            full_at.append(n)
    if not new_at and not full_at:
        return res
    columns, rows = load_full()
    if len(rows) != len(krows):
        from .package import PackageError

        raise PackageError(f"数据包中 {table_name} 的数据不完整，请重新导出。")
    if guard is not None:
        bad = guard.check(table_name, columns, [rows[n] for n in new_at + full_at if n >= 0], local)
        if bad:
            iu_full = columns.index("uuid")
            for u in bad:
                res.outcomes[u] = "rejected"
            new_at = [n for n in new_at if rows[n][iu_full] not in bad]
            full_at = [n for n in full_at if n < 0 or rows[n][iu_full] not in bad]
    rows = _with_defaults(table_name, columns, rows)
    res.parents = parents_of(table_name, columns, [rows[n if n >= 0 else -1 - n] for n in new_at + full_at])
    full = [dict(zip(columns, rows[n], strict=True)) for n in full_at if n >= 0]
    new = [rows[n] for n in new_at]
    log: list[dict] = []
    if full:
        _merge_existing(conn, ctx, t, table_name, full, package_id, res, log)
    if new:
        _insert_new(conn, ctx, t, table_name, columns, new, package_id, res, log)
    F.insert_stored(conn, package_changes, log)
    return res


def _with_defaults(table_name: str, columns: list[str], rows: list) -> list:
    """A package's empty status (sent by an installation whose records predate status
    defaults) read as the field's default: the value the receiver's own copy holds since the
    migration filled it, so no conflict and no change arises from it."""
    ix = [(columns.index(name), default) for name, default in R.defaults(table_name) if name in columns]
    if not ix or "deleted" not in columns:
        return rows
    idel = columns.index("deleted")
    out = []
    for r in rows:
        if not r[idel] and any(r[i] is None or r[i] == "" for i, _d in ix):
            r = list(r)
            for i, default in ix:
                if r[i] is None or r[i] == "":
                    r[i] = default
        out.append(r)
    return out


def _merge_existing(conn, ctx, t, table_name, rows, package_id, res, log) -> None:
    uuids = [r["uuid"] for r in rows]
    locals_ = _full_rows(conn, t, uuids)
    queued = _open_conflicts(conn, table_name, uuids)
    new_conflicts, closed, mine_updates, trail = [], [], {}, []
    updates: dict[tuple, list[dict]] = {}  # rows changing the same columns: one executemany
    cols = set(R.merge_columns(table_name))
    for r in rows:
        inc = decode_row(table_name, dict(r))
        loc = locals_[r["uuid"]]
        m = merge.merge_record(table_name, loc, inc, queued.get(r["uuid"], []))
        res.outcomes[r["uuid"]] = m.outcome
        for c in m.conflicts:
            new_conflicts.append({
                "table_name": table_name, "record": r["uuid"], "field": c["field"],
                "mine": dumps(c["mine"]), "theirs": dumps(c["theirs"]), "theirs_dot": c["theirs_dot"],
                "package": package_id, "since": ctx.now,
            })
        closed += m.closed
        mine_updates.update(m.mine_updates)
        if m.values:
            values = dict(m.values, version=loc["version"] + 1)
            updates.setdefault(tuple(sorted(values)), []).append({**{f"v_{k}": v for k, v in values.items()},
                                                                  "k_uuid": r["uuid"]})
            log.append({"package_id": package_id, "counter": ctx.counter, "table_name": table_name,
                        "uuid": r["uuid"], "before": before_json(loc), "after_version": values["version"]})
            diff = {f: (loc.get(f), v) for f, v in m.values.items() if f in cols or f == "deleted"}
            if diff:
                trail.append(_audit_row(ctx, table_name, r["uuid"], diff, m.outcome, package_id))
    for names, params in updates.items():
        stmt = sa.update(t).where(t.c.uuid == sa.bindparam("k_uuid")).values(
            {t.c[k]: sa.bindparam(f"v_{k}") for k in names})
        conn.execute(stmt, params)
    if trail:
        conn.execute(sa.insert(audit_table), trail)
    if new_conflicts:
        conn.execute(sa.insert(conflicts), new_conflicts)
        res.conflicts += len(new_conflicts)
    if closed:
        conn.execute(sa.update(conflicts).where(conflicts.c.id.in_(closed))
                     .values(resolved="superseded", resolved_at=ctx.now, resolved_by=package_id))
    for cid, value in mine_updates.items():
        if cid not in closed:
            conn.execute(sa.update(conflicts).where(conflicts.c.id == cid).values(mine=dumps(value)))


def _insert_new(conn, ctx, t, table_name, columns, rows, package_id, res, log) -> None:
    ix = {c: i for i, c in enumerate(columns)}
    iu = ix["uuid"]
    if table_name in SUBS:
        rows = _drop_orphans(conn, table_name, rows, ix["parent"], iu, res)
    dups = _duplicates(conn, t, table_name, rows, ix)
    cols = [c for c in columns if c != merge.PENDING]
    raw = F.is_sqlite(conn) and (table_name not in LEDGER_TABLES or "sk_stroke" in ix)
    idel = ix["deleted"]
    for r in rows:
        uuid = r[iu]
        res.outcomes[uuid] = "duplicate" if uuid in dups else ("new" if not r[idel] else "updated")
        log.append({"package_id": package_id, "counter": ctx.counter, "table_name": table_name,
                    "uuid": uuid, "before": None, "after_version": 1})
    if raw:
        with F.indexes_deferred(conn, t, len(rows)):
            _insert_raw(conn, t, table_name, cols, ix, rows)
    elif rows:
        batch = []
        for r in rows:
            row = decode_row(table_name, {c: r[ix[c]] for c in cols})
            row["deleted"] = bool(row["deleted"])
            if table_name in LEDGER_TABLES and "sk_stroke" not in row and not row["deleted"]:
                row.update(R.derived(table_name, row))
            row["version"] = 1
            batch.append(row)
        keys = set().union(*(b.keys() for b in batch))
        for b in batch:
            for k in keys:
                b.setdefault(k, None)
        conn.execute(sa.insert(t), batch)
    if dups:
        conn.execute(sa.insert(duplicates), [
            {"table_name": table_name, "record": u, "other": other, "key": key, "package": package_id, "since": ctx.now}
            for u, (other, key) in dups.items()
        ])
        res.duplicates += len(dups)


def _audit_row(ctx, table_name, uuid, diff, outcome, package_id) -> dict:
    """What a package changed on a record already here, for the audit log (values masked)."""
    from ..services import audit

    ledger = SUBS[table_name][0].name if table_name in SUBS else table_name
    what = "删除" if diff.get("deleted", (None, False))[1] else "修改"
    return {"at": ctx.now, "user": ctx.user, "installation": ctx.installation, "action": "package_merge",
            "ledger": ledger, "record": uuid, "batch": package_id,
            "summary": f"数据包{what}：{table_name}（{len(diff)} 个字段）" + ("，有冲突待处理" if outcome == "conflict" else ""),
            "details": audit.diff_details(table_name, diff)}


def _insert_raw(conn, t, table_name, cols, ix, rows) -> None:
    """New rows straight from the package's arrays to the driver (SQLite stores dates as the
    ISO text the package carries); only binary and "T"-separated timestamps are converted."""
    pick = [ix[c] for c in cols]
    binary = [n for n, c in enumerate(cols) if c in binary_columns(table_name)]
    stamps = [n for n, c in enumerate(cols) if c in datetime_columns(table_name)]
    idel = cols.index("deleted")
    out = []
    for r in rows:
        v = [r[i] for i in pick]
        v[idel] = 1 if v[idel] else 0
        for n in binary:
            if v[n] is not None:
                v[n] = base64.b64decode(v[n])
        for n in stamps:  # a package made on PostgreSQL writes "T" between date and time
            if v[n] is not None and "T" in v[n]:
                v[n] = v[n].replace("T", " ")
        v.append(1)
        out.append(tuple(v))
    F.insert_stored_tuples(conn, t, [*cols, "version"], out)


def _drop_orphans(conn, table_name, rows, ip, iu, res) -> list[list]:
    """Sub-records whose main record exists neither here nor in the package are refused."""
    parent_t = LEDGER_TABLES[SUBS[table_name][0].name]
    parents = {r[ip] for r in rows if r[ip]}
    found = set()
    if len(parents) > 2000:
        found = {u for (u,) in conn.execute(sa.select(parent_t.c.uuid)) if u in parents}
    else:
        for part in _chunks(sorted(parents)):
            found.update(u for (u,) in conn.execute(sa.select(parent_t.c.uuid).where(parent_t.c.uuid.in_(part))))
    keep = []
    for r in rows:
        if r[ip] in found:
            keep.append(r)
        else:
            res.outcomes[r[iu]] = "rejected"
    return keep


def _duplicates(conn, t, table_name, rows, ix) -> dict[str, tuple[str, str]]:
    """New live records whose ID number (credit code, registration number) matches a
    different live local record: {new uuid: (other uuid, key field)}."""
    out: dict[str, tuple[str, str]] = {}
    iu, idl = ix["uuid"], ix["deleted"]
    for key in natural_keys(table_name):
        if key not in ix:
            continue
        ik = ix[key]
        wanted: dict[str, str] = {}
        for r in rows:
            v = r[ik]
            if v and not r[idl] and r[iu] not in out:
                wanted.setdefault(v, r[iu])
        if not wanted:
            continue
        values = list(wanted)
        for part in _chunks(values):
            for uuid, v in conn.execute(sa.select(t.c.uuid, t.c[key]).where(
                    t.c[key].in_(part), t.c.deleted == sa.false())):
                if uuid != wanted[v] and wanted[v] not in out:
                    out[wanted[v]] = (uuid, key)
    return out


RANK = {"unchanged": 0, "updated": 1, "new": 2, "duplicate": 3, "conflict": 4, "rejected": 5}
LABELS = [("new", "新增"), ("updated", "更新"), ("unchanged", "未变"), ("conflict", "冲突"),
          ("duplicate", "重复"), ("rejected", "拒收")]


def ledger_counts(per_table: dict[str, TableOutcome]) -> dict[str, dict]:
    """One count line per ledger: its main records, each counted once; a change in a sub-record
    or attachment counts as an update of the record it belongs to."""
    owner: dict[str, dict[str, str]] = {name: {} for name in LEDGERS}
    for name in LEDGERS:
        owner[name].update(per_table.get(name, TableOutcome()).outcomes)
    for name, res in per_table.items():
        if name in LEDGERS:
            continue
        of = res.parents
        for uuid, outcome in res.outcomes.items():
            lg, parent = of.get(uuid, (None, None))
            if lg not in owner or outcome == "unchanged":
                continue
            mapped = {"new": "updated", "duplicate": "updated"}.get(outcome, outcome)
            if RANK[mapped] > RANK.get(owner[lg].get(parent, "unchanged"), 0):
                owner[lg][parent] = mapped
    counts = {}
    for name in LEDGERS:
        c = Counter(owner[name].values())
        counts[name] = {k: c.get(k, 0) for k, _ in LABELS}
    return counts


def parents_of(table_name: str, columns: list[str], rows: list[list]) -> dict[str, tuple]:
    if table_name in LEDGERS or not rows:
        return {}
    ix = {c: i for i, c in enumerate(columns)}
    iu = ix["uuid"]
    if table_name == "attachments":
        io, it = ix["owner"], ix["owner_table"]
        return {r[iu]: (r[it], r[io]) for r in rows}
    lg = SUBS[table_name][0].name
    ip = ix["parent"]
    return {r[iu]: (lg, r[ip]) for r in rows}


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)
