"""Building a package for another installation of the county.

Directions: a township sends to the county (``to="county"``, the default) all the records it
holds; the county sends a township (``to=<9-digit code>``) that township's records, the
townships and villages, its code-table edits, its certificates and its acknowledgements; a
township may send another township its own records only (a person who moves between townships
is moved by the county, see exchange/scope).

"Since what the receiver last acknowledged": a row goes when this installation wrote it
(its vv entry for us) or an imported package changed it here (``package_changes.counter``)
after the counter the peer has acknowledged holding (``peers.acked_counter``); ``all`` sends
everything. A lost stick therefore loses nothing: the next package is cumulative.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from collections.abc import Generator

import sqlalchemy as sa

from .. import __version__
from ..domain import LEDGERS
from ..domain.errors import UfError
from ..services.progress import drain
from ..services.settings import county_values as county_settings
from ..store import records as R
from ..store.fastpath import stored_rows
from ..store.schema import (
    ALL_RECORD_TABLES,
    LEDGER_TABLES,
    SUB_TABLES,
    code_overrides,
    conflicts,
    installation,
    package_changes,
    package_log,
    peers,
    townships,
    villages,
)
from . import trust as T
from .package import (
    FORMAT,
    SUFFIX,
    build_zip,
    encode_keys,
    encode_rows,
    export_columns,
    schema_head,
    seal,
)

COUNTY = "county"


def recipient_for(store, to: str | None) -> str:
    """Check and normalise the recipient: "county" or a township code of this county."""
    if to in (None, "", COUNTY, "县", "县委统战部"):
        if store.township is None:
            raise UfError("本机是县委统战部：导出数据包时须指定接收的乡镇（--to 乡镇代码）。")
        return COUNTY
    if to not in dict(store.townships()):
        raise UfError(f"“{to}”不是本县的乡镇代码（可用 ufdesk stats 查看乡镇列表）。")
    if to == store.township:
        raise UfError("不能把数据包发给本乡镇自己。")
    return to


def _peer_filter(to: str):
    return peers.c.township.is_(None) if to == COUNTY else peers.c.township == to


def acked_counter(conn, to: str) -> int:
    values = [v for (v,) in conn.execute(sa.select(peers.c.acked_counter).where(_peer_filter(to)))]
    return min(values) if values else 0


def _scope(t, table_name: str, to: str, own: str | None = None):
    """Which rows a recipient receives: all for the county; from the county, a township its
    own; from a township, another township only the sender's own (``own``) records — what the
    receiver accepts from it (exchange/scope)."""
    if to == COUNTY:
        return None
    if own is not None:
        to = own
    if table_name in LEDGER_TABLES:
        return t.c.township == to
    if table_name in SUB_TABLES:
        from ..domain import SUBS

        lt = LEDGER_TABLES[SUBS[table_name][0].name]
        return t.c.parent.in_(sa.select(lt.c.uuid).where(lt.c.township == to))
    owners = sa.union_all(*[sa.select(lt.c.uuid).where(lt.c.township == to) for lt in LEDGER_TABLES.values()])
    return t.c.owner.in_(owners)


def _rows(conn, table_name: str, to: str, since: int, me: str, touched: set[str], own: str | None = None
          ) -> tuple[list[str], list[tuple], dict[str, dict]]:
    """(columns, rows, {uuid: {field: [dots]}} of the open conflicts on those rows)."""
    t = ALL_RECORD_TABLES[table_name]
    cols = export_columns(table_name)
    q = sa.select(*[t.c[c] for c in cols]).order_by(t.c.id)
    where = _scope(t, table_name, to, own)
    if where is not None:
        q = q.where(where)
    rows = stored_rows(conn, q)
    iu, iv = cols.index("uuid"), cols.index("vv")
    if since > 0:
        rows = [r for r in rows if r[iu] in touched or R.vv_load(r[iv]).get(me, 0) > since]
    pending: dict[str, dict] = {}
    for record, fld, dot in conn.execute(sa.select(conflicts.c.record, conflicts.c.field, conflicts.c.theirs_dot)
                                         .where(conflicts.c.table_name == table_name, conflicts.c.resolved.is_(None))):
        pending.setdefault(record, {}).setdefault(fld, []).append(dot)
    if pending:
        sent = {r[iu] for r in rows}
        pending = {u: p for u, p in pending.items() if u in sent}
    return cols, rows, pending


def _places(conn) -> bytes:
    def dump(table, order):
        return [{k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in r.items()}
                for r in conn.execute(sa.select(table).order_by(*order)).mappings()]

    return json.dumps({
        "townships": dump(townships, [townships.c.code]),
        "villages": dump(villages, [villages.c.code]),
        "code_overrides": dump(code_overrides, [code_overrides.c.code_table, code_overrides.c.code]),
        "settings": county_settings(conn),  # county-scope settings (report_due_day …) travel down
    }, ensure_ascii=False).encode("utf-8")


def build(store, *, passphrase: str, to: str | None = None, everything: bool = False
          ) -> Generator[tuple[int, int, str], None, tuple[bytes, dict]]:
    """Yield progress; return ``(sealed bytes, manifest)``. Nothing is written to the database:
    call ``record_sent`` once the file is safely on the stick."""
    to = recipient_for(store, to)
    tables = list(ALL_RECORD_TABLES)
    total = len(tables) + 2
    yield 0, total, "正在读取数据…"
    with store.connect() as conn, conn.begin():
        inst = dict(conn.execute(sa.select(installation)).mappings().one())
        me = inst["id"]
        since = 0 if everything else acked_counter(conn, to)
        touched = set()
        if since > 0:
            touched = {u for (u,) in conn.execute(
                sa.select(package_changes.c.uuid).where(package_changes.c.counter > since))}
        members: dict[str, bytes] = {}
        counts: dict[str, int] = {}
        months: set[str] = set()
        records = 0
        for i, name in enumerate(tables, 1):
            cols, rows, pending = _rows(conn, name, to, since, me, touched, inst["township"])
            counts[name] = len(rows)
            if rows:
                members[f"records/{name}.keys.json"] = encode_keys(cols, rows)
                members[f"records/{name}.json"] = encode_rows(name, cols, rows)
            if pending:
                members[f"records/{name}.pending.json"] = json.dumps(pending).encode("utf-8")
            if name in LEDGERS:
                records += len(rows)
                iu = cols.index("updated_at")
                months.update(str(r[iu])[:7] for r in rows if r[iu])
            yield i, total, f"已读取：{name}（{len(rows)} 条）"
        if store.township is None:
            members["places.json"] = _places(conn)
        own, addressees = _trust(conn, to, passphrase)
        if own is not None and store.township is None:
            members[TRUST_MEMBER] = json.dumps({"certs": T.certificates(conn)}, ensure_ascii=False).encode("utf-8")
        acks = {pid: n for pid, n in conn.execute(sa.select(peers.c.id, peers.c.their_counter))}
        seq = (conn.execute(sa.select(sa.func.max(package_log.c.seq)).where(
            package_log.c.direction == "sent", package_log.c.recipient == to)).scalar() or 0) + 1
        now = dt.datetime.now().replace(microsecond=0)
        manifest = {
            "format": FORMAT, "app": __version__, "schema": schema_head(store.engine),
            "package_id": uuidlib.uuid4().hex, "seq": seq,
            "sender": me, "sender_township": inst["township"],
            "sender_name": store.township_name(inst["township"]),
            "county_code": inst["county_code"], "county_name": inst["county_name"],
            "recipient": to, "counter": inst["counter"], "since": since, "all": bool(everything),
            "exported_at": now.isoformat(), "months": sorted(months) or [now.strftime("%Y-%m")],
            "counts": counts, "records": records, "acks": acks,
        }
        if own is not None:
            manifest["recipients"] = [r["installation"] for r in addressees]
    yield total - 1, total, "正在压缩并加密…"
    age = [r["age_pub"] for r in addressees] + ([own.age_pub] if addressees else [])
    sealed = seal(build_zip(manifest, members, own.sign_bytes if own else None), passphrase, age)
    yield total, total, "数据包已生成"
    return sealed, manifest


TRUST_MEMBER = "trust.json"  # the county's certificates: new enrolments and revocations travel


def _trust(conn, to: str, passphrase: str) -> tuple[T.OwnKeys | None, list[dict]]:
    """This installation's keys if it is enrolled, and the recipient's certified keys: an
    enrolled installation signs what it sends and encrypts it to the recipient's key (and its
    own, so it can verify the file it wrote) when it knows that key."""
    own = T.unlock_own(conn, passphrase)
    if own is None:
        return None, []
    return own, T.enrolled_for(conn, None if to == COUNTY else to)


def reopen(store, sealed: bytes, passphrase: str):
    """Open the package just built, as a receiver would (its own key opens an addressed one):
    the check before it goes to the stick."""
    from .package import open_bytes
    from .package_trust import identities

    return open_bytes(sealed, passphrase, identities(store, passphrase))


def run(gen):
    """Drive a progress generator to its end without a GUI; return its value."""
    return drain(gen)


def record_sent(store, manifest: dict, sha256: str, user: str | None = None) -> None:
    with store.connect() as conn, conn.begin():
        conn.execute(sa.insert(package_log).values(
            package_id=manifest["package_id"], direction="sent", peer=None, sender=manifest["sender"],
            sender_township=manifest["sender_township"], recipient=manifest["recipient"], seq=manifest["seq"],
            months=",".join(manifest["months"]), exported_at=dt.datetime.fromisoformat(manifest["exported_at"]),
            records=manifest["records"], counts=json.dumps(manifest["counts"]), sha256=sha256, status="ok",
            details=json.dumps({"since": manifest["since"], "all": manifest["all"], "user": user,
                                "counter": manifest["counter"]}, ensure_ascii=False),
        ))
        from ..services import audit  # a package carries personal data off this PC: who sent what, when

        to = "县委统战部" if manifest["recipient"] == COUNTY else store.township_name(manifest["recipient"])
        audit.write(conn, user=user, installation=manifest["sender"], action="package_export",
                    batch=manifest["package_id"], summary=f"导出数据包给{to}（第 {manifest['seq']} 号，"
                                                          f"{manifest['records']} 条台账记录）")


def default_filename(store, manifest: dict) -> str:
    who = store.township_name(manifest["sender_township"]).replace("（", "").replace("）", "")
    to = "县委统战部" if manifest["recipient"] == COUNTY else store.township_name(manifest["recipient"])
    day = manifest["exported_at"][:10].replace("-", "")
    return f"{who}_至{to}_{day}_第{manifest['seq']}号{SUFFIX}"


# -- for a logged-in session (what the GUI and the CLI call): the role is checked here ------------
def build_for(svc, *, passphrase: str, to: str | None = None, everything: bool = False
              ) -> Generator[tuple[int, int, str], None, tuple[bytes, dict]]:
    """``build`` as ``svc``'s user, who needs the 'packages' permission — and to send
    everything (``--all``: every record of the recipient, not only what it lacks), 'admin'."""
    svc.require("admin" if everything else "packages")
    return (yield from build(svc.store, passphrase=passphrase, to=to, everything=everything))


def reopen_for(svc, sealed: bytes, passphrase: str):
    """``reopen`` for ``svc``'s installation."""
    return reopen(svc.store, sealed, passphrase)


def record_sent_for(svc, manifest: dict, sha256: str) -> None:
    svc.require("packages")
    record_sent(svc.store, manifest, sha256, user=svc.user)
