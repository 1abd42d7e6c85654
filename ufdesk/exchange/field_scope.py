"""Field-level scope of a township's package (on top of the record scope of ``exchange.scope``):
of a 重点任务 the county set up, a township sends back only its 进展, 状态 and 完成日期. A row
whose clocks show the township changed anything else (content, deadline, owner), created or
deleted such a record, is refused — counted 拒收 with its reason — and never applied.

``refusals(pkg, table_name)`` is the hook: ``{uuid: reason}`` for one table of a package.
"""

from __future__ import annotations

from ..domain import LEDGERS
from ..domain.scope import package_refusal
from ..store import records as R


def refusals(pkg, table_name: str) -> dict[str, str]:
    lg = LEDGERS.get(table_name)
    m = pkg.manifest
    if lg is None or lg.township_scope is None or m.get("sender_township") is None:
        return {}
    columns, rows = pkg.keys(table_name)
    if not rows:
        return {}
    ix = {c: i for i, c in enumerate(columns)}
    out = {}
    for r in rows:
        why = package_refusal(lg, r[ix["born"]], R.clock_load(r[ix["clock"]]), bool(r[ix["deleted"]]), m.get("sender"))
        if why:
            out[r[ix["uuid"]]] = why
    return out


def without(keys_or_table: tuple[list[str], list[list]], bad: set[str]) -> tuple[list[str], list[list]]:
    """A package table (keys or full rows) without the refused rows."""
    columns, rows = keys_or_table
    if not bad or not rows:
        return columns, rows
    iu = columns.index("uuid")
    return columns, [r for r in rows if r[iu] not in bad]
