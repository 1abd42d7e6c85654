"""重点任务 by USB package: a township gets the tasks it owns and sends back only their 进展,
状态 and 完成日期; its edit of a deadline (or a task of its own making) is refused at the county."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from package_helpers import T1, T2, make, send

from ufdesk.reports import task_board
from ufdesk.store import records as R

D = dt.date


def test_progress_comes_back_by_package_and_a_deadline_edit_is_refused(tmp_path):
    county, town = make(tmp_path, "county"), make(tmp_path, "town", township=T1)
    mine = county.create("tasks", {"seq": "1", "content": "城关镇建成统战之家", "deadline": D(2026, 6, 30),
                                   "status": "2", "township": T1, "unit": T1}).uuid
    other = county.create("tasks", {"seq": "2", "content": "河东乡民族团结创建", "deadline": D(2026, 9, 30),
                                    "township": T2, "unit": T2}).uuid
    county_task = county.create("tasks", {"seq": "3", "content": "县级培训", "deadline": D(2026, 9, 30)}).uuid
    send(county, town)
    held = {r["uuid"] for r in town.find_by("tasks")}
    assert held == {mine}  # a township gets the tasks it owns, not the others'
    assert other not in held and county_task not in held
    # the township reports, as its clerk would in the form
    town.update("tasks", mine, {"status": "3", "done_on": D(2026, 6, 20)},
                subs={"task_progress": [{"month": D(2026, 6, 1), "progress": "统战之家已挂牌运行", "reporter": "李华"}]})
    result = send(town, county)
    assert not result.refused
    row = county.get("tasks", mine)
    assert (row["status"], row["done_on"]) == ("3", D(2026, 6, 20))
    assert [p["progress"] for p in row["subs"]["task_progress"]] == ["统战之家已挂牌运行"]
    board = task_board.tasks_data(county, 2026, "2026-06")
    shown = {r["content"]: r for _c, rows in board["groups"] for r in rows}
    assert shown["城关镇建成统战之家"]["progress"] == "统战之家已挂牌运行"
    assert shown["城关镇建成统战之家"]["state"] == "done"

    # an edit the township's program would refuse, written past it (an old or altered copy)
    with town.store.write("改动者") as (conn, ctx):
        R.update(conn, "tasks", mine, {"deadline": D(2026, 12, 31), "status": "2"}, ctx)
        R.insert(conn, "tasks", {"content": "乡镇自己加的任务", "deadline": D(2026, 8, 31), "year": 2026,
                                 "township": T1, "status": "1"}, ctx)
    result = send(town, county)
    refused = result.refused
    assert any("城关镇建成统战之家" in w and "完成时限由县委统战部确定，乡镇不能修改" in w for w in refused), refused
    assert any("乡镇自己加的任务" in w and "乡镇不能新增" in w for w in refused), refused
    row = county.get("tasks", mine)
    assert (row["deadline"], row["status"]) == (D(2026, 6, 30), "3")  # the county's copy as it was
    with county.store.connect() as conn:
        assert conn.execute(sa.text("select count(*) from tasks where content = '乡镇自己加的任务'")).scalar() == 0
    for svc in (county, town):
        svc.store.close()
