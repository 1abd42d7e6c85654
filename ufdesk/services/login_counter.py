"""Failed logins that cannot be kept in the database: on a database opened read-only (a
write-protected stick, a full disk), and under user names the database does not have (so an
unknown name locks exactly like a real one, and the two cannot be told apart).

They are counted in ``<user data>/login-failures.json``, keyed by the database's installation id
and an HMAC of the typed name — never the name itself, which may be a password typed into the
wrong box. The key is a random secret in ``<user data>/login-failures.key``; both files are 0600.
An entry is dropped once its lock has run out or its last failure is older than the lock time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from ..paths import create_private, user_data_dir

FILE, KEY = "login-failures.json", "login-failures.key"


def _key() -> bytes:
    path = user_data_dir() / KEY
    try:
        raw = path.read_bytes()
        if len(raw) == 32:
            return raw
    except OSError:
        pass
    create_private(path)
    raw = secrets.token_bytes(32)
    path.write_bytes(raw)
    return raw


def _slot(database: str, name: str) -> str:
    return database + ":" + hmac.new(_key(), name.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def _load() -> dict:
    try:
        data = json.loads((user_data_dir() / FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save(data: dict) -> None:
    path = user_data_dir() / FILE
    tmp = path.with_name(path.name + ".part")
    create_private(tmp)
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def _fresh(entry: dict, now: dt.datetime, window: dt.timedelta) -> bool:
    until = entry.get("until")
    if until and dt.datetime.fromisoformat(until) > now:
        return True
    last = entry.get("last")
    return bool(last) and not until and dt.datetime.fromisoformat(last) > now - window


def state(database: str, name: str, now: dt.datetime, window: dt.timedelta) -> tuple[int, dt.datetime | None]:
    """``(failures so far, locked until)`` for this name on this database."""
    entry = _load().get(_slot(database, name))
    if not entry or not _fresh(entry, now, window):
        return 0, None
    until = entry.get("until")
    return int(entry.get("failed", 0)), (dt.datetime.fromisoformat(until) if until else None)


def record(database: str, name: str, failed: int, until: dt.datetime | None, now: dt.datetime,
           window: dt.timedelta) -> None:
    """Store the new count (``failed`` 0 and no lock: forget the name)."""
    data = {k: v for k, v in _load().items() if isinstance(v, dict) and _fresh(v, now, window)}
    slot = _slot(database, name)
    if failed or until:
        data[slot] = {"failed": failed, "until": until.isoformat() if until else None, "last": now.isoformat()}
    else:
        data.pop(slot, None)
    _save(data)


def clear(database: str, name: str) -> None:
    data = _load()
    if data.pop(_slot(database, name), None) is not None:
        _save(data)


__all__ = ["clear", "record", "state"]


def path() -> Path:
    return user_data_dir() / FILE
