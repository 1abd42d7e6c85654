"""Property: random edits, deletes, sub-record changes and exchanges among the county and two townships; once all
packages have crossed and every conflict is resolved (through ``conflicts.resolve``), every
copy holds the same records, field for field, dots and version vectors included."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from package_helpers import T1, T2, make, rep, send

from ufdesk.domain.errors import NotFound
from ufdesk.exchange import conflicts as C
from ufdesk.services import Services

SITES = ("K", "A", "B")  # the county, township T1, township T2
HOME = {"A": T1, "B": T2}
ROUTES = [("A", "K"), ("B", "K"), ("K", "A"), ("K", "B"), ("A", "B"), ("B", "A")]
FIELDS = ("employer", "position", "address")
VALUES = ("甲", "乙", "丙", "")

ops = st.lists(st.one_of(
    st.tuples(st.just("edit"), st.sampled_from(SITES), st.integers(0, 9), st.sampled_from(FIELDS),
              st.sampled_from(VALUES)),
    st.tuples(st.just("delete"), st.sampled_from(SITES), st.integers(0, 9)),
    st.tuples(st.just("training"), st.sampled_from(SITES), st.integers(0, 9), st.sampled_from(VALUES[:3])),
    st.tuples(st.just("create"), st.sampled_from(SITES), st.sampled_from((T1, T2))),
    st.tuples(st.just("send"), st.sampled_from(ROUTES)),
    st.tuples(st.just("resolve"), st.sampled_from(SITES), st.sampled_from(("mine", "theirs"))),
), min_size=1, max_size=24)


def _visible(svc, uuid):
    try:
        return not svc.get("representatives", uuid, with_subs=False)["deleted"]
    except NotFound:
        return False


def _apply(sites, uuids, op):
    kind = op[0]
    if kind == "send":
        src, dst = op[1]
        send(sites[src], sites[dst])
    elif kind == "create":
        site = op[1]
        uuids.append(rep(sites[site], f"人{len(uuids)}", township=HOME.get(site, op[2])))
    elif kind == "resolve":
        open_ = C.list_conflicts(sites[op[1]].store)
        if open_:
            C.resolve(sites[op[1]], open_[0]["id"], op[2])
    else:
        svc = sites[op[1]]
        uuid = uuids[op[2] % len(uuids)]
        if not _visible(svc, uuid):
            return
        if kind == "edit":
            svc.update("representatives", uuid, {op[3]: op[4]})
        elif kind == "training":  # replaces the person's trainings: sub-records created and deleted
            svc.update("representatives", uuid, {}, subs={"rep_trainings": [
                {"start_on": dt.date(2026, 5, 1), "course": f"培训{op[3]}"}]})
        else:
            svc.delete("representatives", uuid)


def _state(sites):
    from package_helpers import record_state

    return [record_state(s.store) for s in sites.values()]


def _settle(sites):
    """Let every package cross; resolve what conflicts remain at one copy; repeat until a
    full pass changes nothing."""
    last = None
    for _pass in range(12):
        for src, dst in ROUTES:
            send(sites[src], sites[dst])
        waiting = {k: C.list_conflicts(s.store) for k, s in sites.items()}
        if any(waiting.values()):
            site = next(k for k in SITES if waiting[k])
            for i, c in enumerate(waiting[site]):
                if any(x["id"] == c["id"] for x in C.list_conflicts(sites[site].store)):
                    C.resolve(sites[site], c["id"], "theirs" if i % 2 else "mine")
            last = None
            continue
        state = _state(sites)
        if state == last:
            return
        last = state
    raise AssertionError("the copies did not settle")


_TEMPLATES: dict[str, Path] = {}


def _fresh(tmp: Path) -> dict:
    """Three new installations, copied from databases made once (creating one runs the
    migrations, which would dominate the test's time)."""
    from ufdesk.store import Store
    from ufdesk.store.engine import create_engine

    if not _TEMPLATES:
        base = Path(tempfile.mkdtemp(prefix="ufdesk-prop-"))
        for name, tw in (("county", None), ("t1", T1), ("t2", T2)):
            svc = make(base, name, tw)
            svc.store.close()
            _TEMPLATES[name] = base / f"{name}.db"
    out = {}
    for key, name in (("K", "county"), ("A", "t1"), ("B", "t2")):
        shutil.copyfile(_TEMPLATES[name], tmp / f"{name}.db")
        out[key] = Services(Store(create_engine(tmp / f"{name}.db")), user=name)
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_every_copy_converges(steps):
    from package_helpers import record_state

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        sites = _fresh(tmp)
        try:
            uuids = [rep(sites["A"], "甲一"), rep(sites["B"], "乙一"), rep(sites["K"], "县一", township=T1),
                     rep(sites["K"], "县二", township=T2)]
            for src, dst in ROUTES:
                send(sites[src], sites[dst])
            for op in steps:
                _apply(sites, uuids, op)
            _settle(sites)
            for site, township in HOME.items():
                assert record_state(sites["K"].store, township) == record_state(sites[site].store, township)
            assert all(not C.list_conflicts(s.store) for s in sites.values())
        finally:
            for s in sites.values():
                s.store.close()
