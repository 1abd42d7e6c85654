"""The exchange dialog as a clerk uses it: a township exports to a folder standing in for the
stick; the county previews the package (counts shown, nothing changed), imports it, sees it in
the log and in this month's reporting table, and can undo it."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

COUNTY = ("510599", "测试县")
T1 = "510599100"
TOWNSHIPS = [(T1, "城关镇"), ("510599101", "河东乡")]
PW = "县里统一的交换口令2026"


@pytest.fixture
def pair(tmp_path):
    from ufdesk.gui.context import AppContext
    from ufdesk.services import Services
    from ufdesk.store import Store

    county = Store.create(tmp_path / "county.db", county_code=COUNTY[0], county_name=COUNTY[1], townships=TOWNSHIPS)
    town = Store.create(tmp_path / "t1.db", county_code=COUNTY[0], county_name=COUNTY[1], townships=TOWNSHIPS,
                        township=T1)
    tsvc = Services(town, user="乡镇录入员")
    for name in ("王伟", "李娜"):
        tsvc.create("representatives", {"name": name, "gender": "1"})
    ctx_t, ctx_c = AppContext(tsvc), AppContext(Services(county, user="县管理员"))
    yield ctx_t, ctx_c, tmp_path
    for ctx in (ctx_t, ctx_c):
        ctx.worker.shutdown()
        ctx.services.store.close()


def _idle(qtbot, ctx):
    qtbot.waitUntil(lambda: ctx.worker.busy == 0, timeout=20000)


def test_export_then_preview_import_log_completeness_and_undo(qtbot, pair):
    from ufdesk.gui.exchange_dialog import ExchangeDialog

    ctx_t, ctx_c, tmp = pair
    stick = tmp / "U盘"
    stick.mkdir()
    dialog = ExchangeDialog(ctx_t)
    qtbot.addWidget(dialog)
    dlg, log = dialog.export_page, dialog.log_page
    assert dlg.to.currentData() == "county"
    dlg.set_target(str(stick))
    dlg.export_pw.setText(PW)
    dlg.export_pw2.setText(PW + "x")
    dlg.export_button.click()
    assert "不一致" in dlg.export_result.text() and not list(stick.iterdir())
    dlg.export_pw2.setText(PW)
    dlg.export_button.click()
    qtbot.waitUntil(lambda: "可以安全拔出" in dlg.export_result.text(), timeout=20000)
    [pkg] = list(stick.glob("*.ufpkg"))
    assert "2 条台账记录" in dlg.export_result.text()
    _idle(qtbot, ctx_t)
    assert log.log.rowCount() == 1 and log.log.item(0, 1).text() == "发出"
    dialog.close()

    whole = ExchangeDialog(ctx_c)
    qtbot.addWidget(whole)
    assert whole.export_page.to.findData("county") == -1  # the county names a township
    whole.tabs.setCurrentIndex(1)
    county = whole.import_page
    county.file.setText(str(pkg))
    county.import_pw.setText("错误的口令")
    county.preview_button.click()
    qtbot.waitUntil(lambda: "口令不正确" in county.import_info.text(), timeout=20000)
    assert not county.import_button.isEnabled()
    county.import_pw.setText(PW)
    county.preview_button.click()
    qtbot.waitUntil(county.import_button.isEnabled, timeout=20000)
    assert "预览" in county.import_info.text() and "城关镇" in county.import_info.text()
    assert county.counts.item(0, 0).text() == "代表人士" and county.counts.item(0, 1).text() == "2"
    assert ctx_c.services.find_by("representatives", name="王伟") == []  # the preview changed nothing
    whole.tabs.grab().save(str(tmp / "preview.png"))
    county.import_button.click()
    qtbot.waitUntil(lambda: "已导入" in county.import_info.text(), timeout=20000)
    _idle(qtbot, ctx_c)
    assert len(ctx_c.services.find_by("representatives", name="王伟")) == 1
    log, report = whole.log_page, whole.completeness_page
    assert log.log.rowCount() == 1 and log.log.item(0, 1).text() == "收到"
    row = next(r for r in range(report.report.rowCount()) if report.report.item(r, 0).text() == "城关镇")
    assert report.report.item(row, 1).text() == "已报送" and report.report.item(row, 4).text() == "2"
    assert "未报送：河东乡" in report.report_note.text()
    whole.tabs.setCurrentIndex(3)
    whole.grab().save(str(tmp / "completeness.png"))

    from PySide6.QtWidgets import QMessageBox

    log.log.selectRow(0)
    import unittest.mock as mock

    with mock.patch.object(QMessageBox, "question", return_value=QMessageBox.Yes), \
            mock.patch.object(QMessageBox, "information") as info:
        log.undo_selected()
        qtbot.waitUntil(lambda: info.called, timeout=20000)
    assert "已撤销" in info.call_args[0][2]
    assert ctx_c.services.find_by("representatives", name="王伟") == []
    _idle(qtbot, ctx_c)
    assert log.log.item(0, 6).text() == "已撤销"


def test_drives_are_listed_off_the_ui_thread_and_a_stick_is_suggested(qtbot, pair, monkeypatch):
    from ufdesk.gui import exchange_dialog as X
    from ufdesk.gui.exchange_pages import drives

    ctx_t, _ctx_c, tmp = pair
    seen = {}

    def fake():
        import threading

        seen["thread"] = threading.current_thread().name
        return [{"root": "/media/clerk/KINGSTON", "name": "KINGSTON", "free": 8e9, "fs": "vfat", "removable": True},
                {"root": "/", "name": "系统盘", "free": 50e9, "fs": "ext4", "removable": False}]

    monkeypatch.setattr(drives, "list_drives", fake)
    dialog = X.ExchangeDialog(ctx_t)
    qtbot.addWidget(dialog)
    dlg = dialog.export_page
    qtbot.waitUntil(lambda: dlg.drive.count() == 2, timeout=5000)
    assert seen["thread"] == "ufdesk-drives"
    assert dlg.target_dir() == "/media/clerk/KINGSTON" and "【U盘】" in dlg.drive.currentText()
    assert "已找到U盘" in dlg.drive_hint.text()
    dialog.grab().save(str(tmp / "export.png"))
    assert X.looks_removable("/media/clerk/STICK", "vfat", False)
    assert not X.looks_removable("/", "ext4", True)
    assert X.list_drives()  # the real QStorageInfo call works here too


def test_conflicts_side_by_side_and_merging_two_duplicate_people(qtbot, tmp_path):
    from package_helpers import T2, make, rep, send

    from ufdesk.gui.conflicts_dialog import ConflictsDialog
    from ufdesk.gui.context import AppContext

    county, t1, t2 = make(tmp_path, "county"), make(tmp_path, "t1", T1), make(tmp_path, "t2", T2)
    uuid = rep(t1, "王伟", employer="镇政府")
    send(t1, county)
    county.update("representatives", uuid, {"employer": "县政协", "gender": "2"})
    t1.update("representatives", uuid, {"employer": "镇商会", "position": "副主任"})
    county.update("representatives", uuid, {"position": "主任"})
    idn = "510522198001011230"
    a = rep(t1, "张敏", id_number=idn, employer="甲厂")
    b = rep(t2, "张敏", id_number=idn, position="村主任")
    send(t1, county)
    send(t2, county)
    ctx = AppContext(county)
    dlg = ConflictsDialog(ctx)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.records.count() == 1, timeout=10000)
    assert "王伟（2 处）" in dlg.records.item(0).text()
    rows = {dlg.fields.item(r, 0).text(): (dlg.fields.item(r, 1).text(), dlg.fields.item(r, 2).text())
            for r in range(dlg.fields.rowCount())}
    assert rows == {"工作单位": ("县政协", "镇商会"), "职务": ("主任", "副主任")}
    assert county.get("representatives", uuid)["gender"] == "2"  # changed on one side only: merged
    dlg.grab().save(str(tmp_path / "conflicts.png"))
    row = next(r for r in range(dlg.fields.rowCount()) if dlg.fields.item(r, 0).text() == "工作单位")
    dlg.fields.selectRow(row)
    dlg.resolve_selected("theirs")
    qtbot.waitUntil(lambda: dlg.fields.rowCount() == 1, timeout=10000)
    assert county.get("representatives", uuid)["employer"] == "镇商会"
    dlg.fields.selectRow(0)
    dlg.resolve_selected("edit", "主任（兼）")
    qtbot.waitUntil(lambda: dlg.records.count() == 0, timeout=10000)
    assert county.get("representatives", uuid)["position"] == "主任（兼）"
    assert dlg.empty.text() == "没有待处理的冲突。"

    dlg.tabs.setCurrentIndex(1)
    assert dlg.pairs.count() == 1 and "城关镇 ／ 河东乡" in dlg.pairs.currentText()
    names = [dlg.compare.item(r, 0).text() for r in range(dlg.compare.rowCount())]
    id_row = names.index("身份证号")
    assert dlg.compare.item(id_row, 1).text() == idn  # no users yet: everyone may see full numbers
    gender = names.index("性别")
    assert dlg.compare.item(gender, 1).text() == "男"  # code names, not codes
    pos = names.index("职务")
    assert dlg.compare.cellWidget(pos, 3).currentIndex() == 1  # the empty side defaults to the other's value
    dlg.grab().save(str(tmp_path / "duplicates.png"))
    dlg.merge_selected()
    qtbot.waitUntil(lambda: dlg.pairs.count() == 0, timeout=10000)
    kept = county.get("representatives", a)
    assert (kept["employer"], kept["position"]) == ("甲厂", "村主任")
    assert county.get("representatives", b)["deleted"] is True
    ctx.worker.shutdown()
    for s in (county, t1, t2):
        s.store.close()
