"""Every action the program can write into the audit log has a Chinese name: the codes are found
in the source (every ``action=`` given to the audit writers), so a new one without a name fails."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ufdesk"
# helpers that take the action as a positional argument: name → its index
WRAPPERS = {"_audit": 2, "_record": 2, "_change": 4}


def _strings(node) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def written_actions() -> tuple[set[str], list[str]]:
    """(action codes, call sites passing a computed action outside the known helpers)."""
    codes, loose = set(), []
    for path in PACKAGE.rglob("*.py"):
        if "gui" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        helpers = {f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name in WRAPPERS}
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                for k, v in zip(node.keys, node.values, strict=True):
                    if isinstance(k, ast.Constant) and k.value == "action" and isinstance(v, ast.Constant):
                        codes.add(v.value)
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name == "write":
                for kw in node.keywords:
                    if kw.arg == "action":
                        found = _strings(kw.value)
                        codes |= found
                        if not found and not helpers:
                            loose.append(f"{path.name}:{node.lineno}")
            elif name in WRAPPERS and len(node.args) > WRAPPERS[name]:
                codes |= _strings(node.args[WRAPPERS[name]])
    return codes, loose


def test_every_action_the_program_writes_has_a_chinese_name():
    from ufdesk.services.auditlog import ACTIONS, action_label

    codes, loose = written_actions()
    assert loose == [], "an audit action passed through a new helper: add it to WRAPPERS"
    assert {"create", "resolve", "report_full_ids", "package_merge", "login_failed", "user_disable"} <= codes
    unnamed = sorted(c for c in codes if c not in ACTIONS)
    assert unnamed == []
    assert all(not any("a" <= ch.lower() <= "z" for ch in action_label(c)) for c in codes)
