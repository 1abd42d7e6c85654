"""备份与恢复 → 恢复 as a county administrator meets it: the confirmation says what will be
replaced and by what, with 取消 as the default (Enter changes nothing); a township's backup over
the county needs the second, explicit choice; the login asked is the live database's; afterwards
Ctrl+Z has nothing left to undo, the clerk is told so, and the window is opened again on the
restored file."""

from __future__ import annotations

import hashlib
import os
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from ufdesk.gui import backup_dialog as BD
from ufdesk.services import Query, backup
from ufdesk.services import users as U

PW = "correct-horse-1"
TIMEOUT = 20000
# a wrong password is counted on its user, and its audit row ticks the installation's counter
SKIP = ("users", "installation")


@pytest.fixture
def county(ctx, monkeypatch, tmp_path):
    """The demo county with its administrator logged in; backups in this test's home."""
    monkeypatch.setenv("UFDESK_HOME", str(tmp_path / "home"))
    U.add_user(ctx.services.store, "张主任", PW, "admin")
    ctx.services.user, ctx.services.role = "张主任", "admin"
    seen = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: seen.append(a[2])))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: seen.append(a[2])))
    ctx.said = seen
    return ctx


def digest(path, skip=()) -> str:
    """Every table but the audit (and ``skip``), hashed."""
    conn = sqlite3.connect(path)
    try:
        h = hashlib.sha256()
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'audit' "
                                    "ORDER BY name"):
            if name in skip:
                continue
            for row in conn.execute(f'SELECT * FROM "{name}" ORDER BY 1'):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


def people(svc) -> int:
    return svc.count(Query("representatives"))


def step(qtbot, dialog, cls):
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "step", None), cls) and dialog.step.isVisible(),
                    timeout=TIMEOUT)
    return dialog.step


def open_dialog(qtbot, ctx, parent=None):
    d = BD.BackupDialog(ctx, parent)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: ctx.worker.busy == 0, timeout=TIMEOUT)
    return d


def test_the_confirmation_says_what_is_replaced_and_enter_cancels(qtbot, county, tmp_path):
    svc = county.services
    total = people(svc)
    old = backup.make_backup(svc.store, "manual")
    for v in svc.page(Query("representatives"), 0, 5, ["uuid"]):
        svc.delete("representatives", v["uuid"])
    before = digest(svc.store.path)
    d = open_dialog(qtbot, county)
    d.table.selectRow(0)
    d.b_restore.click()
    c = step(qtbot, d, BD.RestoreConfirm)
    assert c.cancel.isDefault() and not c.ok.isDefault() and c.ok.isEnabled()
    current = c.current.findChild(type(c.warning), "counts").text()
    replacing = c.backup.findChild(type(c.warning), "counts").text()
    assert f"代表人士 {total - 5}" in current and f"代表人士 {total}" in replacing
    shown = " ".join(label.text() for label in c.findChildren(type(c.warning)))
    assert str(svc.store.path) in shown and old.path.name in shown and f"{old.at:%Y-%m-%d %H:%M}" in shown
    assert "（县委统战部）" in shown and not c.other.isVisible()
    c.grab().save(str(tmp_path / "restore-confirm.png"))
    QTest.keyClick(c, Qt.Key_Return)  # the clerk presses Enter without reading
    qtbot.waitUntil(lambda: not c.isVisible(), timeout=TIMEOUT)
    assert c.result() == 0
    qtbot.wait(200)
    assert digest(svc.store.path) == before and people(svc) == total - 5


def test_a_townships_backup_over_the_county_needs_the_second_choice(qtbot, county, tmp_path, monkeypatch):
    from ufdesk.store import Store

    svc = county.services
    total = people(svc)
    town = Store.create(tmp_path / "乡镇.db", county_code=svc.county_code, county_name=svc.county_name,
                        townships=svc.townships(), township=svc.townships()[0][0])
    from ufdesk.services import Services

    Services(town, user="乡镇").create("representatives", {"name": "乡镇的人", "gender": "1"})
    town.close()
    monkeypatch.setattr(BD.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(tmp_path / "乡镇.db"), "")))
    before = digest(svc.store.path, skip=SKIP)
    d = open_dialog(qtbot, county)
    d.b_file.click()
    c = step(qtbot, d, BD.RestoreConfirm)
    assert c.other.isVisible() and "另一台电脑" in c.warning.text() and svc.townships()[0][1] in c.warning.text()
    assert not c.ok.isEnabled(), "恢复 stays off until the clerk says it is another PC's backup"
    c.grab().save(str(tmp_path / "restore-other-pc.png"))
    c.other.click()
    assert c.ok.isEnabled() and c.cancel.isDefault()
    c.ok.click()
    login = step(qtbot, d, BD.RestoreLogin)
    assert login.name.text() == "张主任"
    login.password.setText("wrong-password-1")
    login.findChild(BD.QDialogButtonBox).button(BD.QDialogButtonBox.Ok).click()
    qtbot.waitUntil(lambda: county.worker.busy == 0 and bool(county.said), timeout=TIMEOUT)
    assert "用户名或密码错误" in county.said[-1]
    assert digest(svc.store.path, skip=SKIP) == before and people(svc) == total
    assert U.get_user(svc.store, "张主任")["failed"] == 1


def test_after_a_restore_undo_is_cleared_the_clerk_is_told_and_the_window_reopens(qtbot, county, gui_settings):
    from ufdesk.gui.mainwindow import MainWindow

    svc = county.services
    old = backup.make_backup(svc.store, "manual")
    win = MainWindow(county, str(svc.store.path))
    qtbot.addWidget(win)
    uuid = svc.page(Query("representatives"), 0, 1, ["uuid"])[0]["uuid"]
    svc.update("representatives", uuid, {"employer": "恢复前改的单位"})
    county.notify("representatives")
    assert win.act_undo.isEnabled()
    reopened = []
    win.open_database.connect(reopened.append)
    d = open_dialog(qtbot, county, win)
    d.table.selectRow(next(r for r, i in enumerate(d.infos) if i.path == old.path))
    d.b_restore.click()
    step(qtbot, d, BD.RestoreConfirm).ok.click()
    login = step(qtbot, d, BD.RestoreLogin)
    login.password.setText(PW)
    login.findChild(BD.QDialogButtonBox).button(BD.QDialogButtonBox.Ok).click()
    qtbot.waitUntil(lambda: bool(reopened), timeout=TIMEOUT)
    assert reopened == [str(svc.store.path)]
    told = county.said[-1]
    assert "撤销记录已清空" in told and "1 处修改" in told and "重新打开" in told
    assert "恢复前的数据已保存为" in told and str(backup.backups_dir()) in told
    assert svc.get("representatives", uuid)["employer"] != "恢复前改的单位"
    assert not win.act_undo.isEnabled() and svc.undo_label is None, "Ctrl+Z must not change the restored data"
    QTest.keySequence(win, "Ctrl+Z")
    qtbot.waitUntil(lambda: county.worker.busy == 0, timeout=TIMEOUT)
    assert svc.get("representatives", uuid)["employer"] != "恢复前改的单位"
    [before] = [p for p in backup.backups_dir().glob("*_before-restore.db")]
    assert os.stat(before).st_mode & 0o077 == 0
