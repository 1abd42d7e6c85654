"""Creating, changing and deleting records through the services: validation, audit, versions,
tombstones, undo — what a clerk relies on when saving a form."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from idnumbers import make_id

from ufdesk.domain.errors import NotFound, StaleRecord, ValidationError
from ufdesk.services import Query, Services
from ufdesk.store import records as R
from ufdesk.store.schema import LEDGER_TABLES, SUB_TABLES, audit


def _rep(**kw):
    values = {
        "name": "王伟", "gender": "1", "birth_date": dt.date(1980, 1, 1), "id_number": make_id("19800101", 123),
        "party": "05", "kinds": ",01,", "status": "1", "township": "510599100", "mobile": "13912345678",
    }
    values.update(kw)
    return values


def _audit_rows(store):
    with store.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(audit).order_by(audit.c.id)).mappings()]


def test_create_writes_record_audit_and_first_version(services, store):
    change = services.create("representatives", _rep(), subs={"rep_trainings": [
        {"start_on": dt.date(2024, 3, 1), "course": "党外干部培训班"}]})
    row = services.get("representatives", change.uuid)
    assert row["name"] == "王伟" and row["version"] == 1 and not row["deleted"]
    assert row["created_by"] == "测试员" and row["township"] == "510599100"
    assert [t["course"] for t in row["subs"]["rep_trainings"]] == ["党外干部培训班"]
    assert json.loads(row["vv"]) == {store.installation["id"]: 1}
    rows = _audit_rows(store)
    assert [(a["action"], a["record"]) for a in rows] == [("create", change.uuid)]


def test_update_bumps_version_and_audits_masked_old_and_new(services, store):
    uuid = services.create("representatives", _rep()).uuid
    change = services.update("representatives", uuid, {"mobile": "13800000001", "position": "主任"})
    assert change.fields == {"mobile": ("13912345678", "13800000001"), "position": (None, "主任")}
    row = services.get("representatives", uuid)
    assert row["version"] == 2 and row["mobile"] == "13800000001"
    clock = json.loads(row["clock"])
    assert set(clock) == {"mobile", "position"}
    last = _audit_rows(store)[-1]
    assert last["action"] == "update"
    details = json.loads(last["details"])
    assert details["mobile"] == ["139****5678", "138****0001"]
    assert "13800000001" not in last["details"]


def test_update_with_nothing_changed_writes_nothing(services, store):
    uuid = services.create("representatives", _rep()).uuid
    change = services.update("representatives", uuid, {"name": "王伟"})
    assert change.action == "none" and services.get("representatives", uuid)["version"] == 1
    assert len(_audit_rows(store)) == 1


def test_invalid_values_are_refused_with_chinese_messages_and_nothing_written(services, store):
    good = make_id()
    wrong_check_digit = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        services.create("representatives", _rep(id_number=wrong_check_digit, mobile="12345"))
    text = str(err.value)
    assert "身份证号" in text and "校验位" in text and "手机" in text
    assert services.count(Query("representatives")) == 0
    assert _audit_rows(store) == []


def test_failed_write_leaves_nothing_behind(services, store, monkeypatch):
    """A failure after the record row was written rolls back the whole change."""
    def boom(*a, **k):
        raise RuntimeError("disk gone")

    monkeypatch.setattr("ufdesk.services.audit.write", boom)
    with pytest.raises(RuntimeError):
        services.create("representatives", _rep(), subs={"rep_honours": [{"honour": "优秀党外人士"}]})
    with store.connect() as conn:
        for t in (LEDGER_TABLES["representatives"], SUB_TABLES["rep_honours"], audit):
            assert conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() == 0
    assert store.installation is not None


def test_delete_leaves_tombstone_without_personal_data(services, store):
    uuid = services.create("representatives", _rep(), subs={"rep_visits": [
        {"visit_on": dt.date(2025, 5, 1), "content": "走访慰问"}]}).uuid
    services.add_attachment("representatives", uuid, "photo", "me.png", b"\x89PNG fake")
    services.delete("representatives", uuid)
    with store.connect() as conn:
        row = R.get_row(conn, "representatives", uuid)
        visit = conn.execute(sa.select(SUB_TABLES["rep_visits"])).mappings().one()
        att = conn.execute(sa.text("select * from attachments")).mappings().one()
    assert row["deleted"] and row["uuid"] == uuid and row["version"] == 2
    personal = [f for f in R.data_columns("representatives")]
    assert all(row[c] is None for c in personal), {c: row[c] for c in personal if row[c] is not None}
    assert row["search"] is None and row["sk_stroke"] is None
    assert visit["deleted"] and visit["content"] is None
    assert att["deleted"] and att["content"] is None and att["filename"] is None
    assert "_deleted" in json.loads(row["clock"])
    assert services.count(Query("representatives")) == 0
    with pytest.raises(NotFound):
        services.update("representatives", uuid, {"name": "李四"})


def test_undo_reverses_edit_delete_and_create(services):
    uuid = services.create("representatives", _rep()).uuid
    services.update("representatives", uuid, {"mobile": "13800000001"})
    assert services.undo_label == "修改 王伟"
    services.undo()
    assert services.get("representatives", uuid)["mobile"] == "13912345678"
    services.delete("representatives", uuid)
    services.undo()
    row = services.get("representatives", uuid)
    assert not row["deleted"] and row["name"] == "王伟" and row["id_number"] == _rep()["id_number"]
    services.undo()  # the create
    assert services.get("representatives", uuid)["deleted"]
    assert services.undo() is None


def test_sub_records_are_replaced_as_a_list(services):
    uuid = services.create("sites", {"name": "观音寺", "religion": "1", "township": "510599100"}, subs={
        "site_issues": [{"found_on": dt.date(2026, 1, 5), "issue": "消防通道堵塞", "status": "1"}]}).uuid
    issues = services.get("sites", uuid)["subs"]["site_issues"]
    kept = dict(issues[0], status="2", closed_on=dt.date(2026, 2, 1))
    change = services.update("sites", uuid, {}, subs={"site_issues": [
        kept, {"found_on": dt.date(2026, 3, 1), "issue": "账目不清", "status": "1"}]})
    assert change.subs == 2
    rows = services.get("sites", uuid)["subs"]["site_issues"]
    assert [(r["issue"], r["status"]) for r in rows] == [("消防通道堵塞", "2"), ("账目不清", "1")]
    services.update("sites", uuid, {}, subs={"site_issues": [rows[1]]})
    assert [r["issue"] for r in services.get("sites", uuid)["subs"]["site_issues"]] == ["账目不清"]


def test_cross_field_rules(services):
    with pytest.raises(ValidationError, match="政协没有乡镇一级"):
        services.create("representatives", _rep(), subs={"rep_arrangements": [{"body": "2", "level": "5"}]})
    with pytest.raises(ValidationError, match="宗教字母"):
        services.create("sites", {"name": "清真寺", "religion": "3", "reg_no": "宗场证字(川)F510599001"})
    with pytest.raises(ValidationError, match="所属乡镇"):
        services.create("activities", {"held_on": dt.date(2026, 1, 1), "title": "座谈会", "kind": "03",
                                       "township": "999999999"})


def test_concurrent_save_of_same_record_is_refused(store):
    a, b = Services(store, "甲"), Services(store, "乙")
    uuid = a.create("cadres", {"name": "刘洋", "post": "02", "township": "510599100"}).uuid
    seen = b.get("cadres", uuid)["version"]
    a.update("cadres", uuid, {"other_post": "宣传委员"}, expected_version=seen)
    with pytest.raises(StaleRecord, match="已被其他人修改"):
        b.update("cadres", uuid, {"other_post": "组织委员"}, expected_version=seen)
    assert b.get("cadres", uuid)["other_post"] == "宣传委员"


def test_counter_increases_once_per_change_and_never_uses_the_clock(services, store, monkeypatch):
    u = services.create("chambers", {"name": "花椒协会", "kind": "03"}).uuid
    services.update("chambers", u, {"member_count": 40})
    with store.connect() as conn:
        row = R.get_row(conn, "chambers", u)
        counter = conn.execute(sa.text("select counter from installation")).scalar()
    inst = store.installation["id"]
    assert row["born"] == f"{inst}:1" and json.loads(row["clock"]) == {"member_count": f"{inst}:2"}
    assert counter == 2
