"""Past Excel imports, and the undo of one whole import (``ufdesk import log|undo``).

An import is one write transaction with one counter of this installation: every record and
sub-record it created is born ``installation:counter`` (``WriteCtx.dot``), which its audit row
keeps as its batch (``xlsx:<dot>``), with the counts as JSON details. Undo deletes those records
(tombstones, so a package sent since carries the deletion on) in one transaction, and refuses
when any of them was changed or deleted since, when sub-records were added to them since, or
when the import updated existing records (their earlier values were not kept).
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from ..domain import LEDGERS
from ..domain.errors import UfError

BATCH = "xlsx:"


def batch_of(dot: str) -> str:
    return BATCH + dot


def entries(svc) -> list[dict]:
    """Every import, newest first: ``id`` (what ``undo`` takes), ``at``, ``user``, ``ledger``,
    ``file``, ``new``/``existing``/``updated``/``rejected``/``subs``, ``status`` (导入/已撤销/未导入)."""
    from ..store.schema import audit

    with svc.store.connect() as conn:
        rows = conn.execute(sa.select(audit).where(audit.c.action.in_(("import", "import_refused", "import_undo")))
                            .order_by(audit.c.id.desc())).mappings().all()
    undone = {r["batch"] for r in rows if r["action"] == "import_undo" and r["batch"]}
    out = []
    for r in rows:
        if r["action"] == "import_undo":
            continue
        details = _details(r["details"])
        status = "未导入" if r["action"] == "import_refused" else ("已撤销" if r["batch"] in undone else "导入")
        out.append({"id": r["id"], "at": r["at"], "user": r["user"], "ledger": r["ledger"],
                    "file": details.get("file") or _file_from(r["summary"]), "status": status,
                    "summary": r["summary"],
                    **{k: details.get(k) for k in ("new", "existing", "updated", "rejected", "subs")}})
    return out


def _details(text: str | None) -> dict:
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _file_from(summary: str | None) -> str:
    """The file name in an older import's summary: 导入代表人士：花名册.xlsx（Sheet1），…"""
    text = (summary or "").split("：", 1)[-1]
    return text.split("（", 1)[0]


def undo(svc, number: int) -> int:
    """Delete every record import ``number`` created; returns how many records (sub-records
    not counted). Refuses, changing nothing, in one sentence saying why."""
    from ..services import audit as A
    from ..store import records as R
    from ..store.schema import ALL_RECORD_TABLES, SUB_TABLES, audit

    svc.require("import")
    with svc.store.write(svc.user) as (conn, ctx):
        row = conn.execute(sa.select(audit).where(audit.c.id == number)).mappings().first()
        if row is None or row["action"] not in ("import", "import_refused"):
            raise UfError(f"没有编号为 {number} 的导入记录（可用 ufdesk import log 查看）。")
        if row["action"] == "import_refused":
            raise UfError(f"第 {number} 次导入当时就未写入任何数据，无需撤销。")
        batch = row["batch"]
        if not batch or not batch.startswith(BATCH):
            raise UfError(f"第 {number} 次导入是旧版本程序做的，没有记下它新增了哪些记录，不能整批撤销；请逐条删除。")
        if conn.execute(sa.select(audit.c.id).where(audit.c.action == "import_undo", audit.c.batch == batch)).first():
            raise UfError(f"第 {number} 次导入已经撤销过了。")
        details = _details(row["details"])
        if details.get("updated"):
            raise UfError(f"第 {number} 次导入还更新了 {details['updated']} 条已有记录（当时用了“更新已有记录”），"
                          "更新前的内容没有保留，不能整批撤销；请逐条核对修改。")
        lg = LEDGERS[row["ledger"]]
        dot = batch[len(BATCH):]
        t = R.table(lg.name)
        made = conn.execute(sa.select(t.c.uuid, t.c.version, t.c.deleted).where(t.c.born == dot)).all()
        changed = sum(1 for _, version, deleted in made if version != 1 or deleted)
        parents = {u for u, _, _ in made}
        for sub in lg.subs:
            changed += _added_since(conn, SUB_TABLES[sub.name], t, dot)
        at = ALL_RECORD_TABLES["attachments"]  # a photo or file added to one of them since
        changed += conn.execute(sa.select(sa.func.count()).select_from(at.join(t, at.c.owner == t.c.uuid)).where(
            t.c.born == dot, at.c.deleted.is_(False))).scalar() or 0
        if changed:
            raise UfError(f"第 {number} 次导入后，它新增的记录中已有 {changed} 处又被修改、删除或补充过，不能整批撤销；"
                          "请逐条核对修改。")
        for uuid in parents:
            R.tombstone(conn, lg.name, uuid, ctx)
        A.write(conn, user=svc.user, installation=ctx.installation, action="import_undo", ledger=lg.name,
                summary=f"撤销第 {number} 次导入（{details.get('file') or _file_from(row['summary'])}）："
                        f"删除其新增的{lg.label} {len(parents)} 条", batch=batch, at=ctx.now)
    return len(parents)


def _added_since(conn, st, t, dot: str) -> int:
    """Sub-records of the import's records that the import did not write, or changed since."""
    q = sa.select(sa.func.count()).select_from(st.join(t, st.c.parent == t.c.uuid)).where(
        t.c.born == dot, sa.or_(st.c.born != dot, st.c.version != 1))
    return conn.execute(q).scalar() or 0
