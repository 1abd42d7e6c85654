"""The conflict and duplicate queues: listing, resolving, merging two records of one person.

A resolution is a new local write with a fresh counter whose version vector covers both
sides, so it travels in the next package and closes the same conflict on every other copy.
Resolutions are audited.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from ..domain import LEDGERS, SUBS
from ..domain.errors import NotFound, UfError
from ..services import audit
from ..store import records as R
from ..store.schema import ALL_RECORD_TABLES, SUB_TABLES, attachments, conflicts, duplicates, package_log
from .merge import D
from .package import decode_row, dumps


def _may_resolve(svc) -> None:
    """Resolving a conflict or a duplicate changes records that travel: a user needs both the
    'packages' and the 'edit' permission (a 查阅 user has neither), in the GUI as in the CLI."""
    svc.require("packages")
    svc.require("edit")


def _ledger_of(table_name: str) -> str:
    return SUBS[table_name][0].name if table_name in SUBS else table_name


def _label(table_name: str, field: str) -> str:
    if field == D:
        return "删除/保留"
    if field == "township":
        return "所属乡镇"
    if field == "parent":
        return "所属记录"
    desc = LEDGERS.get(table_name) or (SUBS[table_name][1] if table_name in SUBS else None)
    for f in getattr(desc, "fields", ()):
        if f.name == field:
            return f.label
    return field


def list_conflicts(store, *, open_only: bool = True) -> list[dict]:
    """(``store``: a Store or a Services.) ``{id, ledger, table, record, title, field, label, mine, theirs, package,
    source, since}``; ``mine`` is the value now in place here, ``source`` who sent the package (白鹤镇, 县委统战部)."""
    c = conflicts
    q = sa.select(c).order_by(c.c.id)
    full = not hasattr(store, "allowed") or store.allowed("view_full_ids")  # viewers: masked, JSON too
    if open_only:
        q = q.where(c.c.resolved.is_(None))
    out = []
    sources: dict[str, str] = {}
    with store.connect() as conn:
        for r in conn.execute(q).mappings():
            if r["package"] not in sources:
                sources[r["package"]] = _source(conn, store, r["package"])
            row = R.get_row(conn, r["table_name"], r["record"]) or {}
            theirs = json.loads(r["theirs"]) if r["theirs"] else None
            if r["field"] == D:
                mine = {"deleted": bool(row.get("deleted"))}
            else:
                mine = json.loads(dumps(row.get(r["field"])))
            lg = _ledger_of(r["table_name"])
            if not full:
                mine, theirs = (_masked(r["table_name"], r["field"], v) for v in (mine, theirs))
            out.append({
                "id": r["id"], "ledger": lg, "table": r["table_name"], "record": r["record"],
                "title": _title(conn, r["table_name"], row), "field": r["field"],
                "label": _label(r["table_name"], r["field"]), "mine": mine, "theirs": theirs,
                "package": r["package"], "source": sources[r["package"]], "since": r["since"].isoformat(sep=" ") if r["since"] else None,
                "resolved": r["resolved"],
            })
    return out


def _source(conn, store, package: str | None) -> str:
    """Who sent ``package``: the sender's township by name, or the county office."""
    row = conn.execute(sa.select(package_log.c.sender_township).where(
        package_log.c.package_id == package, package_log.c.direction == "received").limit(1)).first()
    if row is None:
        return "其他电脑"
    return store.township_name(row[0]) if row[0] else "县委统战部"


def _masked(table_name: str, name: str, value):
    """A value as a user without 'view_full_ids' sees it (ID and phone numbers masked)."""
    from ..services.audit import MASKED_TYPES, _field, mask

    f = _field(table_name, name)
    if f is not None and (f.sensitive or f.type in MASKED_TYPES) and value not in (None, ""):
        return mask(value, f.type if f.type in MASKED_TYPES else "other")
    return value


def _title(conn, table_name: str, row: dict) -> str:
    if table_name in LEDGERS:
        return str(row.get(LEDGERS[table_name].title) or "")
    if table_name in SUBS and row.get("parent"):
        lg = SUBS[table_name][0]
        parent = R.get_row(conn, lg.name, row["parent"]) or {}
        return f"{parent.get(lg.title) or ''}（{SUBS[table_name][1].label}）"
    return ""


def _force(conn, ctx, table_name: str, row: dict, values: dict, extra_dots: list[str]) -> None:
    """Write ``values`` with this transaction's dot on each of them (even when unchanged), and
    make the record's vv cover ``extra_dots``: the write then dominates both sides."""
    t = ALL_RECORD_TABLES[table_name]
    clock = R.clock_load(row["clock"])
    vv = R.vv_load(row["vv"])
    for f in values:
        clock[f] = ctx.dot
    for d in extra_dots:
        inst, n = R.parse_dot(d)
        vv[inst] = max(vv.get(inst, 0), n)
    vv[ctx.installation] = max(vv.get(ctx.installation, 0), ctx.counter)
    new = {k: v for k, v in values.items() if k != D}
    if D in values:
        new["deleted"] = bool(values[D])
    merged = {**row, **new}
    if table_name in LEDGERS and not merged.get("deleted"):
        new.update(R.derived(table_name, merged))
    conn.execute(sa.update(t).where(t.c.uuid == row["uuid"]).values(
        **new, clock=R.clock_dump(clock), vv=R.vv_dump(vv), version=row["version"] + 1,
        updated_at=ctx.now, updated_by=ctx.user, changed_by=ctx.installation))


def resolve(svc, conflict_id: int, take: str, value=None) -> None:
    """Close a conflict as ``svc``'s user (who needs the 'packages' and 'edit' permissions): ``take`` = "mine"
    (keep the value here), "theirs" (take the incoming one) or "edit" (write ``value``). Other
    open conflicts on the same field close with it."""
    _may_resolve(svc)
    user = svc.user
    if take not in ("mine", "theirs", "edit"):
        raise UfError("--take 只能是 mine（保留本机）或 theirs（采用对方）")
    with svc.store.write(user) as (conn, ctx):
        c = conn.execute(sa.select(conflicts).where(conflicts.c.id == conflict_id)).mappings().first()
        if c is None:
            raise NotFound(f"没有编号为 {conflict_id} 的冲突（可用 ufdesk conflicts 查看）。")
        if c["resolved"]:
            raise UfError(f"冲突 {conflict_id} 已经处理过了。")
        table_name, field = c["table_name"], c["field"]
        row = R.get_row(conn, table_name, c["record"])
        if row is None:
            raise NotFound("冲突所涉及的记录已不存在。")
        same = conn.execute(sa.select(conflicts.c.id, conflicts.c.theirs_dot).where(
            conflicts.c.table_name == table_name, conflicts.c.record == c["record"],
            conflicts.c.field == field, conflicts.c.resolved.is_(None))).all()
        dots = [d for _, d in same if d]
        theirs = json.loads(c["theirs"]) if c["theirs"] else None
        if field == D:
            _resolve_delete(conn, ctx, table_name, row, take, theirs, dots)
        else:
            if take == "mine":
                v = row[field]
            elif take == "theirs":
                v = decode_row(table_name, {field: theirs})[field]
            else:
                v = value
            _force(conn, ctx, table_name, row, {field: v}, dots)
        conn.execute(sa.update(conflicts).where(conflicts.c.id == conflict_id).values(
            resolved=take, resolved_at=ctx.now, resolved_by=user))
        others = [i for i, _ in same if i != conflict_id]
        if others:
            conn.execute(sa.update(conflicts).where(conflicts.c.id.in_(others)).values(
                resolved="superseded", resolved_at=ctx.now, resolved_by=user))
        what = {"mine": "保留本机", "theirs": "采用对方", "edit": "改为新值"}[take]
        audit.write(conn, user=user, installation=ctx.installation, action="resolve", ledger=_ledger_of(table_name),
                    record=c["record"], summary=f"处理冲突：{_label(table_name, field)} — {what}", at=ctx.now)


def _resolve_delete(conn, ctx, table_name, row, take, theirs, dots) -> None:
    """An edit against a delete. Keeping the record writes every field and "_deleted" anew
    (so a copy that deleted it gets the values back); deleting writes a new tombstone."""
    cols = R.merge_columns(table_name)
    keep_live = (take == "mine") != bool(row["deleted"])
    if take == "edit":
        raise UfError("删除与修改的冲突只能选择保留本机或采用对方。")
    if keep_live:
        if row["deleted"]:  # deleted here, taking their values back
            values = decode_row(table_name, dict((theirs or {}).get("values") or {}))
            values = {c: values.get(c) for c in cols}
        else:
            values = {c: row[c] for c in cols}
        values[D] = False
        _force(conn, ctx, table_name, row, values, dots)
        if table_name in LEDGERS:  # sub-records still here come back with it, written anew
            for sub in LEDGERS[table_name].subs:
                st = SUB_TABLES[sub.name]
                for r in conn.execute(sa.select(st).where(st.c.parent == row["uuid"], st.c.deleted.is_(False))).mappings():
                    sub_vals = {c: r[c] for c in R.merge_columns(sub.name)}
                    sub_vals[D] = False
                    _force(conn, ctx, sub.name, dict(r), sub_vals, [])
    else:
        if row["deleted"]:
            _force(conn, ctx, table_name, row, {D: True}, dots)
        else:
            _force(conn, ctx, table_name, row, {}, dots)  # vv covers their delete first
            R.tombstone(conn, table_name, row["uuid"], ctx)


# -- duplicates --------------------------------------------------------------------------------
def list_duplicates(store, *, open_only: bool = True) -> list[dict]:
    q = sa.select(duplicates).order_by(duplicates.c.id)
    if open_only:
        q = q.where(duplicates.c.resolved.is_(None))
    with store.connect() as conn:
        out = []
        for r in conn.execute(q).mappings():
            a = R.get_row(conn, r["table_name"], r["record"]) or {}
            b = R.get_row(conn, r["table_name"], r["other"]) or {}
            out.append({**dict(r), "record_row": a, "other_row": b,
                        "since": r["since"].isoformat(sep=" ") if r["since"] else None})
        return out


def merge_duplicate(svc, dup_id: int, keep: str, values: dict | None = None) -> None:
    """Merge two records of one person (organisation) as ``svc``'s user (see ``_may_resolve``):
    ``keep`` (one of the two UUIDs) stays, takes ``values`` ({field: value} chosen field by
    field), receives the other's sub-records and attachments; the other is deleted. Both steps
    travel in the next package."""
    _may_resolve(svc)
    user = svc.user
    with svc.store.write(user) as (conn, ctx):
        d = conn.execute(sa.select(duplicates).where(duplicates.c.id == dup_id)).mappings().first()
        if d is None or d["resolved"]:
            raise NotFound(f"没有待处理的重复记录 {dup_id}。")
        if keep not in (d["record"], d["other"]):
            raise UfError("要保留的记录不属于这一对重复记录。")
        drop = d["other"] if keep == d["record"] else d["record"]
        table_name = d["table_name"]
        if values:
            R.update(conn, table_name, keep, {k: v for k, v in values.items() if k in R.merge_columns(table_name)}, ctx)
        for sub in LEDGERS[table_name].subs:
            st = SUB_TABLES[sub.name]
            for (u,) in conn.execute(sa.select(st.c.uuid).where(st.c.parent == drop, st.c.deleted.is_(False))).all():
                R.update(conn, sub.name, u, {"parent": keep}, ctx)
        for (u,) in conn.execute(sa.select(attachments.c.uuid).where(
                attachments.c.owner == drop, attachments.c.deleted.is_(False))).all():
            R.update(conn, "attachments", u, {"owner": keep}, ctx)
        R.tombstone(conn, table_name, drop, ctx)
        conn.execute(sa.update(duplicates).where(duplicates.c.id == dup_id).values(resolved="merged", resolved_at=ctx.now))
        audit.write(conn, user=user, installation=ctx.installation, action="merge", ledger=table_name, record=keep,
                    summary=f"合并重复的{LEDGERS[table_name].label}记录（保留 {keep[:8]}，删除 {drop[:8]}）", at=ctx.now)


def dismiss_duplicate(svc, dup_id: int) -> None:
    """Not the same person: keep both records, close the entry (see ``_may_resolve``)."""
    _may_resolve(svc)
    user = svc.user
    with svc.store.write(user) as (conn, ctx):
        res = conn.execute(sa.update(duplicates).where(duplicates.c.id == dup_id, duplicates.c.resolved.is_(None))
                           .values(resolved="distinct", resolved_at=ctx.now))
        if res.rowcount != 1:
            raise NotFound(f"没有待处理的重复记录 {dup_id}。")
        audit.write(conn, user=user, installation=ctx.installation, action="resolve", summary=f"重复记录 {dup_id}：确认不是同一人", at=ctx.now)
