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


def merge_record(table_name: str, loc: dict, inc: dict, open_conflicts: list[dict] = ()) -> RecordMerge:
    """Merge incoming row ``inc`` (Python-typed) into local row ``loc``; nothing is written."""
    cols = R.merge_columns(table_name)
    born = loc["born"]
    lclock, iclock = R.clock_load(loc["clock"]), R.clock_load(inc["clock"])
    lvv, ivv = R.vv_load(loc["vv"]), R.vv_load(inc["vv"])
    ipend = inc.get(PENDING) or {}
    if isinstance(ipend, str):
        ipend = json.loads(ipend)

    def seen(f):  # the incoming writer had seen (and decided over) the local write of f
        return covers(ivv, ldot(f)) and ldot(f) not in ipend.get(f, ()) and ldot(f) not in ipend.get(D, ())

    def ldot(f):
        return lclock.get(f, born)

    def idot(f):
        return iclock.get(f, born)

    out = RecordMerge()
    clock = dict(lclock)
    ldel, idel = bool(loc["deleted"]), bool(inc["deleted"])
    rdel = relation(ldot(D), idot(D), lvv, ivv, ipend.get(D, ()))
    deleted = ldel
    applied: set[str] = set()
    mode = "fields"
    if ldel == idel:
        if ldel:  # deleted on both sides: nothing to decide, every copy takes the larger dot
            if later(ldot(D), idot(D)) != ldot(D):
                clock[D] = idot(D)
                applied.add(D)
        elif rdel == "incoming":
            clock[D] = idot(D)
            applied.add(D)
        elif rdel == "concurrent":
            clock[D] = later(ldot(D), idot(D))
        mode = "dots" if ldel else "fields"
    elif idel:  # the other side deleted, this copy has the record
        if rdel == "incoming" and all(seen(f) for f in cols):
            deleted, clock[D], mode = True, idot(D), "dots"
            applied.add(D)
        elif rdel == "local":
            mode = "none"  # restored here after seeing that delete
        else:
            out.conflicts.append({"field": D, "mine": {"deleted": False}, "theirs": {"deleted": True},
                                  "theirs_dot": idot(D)})
            mode = "none"
    else:  # deleted here, the other side has it
        if rdel == "incoming":  # restored there after seeing our delete: take its values
            deleted, clock[D] = False, idot(D)
            applied.add(D)
            for f in cols:
                if differs(loc[f], inc.get(f)):
                    out.values[f] = inc.get(f)
                if idot(f) != born:
                    clock[f] = idot(f)
                else:
                    clock.pop(f, None)
            mode = "none"
        else:
            unseen = [idot(f) for f in cols if not covers(lvv, idot(f))]
            if rdel == "concurrent":
                unseen.append(idot(D))
            if unseen:
                out.conflicts.append({"field": D, "mine": {"deleted": True},
                                      "theirs": {"deleted": False, "values": {f: inc.get(f) for f in cols}},
                                      "theirs_dot": max(unseen, key=dot_order)})
            mode = "none"

    if mode == "dots":
        # A tombstone's cleared fields carry no value and its dots decide nothing: a write this
        # copy absorbed into its vv while the record was deleted was never applied here, so
        # "seen" proves nothing. A pure max over the dots (a total order, not a clock) makes
        # every copy agree; the values kept on a tombstone (township, parent) follow their dot.
        for f in cols:
            if later(ldot(f), idot(f)) != ldot(f):
                clock[f] = idot(f)
                if (f == "township" or f in KEEP_ON_DELETE) and differs(loc[f], inc.get(f)):
                    out.values[f] = inc.get(f)
    elif mode == "fields":
        for f in cols:
            rel = relation(ldot(f), idot(f), lvv, ivv, ipend.get(f, ()))
            if rel in ("same", "local"):
                continue
            if rel == "incoming":
                clock[f] = idot(f)
                if differs(loc[f], inc.get(f)):
                    out.values[f] = inc.get(f)
                applied.add(f)
            elif equal(loc[f], inc.get(f)):  # the same value written on both sides
                clock[f] = later(ldot(f), idot(f))
                if clock[f] == idot(f) and differs(loc[f], inc.get(f)):  # "" and None: keep one form
                    out.values[f] = inc.get(f)
            else:
                out.conflicts.append({"field": f, "mine": loc[f], "theirs": inc.get(f), "theirs_dot": idot(f)})

    # Queued conflicts that the incoming writer had seen both sides of are superseded.
    for c in open_conflicts:
        f, td = c["field"], c["theirs_dot"]
        if f in applied and idot(f) != td and covers(ivv, td) and td not in ipend.get(f, ()):
            out.closed.append(c["id"])
        elif f in out.values:
            out.mine_updates[c["id"]] = out.values[f]
    # A conflict already waiting with the same incoming write is not queued twice.
    queued = {(c["field"], c["theirs_dot"]) for c in open_conflicts if c["id"] not in out.closed}
    out.conflicts = [c for c in out.conflicts if (c["field"], c["theirs_dot"]) not in queued]

    vv = dict(lvv)
    for inst, n in ivv.items():
        if n > vv.get(inst, 0):
            vv[inst] = n
    clock = {k: v for k, v in clock.items() if v != born}
    new_clock, new_vv = R.clock_dump(clock), R.vv_dump(vv)
    if deleted != ldel:
        out.values["deleted"] = deleted
        if deleted:
            out.values.update(_cleared(table_name))
    if new_clock != loc["clock"]:
        out.values["clock"] = new_clock
    if new_vv != loc["vv"]:
        out.values["vv"] = new_vv
    if out.conflicts:
        out.outcome = "conflict"
    elif any(k not in ("clock", "vv") for k in out.values):
        out.outcome = "updated"
    if not deleted and table_name in LEDGERS and any(k in out.values for k in cols):
        out.values.update(R.derived(table_name, {**loc, **out.values}))
    if any(k in out.values for k in cols) or "deleted" in out.values:
        for k in ("updated_at", "updated_by", "changed_by"):
            out.values[k] = inc.get(k, loc.get(k))
    return out


def loads(text: str | None):
    return None if text is None else json.loads(text)
