"""Imports point one way: only ufdesk/gui (and the start-up wiring in ufdesk/app.py) may
import Qt or pyqtgraph, and the GUI reaches the database only through the services."""

from __future__ import annotations

import ast
import re
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


# Attribute names that lead below the services: the store object, its engine, a connection.
BELOW = {"store", "engine", "connection", "raw_connection"}


def reaches_below(source: str) -> list[str]:
    """Each place in ``source`` that touches the store, an engine or a connection: an attribute
    named in BELOW, or ``x.connect()`` called without arguments (a database connection; Qt's
    ``signal.connect(slot)`` always has one)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in BELOW:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect"
              and not node.args and not node.keywords):
            found.append(f"line {node.lineno}: .connect()")
    return found


def test_the_reach_check_sees_what_it_must():
    # guards the check itself: each of these would let the GUI around the services' role checks
    assert reaches_below("ctx.services.store.set_setting('k', 'v')")
    assert reaches_below("with svc.connect() as conn: pass")
    assert reaches_below("self.store = ctx.store")
    assert reaches_below("svc.store.engine.dispose()")
    assert not reaches_below("button.clicked.connect(self.save)")
    assert not reaches_below("svc.codebook(); svc.township_name(code)")


def test_the_gui_reaches_data_only_through_the_services():
    offenders = []
    for path in sorted((ROOT / "gui").rglob("*.py")):
        for where in reaches_below(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(ROOT)} {where}")
    assert offenders == []


# SQLite-only SQL and driver-level calls: these belong in ufdesk/store (store/fastpath.py holds
# the fast paths: planner hints, index drop/rebuild, raw inserts and reads, the page cache).
SQLITE_SQL = re.compile(r"\b(INDEXED\s+BY|DROP\s+INDEX|CREATE\s+(UNIQUE\s+)?INDEX|PRAGMA|sqlite_master)\b",
                        re.IGNORECASE)
DRIVER_CALLS = {"exec_driver_sql", "executemany", "driver_connection"}


def sqlite_fast_paths(source: str) -> list[str]:
    """Each place in ``source`` that writes SQLite-only SQL in a string (docstrings aside) or
    talks to the database driver below SQLAlchemy."""
    tree = ast.parse(source)
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            m = SQLITE_SQL.search(node.value)
            if m:
                found.append(f"line {node.lineno}: {m.group(0)}")
        elif isinstance(node, ast.Attribute) and node.attr in DRIVER_CALLS:
            found.append(f"line {node.lineno}: .{node.attr}")
        elif (isinstance(node, ast.Attribute) and node.attr == "cursor" and isinstance(node.value, ast.Attribute)
              and node.value.attr == "connection"):
            found.append(f"line {node.lineno}: .connection.cursor")
    return found


def test_the_fast_path_check_sees_what_it_must():
    # guards the check itself: each of these is a SQLite fast path written outside the store
    assert sqlite_fast_paths('stmt.with_hint(t, f"INDEXED BY ix_{name}_live_search", "sqlite")')
    assert sqlite_fast_paths('conn.exec_driver_sql(f\'DROP INDEX "{name}"\')')
    assert sqlite_fast_paths('rows = c.execute("SELECT name, sql FROM sqlite_master WHERE type = \'index\'")')
    assert sqlite_fast_paths('cur = conn.connection.cursor(); cur.execute("PRAGMA cache_size=-400000")')
    assert sqlite_fast_paths("cur.executemany(sql, rows)")
    assert sqlite_fast_paths("conn.connection.driver_connection")
    assert not sqlite_fast_paths('def f():\n    """Uses INDEXED BY through store/fastpath."""\n    return 1')
    assert not sqlite_fast_paths("fastpath.use_search_index(stmt, conn, 'representatives')")


def test_sqlite_fast_paths_live_only_in_the_store():
    offenders = []
    for path in modules():
        rel = path.relative_to(ROOT)
        if rel.parts[0] == "store":
            continue
        offenders += [f"{rel} {where}" for where in sqlite_fast_paths(path.read_text(encoding="utf-8"))]
    assert offenders == []
