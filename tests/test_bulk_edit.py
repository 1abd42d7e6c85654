"""批量修改: one field set on many records — checked, audited, one undo step (and Ctrl+Y does it
again) — the same from the command line (``ufdesk records set-field``); a viewer may not."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ufdesk.domain.errors import PermissionDenied, ValidationError
from ufdesk.services import Query


def run(*args, env=None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "ufdesk", *map(str, args)], capture_output=True, encoding="utf-8",
                          env={**os.environ, **(env or {})})


@pytest.fixture
def people(services):
    made = [services.create("representatives", {"name": n, "township": "510599100", "kinds": ",03,"}).uuid
            for n in ("王一", "李二", "张三")]
    return made


def test_set_status_on_three_people_is_one_undo_step(services, people):
    changes = services.set_field("representatives", people, "status", "2")
    assert [c.fields["status"] for c in changes] == [("1", "2")] * 3
    assert services.undo_label == "批量修改状态（3条）"
    from ufdesk.services.auditlog import action_label

    with services.connect() as conn:
        from ufdesk.services import audit

        rows = audit.entries(conn, action="update")
    assert sum("批量修改代表人士（状态）" in r["summary"] for r in rows) == 3 and action_label("redo") == "重做"
    services.undo()
    assert {services.get("representatives", u)["status"] for u in people} == {"1"}
    assert services.redo_label == "批量修改状态（3条）"
    services.redo()
    assert {services.get("representatives", u)["status"] for u in people} == {"2"}
    assert services.undo_label == "批量修改状态（3条）" and services.redo_label is None


def test_kinds_are_added_or_removed_and_township_may_be_the_county(services, people):
    services.set_field("representatives", people[:2], "kinds", "05", mode="add")
    assert [services.get("representatives", u)["kinds"] for u in people] == [",03,05,", ",03,05,", ",03,"]
    services.set_field("representatives", people, "kinds", "03", mode="remove")
    assert [services.get("representatives", u)["kinds"] for u in people] == [",05,", ",05,", None]
    services.set_field("representatives", people, "township", "county")
    assert services.count(Query("representatives", township="county")) == 3


def test_a_wrong_value_changes_nothing(services, people):
    with pytest.raises(ValidationError, match="不是状态中的代码"):
        services.set_field("representatives", people, "status", "zz")
    with pytest.raises(ValidationError, match="不能批量修改"):
        services.set_field("representatives", people, "name", "同名")
    assert {services.get("representatives", u)["status"] for u in people} == {"1"}


def test_a_viewer_may_not(store, people):
    from ufdesk.services import Services

    with pytest.raises(PermissionDenied):
        Services(store, user="看看", role="viewer").set_field("representatives", people, "status", "2")


def test_delete_many_comes_back_in_one_undo(services, people):
    assert services.delete_many("representatives", people) == 3
    assert services.count(Query("representatives")) == 0 and services.undo_label == "删除 3 条代表人士"
    services.undo()
    assert services.count(Query("representatives")) == 3


def test_the_command_line_sets_a_field_by_name(tmp_path, store, people):
    db = store.path
    store.close()
    r = run("records", "set-field", "--db", db, "--ledger", "代表人士", "--field", "状态", "--value", "退出", *people[:2])
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "已修改 2 条代表人士：状态设为“退出”。"
    r = run("records", "set-field", "--db", db, "--ledger", "representatives", "--field", "township", "--value",
            "河东乡", *people)
    assert r.returncode == 0 and "已修改 3 条" in r.stdout
    r = run("records", "set-field", "--db", db, "--ledger", "representatives", "--field", "kinds", "--value",
            "宗教界人士", "--add", people[0])
    assert r.returncode == 0, r.stderr
    r = run("records", "set-field", "--db", db, "--ledger", "representatives", "--field", "状态", "--value", "不存在",
            people[0])
    assert r.returncode == 1 and r.stderr.strip() == "错误：“不存在”不是状态中的代码或名称", r.stderr
    r = run("records", "set-field", "--db", db, "--ledger", "representatives", "--field", "name", "--value", "x",
            people[0])
    assert r.returncode == 1 and "可以批量修改的字段是所属乡镇、人士类别、状态" in r.stderr

    from ufdesk.services import Services
    from ufdesk.store import Store

    s = Services(Store.open(db))
    rows = [s.get("representatives", u) for u in people]
    assert [r["status"] for r in rows] == ["2", "2", "1"] and {r["township"] for r in rows} == {"510599101"}
    assert rows[0]["kinds"] == ",03,05,"
    s.close()
