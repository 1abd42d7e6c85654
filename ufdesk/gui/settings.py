"""Every QSettings key of the GUI, declared once with its type and default (Picard's habit).

Settings that belong to the data (county, townships, unit name) live in the database; these
are the settings of this PC's window: geometry, column state, the last database and tab.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "ufdesk"
APPLICATION = "ufdesk"


@dataclass(frozen=True)
class Setting:
    key: str  # may hold "{}" filled with a ledger name
    type: type
    default: Any

    def _key(self, *parts: str) -> str:
        return self.key.format(*parts) if parts else self.key

    def get(self, *parts: str):
        value = settings().value(self._key(*parts), self.default)
        if value is None:
            return self.default
        if self.type is bool and isinstance(value, str):
            return value.lower() in ("true", "1")
        if self.type is QByteArray:
            return value if isinstance(value, QByteArray) else QByteArray(value)
        try:
            return self.type(value)
        except (TypeError, ValueError):
            return self.default

    def set(self, value, *parts: str) -> None:
        settings().setValue(self._key(*parts), value)


LAST_DB = Setting("database/last", str, "")
RECENT_DBS = Setting("database/recent", str, "")  # paths separated by "\n", newest first
WINDOW_GEOMETRY = Setting("window/geometry", QByteArray, QByteArray())
WINDOW_STATE = Setting("window/state", QByteArray, QByteArray())
LAST_TAB = Setting("window/last_tab", int, 0)
LAST_USER = Setting("login/last_user", str, "")  # the name of the last successful login, never a password
HEADER_STATE = Setting("ledger/{}/header", QByteArray, QByteArray())  # per ledger
SPLITTER_STATE = Setting("ledger/{}/splitter", QByteArray, QByteArray())  # per ledger
LAST_PRINTER = Setting("print/printer", str, "")  # the printer reports went to last time
TEXT_SIZE = Setting("window/text_size", int, 0)  # point size chosen with Ctrl+加号/减号; 0: the default
FORM_GEOMETRY = Setting("form/{}/geometry", QByteArray, QByteArray())  # per ledger

_override: QSettings | None = None


def settings() -> QSettings:
    """The QSettings of the GUI (tests point it at a file of their own)."""
    return _override if _override is not None else QSettings(ORGANIZATION, APPLICATION)


def use_file(path: str) -> None:
    """Keep settings in an INI file instead (tests, portable installs)."""
    global _override
    _override = QSettings(path, QSettings.IniFormat)


def remember_db(path: str) -> None:
    LAST_DB.set(path)
    recent = [p for p in RECENT_DBS.get().split("\n") if p and p != path]
    RECENT_DBS.set("\n".join([path, *recent][:8]))
