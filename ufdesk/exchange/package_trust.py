"""Who sent a package, and whether we believe it: the sender's signature checked against the key
the county certified, the recipients checked against this installation.

``verify`` returns ``"verified"`` (signed by an enrolled sender, addressed to us) or
``"unverified"`` (an upgrade-period package with no signature we can check: accepted only while
``require_enrolment`` is off, only from a sender not enrolled here, and marked 未验证 in the log
and the GUI); anything else is refused with one sentence before a single row is read.
"""

from __future__ import annotations

import hashlib
import json

from ..store.schema import installation
from . import trust as T
from .package import Package, PackageError, signed_message
from .package_export import COUNTY, TRUST_MEMBER

VERIFIED, UNVERIFIED = "verified", "unverified"
UNVERIFIED_NOTE = ("未验证：此数据包没有可核验的签名（发送方尚未开通），仅凭交换口令接收。"
                   "全县开通后请设置 ufdesk setting set require_enrolment true。")


def identities(store, passphrase: str) -> list:
    """This installation's age key, to open packages addressed to it (none before enrolment)."""
    with store.connect() as conn:
        row = T.own_row(conn)
        if row is None:
            return []
        return [T._unlock(row, passphrase).age]


def _who(store, m: dict) -> str:
    t = m.get("sender_township")
    return "县委统战部" if t is None else (store.township_name(t) or str(t))


def verify(conn, store, pkg: Package) -> str:
    m = pkg.manifest
    me = conn.execute(installation.select()).mappings().one()["id"]
    who = _who(store, m)
    sig = pkg.signature
    if sig is None:
        return _unsigned(conn, store, m, who)
    row = T.row_of(conn, m.get("sender") or "")
    if row is None or row["status"] == "pending":
        if not T.knows_anyone(conn) and T.own_row(conn) is None and not T.require_enrolment(conn):
            return UNVERIFIED  # this PC takes no part in enrolment yet: it cannot check anyone
        raise PackageError(f"本机不认识发送方“{who}”（安装编号 {m.get('sender')}）的密钥：它没有在县委统战部开通，"
                           "或本机还没收到县里带有其开通信息的数据包。数据包已拒收。")
    if row["status"] == "revoked":
        raise PackageError(f"发送方“{who}”的密钥已被县委统战部吊销，数据包已拒收。")
    digest = hashlib.sha256(pkg.manifest_raw).hexdigest()
    recipients = sig.get("recipients")
    if (sig.get("package_id") != m.get("package_id") or sig.get("sender") != m.get("sender")
            or sig.get("manifest_sha256") != digest or not isinstance(recipients, list)
            or recipients != m.get("recipients", recipients)
            or not T.verify_signature(row["sign_pub"], signed_message(m["package_id"], m["sender"], recipients, digest),
                                      str(sig.get("signature", "")))):
        raise PackageError(f"数据包的签名与发送方“{who}”的密钥不符：内容被改动过或是伪造的，已拒收。")
    if row["township"] != m.get("sender_township"):
        really = "县委统战部" if row["township"] is None else store.township_name(row["township"])
        raise PackageError(f"数据包自称来自“{who}”，但签名的是{really}的密钥：已拒收。")
    own = T.own_row(conn)
    if own is not None and own["status"] == "enrolled" and recipients and me not in recipients:
        raise PackageError("该数据包是发给其他安装的（签名中的接收方不是本机），已拒收。")
    return VERIFIED


def _unsigned(conn, store, m: dict, who: str) -> str:
    if T.require_enrolment(conn):
        raise PackageError("本机只接收已开通安装签名的数据包（设置 require_enrolment 已打开），"
                           f"这个自称来自“{who}”的数据包没有签名，已拒收：请对方先完成开通后重新导出。")
    claimed = T.enrolled_for(conn, m.get("sender_township"))
    if any(r["secret"] is None for r in claimed) or (T.row_of(conn, m.get("sender") or "") or {}).get("cert"):
        raise PackageError(f"数据包自称来自“{who}”，但{who}已经开通、发出的数据包都有签名，"
                           "这个数据包却没有签名：可能是伪造的，已拒收。")
    return UNVERIFIED


def take_certificates(conn, store, pkg: Package, trust: str) -> int:
    """New enrolments and revocations a verified county package carries; the number taken."""
    data = pkg.members.get(TRUST_MEMBER)
    if not data or trust != VERIFIED or pkg.manifest.get("sender_township") is not None or store.township is None:
        return 0
    county = T.county_row(conn)
    if county is None:
        return 0
    try:
        certs = json.loads(data)["certs"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PackageError("数据包中的开通信息格式不对，请让县里重新导出。") from exc
    n = 0
    for item in certs:
        n += T.accept_cert(conn, county["sign_pub"], store.county_code, item)
    return n


__all__ = ["COUNTY", "UNVERIFIED", "UNVERIFIED_NOTE", "VERIFIED", "identities", "take_certificates", "verify"]
