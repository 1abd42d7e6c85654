"""Per-installation keys and the county's certificates.

Every installation has two key pairs: an Ed25519 key (``cryptography``) that signs what it
sends and an age X25519 key (``pyrage``) that packages for it are encrypted to. The private
halves live in this installation's own row of ``trust_keys``, sealed with the exchange
passphrase (``pkgcrypt``), so the passphrase stays a second factor and a restored backup brings
its keys. The county is the authority: it certifies each township's public keys (a signed
*certificate* body) and revokes them; the county's own key is self-certified and checked by
the two clerks reading its fingerprint to each other by phone.

A certificate body (canonical JSON, signed by the county's Ed25519 key)::

    {"v": 1, "county_code", "installation", "township" (null: the county), "name",
     "sign_pub" (base64), "age_pub" ("age1…"), "status" ("enrolled"/"revoked"), "at" (ISO)}

A newer body for an installation replaces an older one; a revoked key stays revoked (an old
"enrolled" body for the same key, replayed, changes nothing).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa

from ..domain.errors import UfError
from ..store.schema import settings, trust_keys
from . import pkgcrypt

MIN_PASSPHRASE = 8
REQUIRE_SETTING = "require_enrolment"


class TrustError(UfError):
    """A key, certificate or enrolment file that cannot be trusted; the message says why."""


def canonical(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def fingerprint(sign_pub: str, age_pub: str) -> str:
    """Twenty digits in five groups: short enough to read out by phone, 66 bits to forge."""
    h = hashlib.sha256(b"ufdesk-fingerprint-1\n" + sign_pub.encode() + b"\n" + age_pub.encode()).digest()
    s = f"{int.from_bytes(h[:12], 'big') % 10 ** 20:020d}"
    return " ".join(s[i:i + 4] for i in range(0, 20, 4))


def check_passphrase(passphrase: str) -> None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        raise UfError(f"交换口令太短：至少 {MIN_PASSPHRASE} 个字符。")


# -- keys ---------------------------------------------------------------------------------------
@dataclass
class OwnKeys:
    installation: str
    sign: object  # Ed25519PrivateKey
    age: object  # pyrage.x25519.Identity
    sign_pub: str
    age_pub: str

    def sign_bytes(self, message: bytes) -> str:
        return base64.b64encode(self.sign.sign(message)).decode("ascii")


def _pub_b64(private) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return base64.b64encode(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def _generate(installation: str, passphrase: str) -> tuple[OwnKeys, str]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
    from pyrage import x25519

    sk = Ed25519PrivateKey.generate()
    ident = x25519.Identity.generate()
    raw = sk.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    secret = pkgcrypt.encrypt(canonical({"sign": base64.b64encode(raw).decode("ascii"), "age": str(ident)}),
                              passphrase)
    keys = OwnKeys(installation, sk, ident, _pub_b64(sk), str(ident.to_public()))
    return keys, base64.b64encode(secret).decode("ascii")


_UNLOCKED: dict[tuple[str, str, str], OwnKeys] = {}


def _unlock(row: dict, passphrase: str) -> OwnKeys:
    ck = (row["installation"], row["sign_pub"], hashlib.sha256(passphrase.encode("utf-8")).hexdigest())
    if ck in _UNLOCKED:
        return _UNLOCKED[ck]
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from pyrage import x25519

    try:
        plain = pkgcrypt.decrypt(base64.b64decode(row["secret"]), passphrase)
    except pkgcrypt.PackageCryptoError as exc:
        raise TrustError("交换口令解不开本机的密钥：请使用开通时的交换口令"
                         "（口令改过的话，用旧口令或重新开通）。") from exc
    doc = json.loads(plain)
    sk = Ed25519PrivateKey.from_private_bytes(base64.b64decode(doc["sign"]))
    keys = OwnKeys(row["installation"], sk, x25519.Identity.from_str(doc["age"]), row["sign_pub"], row["age_pub"])
    _UNLOCKED[ck] = keys
    return keys


def verify_signature(sign_pub: str, message: bytes, signature: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(sign_pub)).verify(base64.b64decode(signature), message)
        return True
    except (InvalidSignature, ValueError, TypeError):
        return False


# -- the table ----------------------------------------------------------------------------------
def own_row(conn) -> dict | None:
    row = conn.execute(sa.select(trust_keys).where(trust_keys.c.secret.is_not(None))).mappings().first()
    return dict(row) if row else None


def row_of(conn, installation: str) -> dict | None:
    row = conn.execute(sa.select(trust_keys).where(trust_keys.c.installation == installation)).mappings().first()
    return dict(row) if row else None


def county_row(conn) -> dict | None:
    """The county's key as this installation trusts it (its own row, at the county)."""
    row = conn.execute(sa.select(trust_keys).where(trust_keys.c.township.is_(None),
                                                   trust_keys.c.status == "enrolled")).mappings().first()
    return dict(row) if row else None


def rows(conn) -> list[dict]:
    return [dict(r) for r in conn.execute(sa.select(trust_keys).order_by(
        trust_keys.c.township.is_not(None), trust_keys.c.township, trust_keys.c.updated_at)).mappings()]


def enrolled_for(conn, township: str | None) -> list[dict]:
    """Enrolled keys of a township (None: the county's)."""
    where = trust_keys.c.township.is_(None) if township is None else trust_keys.c.township == township
    return [dict(r) for r in conn.execute(sa.select(trust_keys).where(where, trust_keys.c.status == "enrolled"))
            .mappings()]


def knows_anyone(conn) -> bool:
    """Whether this installation takes part in enrolment (it knows the county's key)."""
    return county_row(conn) is not None


def require_enrolment(conn) -> bool:
    value = conn.execute(sa.select(settings.c.value).where(settings.c.key == REQUIRE_SETTING)).scalar()
    return (value or "").strip().lower() in ("1", "true", "yes", "是")


def set_require_enrolment(conn, on: bool) -> None:
    conn.execute(sa.delete(settings).where(settings.c.key == REQUIRE_SETTING))
    conn.execute(sa.insert(settings).values(key=REQUIRE_SETTING, value="true" if on else "false"))


def mark_new_installation(store) -> None:
    """A new installation requires enrolment from the start (an upgraded one keeps accepting
    passphrase-only packages until ``require_enrolment`` is set)."""
    with store.engine.begin() as conn:
        set_require_enrolment(conn, True)


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def ensure_own(conn, inst: dict, passphrase: str, name: str) -> tuple[OwnKeys, bool]:
    """This installation's keys, made (and sealed with the passphrase) on first use.
    ``(keys, made_now)``; a revoked key is replaced by a new one."""
    row = own_row(conn)
    if row is not None and row["status"] != "revoked":
        return _unlock(row, passphrase), False
    check_passphrase(passphrase)
    keys, secret = _generate(inst["id"], passphrase)
    conn.execute(sa.delete(trust_keys).where(trust_keys.c.installation == inst["id"]))
    conn.execute(sa.insert(trust_keys).values(
        installation=inst["id"], township=inst["township"], name=name, sign_pub=keys.sign_pub,
        age_pub=keys.age_pub, status="pending", secret=secret, updated_at=now()))
    return keys, True


def unlock_own(conn, passphrase: str, *, enrolled_only: bool = True) -> OwnKeys | None:
    """This installation's unlocked keys, or None when it has none (or they are not yet
    certified, with ``enrolled_only``)."""
    row = own_row(conn)
    if row is None or (enrolled_only and row["status"] != "enrolled"):
        return None
    return _unlock(row, passphrase)


def cert_body(county_code: str, installation: str, township: str | None, name: str, sign_pub: str,
              age_pub: str, status: str, at: dt.datetime | None = None) -> dict:
    return {"v": 1, "county_code": county_code, "installation": installation, "township": township,
            "name": name, "sign_pub": sign_pub, "age_pub": age_pub, "status": status,
            "at": (at or now()).isoformat()}


def issue(conn, county: OwnKeys, body: dict) -> dict:
    """Sign ``body`` with the county's key and store it; return ``{"cert", "signature"}``."""
    text = canonical(body).decode("utf-8")
    sig = county.sign_bytes(text.encode("utf-8"))
    _upsert(conn, body, text, sig)
    return {"cert": text, "signature": sig}


def _upsert(conn, body: dict, text: str, sig: str) -> None:
    values = {"township": body["township"], "name": body["name"], "sign_pub": body["sign_pub"],
              "age_pub": body["age_pub"], "status": body["status"], "cert": text, "signature": sig,
              "updated_at": now()}
    if row_of(conn, body["installation"]) is None:
        conn.execute(sa.insert(trust_keys).values(installation=body["installation"], **values))
    else:
        conn.execute(sa.update(trust_keys).where(trust_keys.c.installation == body["installation"])
                     .values(**values))


def accept_cert(conn, county_pub: str, county_code: str, item: dict) -> bool:
    """Store a certificate the county issued, if its signature holds and it is newer than what
    is known; True when something changed. A revoked key is never brought back."""
    text, sig = item.get("cert"), item.get("signature")
    if not isinstance(text, str) or not isinstance(sig, str):
        raise TrustError("开通信息格式不对（缺少证书或签名）。")
    if not verify_signature(county_pub, text.encode("utf-8"), sig):
        raise TrustError("开通信息的签名不是县委统战部的：可能被改动过或是伪造的，已拒收。")
    body = json.loads(text)
    if body.get("county_code") != county_code or body.get("status") not in ("enrolled", "revoked"):
        raise TrustError("开通信息不属于本县，已拒收。")
    old = row_of(conn, body["installation"])
    if old is not None and old["cert"]:
        before = json.loads(old["cert"])
        if before == body:
            return False
        if before["status"] == "revoked" and before["sign_pub"] == body["sign_pub"]:
            return False  # a revoked key stays revoked
        if body["at"] < before["at"] and before["sign_pub"] == body["sign_pub"]:
            return False
    if old is not None and old["secret"] is not None:
        if old["sign_pub"] != body["sign_pub"]:
            return False  # a certificate of an older key of ours: ours is newer
        conn.execute(sa.update(trust_keys).where(trust_keys.c.installation == body["installation"]).values(
            status=body["status"], cert=text, signature=sig, updated_at=now()))
        return True
    _upsert(conn, body, text, sig)
    return True


def certificates(conn) -> list[dict]:
    """Every certificate this installation holds (the county's own first): what a county
    package and a grant carry so every installation knows every certified key."""
    return [{"cert": r["cert"], "signature": r["signature"]} for r in rows(conn) if r["cert"]]
