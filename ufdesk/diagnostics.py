"""One zip for the office's IT person (信息科): the log, versions, settings without secrets.

``ufdesk diagnostics --out F.zip`` and 帮助 → 导出诊断信息 both call :func:`export`. Nothing in it
is personal data: the log never holds any (ufdesk/logs.py), settings whose name suggests a secret
are left out, and of the database only counts and the structure version are written.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import re
import sys
import zipfile
from importlib import metadata
from pathlib import Path

PACKAGES = ("PySide6-Essentials", "SQLAlchemy", "alembic", "reportlab", "openpyxl", "python-calamine", "pyrage",
            "cryptography", "python-docx", "pypdfium2", "pyqtgraph", "psycopg", "python-stdnum", "pypinyin")
SECRET = re.compile(r"pass|secret|key|token|salt|hash|pin", re.I)


def versions() -> dict[str, str]:
    from . import __version__

    found = {"ufdesk": __version__, "Python": sys.version.split()[0], "platform": platform.platform(),
             "executable": "bundle" if getattr(sys, "frozen", False) else "python"}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "（未安装）"
    import sqlite3

    found["SQLite"] = sqlite3.sqlite_version
    return found


def _gui_settings_files() -> list[Path]:
    """The GUI's settings where they are a file (Linux/macOS; on Windows they are in the registry)."""
    import os

    base = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return [p for p in (base / "ufdesk" / "ufdesk.conf", base / "ufdesk.conf") if p.is_file()]


def _without_secrets(text: str) -> str:
    keep = []
    for line in text.splitlines():
        key = line.split("=", 1)[0]
        keep.append(f"{key}=（已略去）" if "=" in line and SECRET.search(key) else line)
    return "\n".join(keep) + "\n"


def _database(db: str | None, services=None) -> dict:
    try:
        from .services import settings as S
        from .services.stats import totals

        if services is None:
            from .services import Services
            from .store import Store

            services = Services(Store.open(db), user="诊断")
            own = True
        else:
            own = False
        try:
            t = totals(services.store)
            info = {"counts": {k: v for k, v in t.items() if k != "by_township"}, "townships": len(t["by_township"]),
                    "readonly": bool(getattr(services.store, "readonly", False))}
            rows = S.listing(services)
            info["settings"] = {r["key"]: ("（已略去）" if SECRET.search(r["key"]) else r["value"]) for r in rows}
            return info
        finally:
            if own:
                services.store.close()
    except Exception as exc:  # noqa: BLE001 — a damaged database is what the IT person needs to hear about
        from .store.dberrors import db_error

        return {"error": db_error(exc) or type(exc).__name__}


def export(target: str | Path, db: str | None = None, services=None) -> Path:
    """Write the zip; returns its path. The database's counts and settings come from ``services``
    (the GUI's own) or from ``db`` opened here (the command line)."""
    from .logs import log_dir

    target = Path(target)
    if target.is_dir():
        target = target / f"ufdesk-诊断-{dt.date.today():%Y%m%d}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("versions.json", json.dumps(versions(), ensure_ascii=False, indent=1))
        folder = log_dir()
        for f in sorted(folder.glob("*.log*")) if folder.is_dir() else []:
            z.write(f, f"logs/{f.name}")
        for f in _gui_settings_files():
            z.writestr(f"settings/{f.name}", _without_secrets(f.read_text(encoding="utf-8", errors="replace")))
        if db or services is not None:
            z.writestr("database.json", json.dumps(_database(db, services), ensure_ascii=False, indent=1, default=str))
        z.writestr("README.txt", "ufdesk 诊断信息：日志（不含个人信息）、版本、设置（不含口令等机密）、"
                                 "数据库的记录数和结构版本。请交给维护人员。\n")
    return target
