"""Field-level scope: what a township may change of a record the county set up.

A ledger's ``township_scope`` names the fields and sub-records a township installation may
change (重点任务: 状态, 完成日期 and its 进展); everything else — the task's content, deadline,
owner — changes only at the county. The same rule is applied to a township's edit in its own
program (``services.records``) and to a township's package arriving at the county
(``exchange``), so the two never disagree. Pure: no I/O.
"""

from __future__ import annotations

from .model import Ledger

# Columns no user types: bookkeeping, derived keys. A change of these is never "out of scope".
_BOOKKEEPING = frozenset({
    "id", "uuid", "township", "created_at", "created_by", "updated_at", "updated_by", "changed_by", "version",
    "vv", "clock", "born", "deleted", "search", "sk_stroke", "sk_pinyin", "subs",
})


def _same(a, b) -> bool:
    return (a in (None, "") and b in (None, "")) or a == b


def township_fields(lg: Ledger) -> frozenset[str]:
    """The fields of ``lg`` a township may change (all of them without a scope)."""
    if lg.township_scope is None:
        return frozenset(f.name for f in lg.fields)
    return frozenset(lg.township_scope) & {f.name for f in lg.fields}


def township_subs(lg: Ledger) -> frozenset[str]:
    if lg.township_scope is None:
        return frozenset(s.name for s in lg.subs)
    return frozenset(lg.township_scope) & {s.name for s in lg.subs}


def refused_changes(lg: Ledger, before: dict, after: dict, subs: dict | None = None) -> list[str]:
    """The labels of the fields (and sub-records) a township may not change that ``after``
    changes compared with ``before``; empty when the change is within the township's scope."""
    if lg.township_scope is None:
        return []
    allowed = township_fields(lg)
    out = [f.label for f in lg.fields
           if f.name in after and f.name not in allowed and f.name not in _BOOKKEEPING
           and not _same(before.get(f.name), after.get(f.name))]
    allowed_subs = township_subs(lg)
    out += [s.label for s in lg.subs if subs and s.name in subs and s.name not in allowed_subs]
    return out


def _installation(dot: str | None) -> str | None:
    return dot.rsplit(":", 1)[0] if dot and ":" in dot else None


def package_refusal(lg: Ledger, born: str | None, clock: dict, deleted: bool, sender: str) -> str | None:
    """Why a township's package row of ``lg`` goes beyond what a township may change, or None.
    Read from the row's own clocks (which installation last wrote each field), not from its
    values: a field the county changed meanwhile is a concurrent edit, not the township's."""
    if lg.township_scope is None:
        return None
    if _installation(born) == sender:
        return f"{lg.label}由县委统战部下达，乡镇不能新增"
    if _installation(clock.get("_deleted")) == sender and deleted:
        return f"{lg.label}由县委统战部下达，乡镇不能删除"
    allowed = township_fields(lg)
    labels = {f.name: f.label for f in lg.fields}
    changed = [labels[name] for name, dot in clock.items()
               if name in labels and name not in allowed and _installation(dot) == sender]
    if changed:
        return (f"{'、'.join(changed)}由县委统战部确定，乡镇不能修改（乡镇只填报"
                + "、".join(lg.sub(n).label if n in {s.name for s in lg.subs} else labels[n]
                           for n in lg.township_scope) + "）")
    return None
