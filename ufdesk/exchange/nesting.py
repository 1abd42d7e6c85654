"""Nested 序号 in an imported 任务分解表: "一、" above "1、" above "(1)" above "①" — each row's
parent task is the nearest row above it numbered in a shallower style.

Offices number a breakdown in any order of styles, so the depth of a style is the order in
which the file first uses it (as an outline is read); a style seen again closes the deeper
levels opened since. A row without a 序号 leaves the outline as it is. A blank 类别 takes the
类别 of the row above: the heading is written once (or merged down over its tasks).
"""

from __future__ import annotations

import re

from ..store.records import new_uuid

_STYLES = (
    ("cn", re.compile(r"^[一二三四五六七八九十百]+[、.．]?$")),
    ("cn_paren", re.compile(r"^[(（][一二三四五六七八九十百]+[)）]$")),
    ("num", re.compile(r"^\d+[、.．]?$")),
    ("num_paren", re.compile(r"^[(（]\d+[)）]$")),
    ("circled", re.compile(r"^[\u2460-\u2473]$")),
    ("num_dot", re.compile(r"^\d+([.．]\d+)+$")),
)


def style_of(seq: str | None) -> str | None:
    text = re.sub(r"\s", "", seq or "")
    if not text:
        return None
    for name, pattern in _STYLES:
        if pattern.match(text):
            return name
    return "other"


class Nester:
    """Called with each good row of the file, in file order: sets ``parent_task`` (giving new
    rows their UUID first) and carries 类别 down."""

    def __init__(self):
        self.stack: list[tuple[str, str]] = []  # (style, uuid), outermost first
        self.category = None

    def __call__(self, values: dict, existing: str | None) -> None:
        uuid = existing or values.get("uuid")
        if uuid is None:
            uuid = values["uuid"] = new_uuid()
        if values.get("category"):
            self.category = values["category"]
        elif self.category:
            values["category"] = self.category
        style = style_of(values.get("seq"))
        if style is None:
            return
        styles = [s for s, _ in self.stack]
        if style in styles:
            del self.stack[styles.index(style):]
        if self.stack and not values.get("parent_task"):
            values["parent_task"] = self.stack[-1][1]
        self.stack.append((style, uuid))


def nester_for(ledger, mapped) -> Nester | None:
    """The nesting of a ledger whose records may have a parent of their own kind (重点任务),
    unless the file names each row's parent itself (a full export's 上级任务 column)."""
    refs = [f.name for f in ledger.fields if f.type == "ref" and f.ref == ledger.name]
    if refs and not set(refs) & set(mapped) and any(f.name == "seq" for f in ledger.fields):
        return Nester()
    return None
