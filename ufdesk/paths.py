"""Where things live: resources shipped with the program, and the user's data folder.

Works from a source checkout, an installed package and a PyInstaller bundle alike. No Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return PACKAGE.parent


ROOT = _root()


def _tree(name: str) -> Path:
    """``data/`` or ``resources/``: beside the package in a source checkout and the bundle; inside
    it (``ufdesk/data``) when installed from a wheel — setup.py maps the folders there."""
    if not getattr(sys, "_MEIPASS", None) and (PACKAGE / name).is_dir():
        return PACKAGE / name
    return ROOT / name


DATA = _tree("data")
RESOURCES = _tree("resources")


def resource(*parts: str) -> Path:
    """A file under ``resources/`` (fonts, icons, style sheet)."""
    return RESOURCES.joinpath(*parts)


def data_file(*parts: str) -> Path:
    """A file under ``data/`` (code tables, demo county, templates)."""
    return DATA.joinpath(*parts)


def migrations_dir() -> Path:
    """Alembic's script folder (env.py, versions/). In a PyInstaller bundle the modules live in
    an archive, so the folder is the copy installer.spec puts under sys._MEIPASS."""
    if getattr(sys, "_MEIPASS", None):
        return ROOT / "ufdesk" / "store" / "migrations"
    return Path(__file__).resolve().parent / "store" / "migrations"


def user_data_dir() -> Path:
    """The per-user folder for the database and backups — never the program folder."""
    override = os.environ.get("UFDESK_HOME")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "ufdesk"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "ufdesk"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "ufdesk"
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_db() -> Path:
    return user_data_dir() / "ufdesk.db"


def backups_dir() -> Path:
    d = user_data_dir() / "backups"
    d.mkdir(parents=True, exist_ok=True)
    return d
