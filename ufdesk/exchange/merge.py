"""Field-by-field merge of incoming records, by UUID, deciding on dots and version vectors only.

Every record carries ``born`` (the dot of its creation), ``clock`` ({field: dot} of later
writes; "_deleted" for a delete or restore) and ``vv`` (for each installation, the highest
counter of its changes this copy has incorporated). For each field with local dot L and
incoming dot I (never a PC clock):

* L == I                          → unchanged;
* local vv covers I               → this copy has already seen I (it won, or waits in the
                                    conflict queue) → keep local;
* incoming vv covers L            → the incoming write was made knowing L → apply it;
* neither (concurrent)            → equal values: keep the value, take the larger dot (a pure
                                    tie-break, so every copy ends on the same dot);
                                    different values: a **conflict** — the local value stays,
                                    the incoming one waits in ``conflicts``.

Deletes are a pseudo-field ``_deleted``. A delete applies only when its writer had seen every
local field write; otherwise (an edit against a delete, either way round) it is a conflict on
``_deleted``. A restore (undelete) writes every field, so it carries the values back.

After the merge the vv is the pointwise maximum: the copy has seen the incoming writes, the
winners in place and the losers in the queue. A conflict is closed by a *resolution* — a new
local write with a fresh counter whose vv covers both sides — which travels like any edit and
closes the same conflict on every other copy (``conflicts.resolve``). An incoming write whose
writer had seen both sides of a queued conflict supersedes it likewise.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..domain import LEDGERS
from ..store import records as R

D = R.DELETED
PENDING = "_pending"  # in a package row: {field: [dots]} still waiting in the sender's conflict queue
KEEP_ON_DELETE = ("parent", "owner_table", "owner", "kind")


def covers(vv: dict[str, int], dot: str) -> bool:
    inst, n = R.parse_dot(dot)
    return vv.get(inst, 0) >= n


def dot_order(dot: str) -> tuple[int, str]:
    inst, n = R.parse_dot(dot)
    return n, inst


def later(a: str, b: str) -> str:
    return max(a, b, key=dot_order)


def relation(ldot: str, idot: str, lvv: dict, ivv: dict, pending=()) -> str:
    """How the local and incoming writes of one field relate. ``pending``: dots the sender
    still holds in its own conflict queue for this field — it has seen them but not decided."""
    if ldot == idot:
        return "same"
    if covers(lvv, idot):
        return "local"
    if covers(ivv, ldot) and ldot not in pending:
        return "incoming"
    return "concurrent"


def equal(a, b) -> bool:
    """The same value for a user ("" and None are both empty)."""
    return R._equal(a, b)


def differs(a, b) -> bool:
    """Stored differently: the winner's exact form is written so every copy holds the same."""
    return a != b


@dataclass
class RecordMerge:
    values: dict = field(default_factory=dict)  # columns to write (fields, clock, vv, deleted)
    outcome: str = "unchanged"  # unchanged / updated / conflict
    conflicts: list[dict] = field(default_factory=list)  # {field, mine, theirs, theirs_dot}
    closed: list[int] = field(default_factory=list)  # ids of queued conflicts now superseded
    mine_updates: dict[int, object] = field(default_factory=dict)  # conflict id → new local value


def _cleared(table_name: str) -> dict:
    out = {c: None for c in R.data_columns(table_name) if c not in KEEP_ON_DELETE}
    if table_name in LEDGERS:
        out.update(search=None, sk_stroke=None, sk_pinyin=None)
    return out


@dataclass
class _Sides:
    """The local and incoming copies of one record, with their clocks read once."""

    cols: list[str]
    loc: dict
    inc: dict
    born: str
    lclock: dict
    iclock: dict
    lvv: dict
    ivv: dict
    ipend: dict  # {field: [dots]} the sender still holds in its own conflict queue

    @classmethod
    def of(cls, table_name: str, loc: dict, inc: dict) -> _Sides:
        ipend = inc.get(PENDING) or {}
        if isinstance(ipend, str):
            ipend = json.loads(ipend)
        return cls(R.merge_columns(table_name), loc, inc, loc["born"], R.clock_load(loc["clock"]),
                   R.clock_load(inc["clock"]), R.vv_load(loc["vv"]), R.vv_load(inc["vv"]), ipend)

    def ldot(self, f: str) -> str:
        return self.lclock.get(f, self.born)

    def idot(self, f: str) -> str:
        return self.iclock.get(f, self.born)

    def relation(self, f: str) -> str:
        return relation(self.ldot(f), self.idot(f), self.lvv, self.ivv, self.ipend.get(f, ()))

    def seen(self, f: str) -> bool:
        """The incoming writer had seen (and decided over) the local write of ``f``."""
        d = self.ldot(f)
        return covers(self.ivv, d) and d not in self.ipend.get(f, ()) and d not in self.ipend.get(D, ())


@dataclass
class _Work:
    """What the merge has decided so far."""

    out: RecordMerge
    clock: dict  # the record's clock after the merge
    deleted: bool  # the record's deleted flag after the merge
    applied: set = field(default_factory=set)  # fields (and D) whose incoming write was taken


def merge_record(table_name: str, loc: dict, inc: dict, open_conflicts: list[dict] = ()) -> RecordMerge:
    """Merge incoming row ``inc`` (Python-typed) into local row ``loc``; nothing is written.

    In four steps: decide the delete (``_merge_delete``), which also says how the fields are
    merged — by their dots alone on a tombstone, one by one on a live record, or not at all;
    settle the conflicts already queued for this record; then the record's clock, vv and the
    columns that follow from the new values."""
    s = _Sides.of(table_name, loc, inc)
    w = _Work(RecordMerge(), dict(s.lclock), bool(loc["deleted"]))
    mode = _merge_delete(s, w)
    if mode == "dots":
        _merge_tombstone_fields(s, w)
    elif mode == "fields":
        _merge_live_fields(s, w)
    _settle_queued(s, w, open_conflicts)
    _finish(table_name, s, w)
    return w.out


def _merge_delete(s: _Sides, w: _Work) -> str:
    """Decide the ``_deleted`` pseudo-field; return how the fields are then merged: "dots"
    (a tombstone), "fields" (a live record) or "none" (decided here, or a conflict)."""
    ldel, idel = w.deleted, bool(s.inc["deleted"])
    if ldel == idel:
        return _same_delete_state(s, w, ldel)
    if idel:
        return _deleted_there(s, w)
    return _deleted_here(s, w)


def _same_delete_state(s: _Sides, w: _Work, deleted: bool) -> str:
    """Live on both sides, or deleted on both: only the delete's dot may move."""
    ld, idd = s.ldot(D), s.idot(D)
    rdel = s.relation(D)
    if deleted:  # deleted on both sides: nothing to decide, every copy takes the larger dot
        if later(ld, idd) != ld:
            w.clock[D] = idd
            w.applied.add(D)
        return "dots"
    if rdel == "incoming":
        w.clock[D] = idd
        w.applied.add(D)
    elif rdel == "concurrent":
        w.clock[D] = later(ld, idd)
    return "fields"


def _deleted_there(s: _Sides, w: _Work) -> str:
    """The other side deleted, this copy has the record: the delete applies only when its
    writer had seen every local write; a restore here after seeing it wins; else a conflict."""
    rdel = s.relation(D)
    if rdel == "incoming" and all(s.seen(f) for f in s.cols):
        w.deleted, w.clock[D] = True, s.idot(D)
        w.applied.add(D)
        return "dots"
    if rdel != "local":  # "local": restored here after seeing that delete
        w.out.conflicts.append({"field": D, "mine": {"deleted": False}, "theirs": {"deleted": True},
                                "theirs_dot": s.idot(D)})
    return "none"


def _deleted_here(s: _Sides, w: _Work) -> str:
    """Deleted here, the other side has it: restored there after seeing our delete, its values
    are taken; an edit made without seeing the delete is a conflict."""
    if s.relation(D) == "incoming":
        w.deleted, w.clock[D] = False, s.idot(D)
        w.applied.add(D)
        for f in s.cols:
            if differs(s.loc[f], s.inc.get(f)):
                w.out.values[f] = s.inc.get(f)
            if s.idot(f) != s.born:
                w.clock[f] = s.idot(f)
            else:
                w.clock.pop(f, None)
        return "none"
    unseen = [s.idot(f) for f in s.cols if not covers(s.lvv, s.idot(f))]
    if s.relation(D) == "concurrent":
        unseen.append(s.idot(D))
    if unseen:
        w.out.conflicts.append({"field": D, "mine": {"deleted": True},
                                "theirs": {"deleted": False, "values": {f: s.inc.get(f) for f in s.cols}},
                                "theirs_dot": max(unseen, key=dot_order)})
    return "none"


def _merge_tombstone_fields(s: _Sides, w: _Work) -> None:
    """A tombstone's cleared fields carry no value and its dots decide nothing: a write this
    copy absorbed into its vv while the record was deleted was never applied here, so "seen"
    proves nothing. A pure max over the dots (a total order, not a clock) makes every copy
    agree; the values kept on a tombstone (township, parent) follow their dot."""
    for f in s.cols:
        if later(s.ldot(f), s.idot(f)) != s.ldot(f):
            w.clock[f] = s.idot(f)
            if (f == "township" or f in KEEP_ON_DELETE) and differs(s.loc[f], s.inc.get(f)):
                w.out.values[f] = s.inc.get(f)


def _merge_live_fields(s: _Sides, w: _Work) -> None:
    """Field by field on a live record: the later write wins; concurrent equal values keep the
    larger dot; concurrent different values are a conflict (the local value stays)."""
    for f in s.cols:
        rel = s.relation(f)
        if rel in ("same", "local"):
            continue
        mine, theirs = s.loc[f], s.inc.get(f)
        if rel == "incoming":
            w.clock[f] = s.idot(f)
            if differs(mine, theirs):
                w.out.values[f] = theirs
            w.applied.add(f)
        elif equal(mine, theirs):  # the same value written on both sides
            w.clock[f] = later(s.ldot(f), s.idot(f))
            if w.clock[f] == s.idot(f) and differs(mine, theirs):  # "" and None: keep one form
                w.out.values[f] = theirs
        else:
            w.out.conflicts.append({"field": f, "mine": mine, "theirs": theirs, "theirs_dot": s.idot(f)})


def _settle_queued(s: _Sides, w: _Work, open_conflicts) -> None:
    """Queued conflicts that the incoming writer had seen both sides of are superseded; one
    whose local side changed follows the new value; a conflict already waiting with the same
    incoming write is not queued twice."""
    out = w.out
    for c in open_conflicts:
        f, td = c["field"], c["theirs_dot"]
        if f in w.applied and s.idot(f) != td and covers(s.ivv, td) and td not in s.ipend.get(f, ()):
            out.closed.append(c["id"])
        elif f in out.values:
            out.mine_updates[c["id"]] = out.values[f]
    queued = {(c["field"], c["theirs_dot"]) for c in open_conflicts if c["id"] not in out.closed}
    out.conflicts = [c for c in out.conflicts if (c["field"], c["theirs_dot"]) not in queued]


def _finish(table_name: str, s: _Sides, w: _Work) -> None:
    """The record's new clock and vv (the pointwise maximum: this copy has seen the incoming
    writes), the cleared columns of a delete, the outcome, and what follows from new values:
    search and sort keys, who changed it last."""
    out, loc, inc = w.out, s.loc, s.inc
    vv = dict(s.lvv)
    for inst, n in s.ivv.items():
        if n > vv.get(inst, 0):
            vv[inst] = n
    clock = {k: v for k, v in w.clock.items() if v != s.born}
    new_clock, new_vv = R.clock_dump(clock), R.vv_dump(vv)
    if w.deleted != bool(loc["deleted"]):
        out.values["deleted"] = w.deleted
        if w.deleted:
            out.values.update(_cleared(table_name))
    if new_clock != loc["clock"]:
        out.values["clock"] = new_clock
    if new_vv != loc["vv"]:
        out.values["vv"] = new_vv
    if out.conflicts:
        out.outcome = "conflict"
    elif any(k not in ("clock", "vv") for k in out.values):
        out.outcome = "updated"
    cols = s.cols
    if not w.deleted and table_name in LEDGERS and any(k in out.values for k in cols):
        out.values.update(R.derived(table_name, {**loc, **out.values}))
    if any(k in out.values for k in cols) or "deleted" in out.values:
        for k in ("updated_at", "updated_by", "changed_by"):
            out.values[k] = inc.get(k, loc.get(k))


def loads(text: str | None):
    return None if text is None else json.loads(text)
