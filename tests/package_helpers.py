"""Helpers for the transfer-package tests: one county office and two township installations of
the same county, and sending packages between them the way the CLI and GUI do."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ufdesk.exchange import package_export as E
from ufdesk.exchange import package_import as I
from ufdesk.exchange.package import open_bytes, seal
from ufdesk.exchange.package_trust import identities
from ufdesk.services import Services
from ufdesk.store import Store
from ufdesk.store import records as R
from ufdesk.store import schema as S

PW = "青岚湖-交换口令-2026"
COUNTY = ("510599", "测试县")
T1, T2 = "510599100", "510599101"
TOWNSHIPS = [(T1, "城关镇"), (T2, "河东乡"), ("510599102", "北城街道")]
VILLAGES = [("510599100001", "东街社区"), ("510599101001", "石桥村")]


def make(tmp_path, name: str, township: str | None = None, county=COUNTY) -> Services:
    store = Store.create(tmp_path / f"{name}.db", county_code=county[0], county_name=county[1],
                         townships=TOWNSHIPS if county == COUNTY else [(county[0] + "100", "某镇")],
                         villages=VILLAGES if county == COUNTY else [], township=township)
    return Services(store, user=f"{name}用户")


def build(src: Services, to: str | None = None, everything: bool = False, record: bool = True) -> tuple[bytes, dict]:
    data, manifest = E.run(E.build(src.store, passphrase=PW, to=to, everything=everything))
    if record:
        E.record_sent(src.store, manifest, E.reopen(src.store, data, PW).digest)
    return data, manifest


def receive(dst: Services, data: bytes, dry_run: bool = False) -> I.ImportResult:
    pkg = open_bytes(data, PW, identities(dst.store, PW))  # an enrolled installation opens with its key
    return I.run(I.import_package(dst.store, pkg, dry_run=dry_run, user=dst.user))


def enrol(tmp_path, county: Services, *towns: Services) -> None:
    """Enrol townships with the county as the clerks do (request → accept → finish)."""
    from ufdesk.exchange import enrol as N

    for t in towns:
        req, grant = tmp_path / f"{t.store.township}-req.ufenrol", tmp_path / f"{t.store.township}-grant.ufenrol"
        N.request(t.store, PW, req)
        N.accept(county.store, req, PW, grant)
        N.finish(t.store, grant, PW)


def send(src: Services, dst: Services, everything: bool = False) -> I.ImportResult:
    data, _ = build(src, to=dst.store.township or "county", everything=everything)
    return receive(dst, data)


def rep(svc: Services, name: str = "王伟", **values) -> str:
    values.setdefault("township", svc.store.township or T1)
    return svc.create("representatives", {"name": name, "gender": "1", **values}).uuid


def snapshot(store) -> dict:
    """Every row of every table but the audit (the whole database as data; a refusal writes
    one audit row, checked by ``audit_actions``)."""
    out = {}
    with store.connect() as conn:
        for t in S.metadata.sorted_tables:
            if t.name == "audit":
                continue
            out[t.name] = sorted((tuple(str(v) for v in r) for r in conn.execute(sa.select(t))), key=repr)
    return out


def audit_actions(store) -> list[tuple[str, str]]:
    """(action, summary) of every audit row, oldest first."""
    with store.connect() as conn:
        return [(r.action, r.summary) for r in conn.execute(sa.select(S.audit).order_by(S.audit.c.id))]


def record_state(store, township: str | None = None) -> dict:
    """Records as they should agree between copies: fields, tombstones, dots and vectors."""
    out = {}
    with store.connect() as conn:
        for name, t in S.ALL_RECORD_TABLES.items():
            cols = ["uuid", *R.merge_columns(name), "born", "clock", "vv", "deleted"]
            for r in conn.execute(sa.select(*[t.c[c] for c in cols])).mappings():
                out[(name, r["uuid"])] = dict(r)
    if township is not None:
        owners = {u for (n, u), r in out.items() if n in S.LEDGER_TABLES and r["township"] == township}
        out = {k: r for k, r in out.items()
               if (k[0] in S.LEDGER_TABLES and k[1] in owners) or r.get("parent") in owners or r.get("owner") in owners}
    return out


def reseal(data: bytes, change) -> bytes:
    """Open a package, let ``change(manifest, members)`` alter it, and seal it again with
    correct member hashes — a package that is well-formed but different."""
    pkg = open_bytes(data, PW)
    manifest, members = dict(pkg.manifest), dict(pkg.members)
    change(manifest, members)
    manifest.pop("members", None)
    from ufdesk.exchange.package import build_zip

    return seal(build_zip(manifest, members), PW)


class ShiftedClock:
    """Stands in for the ``datetime`` module with a PC clock that is ``days`` off."""

    def __init__(self, days: int):
        shift = dt.timedelta(days=days)

        class _DT(dt.datetime):
            @classmethod
            def now(cls, tz=None):
                return dt.datetime.now(tz) + shift

        self.datetime = _DT
        self.date = dt.date
        self.timedelta = dt.timedelta
        self.time = dt.time


class FixedClock(ShiftedClock):
    """A PC whose clock reads ``when``."""

    def __init__(self, when: dt.datetime):
        super().__init__(0)

        class _DT(dt.datetime):
            @classmethod
            def now(cls, tz=None):
                return when

        self.datetime = _DT
