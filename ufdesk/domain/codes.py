"""Code tables: national standards and the county's own lists.

Defaults ship as ``data/codes/<table>.csv`` (header ``code,name,aliases``; aliases separated
by ``|``). A county's edits live in its database and are laid over the defaults by the store
(``CodeBook.with_overrides``). Lookup by code, by name or by any alias.
"""

from __future__ import annotations

import csv
import functools
import unicodedata
from dataclasses import dataclass

from ..paths import data_file
from .errors import UnknownCode


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    active: bool = True


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).replace(" ", "").replace("\u3000", "").strip()


class CodeTable:
    def __init__(self, name: str, label: str, codes: list[Code]):
        self.name = name
        self.label = label
        self.codes = list(codes)
        self._by_code = {c.code: c for c in self.codes}
        self._lookup: dict[str, str] = {}
        # Codes first, then names, then aliases: a later, weaker form never shadows a stronger one.
        for c in self.codes:
            self._lookup.setdefault(_norm(c.code), c.code)
        for c in self.codes:
            self._lookup.setdefault(_norm(c.name), c.code)
        for c in self.codes:
            for a in c.aliases:
                self._lookup.setdefault(_norm(a), c.code)

    def __iter__(self):
        return iter(self.codes)

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def name_of(self, code: str | None) -> str:
        if code is None or code == "":
            return ""
        c = self._by_code.get(code)
        return c.name if c else str(code)

    def find(self, text: str | None) -> str | None:
        """The code for a code, a name or an alias; None if nothing matches."""
        if text is None:
            return None
        return self._lookup.get(_norm(text))

    def code_of(self, text: str) -> str:
        found = self.find(text)
        if found is None:
            raise UnknownCode(f"“{text}”不是{self.label}中的值")
        return found

    def items(self) -> list[tuple[str, str]]:
        return [(c.code, c.name) for c in self.codes if c.active]


def _read_csv(path) -> list[Code]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        Code(r["code"].strip(), r["name"].strip(), tuple(a for a in (r.get("aliases") or "").split("|") if a))
        for r in rows
        if r.get("code")
    ]


@functools.cache
def default_tables() -> dict[str, CodeTable]:
    """Every code table as shipped in ``data/codes``."""
    with open(data_file("codes", "tables.csv"), encoding="utf-8-sig", newline="") as fh:
        index = list(csv.DictReader(fh))
    return {
        r["table"]: CodeTable(r["table"], r["label"], _read_csv(data_file("codes", f"{r['table']}.csv")))
        for r in index
    }


class CodeBook:
    """All code tables of one database: the defaults with the county's edits laid over them."""

    def __init__(self, tables: dict[str, CodeTable]):
        self.tables = tables

    @classmethod
    def defaults(cls) -> CodeBook:
        return cls(dict(default_tables()))

    def with_overrides(self, rows: list[tuple[str, str, str, str, bool]]) -> CodeBook:
        """Lay ``(table, code, name, aliases, active)`` rows from the database over the defaults."""
        if not rows:
            return self
        merged: dict[str, dict[str, Code]] = {n: {c.code: c for c in t.codes} for n, t in self.tables.items()}
        for table, code, name, aliases, active in rows:
            merged.setdefault(table, {})[code] = Code(code, name, tuple(a for a in (aliases or "").split("|") if a), active)
        return CodeBook(
            {
                n: CodeTable(n, self.tables[n].label if n in self.tables else n, list(codes.values()))
                for n, codes in merged.items()
            }
        )

    def __getitem__(self, name: str) -> CodeTable:
        return self.tables[name]

    def name_of(self, table: str, code: str | None) -> str:
        return self.tables[table].name_of(code)


def split_multi(value: str | None) -> list[str]:
    """``",01,05,"`` → ``["01", "05"]``: how a multi-code field is stored."""
    if not value:
        return []
    return [v for v in value.split(",") if v]


def join_multi(codes) -> str | None:
    codes = [c for c in codes if c]
    return "," + ",".join(codes) + "," if codes else None
