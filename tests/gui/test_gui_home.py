"""The home page: a new religious-site inspection with an open issue past its deadline shows
up there, and the counts open the matching filtered tab."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from ufdesk.services import Query

TIMEOUT = 20000


def fill_modal(qtbot, values: dict, sub_label: str):
    """When the sub-record dialog pops up, type the values and press 确定."""
    from ufdesk.gui.subtable import SubRowDialog

    def go():
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, SubRowDialog):
            QTimer.singleShot(50, go)
            return
        assert dlg.sub.label == sub_label
        for name, value in values.items():
            ed = dlg.grid.editors[name]
            if hasattr(ed, "line"):
                ed.line.setText(value)
            elif hasattr(ed, "setPlainText"):
                ed.setPlainText(value)
            elif hasattr(ed, "findText"):
                ed.setCurrentIndex(ed.findText(value))
            else:
                ed.setText(value)
        ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
        assert ok.isEnabled(), dlg.grid.input_problems()
        ok.click()

    QTimer.singleShot(50, go)


def home_ready(qtbot, window):
    window.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.home.data is not None and not window.home._loading, timeout=TIMEOUT)
    return window.home


def test_new_inspection_with_overdue_issue_shows_on_home(qtbot, window):
    home = home_ready(qtbot, window)
    late_before = len(home.data["issues"])
    tab = window.ledger_tabs["sites"]
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: bool(tab.model.ids) and tab.model.row_record(0) is not None, timeout=TIMEOUT)
    site = tab.model.row_record(0)
    form = tab.open_record(0)
    qtbot.waitUntil(lambda: form._loaded, timeout=TIMEOUT)

    inspections = form.subtables["site_inspections"]
    n = len(inspections.rows)
    fill_modal(qtbot, {"inspected_on": "2024-03-05", "inspectors": "李明、王芳", "findings": "消防通道堆放杂物"}, "检查记录")
    inspections.add_row()
    assert len(inspections.rows) == n + 1

    issues = form.subtables["site_issues"]
    text = "消防通道堆放杂物未清理"
    fill_modal(qtbot, {"found_on": "2024-03-05", "issue": text, "measure": "限期清理", "deadline": "2024-03-20",
                       "status": "整改中"}, "问题台账")
    issues.add_row()
    assert "问题台账（" in form.tabs.tabText(form.tabs.indexOf(issues))
    qtbot.waitUntil(lambda: form.save_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        form.save_button.click()

    saved = window.ctx.services.get("sites", site["uuid"])
    assert any(r["inspectors"] == "李明、王芳" for r in saved["subs"]["site_inspections"])
    assert any(r["issue"] == text and r["deadline"] == dt.date(2024, 3, 20) for r in saved["subs"]["site_issues"])

    home = home_ready(qtbot, window)
    qtbot.waitUntil(lambda: len(home.data["issues"]) == late_before + 1, timeout=TIMEOUT)
    body = home.cards["issues"].body.text()
    assert f"{site['name']}：{text}" in body and "2024-03-20" in body

    # the count of late issues opens the sites that have them
    home.cards["issues"].body.linkActivated.emit("late")
    sites = window.ledger_tabs["sites"]
    assert window.tabs.currentWidget() is sites
    qtbot.waitUntil(lambda: sites.model.query.filters.get("uuid") is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not sites.model._loading, timeout=TIMEOUT)
    late_sites = {i["site_uuid"] for i in home.data["issues"]}
    assert len(sites.model.ids) == len(late_sites)
    assert sites.filters.chip.isVisible() and "超期" in sites.filters.chip.text()


def test_party_count_opens_filtered_tab(qtbot, window):
    home = home_ready(qtbot, window)
    services = window.ctx.services
    dem = services.count(Query("representatives", filters={"party": ("in", tuple(f"{i:02d}" for i in range(4, 12))),
                                                         **home.data["present_filter"]}))
    assert f"{dem} 人" in home.cards["party"].body.text()
    home.cards["party"].body.linkActivated.emit("dem")
    tab = window.ledger_tabs["representatives"]
    assert window.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: len(tab.model.ids) == dem and not tab.model._loading, timeout=TIMEOUT)
    # removing the condition (在册 as at today came with it) lists what the bar's own boxes select
    tab.filters.chip_clear.click()
    assert "status" not in tab.filters.query(Query("representatives")).filters
    everyone = services.count(Query("representatives"))
    qtbot.waitUntil(lambda: len(tab.model.ids) == everyone, timeout=TIMEOUT)


def test_charts_are_drawn_when_pyqtgraph_arrives(qtbot, window):
    home = home_ready(qtbot, window)
    qtbot.waitUntil(lambda: home._pg_ready, timeout=60000)
    qtbot.waitUntil(lambda: "PlotWidget" in [k.__name__ for k in type(home.cards["activities"].chart).__mro__], timeout=TIMEOUT)
    months = [m for m, _n in home.data["activities"]]
    assert len(months) == 12 and months[-1] == dt.date.today().strftime("%Y-%m")
    # a month's bar opens that month's activities
    from ufdesk.services import stats

    start, end = stats.month_range(months[-2])
    window.show_ledger("activities", {"held_on": ("between", (start, end))}, f"{months[-2]} 的活动")
    tab = window.ledger_tabs["activities"]
    n = window.ctx.services.count(Query("activities", filters={"held_on": ("between", (start, end))}))
    qtbot.waitUntil(lambda: len(tab.model.ids) == n and not tab.model._loading, timeout=TIMEOUT)
    assert n == dict(home.data["activities"])[months[-2]]


def test_home_page_of_a_new_empty_county(qtbot, tmp_path, gui_settings, worker):
    from ufdesk.app import create_database
    from ufdesk.gui.main import open_window

    db = create_database(str(tmp_path / "new.db"), county_code="510522", county_name="合江县",
                         townships=[("510522100", "合江镇"), ("510522101", "白沙镇")])
    window = open_window(db, worker)
    qtbot.addWidget(window)
    home = home_ready(qtbot, window)
    qtbot.waitUntil(lambda: home._pg_ready, timeout=60000)
    qtbot.waitUntil(lambda: home.cards["kinds"].chart is not None
                    and home.cards["kinds"].chart.text() == "暂无数据", timeout=TIMEOUT)
    assert "缺统战委员的乡镇：2 / 2 个" in home.cards["coverage"].body.text()
    assert all("\n0 " in b.text() for b in home.figures.values())


def test_task_figures_as_at_last_months_end_open_the_late_tasks(qtbot, window):
    from ufdesk.services import stats

    home = home_ready(qtbot, window)
    month = stats.last_months(1)[0]
    _start, end = stats.month_range(month)
    late = [r for r in window.ctx.services.find_by("tasks", year=end.year)
            if r["deadline"] < end and r["status"] != "4" and not (r["status"] == "3" and r["done_on"] <= end)]
    text = home.cards["tasks"].body.text()
    assert f"滞后 {len(late)} 项" in text and len(late) > 0
    assert "月未填报进展" in text
    home.cards["tasks"].body.linkActivated.emit("tasks:late")
    tab = window.ledger_tabs["tasks"]
    assert window.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: not tab.model._loading and len(tab.model.ids) == len(late), timeout=TIMEOUT)


def test_present_figure_is_the_register_as_at_today_and_opens_those_people(qtbot, demo_db, gui_settings, worker):
    """在册 on the home page follows DOMAIN.md's as-at rule (认定时间 ≤ today and not left by
    today), not the 状态 field alone: it agrees with the monthly summary's 月末在册."""
    import sqlalchemy as sa
    from PySide6.QtWidgets import QApplication

    from ufdesk.gui.main import apply_look, open_window
    from ufdesk.reports import data as D
    from ufdesk.services import Services
    from ufdesk.store import Store

    today = dt.date.today()
    svc = Services(Store.open(demo_db), user="测试")
    present = svc.find_by("representatives", status="1")
    # 状态 still 在册 but 退出时间 three days ago; recognised only next week; 退出 from next month
    svc.update("representatives", present[0]["uuid"], {"left_on": today - dt.timedelta(days=3)})
    svc.create("representatives", {"name": "尚未认定", "gender": "1", "status": "1",
                                   "recognized_on": today + dt.timedelta(days=7)})
    svc.update("representatives", present[1]["uuid"], {"status": "2", "left_on": today + dt.timedelta(days=30)})
    with svc.store.connect() as conn:
        sql = conn.execute(sa.text(
            "select count(*) from representatives where deleted = 0"
            " and (recognized_on <= :d or (recognized_on is null and date(created_at) <= :d))"
            " and (left_on > :d or (left_on is null and coalesce(status, '') not in ('2', '3')))"),
            {"d": today.isoformat()}).scalar_one()
        by_status = conn.execute(sa.text("select count(*) from representatives where deleted = 0 and status = '1'"))\
            .scalar_one()
    month = D.monthly(svc, today.strftime("%Y-%m"))["reps_present"]
    svc.store.close()
    assert sql != by_status  # the two rules part here, so the page shows which one it follows
    assert month == sql

    apply_look(QApplication.instance())
    window = open_window(demo_db, worker)
    qtbot.addWidget(window)
    home = home_ready(qtbot, window)
    import re

    assert f"在册 {sql} 人" in re.sub("<[^>]+>", "", home.cards["kinds"].body.text())  # what the clerk reads
    home.cards["kinds"].body.linkActivated.emit("reps")
    tab = window.ledger_tabs["representatives"]
    assert window.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: len(tab.model.ids) == sql and not tab.model._loading, timeout=TIMEOUT)
    assert tab.filters.chip.text() == "在册（截至今天）" and tab.filters.chip.isVisible()
    names = {tab.model.row_record(i)["name"] for i in range(min(len(tab.model.ids), 50))}
    assert "尚未认定" not in names


def test_a_township_pc_shows_its_own_gaps_not_the_countys(qtbot, tmp_path, gui_settings, worker):
    from ufdesk.app import create_database
    from ufdesk.gui.main import open_window

    towns = [("510522100", "合江镇"), ("510522101", "白鹤镇"), ("510522102", "白沙镇")]
    villages = [("510522100201", "一村"), ("510522101201", "金桥村"), ("510522101202", "银桥村"),
                ("510522102201", "三村")]
    db = create_database(str(tmp_path / "tw.db"), county_code="510522", county_name="合江县", townships=towns,
                         villages=villages, township="510522101")
    window = open_window(db, worker)
    qtbot.addWidget(window)
    text = home_ready(qtbot, window).cards["coverage"].body.text()
    assert "白鹤镇统战委员：" in text and "尚未配备" in text
    assert "缺统战联络员的村(社区)：2 / 2 个" in text  # its own two villages, not the county's four
    assert "合江镇" not in text and "/ 3" not in text and "三村" not in text
