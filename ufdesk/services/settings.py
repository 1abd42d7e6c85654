"""Reading and changing the database's settings (declared in ``domain/settings.py``).

``value(store, key)`` is what the core's readers use (reports, the completeness table);
``get(svc, key)`` and ``listing(svc)`` what a user's session reads; ``change`` is the one way to write: it checks the role and the scope, validates, and writes the value and
its audit row in one transaction. ``listing`` is what ``ufdesk setting list`` and the GUI show.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..domain.errors import InvalidSetting
from ..domain.settings import SETTINGS, Setting, setting
from ..store.schema import settings as T
from . import audit as A


@dataclass(frozen=True)
class SettingChange:
    key: str
    old: object
    new: object

    @property
    def changed(self) -> bool:
        return self.old != self.new


def default(store, s: Setting) -> object:
    if s.type == "text" and isinstance(s.default, str):
        return s.default.format(county=store.county_name)
    return s.default


def _stored(store, key: str) -> str | None:
    with store.connect() as conn:
        return conn.execute(sa.select(T.c.value).where(T.c.key == key)).scalar()


def value(store, key: str) -> object:
    """The typed value of setting ``key`` in this database (its default when unset)."""
    s = setting(key)
    return s.from_stored(_stored(store, key), default(store, s))


def get(svc, key: str) -> object:
    """The typed value of ``key`` as a user's session reads it (every role may read settings)."""
    return value(svc.store, key)


def listing(svc) -> list[dict]:
    """Every declared setting: key, label, value, default, scope, whether it was set here, and
    ``why_not`` — None when this user may change it here, else the sentence saying why not."""
    store = svc.store
    with store.connect() as conn:
        stored = dict(conn.execute(sa.select(T.c.key, T.c.value)).all())
    out = []
    for key, s in SETTINGS.items():
        d = default(store, s)
        out.append({"key": key, "value": s.from_stored(stored.get(key), d), "default": d, "scope": s.scope,
                    "label": s.label, "set": key in stored, "why_not": may_change(svc, key)})
    return out


def may_change(svc, key: str) -> str | None:
    """None when this user may change ``key`` here, else the sentence saying why not."""
    s = setting(key)
    if s.scope == "county" and svc.store.township is not None:
        return f"“{s.label}”由县委统战部统一设定，随县里的数据包下发，乡镇不能修改。"
    if svc.store.readonly:
        return "数据库是只读的（文件或文件夹没有写权限），不能修改设置。"
    if not svc.allowed(s.permission):
        from .records import PERMISSION_LABELS

        return f"当前用户没有权限：{PERMISSION_LABELS.get(s.permission, s.permission)}。"
    return None


def change(svc, key: str, raw: object) -> SettingChange:
    """Set ``key`` to ``raw`` (text as typed, or a typed value): role- and scope-checked,
    validated, audited. Returns the old and new typed values (nothing is written when the value
    is already the one stored)."""
    s = setting(key)
    svc.require(s.permission)
    why = may_change(svc, key)
    if why:
        raise InvalidSetting(why)
    new = s.parse(raw)
    old = value(svc.store, key)
    if old == new and _stored(svc.store, key) is not None:
        return SettingChange(key, old, new)
    with svc.store.write(svc.user) as (conn, ctx):
        conn.execute(sa.delete(T).where(T.c.key == key))
        conn.execute(sa.insert(T).values(key=key, value=s.text(new)))
        A.write(conn, user=svc.user, installation=ctx.installation, action="settings", at=ctx.now,
                summary=f"修改设置“{s.label}”：{old}{s.unit} → {new}{s.unit}", details=None)
    return SettingChange(key, old, new)


def county_values(conn: sa.Connection) -> list[dict]:
    """The county-scope settings this database holds, as a package carries them."""
    keys = [k for k, s in SETTINGS.items() if s.scope == "county"]
    rows = conn.execute(sa.select(T.c.key, T.c.value).where(T.c.key.in_(keys)).order_by(T.c.key))
    return [{"key": k, "value": v} for k, v in rows]


def apply_county_values(conn: sa.Connection, rows: list[dict]) -> int:
    """A township takes the county's settings from a package; unknown or local keys are ignored,
    values that do not parse are ignored too. Returns how many changed."""
    n = 0
    for r in rows:
        s = SETTINGS.get(str(r.get("key")))
        if s is None or s.scope != "county" or not isinstance(r.get("value"), str):
            continue
        try:
            text = s.text(s.parse(r["value"]))
        except InvalidSetting:
            continue
        cur = conn.execute(sa.select(T.c.value).where(T.c.key == s.key)).scalar()
        if cur != text:
            conn.execute(sa.delete(T).where(T.c.key == s.key))
            conn.execute(sa.insert(T).values(key=s.key, value=text))
            n += 1
    return n
