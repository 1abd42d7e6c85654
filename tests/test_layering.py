"""Imports point one way: only ufdesk/gui (and the start-up wiring in ufdesk/app.py) may
import Qt or pyqtgraph, and the GUI reaches the database only through the services."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "ufdesk"
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the module's package
                pkg = path.relative_to(ROOT.parent).with_suffix("").parts[: -node.level]
                base = ".".join([*pkg, base] if base else pkg)
            out.add(base)
            out.update(f"{base}.{a.name}" for a in node.names)
    return out


def modules():
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)


def test_the_scan_sees_the_gui_imports():
    # guards the test itself: if the parser missed imports, the checks below would pass vacuously
    assert any(m.startswith("PySide6") for m in imported_modules(ROOT / "gui" / "mainwindow.py"))
    assert "ufdesk.services" in imported_modules(ROOT / "gui" / "table_model.py")


def test_only_the_gui_imports_qt():
    offenders = []
    for path in modules():
        rel = path.relative_to(ROOT)
        if rel.parts[0] == "gui" or rel == Path("app.py"):
            continue
        bad = [m for m in imported_modules(path) if m.split(".")[0] in QT]
        if bad:
            offenders.append(f"{rel}: {', '.join(sorted(bad))}")
    assert offenders == []


def test_the_gui_does_not_touch_the_store_or_sql():
    offenders = []
    for path in sorted((ROOT / "gui").rglob("*.py")):
        bad = [m for m in imported_modules(path)
               if m.split(".")[0] == "sqlalchemy" or m == "ufdesk.store" or m.startswith("ufdesk.store.")]
        if bad:
            offenders.append(f"{path.relative_to(ROOT)}: {', '.join(sorted(bad))}")
    assert offenders == []
