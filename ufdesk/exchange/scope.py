"""What a sender may change: checked on every row an import would write, before it is written.

* A township's package may create, change or delete only records of that township — the row
  as it arrives *and* the row as this installation holds it (one exception: to the county, a
  township reports a person who moved to another township; the county forwards it); sub-records
  and attachments follow their main record. County-level records (no township), places and code tables come only from
  the county (``package_import`` applies ``places.json`` only from the county).
* Version vectors and dots are bounded by what the sender could have seen: its own counter by
  the counter its manifest declares; this receiver's by the highest counter of the packages this
  receiver's log shows it sent (to the sender, or to the county that forwards); any other
  installation's by what this receiver holds of it (and, from the county, what the county
  acknowledges holding). A record's own local vector is always within bounds.

A refused row is counted 拒收, listed with its reason, and never applied.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..domain import LEDGERS, SUBS
from ..store import records as R
from ..store.schema import LEDGER_TABLES, installation, package_log, peers
from .package import Package
from .package_export import COUNTY

INFLATED = "版本号超出发送方可能见过的范围（疑似伪造或被改动过）"


@dataclass
class Refusal:
    table: str
    uuid: str
    name: str
    reason: str

    def line(self) -> str:
        desc = LEDGERS.get(self.table) or (SUBS[self.table][1] if self.table in SUBS else None)
        label = desc.label if desc is not None else ("附件" if self.table == "attachments" else self.table)
        return f"拒收：{label}“{self.name}”——{self.reason}"


@dataclass
class Guard:
    conn: object
    store: object
    pkg: Package
    refused: list[Refusal] = field(default_factory=list)

    def __post_init__(self):
        m = self.pkg.manifest
        self.sender_township = m.get("sender_township")
        self.county = self.sender_township is None
        self.who = "县委统战部" if self.county else self.store.township_name(self.sender_township)
        self.bounds = self._bounds(m)
        self.in_scope: dict[str, bool] = {}  # main record uuid → may the sender change it
        self.to_county = self.store.township is None
        self.townships = set(dict(self.store.townships()))

    # -- version bounds ----------------------------------------------------------------------
    def _bounds(self, m: dict) -> dict[str, int]:
        conn = self.conn
        inst = conn.execute(sa.select(installation)).mappings().one()
        me = inst["id"]
        out = {}
        for pid, n in conn.execute(sa.select(peers.c.id, peers.c.their_counter)):
            out[pid] = n or 0
        if self.county:
            for pid, n in (m.get("acks") or {}).items():
                if isinstance(n, int) and pid != me:
                    out[pid] = max(out.get(pid, 0), n)
        out[m.get("sender")] = int(m.get("counter") or 0)
        to = [COUNTY if self.county else self.sender_township]
        if inst["township"] is not None:
            to.append(COUNTY)
        mine = 0
        for (details,) in conn.execute(sa.select(package_log.c.details).where(
                package_log.c.direction == "sent", package_log.c.recipient.in_(to))):
            n = json.loads(details or "{}").get("counter")
            mine = max(mine, inst["counter"] if n is None else n)  # older logs: the counter is not known
        out[me] = mine
        return out

    def _inflated(self, row: dict, local: tuple | None) -> bool:
        have = R.vv_load(local[2]) if local else {}
        seen = dict(R.vv_load(row.get("vv")))
        dots = [row.get("born"), *R.clock_load(row.get("clock")).values()]
        for d in dots:
            if d:
                inst, n = R.parse_dot(d)
                seen[inst] = max(seen.get(inst, 0), n)
        return any(n > max(self.bounds.get(inst, 0), have.get(inst, 0)) for inst, n in seen.items())

    # -- scope --------------------------------------------------------------------------------
    def _township_reason(self, after, before) -> str | None:
        if self.county:
            return None
        if self.to_county and before == self.sender_township and after in self.townships:
            return None  # a person who moved: the township reports it, the county forwards it
        for t, whose in ((before, "本机记录属于"), (after, "记录属于")):
            if t is None:
                return "县级（县直）记录只能由县委统战部修改"
            if t != self.sender_township:
                return f"{whose}{self.store.township_name(t)}，{self.who}的数据包只能修改本乡镇的记录"
        return None

    def _local_townships(self, t, uuids) -> dict[str, str | None]:
        out = {}
        for i in range(0, len(uuids), 500):
            for u, tw in self.conn.execute(sa.select(t.c.uuid, t.c.township).where(t.c.uuid.in_(uuids[i:i + 500]))):
                out[u] = tw
        return out

    def _parent_ok(self, parent_table: str, parent: str) -> bool:
        if parent in self.in_scope:
            return self.in_scope[parent]
        t = LEDGER_TABLES.get(parent_table)
        if t is None:
            return self.county
        tw = self.conn.execute(sa.select(t.c.township).where(t.c.uuid == parent)).first()
        ok = self.county or (tw is not None and tw[0] == self.sender_township)
        self.in_scope[parent] = ok
        return ok

    def check(self, table_name: str, columns: list[str], rows: list[list], local: dict[str, tuple]) -> set[str]:
        """The uuids of ``rows`` (arrays in ``columns`` order) the sender may not write."""
        if not rows:
            return set()
        ix = {c: i for i, c in enumerate(columns)}
        bad: dict[str, str] = {}
        dicts = [dict(zip(columns, r, strict=True)) for r in rows]
        if table_name in LEDGER_TABLES:
            before = self._local_townships(LEDGER_TABLES[table_name], [d["uuid"] for d in dicts if d["uuid"] in local])
            for d in dicts:
                u = d["uuid"]
                had = u in local
                after = d.get("township") if not (d.get("deleted") and d.get("township") is None and had) \
                    else before.get(u)
                if d.get("deleted") and not had and after is None:
                    why = None  # a tombstone of a record never held here: nothing to protect
                else:
                    why = self._township_reason(after, before[u] if had else after)
                self.in_scope[u] = why is None
                if why:
                    bad[u] = why
        elif not self.county:
            parent_col = "parent" if "parent" in ix else "owner"
            for d in dicts:
                if table_name in SUBS:
                    ptable = SUBS[table_name][0].name
                else:
                    ptable = d.get("owner_table")
                if not d.get(parent_col) or not self._parent_ok(ptable, d[parent_col]):
                    bad[d["uuid"]] = f"所属的主记录不属于{self.who}，{self.who}的数据包不能修改"
        for d in dicts:
            if d["uuid"] not in bad and self._inflated(d, local.get(d["uuid"])):
                bad[d["uuid"]] = INFLATED
        for d in dicts:
            if d["uuid"] in bad:
                self.refused.append(Refusal(table_name, d["uuid"], str(d.get("name") or d.get("filename") or
                                                                       d["uuid"][:8]), bad[d["uuid"]]))
        return set(bad)
