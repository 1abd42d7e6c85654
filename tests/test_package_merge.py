"""Merging records between the county and townships: what a user sees after each exchange."""

from __future__ import annotations

import datetime as dt

import pytest
from package_helpers import (
    T1,
    T2,
    FixedClock,
    ShiftedClock,
    build,
    make,
    receive,
    record_state,
    rep,
    send,
)

from ufdesk.exchange import conflicts as C
from ufdesk.exchange.completeness import completeness
from ufdesk.services import Services


@pytest.fixture
def sites(tmp_path):
    county = make(tmp_path, "county")
    t1 = make(tmp_path, "t1", T1)
    t2 = make(tmp_path, "t2", T2)
    yield county, t1, t2
    for s in (county, t1, t2):
        s.store.close()


def line(result, ledger="representatives"):
    return next(x for x in result.lines() if x.startswith(ledger + ":"))


def shared(county, t1):
    """A township record that both sides hold."""
    uuid = rep(t1, "王伟", employer="城关镇政府", position="科员")
    send(t1, county)
    return uuid


def test_both_sides_edit_different_fields_merge_automatically(sites):
    county, t1, _ = sites
    uuid = shared(county, t1)
    county.update("representatives", uuid, {"employer": "县政协"})
    t1.update("representatives", uuid, {"position": "副主任"})
    r = send(t1, county)
    assert line(r) == "representatives: 新增 0 更新 1 未变 0 冲突 0 重复 0 拒收 0"
    send(county, t1)
    for s in (county, t1):
        got = s.get("representatives", uuid)
        assert (got["employer"], got["position"]) == ("县政协", "副主任")
    assert C.list_conflicts(county.store) == C.list_conflicts(t1.store) == []
    assert record_state(county.store, T1) == record_state(t1.store, T1)


def test_both_sides_edit_the_same_field_goes_to_the_conflict_queue(sites):
    county, t1, _ = sites
    uuid = shared(county, t1)
    county.update("representatives", uuid, {"employer": "县政协"})
    t1.update("representatives", uuid, {"employer": "镇商会"})
    r = send(t1, county)
    assert line(r) == "representatives: 新增 0 更新 0 未变 0 冲突 1 重复 0 拒收 0"
    assert county.get("representatives", uuid)["employer"] == "县政协"  # the receiver's value stays
    [c] = C.list_conflicts(county.store)
    assert (c["field"], c["label"], c["mine"], c["theirs"]) == ("employer", "工作单位", "县政协", "镇商会")
    send(county, t1)  # the township is told too, and keeps its own value meanwhile
    assert t1.get("representatives", uuid)["employer"] == "镇商会"
    [c1] = C.list_conflicts(t1.store)
    assert (c1["mine"], c1["theirs"]) == ("镇商会", "县政协")
    C.resolve(Services(county.store, user="县管理员"), c["id"], "theirs")
    assert county.get("representatives", uuid)["employer"] == "镇商会"
    send(county, t1)
    assert C.list_conflicts(t1.store) == []  # the resolution closed it there as well
    send(t1, county)
    assert C.list_conflicts(county.store) == []
    assert record_state(county.store, T1) == record_state(t1.store, T1)


def test_county_deletes_while_township_edits(sites):
    county, t1, _ = sites
    uuid = shared(county, t1)
    county.delete("representatives", uuid)
    t1.update("representatives", uuid, {"position": "主任"})
    r = send(county, t1)
    assert "冲突 1" in line(r)
    assert t1.get("representatives", uuid)["deleted"] is False  # the edited record stays
    [c] = C.list_conflicts(t1.store)
    assert c["field"] == "_deleted" and c["mine"] == {"deleted": False} and c["theirs"] == {"deleted": True}
    r = send(t1, county)
    assert "冲突 1" in line(r)
    assert county.get("representatives", uuid)["deleted"] is True  # and the delete stays here
    # the township keeps the person: the county gets the record back with the new position
    C.resolve(t1, c["id"], "mine")
    send(t1, county)
    got = county.get("representatives", uuid)
    assert got["deleted"] is False and (got["name"], got["position"]) == ("王伟", "主任")
    assert C.list_conflicts(county.store) == []
    assert record_state(county.store, T1) == record_state(t1.store, T1)


def test_township_deletes_while_county_edits_and_the_delete_is_confirmed(sites):
    county, t1, _ = sites
    uuid = shared(county, t1)
    t1.delete("representatives", uuid)
    county.update("representatives", uuid, {"employer": "县政协"})
    assert "冲突 1" in line(send(t1, county))
    assert county.get("representatives", uuid)["employer"] == "县政协"
    [c] = C.list_conflicts(county.store)
    C.resolve(county, c["id"], "theirs")  # agree with the township: delete
    assert county.get("representatives", uuid)["deleted"] is True
    send(county, t1)
    assert t1.get("representatives", uuid)["deleted"] is True
    assert C.list_conflicts(t1.store) == [] and C.list_conflicts(county.store) == []
    assert record_state(county.store, T1) == record_state(t1.store, T1)


def test_deleting_side_takes_the_edit_back(sites):
    county, t1, _ = sites
    uuid = shared(county, t1)
    county.delete("representatives", uuid)
    t1.update("representatives", uuid, {"position": "主任"})
    send(t1, county)
    [c] = C.list_conflicts(county.store)
    assert c["mine"] == {"deleted": True} and c["theirs"]["deleted"] is False
    C.resolve(county, c["id"], "theirs")
    got = county.get("representatives", uuid)
    assert got["deleted"] is False and (got["name"], got["position"]) == ("王伟", "主任")
    send(county, t1)
    assert C.list_conflicts(t1.store) == []
    assert record_state(county.store, T1) == record_state(t1.store, T1)


def test_delete_travels_as_a_tombstone(sites):
    county, t1, _ = sites
    uuid = shared(county, t1)
    t1.delete("representatives", uuid)
    assert line(send(t1, county)) == "representatives: 新增 0 更新 1 未变 0 冲突 0 重复 0 拒收 0"
    got = county.get("representatives", uuid)
    assert got["deleted"] is True and got["name"] is None  # personal data cleared, UUID kept


def test_delete_then_recreate_with_the_same_id_number(sites):
    county, t1, _ = sites
    idn = "510522198001011230"
    old = rep(t1, "王伟", id_number=idn)
    send(t1, county)
    t1.delete("representatives", old)
    new = rep(t1, "王伟", id_number=idn, employer="新单位")
    r = send(t1, county)
    assert line(r) == "representatives: 新增 1 更新 1 未变 0 冲突 0 重复 0 拒收 0"
    assert county.get("representatives", old)["deleted"] is True
    assert county.get("representatives", new)["employer"] == "新单位"
    assert C.list_duplicates(county.store) == []


def test_same_person_registered_in_two_townships(sites):
    county, t1, t2 = sites
    idn = "510522198001011230"
    a = rep(t1, "王伟", id_number=idn, employer="甲厂")
    b = rep(t2, "王伟", id_number=idn, position="村主任")
    assert line(send(t1, county)).startswith("representatives: 新增 1")
    r = send(t2, county)
    assert line(r) == "representatives: 新增 0 更新 0 未变 0 冲突 0 重复 1 拒收 0"
    [d] = C.list_duplicates(county.store)
    assert {d["record"], d["other"]} == {a, b} and d["key"] == "id_number"
    assert county.get("representatives", a) and county.get("representatives", b)  # both kept for review
    C.merge_duplicate(county, d["id"], keep=a, values={"position": "村主任", "township": T1})
    assert county.get("representatives", b)["deleted"] is True
    merged = county.get("representatives", a)
    assert (merged["employer"], merged["position"]) == ("甲厂", "村主任")
    assert C.list_duplicates(county.store) == []
    send(county, t1)  # the merge travels
    assert t1.get("representatives", a)["position"] == "村主任"


def test_packages_out_of_order_and_a_missing_sequence_number(sites):
    county, t1, _ = sites
    uuid = rep(t1, "王伟", employer="一")
    p1, m1 = build(t1)
    t1.update("representatives", uuid, {"employer": "二"})
    p2, _ = build(t1)
    t1.update("representatives", uuid, {"employer": "三"})
    p3, m3 = build(t1)
    assert (m1["seq"], m3["seq"]) == (1, 3)
    r3 = receive(county, p3)
    assert "缺少城关镇的第 1～2 号数据包" in r3.warnings[0] and "照常导入" in r3.warnings[0]
    assert county.get("representatives", uuid)["employer"] == "三"
    before = record_state(county.store)
    r1 = receive(county, p1)
    assert "早于已导入的第 3 号" in r1.warnings[0]
    assert line(r1) == "representatives: 新增 0 更新 0 未变 1 冲突 0 重复 0 拒收 0"
    receive(county, p2)
    assert record_state(county.store) == before  # older packages never overwrite newer changes
    assert county.get("representatives", uuid)["employer"] == "三"


def test_a_lost_stick_loses_nothing(sites):
    county, t1, _ = sites
    a = rep(t1, "甲")
    build(t1)  # lost on the way
    b = rep(t1, "乙")
    r = receive(county, build(t1)[0])  # cumulative: the county never acknowledged the first
    assert r.counts["representatives"]["new"] == 2
    assert county.get("representatives", a) and county.get("representatives", b)


def test_acknowledged_records_are_not_sent_again(sites):
    county, t1, _ = sites
    rep(t1, "甲")
    send(t1, county)
    send(county, t1)  # carries the county's acknowledgement
    rep(t1, "乙")
    _, m = build(t1)
    assert m["counts"]["representatives"] == 1 and m["since"] > 0
    _, m_all = build(t1, everything=True)
    assert m_all["counts"]["representatives"] == 2


def test_a_pc_clock_a_year_off_neither_wins_nor_loses(sites, monkeypatch):
    county, t1, _ = sites
    uuid = shared(county, t1)
    from ufdesk.store import records as R

    # the township PC thinks it is next year; its edits look "newer" by the clock
    monkeypatch.setattr(R, "dt", ShiftedClock(365))
    t1.update("representatives", uuid, {"employer": "镇里改的", "position": "镇里改的职务"})
    monkeypatch.undo()
    assert t1.get("representatives", uuid)["updated_at"].year == dt.date.today().year + 1
    county.update("representatives", uuid, {"employer": "县里改的"})
    send(t1, county)
    got = county.get("representatives", uuid)
    assert got["employer"] == "县里改的"  # not overwritten because of a later clock: a conflict
    assert got["position"] == "镇里改的职务"  # a field only the township changed merges
    assert [c["field"] for c in C.list_conflicts(county.store)] == ["employer"]
    # and a county edit made after it saw the township's change wins, whatever the clocks say
    county.update("representatives", uuid, {"position": "县里定的职务"})
    send(county, t1)
    assert t1.get("representatives", uuid)["position"] == "县里定的职务"


def test_township_county_township_round_trip_agrees_field_for_field(sites):
    county, t1, _ = sites
    a = t1.create("representatives", {"name": "王伟", "gender": "1", "birth_date": dt.date(1980, 1, 1),
                                       "employer": "镇中学", "kinds": ",01,"},
                  subs={"rep_trainings": [{"start_on": dt.date(2026, 3, 1), "course": "理论培训"}]}).uuid
    b = rep(t1, "李娜", employer="卫生院")
    t1.add_attachment("representatives", a, "photo", "王伟.jpg", b"\xff\xd8photo")
    send(t1, county)
    county.update("representatives", a, {"employer": "县一中"}, subs={"rep_trainings": [
        {"start_on": dt.date(2026, 3, 1), "course": "理论培训（县级）"}]})
    county.delete("representatives", b)
    rep(county, "县里补录", township=T1)
    send(county, t1)
    t1.update("representatives", a, {"position": "教师"})
    send(t1, county)
    send(county, t1)
    left, right = record_state(county.store, T1), record_state(t1.store, T1)
    assert left == right
    assert len([k for k in left if k[0] == "representatives"]) == 3
    assert t1.get("representatives", a)["subs"]["rep_trainings"][0]["course"] == "理论培训（县级）"
    assert t1.attachments(a)[0]["content"] == b"\xff\xd8photo"


def test_county_sends_places_and_code_edits_to_townships(sites):
    county, t1, _ = sites
    county.store.add_places([("510599103", "新设镇")], [("510599103001", "新村")])
    county.store.set_code("party", "99", "测试党派")
    r = send(county, t1)
    assert any("乡镇、村(社区)、代码表和设置" in w for w in r.warnings)
    assert ("510599103", "新设镇") in t1.store.townships()
    assert t1.store.codebook().name_of("party", "99") == "测试党派"


def test_completeness_after_packages_arrive(sites, monkeypatch):
    county, t1, t2 = sites
    from ufdesk.exchange import package_export as E

    rep(t1, "甲")
    rep(t1, "乙")
    rep(t2, "丙")
    rows = {r["code"]: r for r in completeness(county.store, "2026-10")}
    assert not rows[T1]["reported"] and not rows[T2]["reported"]
    monkeypatch.setattr(E, "dt", FixedClock(dt.datetime(2026, 10, 27, 16, 0)))
    send(t1, county)
    monkeypatch.setattr(E, "dt", FixedClock(dt.datetime(2026, 10, 30, 9, 0)))
    send(t2, county)
    rows = {r["code"]: r for r in completeness(county.store, "2026-10")}
    assert rows[T1]["reported"] and rows[T1]["records"] == 2 and rows[T1]["on_time"] is True
    assert rows[T1]["exported_at"] == dt.datetime(2026, 10, 27, 16, 0) and rows[T1]["imported_at"] is not None
    assert rows[T2]["reported"] and rows[T2]["on_time"] is False  # after the 28th
    assert not rows["510599102"]["reported"] and rows["510599102"]["records"] == 0
    assert not any(r["reported"] for r in completeness(county.store, "2026-11"))
    county.store.set_setting("report_due_day", "31")
    assert {r["code"]: r for r in completeness(county.store, "2026-10")}[T2]["on_time"] is True


def test_a_person_who_moves_goes_through_the_county_to_the_new_township(sites):
    county, t1, t2 = sites
    uuid = t1.create("representatives", {"name": "王伟", "gender": "1", "township": T1},
                     subs={"rep_trainings": [{"start_on": dt.date(2026, 3, 1), "course": "理论培训"}]}).uuid
    stay = rep(t1, "李娜")
    send(t1, county)
    t1.update("representatives", uuid, {"township": T2})
    data, manifest = build(t1, to=T2)
    assert manifest["counts"]["representatives"] == 1  # township to township: the sender's own records only
    r = receive(t2, data)
    assert t2.find_by("representatives", name="王伟") == [] and t2.get("representatives", stay)["name"] == "李娜"
    r = send(t1, county)  # the township reports the move to the county …
    assert line(r) == "representatives: 新增 0 更新 1 未变 1 冲突 0 重复 0 拒收 0"
    r = send(county, t2)  # … which forwards the person to the new township
    assert line(r) == "representatives: 新增 1 更新 0 未变 0 冲突 0 重复 0 拒收 0"
    moved = t2.get("representatives", uuid)
    assert moved["township"] == T2 and moved["subs"]["rep_trainings"][0]["course"] == "理论培训"


def test_changes_a_package_makes_are_audited_with_its_id_and_masked(sites):
    county, t1, _ = sites
    uuid = rep(t1, "王伟", id_number="510522198001011230")
    send(t1, county)
    t1.update("representatives", uuid, {"employer": "新单位", "id_number": "510522198001011257"})
    data, manifest = build(t1)
    receive(county, data)
    from ufdesk.services import audit

    with county.store.connect() as conn:
        rows = [r for r in audit.entries(conn, record=uuid) if r["action"] == "package_merge"]
        batch = [r for r in audit.entries(conn, action="package_import") if r["batch"] == manifest["package_id"]]
    [row] = rows
    assert row["batch"] == manifest["package_id"] and "新单位" in row["details"]
    assert "510522198001011257" not in row["details"] and "1257" in row["details"]  # the ID number masked
    assert len(batch) == 1 and "城关镇" in batch[0]["summary"]


def test_undoing_a_package_reopens_the_conflict_it_had_closed(sites):
    county, t1, _ = sites
    from ufdesk.exchange import package_import as I

    uuid = shared(county, t1)
    county.update("representatives", uuid, {"employer": "县政协"})
    t1.update("representatives", uuid, {"employer": "镇商会"})
    send(t1, county)
    send(county, t1)
    [c] = C.list_conflicts(t1.store)
    C.resolve(t1, c["id"], "mine")
    data, manifest = build(t1)
    receive(county, data)
    assert C.list_conflicts(county.store) == [] and county.get("representatives", uuid)["employer"] == "镇商会"
    I.undo(county.store, manifest["package_id"])
    [again] = C.list_conflicts(county.store)
    assert (again["mine"], again["theirs"]) == ("县政协", "镇商会")
