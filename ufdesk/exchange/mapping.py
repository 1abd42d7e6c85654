"""Which spreadsheet column holds which field: guessed from the domain's labels and aliases,
changed by the user in the wizard, and remembered per header layout (``import_mappings``)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata

import sqlalchemy as sa

from ..domain.model import TOWNSHIP_LABEL, Ledger

# Pseudo-fields besides the ledger's own.
TOWNSHIP = "township"
UUID = "uuid"
EMPLOYER_POSITION = "employer+position"  # a combined 工作单位及职务 column
UUID_LABEL = "记录编号"
TOWNSHIP_ALIASES = ("所属乡镇", "乡镇", "乡镇(街道)", "所属乡镇(街道)", "乡(镇、街道)", "镇(乡、街道)", "所在乡镇",
                    "乡镇街道", "所属乡镇街道", "乡镇名称", "街道(乡镇)", "所属镇(街道)", "镇街")
COMBINED_ALIASES = ("工作单位及职务", "单位及职务", "工作单位和职务", "工作单位及职务职称", "工作单位及现任职务",
                    "单位职务", "工作单位职务", "单位及职务(职称)", "工作单位及职务(职称)")


def header_text(cell) -> str:
    """A header cell as compared: full-width forms folded, spaces and line breaks and the
    "*" marking a required column removed."""
    if cell is None:
        return ""
    from .normalize import HIDDEN

    text = unicodedata.normalize("NFKC", str(cell))
    return re.sub(f"[\\s*＊{HIDDEN}]+", "", text)


def _key(text: str) -> str:
    return header_text(text).replace("（", "(").replace("）", ")")


def _bare(text: str) -> str:
    """Without any parenthetical: 出生年月(年.月) → 出生年月."""
    return re.sub(r"\([^)]*\)", "", text)


def _names(lg: Ledger) -> dict[str, str]:
    return _names_of(lg.name)


@functools.cache
def _names_of(ledger_name: str) -> dict[str, str]:
    """Every header text that names a field, strongest first (labels before aliases)."""
    from ..domain import LEDGERS

    lg = LEDGERS[ledger_name]
    out: dict[str, str] = {}
    for f in lg.fields:
        if f.type != "ref":
            out.setdefault(_key(f.label), f.name)
    if "township" not in {f.name for f in lg.fields}:
        for a in TOWNSHIP_ALIASES:
            out.setdefault(_key(a), TOWNSHIP)
    for f in lg.fields:
        if f.type != "ref":
            for a in f.aliases:
                out.setdefault(_key(a), f.name)
    for f in lg.fields:
        if f.type == "ref":
            out.setdefault(_key(f.label), f.name)
    out.setdefault(_key(UUID_LABEL), UUID)
    names = {f.name for f in lg.fields}
    if "employer" in names and "position" in names:
        for a in COMBINED_ALIASES:
            out.setdefault(_key(a), EMPLOYER_POSITION)
    return out


def guess_field(header: str, lg: Ledger) -> str | None:
    if not header:
        return None
    names = _names(lg)
    key = _key(header)
    return names.get(key) or names.get(_bare(key)) or None


def guess_mapping(headers: list[str], lg: Ledger) -> list[str | None]:
    """The field of each column (None: not imported); a field is taken by its first column only."""
    taken: set[str] = set()
    out: list[str | None] = []
    for h in headers:
        f = guess_field(h, lg)
        if f in taken:
            f = None
        if f:
            taken.add(f)
        out.append(f)
    return out


def choices(lg: Ledger) -> list[tuple[str, str]]:
    """``(field, label)`` the wizard offers for a column."""
    out = [(f.name, f.label) for f in lg.fields]
    if "township" not in {f.name for f in lg.fields}:
        out.append((TOWNSHIP, TOWNSHIP_LABEL))
    names = {f.name for f in lg.fields}
    if "employer" in names and "position" in names:
        out.append((EMPLOYER_POSITION, "工作单位及职务（合并）"))
    out.append((UUID, UUID_LABEL))
    return out


def label_of(lg: Ledger, name: str | None) -> str:
    return dict(choices(lg)).get(name, "") if name else ""


def header_key(headers: list[str]) -> str:
    text = "\x1f".join(_key(h) for h in headers).rstrip("\x1f")
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:32]


def remembered(store, lg: Ledger, headers: list[str]) -> list[str | None] | None:
    """The mapping the user last chose for this header layout, if any."""
    from ..store.schema import import_mappings as t

    with store.connect() as conn:
        text = conn.execute(sa.select(t.c.mapping).where(t.c.ledger == lg.name, t.c.header_key == header_key(headers))).scalar()
    if not text:
        return None
    valid = {n for n, _ in choices(lg)}
    mapping = [m if m in valid else None for m in json.loads(text)]
    return (mapping + [None] * len(headers))[: len(headers)]


def remember(store, lg: Ledger, headers: list[str], mapping: list[str | None], conn=None) -> None:
    """Keep the mapping for this header layout: in ``conn``'s transaction when given (the
    import's own, so that a refused import remembers nothing)."""
    from ..store.schema import import_mappings as t

    if conn is None:
        with store.engine.begin() as own:
            return remember(store, lg, headers, mapping, own)
    key = header_key(headers)
    conn.execute(sa.delete(t).where(t.c.ledger == lg.name, t.c.header_key == key))
    conn.execute(sa.insert(t).values(ledger=lg.name, header_key=key, mapping=json.dumps(mapping, ensure_ascii=False),
                                     updated_at=dt.datetime.now().replace(microsecond=0)))
    return None


def mapping_for(store, lg: Ledger, headers: list[str]) -> tuple[list[str | None], bool]:
    """The remembered mapping for this layout, else the guess; and whether it was remembered."""
    if store is not None:
        found = remembered(store, lg, headers)
        if found is not None:
            return found, True
    return guess_mapping(headers, lg), False
