"""What a user can do with records: read, create, update, delete, undo.

Every change validates, writes inside one transaction, writes its audit row, bumps the
record's version and clocks, and returns a ``Change`` saying what changed (Anki's OpChanges).
Undo of the last edits lives here too, so it is testable without a window.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..domain import LEDGERS, SUBS, ledger
from ..domain.errors import NotFound, ValidationError
from ..domain.validate import complete, problems
from ..store import Store
from ..store import records as R
from ..store.schema import LEDGER_TABLES, SUB_TABLES, attachments
from . import audit
from . import query as Q

PERMISSION_LABELS = {
    "view_full_ids": "查看完整身份证号和手机号", "edit": "新增、修改或删除记录", "import": "导入数据",
    "export": "导出数据", "export_full_ids": "导出完整身份证号和手机号", "reports": "生成报表",
    "packages": "交换数据包", "admin": "管理用户、设置与恢复备份",
}
MAX_ATTACHMENT = 10 * 1024 * 1024  # small files only: photo, reply letter, evidence


@dataclass
class Change:
    """What one service call changed."""

    action: str  # create / update / delete / undo / redo / none
    ledger: str
    uuid: str
    fields: dict = field(default_factory=dict)  # {field: (old, new)} of the record itself
    subs: int = 0  # sub-record rows created, changed or deleted
    version: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.fields) or self.subs > 0 or self.action in ("create", "delete")


@dataclass
class _Op:
    table: str
    uuid: str
    kind: str  # insert / update / delete
    before: dict | None


class Services:
    """The operations of one user on one store."""

    UNDO_DEPTH = 50

    def __init__(self, store: Store, user: str | None = None, role: str | None = None):
        self.store = store
        self.user = user
        self.role = role
        self._undo: list[tuple[str, str, str, list[_Op]]] = []  # (ledger, uuid, label, ops)
        self._redo: list[tuple[str, str, str, list[_Op]]] = []  # what Ctrl+Y does again

    # -- permissions --------------------------------------------------------------------------
    # Permission names: view_full_ids, edit, import, export, export_full_ids, reports, packages,
    # admin. Until the database has users (role None) everything is allowed.
    ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
        "admin": frozenset({"view_full_ids", "edit", "import", "export", "export_full_ids", "reports", "packages", "admin"}),
        "editor": frozenset({"edit", "import", "export", "reports", "packages"}),
        "viewer": frozenset({"reports"}),
    }

    WRITE_PERMISSIONS = frozenset({"edit", "import", "packages", "admin"})

    def allowed(self, permission: str) -> bool:
        """Whether this user may do ``permission`` here; unknown names are refused, and so is any
        change to a database opened read-only (write-protected medium, full disk)."""
        if permission in self.WRITE_PERMISSIONS and getattr(self.store, "readonly", False):
            return False
        return self.role is None or permission in self.ROLE_PERMISSIONS.get(self.role, frozenset())

    def county_only(self, ledger: str) -> tuple[frozenset[str], frozenset[str], str]:
        """What this installation may not change of ``ledger``'s records because the county sets
        it (``domain.scope``): ``(fields, sub-tables, the sentence saying so)``; empty at the
        county and for ledgers without a township scope. Creating or deleting such records is
        then the county's too (``_township_may``)."""
        from ..domain.scope import township_fields, township_subs

        lg = LEDGERS[ledger]
        if self.store.township is None or lg.township_scope is None:
            return frozenset(), frozenset(), ""
        fields = frozenset(f.name for f in lg.fields) - township_fields(lg)
        subs = frozenset(s.name for s in lg.subs) - township_subs(lg)
        return fields, subs, f"{lg.label}由县委统战部下达，乡镇只填报{scope_labels(lg)}"

    def readonly_notice(self) -> str | None:
        """The sentence to show while the database cannot be written, else None."""
        return self.store.readonly_message if getattr(self.store, "readonly", False) else None

    def require(self, permission: str) -> None:
        notice = self.readonly_notice() if permission in self.WRITE_PERMISSIONS else None
        if notice:
            from ..domain.errors import StoreError

            raise StoreError(notice)
        if not self.allowed(permission):
            from ..domain.errors import PermissionDenied

            role = {"admin": "管理员", "editor": "录入员", "viewer": "查阅"}.get(self.role, self.role)
            raise PermissionDenied(f"当前用户“{self.user}”（{role}）没有权限：{PERMISSION_LABELS.get(permission, permission)}。"
                                   "如需此项操作，请联系管理员。")

    # -- the database's reference data (every role may read it) -------------------------------
    # The GUI holds only this object: these are its reads of places, code tables and the
    # installation. Read-only functions of the core that take a store (statistics, lists) also
    # accept a Services, through ``connect``; nothing here writes.
    def connect(self) -> sa.Connection:
        return self.store.connect()

    def codebook(self):
        return self.store.codebook()

    def townships(self) -> list[tuple[str, str]]:
        return self.store.townships()

    def villages(self, township: str | None = None) -> list[tuple[str, str, str]]:
        return self.store.villages(township)

    def township_name(self, code: str | None) -> str:
        return self.store.township_name(code)

    @property
    def county_name(self) -> str:
        return self.store.county_name

    @property
    def county_code(self) -> str:
        return self.store.county_code

    @property
    def is_demo(self) -> bool:
        """The fictitious demo county (its code 519999 is no real county's)."""
        from .demo import COUNTY_CODE

        return self.store.county_code == COUNTY_CODE

    @property
    def township(self) -> str | None:
        """The township this installation belongs to, or None for the county office."""
        return self.store.township

    @property
    def installation(self) -> dict | None:
        return self.store.installation

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    @property
    def is_sqlite(self) -> bool:
        return self.store.is_sqlite

    @property
    def location(self) -> str:
        """What to pass as ``--db`` to reach this database again (a file path or a URL)."""
        return self.store.location

    @property
    def path(self):
        return self.store.path

    def place_name(self) -> str:
        """``测试县城关镇`` for a township's installation, ``测试县（县委统战部）`` for the county."""
        if self.township:
            return f"{self.county_name}{self.township_name(self.township)}"
        return f"{self.county_name}（县委统战部）"

    def close(self) -> None:
        self.store.close()

    # -- reading ------------------------------------------------------------------------------
    def ids(self, q: Q.Query) -> list[int]:
        with self.store.connect() as conn:
            return Q.select_ids(conn, q)

    def count(self, q: Q.Query) -> int:
        with self.store.connect() as conn:
            return Q.count(conn, q)

    def page(self, q: Q.Query, offset: int = 0, limit: int = 200, columns=None) -> list[dict]:
        with self.store.connect() as conn:
            return Q.page(conn, q, offset, limit, columns)

    def rows(self, ledger_name: str, ids: list[int], columns=None) -> dict[int, dict]:
        with self.store.connect() as conn:
            return Q.rows_by_ids(conn, ledger_name, ids, columns)

    def get(self, ledger_name: str, uuid: str, *, with_subs: bool = True) -> dict:
        """A record with ``subs`` = {sub name: [rows]} (deleted rows left out)."""
        lg = ledger(ledger_name)
        with self.store.connect() as conn:
            row = R.get_row(conn, lg.name, uuid)
            if row is None:
                raise NotFound(f"找不到该{lg.label}记录（{uuid}）")
            if with_subs:
                row["subs"] = {}
                for sub in lg.subs:
                    st = SUB_TABLES[sub.name]
                    order = [st.c[sub.order_by], st.c.id] if sub.order_by else [st.c.id]
                    row["subs"][sub.name] = [
                        dict(r)
                        for r in conn.execute(
                            sa.select(st).where(st.c.parent == uuid, st.c.deleted.is_(False)).order_by(*order)
                        ).mappings()
                    ]
        return row

    def find_by(self, ledger_name: str, **values) -> list[dict]:
        t = LEDGER_TABLES[ledger_name]
        with self.store.connect() as conn:
            stmt = sa.select(t).where(t.c.deleted.is_(False), *[t.c[k] == v for k, v in values.items()])
            return [dict(r) for r in conn.execute(stmt).mappings()]

    # -- validating ---------------------------------------------------------------------------
    def validate(self, ledger_name: str, values: dict, subs: dict | None = None) -> dict[str, str]:
        """``{field: message}`` for the record, ``{"sub.N.field": message}`` for sub-rows."""
        lg = ledger(ledger_name)
        codes = self.store.codebook()
        out = problems(lg, values, codes, county_code=self.store.county_code)
        tw = values.get("township")
        if tw and tw not in dict(self.store.townships()):
            out["township"] = f"“{tw}”不是本县的乡镇代码"
        for sub_name, rows in (subs or {}).items():
            sub = lg.sub(sub_name)
            for i, r in enumerate(rows):
                for k, v in problems(sub, r, codes, county_code=self.store.county_code).items():
                    out[f"{sub_name}.{i}.{k}"] = v
        return out

    def _check(self, lg, values, subs, *, label_prefix: str = "") -> None:
        found = self.validate(lg.name, values, subs)
        if found:
            labels = {}
            for key, msg in found.items():
                name = key.split(".")[-1]
                if "." in key:
                    sub = lg.sub(key.split(".")[0])
                    labels[f"{sub.label}第{int(key.split('.')[1]) + 1}行{_label(sub, name)}"] = msg
                else:
                    labels[_label(lg, name) if name != "township" else "所属乡镇"] = msg
            raise ValidationError(labels, label_prefix or lg.label)

    # -- changing -----------------------------------------------------------------------------
    def create(self, ledger_name: str, values: dict, subs: dict | None = None) -> Change:
        self.require("edit")
        lg = ledger(ledger_name)
        values = complete(lg, dict(values))
        if "township" not in values:
            values["township"] = self.store.township
        self._township_may(lg, "create")
        self._check(lg, values, subs)
        ops: list[_Op] = []
        with self.store.write(self.user) as (conn, ctx):
            row = R.insert(conn, lg.name, values, ctx)
            ops.append(_Op(lg.name, row["uuid"], "insert", None))
            n = self._write_subs(conn, ctx, lg, row["uuid"], row.get("township"), subs or {}, ops)
            self._audit(conn, ctx, "create", lg, row["uuid"], f"新增{lg.label}：{row.get(lg.title) or ''}")
        self._push_undo(lg.name, row["uuid"], f"新增 {row.get(lg.title) or ''}", ops)
        return Change("create", lg.name, row["uuid"], {k: (None, v) for k, v in values.items()}, n, 1)

    def update(self, ledger_name: str, uuid: str, values: dict, subs: dict | None = None,
               *, expected_version: int | None = None) -> Change:
        self.require("edit")
        lg = ledger(ledger_name)
        ops: list[_Op] = []
        with self.store.write(self.user) as (conn, ctx):
            current = _live_row(conn, lg, uuid)
            values = complete(lg, {**values}) if {"year", "deadline", "id_number"} & values.keys() else values
            merged = {**current, **values}
            self._township_may(lg, "update", current, values, subs)
            self._check(lg, merged, subs)
            before, diff = R.update(conn, lg.name, uuid, values, ctx, expected_version=expected_version, current=current)
            if diff:
                ops.append(_Op(lg.name, uuid, "update", before))
            n = 0
            if subs is not None:
                n = self._write_subs(conn, ctx, lg, uuid, merged.get("township"), subs, ops, replace=True)
            if diff or n:
                self._audit(conn, ctx, "update", lg, uuid, f"修改{lg.label}：{merged.get(lg.title) or ''}",
                            audit.diff_details(lg.name, diff))
            version = current["version"] + (1 if diff else 0)
        if ops:
            self._push_undo(lg.name, uuid, f"修改 {merged.get(lg.title) or ''}", ops)
        return Change("update" if ops else "none", lg.name, uuid, diff, n, version)

    def delete(self, ledger_name: str, uuid: str) -> Change:
        self.require("edit")
        lg = ledger(ledger_name)
        with self.store.write(self.user) as (conn, ctx):
            current, ops = self._delete_one(conn, ctx, lg, uuid)
        self._push_undo(lg.name, uuid, f"删除 {current.get(lg.title) or ''}", ops)
        return Change("delete", lg.name, uuid, {}, len(ops) - 1, current["version"] + 1)

    def _delete_one(self, conn, ctx, lg, uuid: str) -> tuple[dict, list[_Op]]:
        """Tombstone one live record with its sub-records, audited; the record as it was and the
        undo steps that bring it back (the record first, then its sub-records)."""
        current = _live_row(conn, lg, uuid)
        self._township_may(lg, "delete")
        subs_before = self._sub_rows(conn, lg, uuid)
        R.tombstone(conn, lg.name, uuid, ctx, current=current)
        self._audit(conn, ctx, "delete", lg, uuid, f"删除{lg.label}：{current.get(lg.title) or ''}")
        return current, [_Op(lg.name, uuid, "delete", current)] + [_Op(t, r["uuid"], "delete", r) for t, r in subs_before]

    def _township_may(self, lg, action: str, current: dict | None = None, values: dict | None = None,
                      subs: dict | None = None) -> None:
        """On a township installation, a ledger with a ``township_scope`` (重点任务) takes only the
        changes the county lets townships make; the rest is the county's (``domain.scope``)."""
        from ..domain.scope import refused_changes

        if self.store.township is None or lg.township_scope is None:
            return
        if action in ("create", "delete"):
            verb = "新增" if action == "create" else "删除"
            raise ValidationError({lg.label: f"乡镇不能{verb}{lg.label}：{lg.label}由县委统战部下达，"
                                             "乡镇只填报进展、状态和完成日期"})
        refused = refused_changes(lg, current or {}, values or {}, subs or {})
        if refused:
            raise ValidationError({"、".join(refused): f"由县委统战部确定，乡镇不能修改（乡镇只填报"
                                                       f"{scope_labels(lg)}）"})

    def _sub_rows(self, conn, lg, uuid) -> list[tuple[str, dict]]:
        out = []
        for sub in lg.subs:
            st = SUB_TABLES[sub.name]
            for r in conn.execute(sa.select(st).where(st.c.parent == uuid, st.c.deleted.is_(False))).mappings():
                out.append((sub.name, dict(r)))
        return out

    def _write_subs(self, conn, ctx, lg, parent: str, township, subs: dict, ops: list[_Op], *, replace=False) -> int:
        """Make each named sub-table hold exactly ``rows``: rows with a known ``uuid`` are
        updated, new ones inserted, and (when replacing) the missing ones deleted."""
        n = 0
        for sub_name, rows in subs.items():
            lg.sub(sub_name)  # raises for an unknown sub-table
            st = SUB_TABLES[sub_name]
            existing = {
                r["uuid"]: dict(r)
                for r in conn.execute(sa.select(st).where(st.c.parent == parent, st.c.deleted.is_(False))).mappings()
            }
            keep = set()
            for r in rows:
                values = {k: v for k, v in r.items() if k not in ("uuid", "id", "parent")}
                values.update(parent=parent, township=township)
                if r.get("uuid") in existing:
                    keep.add(r["uuid"])
                    before, diff = R.update(conn, sub_name, r["uuid"], values, ctx, current=existing[r["uuid"]])
                    if diff:
                        ops.append(_Op(sub_name, r["uuid"], "update", before))
                        n += 1
                else:
                    new = R.insert(conn, sub_name, values, ctx)
                    ops.append(_Op(sub_name, new["uuid"], "insert", None))
                    n += 1
            if replace:
                for u, before in existing.items():
                    if u not in keep:
                        R.tombstone(conn, sub_name, u, ctx, current=before)
                        ops.append(_Op(sub_name, u, "delete", before))
                        n += 1
        return n

    def _audit(self, conn, ctx, action, lg, uuid, summary, details=None) -> None:
        audit.write(conn, user=self.user, installation=ctx.installation, action=action, ledger=lg.name,
                    record=uuid, summary=summary, details=details, at=ctx.now)

    # -- bulk changes (批量修改) ---------------------------------------------------------------
    def bulk_fields(self, ledger_name: str) -> list:
        """The fields 批量修改 may set on many records at once: 所属乡镇, 状态, 人士类别."""
        from ..domain.model import BULK_FIELDS

        lg = ledger(ledger_name)
        return [f for f in lg.fields if f.name in BULK_FIELDS]

    def set_field(self, ledger_name: str, uuids: list[str], name: str, value, *, mode: str = "set") -> list[Change]:
        """Set one field on several records in one transaction — each checked, audited and
        versioned like an edit — and one undo step for them all. ``mode`` ``add`` / ``remove``
        puts a code into, or takes it out of, a multi-code field (人士类别)."""
        self.require("edit")
        lg = ledger(ledger_name)
        if name != "township" and name not in {f.name for f in self.bulk_fields(lg.name)}:
            raise ValidationError({"批量修改": f"“{_label(lg, name)}”不能批量修改"})
        field_type = "code" if name == "township" else lg.field(name).type
        if mode != "set" and field_type != "codes":
            raise ValidationError({"批量修改": "只有多选的代码（如人士类别）可以加上或去掉"})
        label = "所属乡镇" if name == "township" else _label(lg, name)
        if name == "township" and value == "county":  # 县直: the county itself
            value = None
        if not uuids:
            raise ValidationError({"批量修改": f"请先选择要修改的{lg.label}"})
        ops: list[_Op] = []
        changes: list[Change] = []
        with self.store.write(self.user) as (conn, ctx):
            for uuid in dict.fromkeys(uuids):
                current = _live_row(conn, lg, uuid)
                new = _bulk_value(current.get(name), value, mode) if field_type == "codes" else value
                self._township_may(lg, "update", current, {name: new}, None)
                self._check(lg, {**current, name: new}, None, label_prefix=f"{lg.label}“{current.get(lg.title) or ''}”")
                before, diff = R.update(conn, lg.name, uuid, {name: new}, ctx, current=current)
                if not diff:
                    continue
                ops.append(_Op(lg.name, uuid, "update", before))
                self._audit(conn, ctx, "update", lg, uuid, f"批量修改{lg.label}（{label}）：{current.get(lg.title) or ''}",
                            audit.diff_details(lg.name, diff))
                changes.append(Change("update", lg.name, uuid, diff, 0, current["version"] + 1))
        if ops:
            self._push_undo(lg.name, ops[0].uuid, f"批量修改{label}（{len(ops)}条）", ops)
        return changes

    def delete_many(self, ledger_name: str, uuids: list[str]) -> int:
        """Delete several records in one transaction: one undo step brings them all back."""
        self.require("edit")
        lg = ledger(ledger_name)
        ops: list[_Op] = []
        with self.store.write(self.user) as (conn, ctx):
            for uuid in dict.fromkeys(uuids):
                ops += self._delete_one(conn, ctx, lg, uuid)[1]
        n = len(dict.fromkeys(uuids))
        if ops:
            self._push_undo(lg.name, ops[0].uuid, f"删除 {n} 条{lg.label}", ops)
        return n

    # -- undo and redo ------------------------------------------------------------------------
    def _push_undo(self, ledger_name, uuid, label, ops, *, keep_redo: bool = False) -> None:
        self._undo.append((ledger_name, uuid, label, ops))
        del self._undo[: -self.UNDO_DEPTH]
        if not keep_redo:
            self._redo = []

    @property
    def undo_label(self) -> str | None:
        """What Ctrl+Z would undo, e.g. "修改 王伟"; None when there is nothing."""
        return self._undo[-1][2] if self._undo else None

    @property
    def redo_label(self) -> str | None:
        """What Ctrl+Y would do again; None when there is nothing (a new change clears it)."""
        redo = getattr(self, "_redo", [])
        return redo[-1][2] if redo else None

    def undo(self) -> Change | None:
        """Reverse the last change of this session (itself a change, audited and versioned)."""
        if not self._undo:
            return None
        self.require("edit")
        ledger_name, uuid, label, ops = self._undo.pop()
        inverse = self._reverse(ledger_name, uuid, ops, "undo", f"撤销：{label}")
        self._redo = [*getattr(self, "_redo", []), (ledger_name, uuid, label, inverse)][-self.UNDO_DEPTH:]
        return Change("undo", ledger_name, uuid, {}, len(ops))

    def redo(self) -> Change | None:
        """Do again what the last undo took back (Ctrl+Y)."""
        redo = getattr(self, "_redo", [])
        if not redo:
            return None
        self.require("edit")
        ledger_name, uuid, label, ops = redo.pop()
        inverse = self._reverse(ledger_name, uuid, ops, "redo", f"重做：{label}")
        self._push_undo(ledger_name, uuid, label, inverse, keep_redo=True)
        return Change("redo", ledger_name, uuid, {}, len(ops))

    def _reverse(self, ledger_name: str, uuid: str, ops: list[_Op], action: str, summary: str) -> list[_Op]:
        """Apply the reverse of ``ops`` in one transaction; returns the ops that reverse that."""
        lg = LEDGERS[ledger_name]
        inverse: list[_Op] = []
        with self.store.write(self.user) as (conn, ctx):
            for op in reversed(ops):
                if op.kind == "insert":
                    before = R.tombstone(conn, op.table, op.uuid, ctx)
                    inverse.append(_Op(op.table, op.uuid, "delete", before))
                elif op.kind == "delete":
                    R.undelete(conn, op.table, op.before, ctx)
                    inverse.append(_Op(op.table, op.uuid, "insert", None))
                else:
                    cols = R.data_columns(op.table) + ["township"]
                    before, _diff = R.update(conn, op.table, op.uuid, {c: op.before.get(c) for c in cols}, ctx)
                    inverse.append(_Op(op.table, op.uuid, "update", before))
            self._audit(conn, ctx, action, lg, uuid, summary)
        return inverse

    # -- attachments --------------------------------------------------------------------------
    def attachments(self, owner: str, kind: str | None = None) -> list[dict]:
        with self.store.connect() as conn:
            q = sa.select(attachments).where(attachments.c.owner == owner, attachments.c.deleted.is_(False))
            if kind:
                q = q.where(attachments.c.kind == kind)
            return [dict(r) for r in conn.execute(q.order_by(attachments.c.id)).mappings()]

    def add_attachment(self, ledger_name: str, owner: str, kind: str, filename: str, content: bytes) -> str:
        self.require("edit")
        lg = ledger(ledger_name)
        if kind not in lg.attachments:
            raise ValidationError({"附件": f"{lg.label}不能附加“{kind}”类文件"})
        if len(content) > MAX_ATTACHMENT:
            raise ValidationError({"附件": f"文件太大（{len(content) // 1024 // 1024} MB），附件不能超过 10 MB"})
        with self.store.write(self.user) as (conn, ctx):
            owner_row = R.get_row(conn, lg.name, owner)
            if owner_row is None or owner_row["deleted"]:
                raise NotFound("找不到附件所属的记录")
            if kind == "photo":  # one photo a person: the new one replaces the old
                for (old,) in conn.execute(sa.select(attachments.c.uuid).where(
                        attachments.c.owner == owner, attachments.c.kind == "photo", attachments.c.deleted.is_(False))):
                    R.tombstone(conn, "attachments", old, ctx)
            row = R.insert(conn, "attachments", {
                "owner_table": lg.name, "owner": owner, "kind": kind, "filename": filename,
                "mime": mimetypes.guess_type(filename)[0] or "application/octet-stream",
                "size": len(content), "sha256": hashlib.sha256(content).hexdigest(), "content": content,
                "township": owner_row["township"],
            }, ctx)
            self._audit(conn, ctx, "attach", lg, owner, f"附件：{filename}")
        return row["uuid"]

    def remove_attachment(self, uuid: str) -> None:
        self.require("edit")
        with self.store.write(self.user) as (conn, ctx):
            row = R.get_row(conn, "attachments", uuid)
            if row is None:
                raise NotFound("找不到该附件")
            R.tombstone(conn, "attachments", uuid, ctx)
            audit.write(conn, user=self.user, installation=ctx.installation, action="detach",
                        ledger=row["owner_table"], record=row["owner"], summary=f"删除附件：{row['filename']}")


def _bulk_value(current: str | None, code: str, mode: str) -> str | None:
    """A multi-code value with ``code`` added, removed, or (set) alone."""
    from ..domain.codes import join_multi, split_multi

    codes = split_multi(current)
    if mode == "add":
        return join_multi(sorted({*codes, code}))
    if mode == "remove":
        return join_multi([c for c in codes if c != code])
    return join_multi(split_multi(code) if isinstance(code, str) and "," in code else [code] if code else [])


def scope_labels(lg) -> str:
    names = lg.township_scope or ()
    return "、".join(lg.sub(n).label if n in {s.name for s in lg.subs} else lg.field(n).label for n in names)


def _label(desc, name: str) -> str:
    for f in desc.fields:
        if f.name == name:
            return f.label
    return name


__all__ = ["Services", "Change", "SUBS"]


def _live_row(conn, lg, uuid: str) -> dict:
    """The record as stored, refused with one sentence when it is gone or deleted."""
    current = R.get_row(conn, lg.name, uuid)
    if current is None or current["deleted"]:
        raise NotFound(f"找不到该{lg.label}记录，可能已被删除。")
    return current
