"""Forged packages against an enrolled county: an insider who knows the exchange passphrase, an
unknown sender, a revoked one, out-of-scope records, inflated versions, a replay, a package for
another township, a signed package edited on the way. Each is refused or neutralised with a
Chinese sentence; where the whole package is refused the database is unchanged (every table
but the audit) and the audit holds exactly one new row saying so."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from package_helpers import (
    PW,
    T1,
    T2,
    audit_actions,
    build,
    enrol,
    make,
    receive,
    rep,
    reseal,
    send,
    snapshot,
)

from ufdesk.exchange import trust as T
from ufdesk.exchange.package import PackageError, build_zip, open_bytes, seal
from ufdesk.exchange.package_trust import identities
from ufdesk.store import schema as S


@pytest.fixture
def county_towns(tmp_path):
    county, t1, t2 = make(tmp_path, "county"), make(tmp_path, "t1", T1), make(tmp_path, "t2", T2)
    enrol(tmp_path, county, t1, t2)
    wang = rep(t1, "王伟", mobile="13800001111")
    li = rep(t2, "李娜", mobile="13900002222")
    zhao = rep(county, "赵敏", township=None, mobile="13700003333")  # a county-level (县直) record
    send(t1, county)
    send(t2, county)
    yield county, t1, t2, {"wang": wang, "li": li, "zhao": zhao}
    for s in (county, t1, t2):
        s.store.close()


def copy_row(src, dst, table: str, uuid: str) -> None:
    """An insider puts another installation's row into their own database by hand."""
    t = S.ALL_RECORD_TABLES[table]
    with src.store.connect() as c:
        row = dict(c.execute(sa.select(t).where(t.c.uuid == uuid)).mappings().one())
    row.pop("id")
    with dst.store.engine.begin() as c:
        c.execute(sa.insert(t).values(**row))


def refused_whole(county, data: bytes, match: str, opener=None) -> str:
    before, trail = snapshot(county.store), audit_actions(county.store)
    with pytest.raises(PackageError, match=match) as info:
        receive(county, data)
    assert snapshot(county.store) == before
    new = audit_actions(county.store)[len(trail):]
    assert [a for a, _ in new] == ["package_refused"] and match in new[0][1]
    return str(info.value)


def test_insider_with_the_passphrase_cannot_pose_as_an_enrolled_township(tmp_path, county_towns):
    county, _, _, ids = county_towns
    rogue = make(tmp_path, "rogue", T1)  # a PC set up as 城关镇 by someone who knows the passphrase
    copy_row(county, rogue, "representatives", ids["wang"])
    rogue.update("representatives", ids["wang"], {"mobile": "13812345678", "party": "02"})
    data, _ = build(rogue, record=False)
    msg = refused_whole(county, data, "没有签名")
    assert "城关镇" in msg and "伪造" in msg
    assert county.get("representatives", ids["wang"])["mobile"] == "13800001111"


def test_unknown_sender_is_refused(tmp_path, county_towns):
    county, _, _, ids = county_towns
    rogue = make(tmp_path, "rogue", T1)
    with rogue.store.engine.begin() as c:  # keys of its own, certified by nobody
        T.ensure_own(c, dict(c.execute(sa.select(S.installation)).mappings().one()), PW, "城关镇")
        c.execute(sa.update(S.trust_keys).values(status="enrolled"))
    rep(rogue, "假人")
    data, _ = build(rogue, record=False)
    assert open_bytes(data, PW).signature is not None
    refused_whole(county, data, "本机不认识发送方")


def test_revoked_sender_is_refused(tmp_path, county_towns):
    from ufdesk.exchange import enrol as N

    county, _, t2, ids = county_towns
    t2.update("representatives", ids["li"], {"mobile": "13900009999"})
    data, _ = build(t2)
    N.revoke(county.store, T2, PW)
    refused_whole(county, data, "已被县委统战部吊销")
    assert county.get("representatives", ids["li"])["mobile"] == "13900002222"


def test_out_of_scope_records_are_refused_and_listed_the_rest_applied(county_towns):
    county, t1, _, ids = county_towns
    copy_row(county, t1, "representatives", ids["li"])  # 河东乡's person
    copy_row(county, t1, "representatives", ids["zhao"])  # the county's own
    t1.update("representatives", ids["li"], {"mobile": "13811112222"})
    t1.update("representatives", ids["zhao"], {"mobile": "13811113333"})
    rep(t1, "钱某", township=T2)  # a new person put into another township
    t1.update("representatives", ids["wang"], {"employer": "镇政府"})  # a genuine change
    data, _ = build(t1)
    dry = receive(county, data, dry_run=True)
    assert dry.counts["representatives"]["rejected"] == 3 and dry.counts["representatives"]["updated"] == 1
    result = receive(county, data)
    assert result.counts == dry.counts
    text = "\n".join(result.refused)
    assert "拒收：代表人士“李娜”——本机记录属于河东乡，城关镇的数据包只能修改本乡镇的记录" in text
    assert "拒收：代表人士“赵敏”——县级（县直）记录只能由县委统战部修改" in text
    assert "钱某" in text and len(result.refused) == 3
    assert county.get("representatives", ids["li"])["mobile"] == "13900002222"
    assert county.get("representatives", ids["zhao"])["mobile"] == "13700003333"
    assert county.find_by("representatives", name="钱某") == []
    assert county.get("representatives", ids["wang"])["employer"] == "镇政府"


def test_inflated_version_vector_is_refused(county_towns):
    county, t1, _, ids = county_towns
    t1.update("representatives", ids["wang"], {"employer": "伪造"})
    cid = county.store.installation["id"]
    t = S.LEDGER_TABLES["representatives"]
    with t1.store.engine.begin() as c:  # claim to have seen a million of the county's changes
        vv = json.loads(c.execute(sa.select(t.c.vv).where(t.c.uuid == ids["wang"])).scalar())
        c.execute(sa.update(t).where(t.c.uuid == ids["wang"]).values(vv=json.dumps({**vv, cid: 10 ** 6})))
    data, _ = build(t1)
    result = receive(county, data)
    assert result.counts["representatives"]["rejected"] == 1
    assert "版本号超出发送方可能见过的范围" in result.refused[0]
    row = county.get("representatives", ids["wang"])
    assert row["employer"] != "伪造" and json.loads(row["vv"]).get(cid, 0) < 10 ** 6


def test_inflated_versions_cannot_make_a_later_genuine_edit_count_as_seen(tmp_path):
    """The case found: an upgraded county, a township not yet enrolled, an insider re-sealing
    its package with the township's counter inflated — the township's next real edit was
    taken as 未变 and dropped."""
    county, t3 = make(tmp_path, "county"), make(tmp_path, "t3", "510599102")
    uuid = rep(t3, "孙某", township="510599102", employer="甲")
    send(t3, county)
    t3.update("representatives", uuid, {"employer": "乙"})
    me = t3.store.installation["id"]

    def inflate(manifest, members):
        for member in ("records/representatives.json", "records/representatives.keys.json"):
            doc = json.loads(members[member])
            iv = doc["columns"].index("vv")
            for r in doc["rows"]:
                r[iv] = json.dumps({**json.loads(r[iv]), me: 10 ** 6})
            members[member] = json.dumps(doc, ensure_ascii=False).encode("utf-8")

    data, _ = build(t3, record=False)
    result = receive(county, reseal(data, inflate))
    assert result.counts["representatives"]["rejected"] == 1 and "版本号" in result.refused[0]
    t3.update("representatives", uuid, {"employer": "丙"})
    assert send(t3, county).counts["representatives"]["updated"] == 1
    assert county.get("representatives", uuid)["employer"] == "丙"


def test_replay_of_an_old_package_changes_nothing(county_towns):
    county, t1, _, ids = county_towns
    t1.update("representatives", ids["wang"], {"employer": "一"})
    old, _ = build(t1)
    receive(county, old)
    t1.update("representatives", ids["wang"], {"employer": "二"})
    send(t1, county)
    before = snapshot(county.store)
    again = receive(county, old)
    assert again.already and "没有做任何修改" in again.warnings[0]
    assert snapshot(county.store) == before and county.get("representatives", ids["wang"])["employer"] == "二"


def test_a_package_for_another_township_cannot_be_opened_or_taken(tmp_path, county_towns):
    county, t1, t2, ids = county_towns
    data, _ = build(county, to=T2)  # addressed to 河东乡's key
    before, trail = snapshot(t1.store), audit_actions(t1.store)
    with pytest.raises(PackageError, match="不是发给本机的"):
        receive(t1, data)
    rogue = make(tmp_path, "rogue")  # an unenrolled "county" writing to 河东乡 without addressing it
    copy_row(county, rogue, "representatives", ids["li"])
    data, _ = build(rogue, to=T2, record=False)
    with pytest.raises(PackageError, match="是发给河东乡的"):
        receive(t1, data)
    assert snapshot(t1.store) == before and len(audit_actions(t1.store)) == len(trail) + 1


def test_a_signed_package_edited_on_the_way_is_refused(county_towns):
    county, t1, t2, ids = county_towns
    t1.update("representatives", ids["wang"], {"employer": "一"})
    data, _ = build(t1, to=T2)  # 城关镇 → 河东乡: 河东乡's insider can open it …
    pkg = open_bytes(data, PW, identities(t2.store, PW))
    members = dict(pkg.members)
    name = "records/representatives.json"
    members[name] = members[name].replace(b"13800001111", b"13812345678")
    manifest = dict(pkg.manifest, recipient="county")
    manifest.pop("members")
    with t2.store.connect() as c:
        county_key = T.county_row(c)["age_pub"]
    sig = pkg.signature["signature"]
    forged = seal(build_zip(manifest, members, lambda message: sig), PW, [county_key])  # … and re-address it
    refused_whole(county, forged, "签名与发送方")
    assert county.get("representatives", ids["wang"])["mobile"] == "13800001111"


def test_an_upgraded_county_takes_unenrolled_townships_as_unverified_until_required(tmp_path):
    county, t3 = make(tmp_path, "county"), make(tmp_path, "t3", "510599102")
    rep(t3, "孙某", township="510599102")
    data, _ = build(t3)
    result = receive(county, data)
    assert result.trust == "unverified" and any(w.startswith("未验证") for w in result.warnings)
    with county.store.connect() as c:
        details = c.execute(sa.select(S.package_log.c.details)).scalar()
    assert json.loads(details)["trust"] == "unverified"
    with county.store.engine.begin() as c:
        T.set_require_enrolment(c, True)
    rep(t3, "周某", township="510599102")
    data, _ = build(t3)
    refused_whole(county, data, "没有签名")
