"""Users, roles and logins.

Passwords are hashed with scrypt (memory-hard; ``hashlib.scrypt``) with a random salt; the
parameters live in the hash string (``scrypt$N$r$p$salt$hash``) so they can be raised later
without breaking old hashes. Five wrong passwords lock a user for five minutes. Every login,
failed login and change of a user is audited; no password is ever stored or logged in clear.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets

import sqlalchemy as sa

from ..domain.errors import PermissionDenied, UfError
from ..store import Store
from ..store.schema import users
from . import audit

ROLES: dict[str, str] = {"admin": "管理员", "editor": "录入员", "viewer": "查阅"}
MAX_FAILURES = 5
LOCK_MINUTES = 5
MIN_PASSWORD = 8
MAX_PASSWORD = 256
# scrypt cost: 2**16 × 8 × 128 bytes = 64 MiB, ~0.2–0.5 s on an office PC (new hashes; old ones
# keep their own parameters).
SCRYPT_N = 2**16  # a module constant: tests patch it (tests/conftest.py); no environment variable weakens it
SCRYPT_R, SCRYPT_P = 8, 1
_MAX_N = 2**20  # refuse to spend more than this on a stored hash (a tampered row)


class LoginFailed(PermissionDenied):
    """Wrong user name or password, a locked or disabled user."""


class LoginRequired(PermissionDenied):
    """The database has users and no one logged in."""


# -- hashing ------------------------------------------------------------------------------------
def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32,
                          maxmem=256 * r * n + 2**24)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison of ``password`` against a ``hash_password`` string."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        n, r, p = int(n), int(r), int(p)
        if kind != "scrypt" or not (2 <= n <= _MAX_N and 1 <= r <= 32 and 1 <= p <= 4):
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), n, r, p)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY = None


def _dummy_verify(password: str) -> bool:
    """Spend the time of a real check, so an unknown name cannot be told from a wrong password
    (always False)."""
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = hash_password(secrets.token_hex(8))
    verify_password(password, _DUMMY)
    return False


# -- checks -------------------------------------------------------------------------------------
def role_code(text: str) -> str:
    """``admin``/``管理员`` → ``admin`` (and so on); anything else is an error."""
    text = (text or "").strip()
    for code, label in ROLES.items():
        if text in (code, label):
            return code
    raise UfError(f"角色“{text}”无效，可选：管理员(admin)、录入员(editor)、查阅(viewer)")


def check_password(password: str) -> None:
    if password is None or len(password) < MIN_PASSWORD:
        raise UfError(f"密码太短：至少 {MIN_PASSWORD} 个字符")
    if len(password) > MAX_PASSWORD:
        raise UfError(f"密码太长：最多 {MAX_PASSWORD} 个字符")


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 60 or any(c in name for c in "$\n\r\t"):
        raise UfError("用户名应为 1–60 个字符，不含空格以外的控制字符")
    return name


# -- reading ------------------------------------------------------------------------------------
def has_users(store: Store) -> bool:
    with store.connect() as conn:
        return bool(conn.execute(sa.select(sa.func.count()).select_from(users)).scalar())


def list_users(store: Store) -> list[dict]:
    """Every user without the password hash, admins first."""
    with store.connect() as conn:
        rows = conn.execute(sa.select(users).order_by(users.c.role, users.c.name)).mappings().all()
    out = []
    for r in rows:
        d = {k: v for k, v in r.items() if k != "pw_hash"}
        d["role_label"] = ROLES.get(d["role"], d["role"])
        d["locked"] = bool(d["locked_until"] and d["locked_until"] > _now())
        out.append(d)
    return out


def get_user(store: Store, name: str) -> dict | None:
    with store.connect() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).mappings().first()
    return dict(row) if row else None


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _audit(conn, ctx, action: str, summary: str, user: str | None) -> None:
    audit.write(conn, user=user, installation=ctx.installation, action=action, summary=summary, at=ctx.now)


# -- logging in ---------------------------------------------------------------------------------
WRONG = "用户名或密码错误"
READONLY_NOTE = "（数据库是只读的：这次失败记在本机的用户数据文件夹里，没有写入审计日志。）"


def login(store: Store, name: str, password: str) -> dict:
    """Check a login; returns the user (without hash) or raises ``LoginFailed``.

    An unknown user name and a wrong password get the same answer, the same count of tries left
    and, after five, the same lock: the name is checked only together with its password. Failed
    attempts of known users are kept in the database (and audited) before the error is raised, so
    they count even when the caller stops there; on a read-only database, and for names the
    database does not have, they are counted in a file of the user-data folder
    (``login_counter``) — and an unknown name is never written anywhere in clear."""
    from . import login_counter as C

    name = (name or "").strip()
    row = get_user(store, name)
    now = _now()
    window = dt.timedelta(minutes=LOCK_MINUTES)
    in_file = row is None or store.readonly  # where this name's failures are counted
    database = (store.installation or {}).get("id") or str(store.location)
    failed, locked_until = C.state(database, name, now, window) if in_file else (0, None)
    if row is not None and not store.readonly:
        failed, locked_until = row["failed"] or 0, row["locked_until"]
    elif row is not None and row["locked_until"] and row["locked_until"] > now:
        locked_until = max(locked_until or now, row["locked_until"])  # locked before it became read-only
    note = READONLY_NOTE if store.readonly else ""
    shown = name if row is not None else "（输入内容不记录）"  # what was typed may be a password or an ID
    if locked_until and locked_until > now:
        _record(store, row and name, "login_failed", f"登录失败：用户“{shown}”已锁定")
        raise LoginFailed(_locked_text(name, locked_until))
    good = verify_password(password or "", row["pw_hash"]) if row is not None else _dummy_verify(password or "")
    if not good:
        failed += 1
        locked = now + window if failed >= MAX_FAILURES else None
        if in_file:
            C.record(database, name, 0 if locked else failed, locked, now, window)
        if row is None:
            _record(store, None, "login_failed", "登录失败：输入的用户名不存在（输入内容不记录）")
        else:
            _record(store, name, "login_failed", f"登录失败：密码错误（第 {failed} 次）" + ("，已锁定" if locked else ""),
                    {"failed": 0 if locked else failed, "locked_until": locked})
        if locked:
            raise LoginFailed(f"{WRONG}。连续 {MAX_FAILURES} 次输错，" + _locked_text(name, locked) + note)
        raise LoginFailed(f"{WRONG}（还可再试 {MAX_FAILURES - failed} 次，之后将锁定 {LOCK_MINUTES} 分钟）。" + note)
    if row["disabled"]:  # said only to someone who knows the password
        _record(store, name, "login_failed", f"登录失败：用户“{name}”已停用")
        raise LoginFailed(f"用户“{name}”已停用，请联系管理员。")
    if in_file:
        C.clear(database, name)
    _record(store, name, "login", "登录", {"failed": 0, "locked_until": None, "last_login": now})
    row.update(failed=0, locked_until=None, last_login=now)
    row.pop("pw_hash")
    row["role_label"] = ROLES.get(row["role"], row["role"])
    return row


def _locked_text(name: str, until: dt.datetime) -> str:
    return f"用户“{name}”已锁定，请于 {until:%H:%M} 后再试，或请管理员解锁。"


def _record(store: Store, name: str | None, action: str, summary: str, changes: dict | None = None) -> None:
    if store.readonly:  # nothing can be written; the count is in the user-data folder instead
        return
    with store.write(name) as (conn, ctx):
        if changes and name is not None:
            conn.execute(sa.update(users).where(users.c.name == name).values(**changes))
        _audit(conn, ctx, action, summary, name)


# -- managing -----------------------------------------------------------------------------------
def add_user(store: Store, name: str, password: str, role: str, *, full_name: str | None = None,
             by: str | None = None) -> None:
    """Create a user. The first user must be an administrator."""
    name, role = check_name(name), role_code(role)
    check_password(password)
    with store.write(by) as (conn, ctx):
        existing = conn.execute(sa.select(users.c.name, users.c.role)).all()
        if not existing and role != "admin":
            raise UfError("第一个用户必须是管理员。")
        if name in {r.name for r in existing}:
            raise UfError(f"用户“{name}”已存在。")
        conn.execute(sa.insert(users).values(name=name, full_name=full_name, role=role,
                                             pw_hash=hash_password(password), failed=0, disabled=False,
                                             created_at=ctx.now))
        _audit(conn, ctx, "user_add", f"新增用户：{name}（{ROLES[role]}）", by or name)


def _change(store: Store, name: str, by: str | None, values: dict, action: str, summary: str) -> None:
    with store.write(by) as (conn, ctx):
        res = conn.execute(sa.update(users).where(users.c.name == name).values(**values))
        if res.rowcount != 1:
            raise UfError(f"没有用户“{name}”。")
        _audit(conn, ctx, action, summary, by)


def set_password(store: Store, name: str, password: str, *, by: str | None = None) -> None:
    check_password(password)
    _change(store, name, by, {"pw_hash": hash_password(password), "failed": 0, "locked_until": None},
            "user_passwd", f"修改密码：{name}")


def unlock(store: Store, name: str, *, by: str | None = None) -> None:
    _change(store, name, by, {"failed": 0, "locked_until": None}, "user_unlock", f"解锁用户：{name}")


def set_role(store: Store, name: str, role: str, *, by: str | None = None) -> None:
    role = role_code(role)
    if role != "admin":
        _keep_an_admin(store, name)
    _change(store, name, by, {"role": role}, "user_role", f"修改角色：{name} → {ROLES[role]}")


def disable(store: Store, name: str, *, by: str | None = None, disabled: bool = True) -> None:
    if disabled:
        _keep_an_admin(store, name)
    _change(store, name, by, {"disabled": disabled}, "user_disable" if disabled else "user_enable",
            f"{'停用' if disabled else '启用'}用户：{name}")


def _keep_an_admin(store: Store, name: str) -> None:
    admins = [u["name"] for u in list_users(store) if u["role"] == "admin" and not u["disabled"]]
    if admins == [name]:
        raise UfError(f"“{name}”是唯一的管理员，不能停用或降级（请先设置另一位管理员）。")


def recover_admin(store: Store, name: str | None, passphrase: str, password: str) -> str:
    """A new password for an administrator who has forgotten it, proven by the installation's
    exchange passphrase (it unlocks this installation's own keys); the lock is lifted and the
    change audited. Returns the administrator's name."""
    from ..exchange import trust as T

    check_password(password)
    admins = [u["name"] for u in list_users(store) if u["role"] == "admin" and not u["disabled"]]
    if not admins:
        raise UfError("本数据库没有可用的管理员：请用 ufdesk user add 建立（尚未设置用户时），或从备份恢复。")
    if name is None:
        if len(admins) > 1:
            raise UfError(f"有 {len(admins)} 位管理员（{'、'.join(admins)}）：请写明为哪一位设新密码，"
                          "或请另一位管理员在“用户管理”中重设。")
        name = admins[0]
    if name not in admins:
        raise UfError(f"“{name}”不是本数据库可用的管理员（管理员：{'、'.join(admins)}）。")
    with store.write(None) as (conn, ctx):
        if T.own_row(conn) is None:
            raise UfError("本机还没有交换密钥（从未开通或导出过数据包），无法凭交换口令找回：请从备份恢复，"
                          "或请信息科协助。")
        T.unlock_own(conn, passphrase, enrolled_only=False)  # a wrong passphrase ends here, nothing changed
        conn.execute(sa.update(users).where(users.c.name == name).values(
            pw_hash=hash_password(password), failed=0, locked_until=None))
        _audit(conn, ctx, "user_recover", f"凭交换口令为管理员 {name} 设置新密码", None)
    return name


# -- the same, for a logged-in session (what the GUI and the CLI call) ----------------------------
def check_login(svc, name: str, password: str) -> dict:
    """``login`` on ``svc``'s database (a wrong password is audited and counts toward the lock)."""
    return login(svc.store, name, password)


def run_as(svc, fn, *args, **kw):
    """Run a managing function (``add_user``, ``set_password``, ``set_role``, ``unlock``,
    ``disable``) as ``svc``'s user. The role is checked here: an administrator may do any of
    them; anyone may change their own password; while the database has no users, anyone may
    create the first administrator (``add_user`` itself refuses any other first user)."""
    own_password = fn is set_password and bool(args) and args[0] == svc.user and svc.user is not None
    first_user = fn is add_user and not has_users(svc.store)
    if not (own_password or first_user):
        svc.require("admin")
    return fn(svc.store, *args, by=svc.user, **kw)


__all__ = ["ROLES", "LoginFailed", "LoginRequired", "add_user", "disable", "get_user", "has_users", "hash_password",
           "list_users", "login", "recover_admin", "role_code", "check_login", "run_as", "set_password", "set_role", "unlock", "verify_password"]
