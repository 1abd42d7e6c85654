"""Enrolment by USB stick: a township asks (``request``), the county certifies (``accept``), the
township takes the grant (``finish``); the county can ``revoke``. Files hold public keys and
signatures only (``.ufenrol``, JSON): nothing in them is secret, and nothing in them is
trusted without a signature and the fingerprint the two clerks read to each other.

Request: ``{"kind": "ufdesk-enrol-request", "body": {v, county_code, installation, township,
name, sign_pub, age_pub, at}, "signature"}`` — signed by the township's new key (it holds it).
Grant: ``{"kind": "ufdesk-enrol-grant", "county_code", "for": installation, "county": the
county's self-signed certificate, "certs": every certificate the county holds}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from ..domain.errors import UfError
from ..services import audit
from ..store.schema import installation as installation_t
from . import trust as T

SUFFIX = ".ufenrol"
REQUEST = "ufdesk-enrol-request"
GRANT = "ufdesk-enrol-grant"


@dataclass
class Outcome:
    fingerprint: str  # the key the clerk compares (the township's at the county, the county's at a township)
    own_fingerprint: str
    name: str
    messages: list[str]


def _inst(conn) -> dict:
    return dict(conn.execute(sa.select(installation_t)).mappings().one())


def _name(store, township: str | None) -> str:
    return "县委统战部" if township is None else store.township_name(township)


def _write(path, doc: dict) -> Path:
    from . import usb

    data = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    return usb.write_file(data, path)


def _read(path, kind: str) -> dict:
    p = Path(path)
    if not p.is_file():
        raise UfError(f"找不到开通文件：{p}")
    if p.stat().st_size > 4 << 20:
        raise T.TrustError(f"{p.name} 不是开通文件（文件太大）。")
    try:
        doc = json.loads(p.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise T.TrustError(f"{p.name} 不是开通文件（内容无法读取）。") from exc
    if not isinstance(doc, dict) or doc.get("kind") != kind:
        what = "开通申请（乡镇生成的 REQ.ufenrol）" if kind == REQUEST else "开通批复（县里生成的 GRANT.ufenrol）"
        raise T.TrustError(f"{p.name} 不是{what}。")
    return doc


def request(store, passphrase: str, out, user: str | None = None) -> tuple[Path, Outcome]:
    """A township makes its keys (on first use) and writes its request for the county."""
    with store.write(user) as (conn, ctx):
        inst = _inst(conn)
        if inst["township"] is None:
            raise UfError("本机是县委统战部：县里不需要申请开通，直接用 ufdesk enrol accept 批准乡镇的申请。")
        name = _name(store, inst["township"])
        keys, made = T.ensure_own(conn, inst, passphrase, name)
        body = {"v": 1, "county_code": inst["county_code"], "installation": inst["id"],
                "township": inst["township"], "name": name, "sign_pub": keys.sign_pub,
                "age_pub": keys.age_pub, "at": T.now().isoformat()}
        text = T.canonical(body).decode("utf-8")
        doc = {"kind": REQUEST, "body": text, "signature": keys.sign_bytes(text.encode("utf-8"))}
        fp = T.fingerprint(keys.sign_pub, keys.age_pub)
        audit.write(conn, user=user, installation=inst["id"], action="enrol_request",
                    summary=f"生成开通申请（本机指纹 {fp}{'，新建密钥' if made else ''}）", at=ctx.now)
        path = _write(out, doc)
    return path, Outcome(fp, fp, name, [])


def read_request(store, path) -> dict:
    """The request's body after checking it is for this county and signed by its own key."""
    doc = _read(path, REQUEST)
    text, sig = doc.get("body"), doc.get("signature")
    try:
        body = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise T.TrustError("开通申请已损坏，请让乡镇重新生成。") from exc
    if not isinstance(body, dict) or not T.verify_signature(body.get("sign_pub", ""), text.encode("utf-8"), sig or ""):
        raise T.TrustError("开通申请的签名不对：文件被改动过，请让乡镇重新生成。")
    inst = store.installation
    if body.get("county_code") != inst["county_code"]:
        raise T.TrustError(f"这份开通申请来自其他县（县代码 {body.get('county_code')}），不能批准。")
    if body.get("township") not in dict(store.townships()):
        raise T.TrustError(f"开通申请中的乡镇代码 {body.get('township')} 不是本县的乡镇。")
    if body.get("installation") == inst["id"]:
        raise T.TrustError("这是本机自己的开通申请。")
    body["fingerprint"] = T.fingerprint(body["sign_pub"], body["age_pub"])
    return body


def accept(store, path, passphrase: str, out, user: str | None = None) -> tuple[Path, Outcome]:
    """The county certifies a township's keys and writes the grant."""
    if store.township is not None:
        raise UfError("只有县委统战部能批准开通申请：本机是乡镇。")
    body = read_request(store, path)
    messages = []
    with store.write(user) as (conn, ctx):
        inst = _inst(conn)
        county, made = T.ensure_own(conn, inst, passphrase, "县委统战部")
        if made or T.own_row(conn)["status"] != "enrolled":
            T.issue(conn, county, T.cert_body(inst["county_code"], inst["id"], None, "县委统战部",
                                              county.sign_pub, county.age_pub, "enrolled"))
            messages.append("已为本机（县委统战部）建立密钥。")
        name = store.township_name(body["township"])
        for old in T.enrolled_for(conn, body["township"]):
            if old["installation"] != body["installation"] or old["sign_pub"] != body["sign_pub"]:
                T.issue(conn, county, T.cert_body(inst["county_code"], old["installation"], old["township"],
                                                  old["name"], old["sign_pub"], old["age_pub"], "revoked"))
                messages.append(f"{name}原先开通的密钥（指纹 {T.fingerprint(old['sign_pub'], old['age_pub'])}）"
                                "已作废：每个乡镇只有一台开通的电脑。")
        T.issue(conn, county, T.cert_body(inst["county_code"], body["installation"], body["township"], name,
                                          body["sign_pub"], body["age_pub"], "enrolled"))
        own = T.own_row(conn)
        grant = {"kind": GRANT, "county_code": inst["county_code"], "for": body["installation"],
                 "county": {"cert": own["cert"], "signature": own["signature"]},
                 "certs": T.certificates(conn)}
        audit.write(conn, user=user, installation=inst["id"], action="enrol_accept",
                    summary=f"批准{name}开通（指纹 {body['fingerprint']}）", at=ctx.now)
        dest = _write(out, grant)
    return dest, Outcome(body["fingerprint"], T.fingerprint(county.sign_pub, county.age_pub), name, messages)


def read_grant(store, path) -> tuple[dict, dict]:
    """``(grant, county certificate body)`` after checking the county's self-signature."""
    doc = _read(path, GRANT)
    county = doc.get("county") or {}
    try:
        cbody = json.loads(county.get("cert") or "")
    except ValueError as exc:
        raise T.TrustError("开通批复已损坏，请让县里重新生成。") from exc
    if not T.verify_signature(cbody.get("sign_pub", ""), county["cert"].encode("utf-8"), county.get("signature", "")):
        raise T.TrustError("开通批复的签名不对：文件被改动过，请让县里重新生成。")
    if doc.get("county_code") != store.county_code or cbody.get("county_code") != store.county_code:
        raise T.TrustError(f"这份开通批复来自其他县（县代码 {doc.get('county_code')}），不能使用。")
    if cbody.get("township") is not None or cbody.get("status") != "enrolled":
        raise T.TrustError("开通批复中没有县委统战部的密钥，请让县里重新生成。")
    return doc, cbody


def finish(store, path, passphrase: str, user: str | None = None) -> Outcome:
    """A township takes the county's grant: the county's key, its own certificate and every
    other certified installation's."""
    doc, cbody = read_grant(store, path)
    with store.write(user) as (conn, ctx):
        inst = _inst(conn)
        own = T.own_row(conn)
        if own is None or own["status"] == "revoked":
            raise UfError("本机还没有申请开通：请先运行 ufdesk enrol request，把申请交给县里。")
        if doc.get("for") != inst["id"]:
            raise T.TrustError("这份开通批复是给另一台电脑的，不是本机的申请。")
        T.unlock_own(conn, passphrase, enrolled_only=False)  # the passphrase must open our key
        known = T.county_row(conn)
        if known is not None and known["sign_pub"] != cbody["sign_pub"]:
            raise T.TrustError("开通批复中的县委统战部密钥与本机已记录的不同：可能是伪造的，已拒收。"
                               "若县里确实换了电脑，请与县里电话核对指纹后重新开通。")
        T.accept_cert(conn, cbody["sign_pub"], store.county_code, doc["county"])
        mine = None
        for item in doc.get("certs") or []:
            T.accept_cert(conn, cbody["sign_pub"], store.county_code, item)
            b = json.loads(item["cert"])
            if b["installation"] == inst["id"] and b["sign_pub"] == own["sign_pub"]:
                mine = b
        if mine is None or mine["status"] != "enrolled":
            raise T.TrustError("开通批复中没有本机当前密钥的证书：请把最新的开通申请交给县里重新批准。")
        fp = T.fingerprint(cbody["sign_pub"], cbody["age_pub"])
        audit.write(conn, user=user, installation=inst["id"], action="enrol_finish",
                    summary=f"完成开通（县委统战部指纹 {fp}）", at=ctx.now)
    return Outcome(fp, T.fingerprint(own["sign_pub"], own["age_pub"]), _name(store, inst["township"]), [])


def revoke(store, code: str, passphrase: str, user: str | None = None) -> Outcome:
    """The county revokes a township's key (by township code or installation id)."""
    if store.township is not None:
        raise UfError("只有县委统战部能吊销开通：本机是乡镇。")
    with store.write(user) as (conn, ctx):
        inst = _inst(conn)
        found = [r for r in T.rows(conn) if r["status"] == "enrolled" and r["township"] is not None
                 and code in (r["township"], r["installation"])]
        if not found:
            raise UfError(f"没有找到已开通的“{code}”（可用 ufdesk enrol list 查看）。")
        county = T.unlock_own(conn, passphrase)
        if county is None:
            raise UfError("本机（县委统战部）还没有密钥，无法吊销。")
        for r in found:
            T.issue(conn, county, T.cert_body(inst["county_code"], r["installation"], r["township"], r["name"],
                                              r["sign_pub"], r["age_pub"], "revoked"))
        names = "、".join(r["name"] or r["township"] for r in found)
        audit.write(conn, user=user, installation=inst["id"], action="enrol_revoke",
                    summary=f"吊销{names}的开通", at=ctx.now)
    r = found[0]
    return Outcome(T.fingerprint(r["sign_pub"], r["age_pub"]), "", names,
                   ["以后县里导出的数据包会把吊销通知带给各乡镇。"])


STATUS = {"pending": "待县里批准", "enrolled": "已开通", "revoked": "已吊销"}


def listing(store) -> list[dict]:
    with store.connect() as conn:
        own = T.own_row(conn)
        out = []
        for r in T.rows(conn):
            out.append({"installation": r["installation"], "township": r["township"],
                        "name": r["name"] or _name(store, r["township"]), "status": r["status"],
                        "status_text": STATUS.get(r["status"], r["status"]),
                        "fingerprint": T.fingerprint(r["sign_pub"], r["age_pub"]),
                        "this": own is not None and r["installation"] == own["installation"],
                        "updated_at": r["updated_at"].isoformat(sep=" ") if r["updated_at"] else None})
        return out


# -- for a logged-in session (what the GUI calls; the CLI's enrol commands need an administrator too) --
def request_for(svc, passphrase: str, out) -> tuple[Path, Outcome]:
    svc.require("admin")
    return request(svc.store, passphrase, out, user=svc.user)


def read_request_for(svc, path) -> dict:
    svc.require("admin")
    return read_request(svc.store, path)


def accept_for(svc, path, passphrase: str, out) -> tuple[Path, Outcome]:
    svc.require("admin")
    return accept(svc.store, path, passphrase, out, user=svc.user)


def finish_for(svc, path, passphrase: str) -> Outcome:
    svc.require("admin")
    return finish(svc.store, path, passphrase, user=svc.user)


def listing_for(svc) -> list[dict]:
    return listing(svc.store)
