"""A clerk meets the login, the idle lock, and the 用户管理 / 审计日志 / 备份与恢复 dialogs."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMessageBox, QWidget

from ufdesk.domain.errors import PermissionDenied
from ufdesk.gui import backup_dialog as BD
from ufdesk.gui import security as G
from ufdesk.gui import users_dialog as UD
from ufdesk.services import Query, backup
from ufdesk.services import users as U

PW = "correct-horse-1"
TIMEOUT = 15000


@pytest.fixture
def office(ctx, monkeypatch, tmp_path):
    """The demo county with an administrator, a clerk and a viewer; backups in tmp."""
    monkeypatch.setattr(U, "SCRYPT_N", 2**10)
    monkeypatch.setenv("UFDESK_HOME", str(tmp_path / "home"))
    U.add_user(ctx.services.store, "张主任", PW, "admin")
    U.add_user(ctx.services.store, "小李", PW, "editor", by="张主任")
    U.add_user(ctx.services.store, "老王", PW, "viewer", by="张主任")
    for name in ("question", "information", "warning"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.Yes))
    return ctx


def log_in(qtbot, ctx, name, password):
    d = G.LoginDialog(ctx)
    qtbot.addWidget(d)
    d.name.setText(name)
    d.password.setText(password)
    d.ok.click()
    return d


def test_no_users_means_no_login_question(ctx):
    assert G.login(ctx) is True and G.needs_admin(ctx)


def test_wrong_password_is_refused_and_the_fifth_locks(qtbot, office):
    for left in (4, 3, 2, 1):
        d = log_in(qtbot, office, "小李", "wrong-password")
        assert d.result() == 0 and f"还可再试 {left} 次" in d.message.text()
        assert d.password.text() == "", "the wrong password is not left in the field"
    d = log_in(qtbot, office, "小李", "wrong-password")
    assert "已锁定" in d.message.text()
    d = log_in(qtbot, office, "小李", PW)
    assert d.result() == 0 and "已锁定" in d.message.text(), "locked even with the right password"
    d = log_in(qtbot, office, "张主任", PW)
    assert d.result() == 1 and d.user_row["role"] == "admin"


def test_viewer_cannot_save_or_export_full_ids(qtbot, office):
    from ufdesk.gui.export_dialog import ExportDialog
    from ufdesk.gui.form import RecordForm

    d = log_in(qtbot, office, "老王", PW)
    assert d.result() == 1
    G._become(office, d.user_row)
    svc = office.services
    assert svc.role == "viewer"
    uuid = svc.page(Query("representatives"), 0, 1, ["uuid"])[0]["uuid"]
    form = RecordForm(office, "representatives", uuid)
    qtbot.addWidget(form)
    with qtbot.waitSignal(form.ready, timeout=TIMEOUT):
        form.show()
    assert not form.save_button.isVisibleTo(form)
    with pytest.raises(PermissionDenied):
        svc.update("representatives", uuid, {"name": "改个名字"})
    export = ExportDialog(office, "representatives")
    qtbot.addWidget(export)
    assert not export.full_ids.isEnabled()
    with pytest.raises(PermissionDenied):
        svc.require("export_full_ids")


def test_users_dialog_adds_a_user_and_unlocks_one(qtbot, office, monkeypatch):
    G._become(office, {"name": "张主任", "role": "admin"})
    for _ in range(5):
        with pytest.raises(U.LoginFailed):
            U.login(office.services.store, "小李", "nope-nope")
    dialog = UD.UsersDialog(office)
    qtbot.addWidget(dialog)
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["张主任", "小李", "老王"]
    states = {dialog.table.item(r, 0).text(): dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())}
    assert states["小李"] == "已锁定"

    def fill(self):
        self.name.setText("赵会计")
        self.role.setCurrentIndex(self.role.findData("viewer"))
        self.pw1.setText("a-good-password")
        self.pw2.setText("a-good-password")
        self._check()
        return self.result()

    monkeypatch.setattr(UD.PasswordDialog, "exec", fill)
    dialog.buttons["add"].click()
    assert "赵会计" in [u["name"] for u in U.list_users(office.services.store)]
    dialog.table.selectRow([u["name"] for u in dialog.rows].index("小李"))
    dialog.buttons["unlock"].click()
    assert U.login(office.services.store, "小李", PW)["role"] == "editor"
    dialog.grab().save(os.path.join(os.environ["UFDESK_HOME"], "ufdesk-users-dialog.png"))


def test_a_clerk_may_only_change_their_own_password(qtbot, office):
    G._become(office, {"name": "小李", "role": "editor"})
    dialog = UD.UsersDialog(office)
    qtbot.addWidget(dialog)
    assert dialog.buttons["passwd"].isEnabled()
    assert not any(dialog.buttons[k].isEnabled() for k in ("add", "role", "unlock", "disable"))


def test_audit_dialog_filters_is_read_only_and_shows_masked_values(qtbot, office, tmp_path, monkeypatch):
    G._become(office, {"name": "张主任", "role": "admin"})
    svc = office.services
    row = svc.page(Query("representatives", filters={"id_number": ("notnull",)}), 0, 1, ["uuid", "id_number"])
    uuid = row[0]["uuid"] if row else svc.page(Query("representatives"), 0, 1, ["uuid"])[0]["uuid"]
    svc.update("representatives", uuid, {"mobile": "13987654321"})
    with pytest.raises(U.LoginFailed):
        U.login(office.services.store, "老王", "not-his-password")
    dialog = G.AuditDialog(office)
    qtbot.addWidget(dialog)
    dialog.action.setCurrentText("登录失败")
    dialog.reload()
    shown = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert shown and set(shown) == {"登录失败"}
    item = dialog.table.item(0, 5)
    assert not (item.flags() & item.flags().ItemIsEditable)
    dialog.action.setCurrentText("修改")
    dialog.reload()
    details = " ".join(dialog.table.item(r, 6).text() for r in range(dialog.table.rowCount()))
    assert "139****4321" in details and "13987654321" not in details
    out = tmp_path / "审计.xlsx"
    monkeypatch.setattr(G.AuditDialog.__mro__[0], "export_xlsx", G.AuditDialog.export_xlsx)
    from ufdesk.gui import audit_dialog as AD

    monkeypatch.setattr(AD.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    dialog.export.click()
    assert out.exists()
    dialog.grab().save(os.path.join(os.environ["UFDESK_HOME"], "ufdesk-audit-dialog.png"))


def test_audit_dialog_is_closed_to_a_viewer(qtbot, office):
    G._become(office, {"name": "老王", "role": "viewer"})
    dialog = G.AuditDialog(office)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and "只有管理员" in dialog.status.text()


def count(svc) -> int:
    return svc.count(Query("representatives"))


def test_backup_now_then_restore_from_the_list(qtbot, office, monkeypatch):
    G._become(office, {"name": "张主任", "role": "admin"})
    svc = office.services
    before = count(svc)
    dialog = G.BackupDialog(office)
    qtbot.addWidget(dialog)
    dialog.b_now.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1 and office.worker.busy == 0, timeout=TIMEOUT)
    assert dialog.table.item(0, 1).text() == "手动" and int(dialog.table.item(0, 2).text()) > before
    victims = svc.page(Query("representatives"), 0, 3, ["uuid"])
    for v in victims:
        svc.delete("representatives", v["uuid"])
    assert count(svc) == before - 3
    dialog.table.selectRow(0)
    dialog.b_restore.click()
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "step", None), BD.RestoreConfirm), timeout=TIMEOUT)
    dialog.step.ok.click()  # the confirmation (tests/gui/test_restore_dialog.py looks at it closely)
    qtbot.waitUntil(lambda: isinstance(dialog.step, BD.RestoreLogin), timeout=TIMEOUT)
    dialog.step.password.setText(PW)
    dialog.step.accept()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2 and office.worker.busy == 0, timeout=TIMEOUT)
    assert count(svc) == before
    kinds = {dialog.table.item(r, 1).text() for r in range(2)}
    assert kinds == {"手动", "恢复前"}
    dialog.grab().save(os.path.join(os.environ["UFDESK_HOME"], "ufdesk-backup-dialog.png"))


def test_copy_to_a_stick_is_always_encrypted_and_an_administrators_job(qtbot, office, tmp_path, monkeypatch):
    G._become(office, {"name": "小李", "role": "editor"})
    dialog = G.BackupDialog(office)
    qtbot.addWidget(dialog)
    assert not dialog.b_copy.isEnabled() and not dialog.b_restore.isEnabled()  # an editor may not carry it off
    dialog.close()
    G._become(office, {"name": "张主任", "role": "admin"})
    dialog = G.BackupDialog(office)
    qtbot.addWidget(dialog)
    assert dialog.b_copy.isEnabled()
    out = tmp_path / "stick" / "备份.ufbak"
    out.parent.mkdir()
    monkeypatch.setattr(BD.QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))

    def secret(self):
        self.first.setText("county-secret")
        self.second.setText("county-secret")
        self._check()
        return self.result()

    monkeypatch.setattr(BD.SecretDialog, "exec", secret)
    dialog.b_copy.click()
    qtbot.waitUntil(lambda: office.worker.busy == 0, timeout=TIMEOUT)
    assert backup.is_encrypted(out)


def test_idle_window_locks_and_asks_for_the_password(qtbot, office):
    G._become(office, {"name": "小李", "role": "editor"})
    win = QMainWindow()
    win.setCentralWidget(QWidget())
    qtbot.addWidget(win)
    win.show()
    lock = G.install_idle_lock(win, office, minutes=1)
    lock.timer.setInterval(100)
    lock.timer.start()
    seen = {}

    def answer():
        d = getattr(lock, "dialog", None)
        if d is None:
            QTimer.singleShot(30, answer)
            return
        seen["hidden"] = not win.centralWidget().isVisible()
        d.password.setText("wrong-password")
        d.ok.click()
        seen["message"] = d.message.text()
        d.password.setText(PW)
        d.ok.click()
        seen["done"] = True

    QTimer.singleShot(30, answer)
    qtbot.waitUntil(lambda: bool(seen.get("done")) and not lock.locked, timeout=TIMEOUT)
    assert seen["hidden"], "the records are hidden while locked"
    assert "还可再试" in seen["message"]
    assert win.centralWidget().isVisible()
    lock.timer.stop()


def test_damaged_database_offers_the_newest_good_backup(qtbot, office, monkeypatch):
    path = str(office.services.store.path)
    info = backup.make_backup(office.services.store, "auto", now=dt.datetime.now() - dt.timedelta(hours=1))
    n = count(office.services)
    office.services.store.close()
    with open(path, "r+b") as f:
        f.write(b"\x00" * 4096)
    monkeypatch.setattr(BD.RestoreLogin, "exec", lambda self: (self.name.setText("张主任"),
                                                               self.password.setText(PW), 1)[-1])
    assert G.offer_newest_backup(path) is True
    from ufdesk.app import open_services

    svc = open_services(path)
    try:
        assert count(svc) == n and info.total >= n
    finally:
        svc.store.close()


def test_login_sets_up_the_idle_lock_and_the_backup_at_quit(qtbot, ctx, monkeypatch, tmp_path):
    monkeypatch.setenv("UFDESK_HOME", str(tmp_path / "home"))
    assert G.login(ctx) is True  # no users yet: no question asked
    lock = ctx._security["lock"]
    window = QMainWindow()
    window.setCentralWidget(QWidget())
    window.ctx = ctx
    qtbot.addWidget(window)
    window.show()
    assert lock is not None and lock._window() is window
    lock.lock()  # no users: nothing to unlock with, so it does not lock
    assert not lock.locked and window.centralWidget().isVisible()
    info = G.backup_at_close(ctx)
    assert info is not None and info.kind == "auto" and info.counts["representatives"] > 0
    assert G.backup_at_close(ctx) is None, "at most one automatic backup a day"
    lock.timer.stop()


def test_banner_offers_to_create_the_administrator(qtbot, ctx, monkeypatch):
    monkeypatch.setattr(U, "SCRYPT_N", 2**10)
    assert G.login(ctx) is True
    window = QMainWindow()
    window.setCentralWidget(QWidget())
    window.ctx = ctx
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: ctx._security["banner"] is not None, timeout=TIMEOUT)
    banner = ctx._security["banner"]
    from PySide6.QtWidgets import QLabel

    assert banner.isVisible() and "尚未设置用户" in " ".join(w.text() for w in banner.findChildren(QLabel))
    window.grab().save(os.path.join(os.environ["UFDESK_HOME"], "ufdesk-admin-banner.png"))

    def fill(self):
        self.name.setText("张主任")
        self.pw1.setText(PW)
        self.pw2.setText(PW)
        self._check()
        return self.result()

    monkeypatch.setattr(UD.AdminDialog, "exec", fill)
    from PySide6.QtWidgets import QPushButton

    banner.findChild(QPushButton, "adminBannerButton").click()
    assert ctx.services.user == "张主任" and ctx.services.role == "admin"
    assert U.has_users(ctx.services.store) and ctx._security["banner"] is None
    ctx._security["lock"].timer.stop()


def test_admin_purges_people_who_left_long_ago(qtbot, office):
    from ufdesk.services import retention

    G._become(office, {"name": "张主任", "role": "admin"})
    svc = office.services
    uuid = svc.page(Query("representatives"), 0, 1, ["uuid"])[0]["uuid"]
    svc.update("representatives", uuid, {"status": "3", "recognized_on": dt.date(1995, 1, 1),
                                         "left_on": dt.date(2001, 5, 1)})
    before = count(svc)
    dialog = UD.UsersDialog(office)
    qtbot.addWidget(dialog)
    dialog.years.setValue(10)
    expected = retention.candidates(office.services.store, 10).total
    assert expected >= 1
    dialog.purge_button.click()
    assert retention.candidates(office.services.store, 10).total == 0
    assert count(svc) <= before - 1
    assert office.services.store.setting("retention_years") == "10"
    gone = svc.get("representatives", uuid, with_subs=False)
    assert gone["deleted"] and gone["name"] is None and gone["id_number"] is None


def test_a_viewer_cannot_export_or_import_packages(qtbot, office):
    from ufdesk.gui.exchange_dialog import ExchangeDialog

    G._become(office, {"name": "老王", "role": "viewer"})
    dialog = ExchangeDialog(office)
    qtbot.addWidget(dialog)
    assert not dialog.tabs.isTabEnabled(0) and not dialog.tabs.isTabEnabled(1)
    G._become(office, {"name": "小李", "role": "editor"})
    clerk = ExchangeDialog(office)
    qtbot.addWidget(clerk)
    assert clerk.tabs.isTabEnabled(0) and clerk.tabs.isTabEnabled(1)
    qtbot.waitUntil(lambda: office.worker.busy == 0, timeout=TIMEOUT)


def test_a_viewers_window_offers_no_import_or_export(qtbot, office, gui_settings):
    from ufdesk.gui.mainwindow import MainWindow

    G._become(office, {"name": "老王", "role": "viewer"})
    win = MainWindow(office, str(office.services.store.path))
    qtbot.addWidget(win)
    assert not win.act_import.isEnabled() and not win.act_export.isEnabled()
    assert win.act_report.isEnabled(), "a viewer may print"
    qtbot.waitUntil(lambda: office.worker.busy == 0, timeout=TIMEOUT)


def test_start_on_a_damaged_database_restores_the_newest_good_backup(qtbot, demo_db, worker, gui_settings,
                                                                      monkeypatch, tmp_path):
    from ufdesk.gui.main import open_window

    monkeypatch.setenv("UFDESK_HOME", str(tmp_path / "home"))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: asked.append(a[2]) or QMessageBox.Yes))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: QMessageBox.Ok))
    good = backup.make_backup(demo_db, "auto")
    with open(demo_db, "r+b") as f:
        f.write(b"\xff" * 4096)
    win = open_window(demo_db, worker)
    assert win, "the window opens on the restored copy"
    qtbot.addWidget(win)
    assert "最新的完好备份" in asked[0] and good.describe() in asked[0]
    qtbot.waitUntil(lambda: worker.busy == 0, timeout=TIMEOUT)
    assert win.ctx.services.count(Query("representatives")) == good.counts["representatives"]
    win.ctx._security["lock"].timer.stop()


def test_start_refuses_a_database_with_users_when_the_login_cannot_be_loaded(qtbot, demo_db, worker, gui_settings,
                                                                             monkeypatch):
    import sys

    from ufdesk.app import open_services
    from ufdesk.gui.main import LOGIN_MISSING, open_window

    monkeypatch.setattr(U, "SCRYPT_N", 2**10)
    services = open_services(demo_db)
    U.add_user(services.store, "张主任", PW, "admin")
    services.store.close()
    monkeypatch.setitem(sys.modules, "ufdesk.gui.security", None)  # a build that lost the login module
    said = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: said.append(a[1:3]) or QMessageBox.Ok))
    assert open_window(demo_db, worker) is False, "no window, least of all one with every permission"
    assert said == [("无法登录", LOGIN_MISSING)]
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]


def test_changing_ones_own_password_asks_for_the_current_one(qtbot, office):
    G._become(office, {"name": "小李", "role": "editor"})
    dialog = UD.UsersDialog(office)
    qtbot.addWidget(dialog)
    d = UD.PasswordDialog("修改 小李 的密码", dialog, own=(office.services, "小李"))
    qtbot.addWidget(d)
    d.current.setText("not-the-password")
    d.pw1.setText("a-new-password-9")
    d.pw2.setText("a-new-password-9")
    d._check()
    assert d.result() == 0 and "还可再试" in d.message.text()
    d.current.setText(PW)
    d._check()
    assert d.result() == 1


def test_a_setting_changed_in_the_settings_dialog_counts_in_the_open_window_at_once(qtbot, window, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from ufdesk.gui.settings_dialog import SettingsDialog
    from ufdesk.services import audit
    from ufdesk.services import settings as SET

    lock = window.ctx._security["lock"]
    assert lock.timer.interval() == 15 * 60_000, "the window locks after the default 15 minutes"
    dialog = SettingsDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    spin = dialog.findChild(QWidget, "setting_idle_lock_minutes")
    assert spin.value() == 15 and spin.isEnabled()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "2")
    due = dialog.findChild(QWidget, "setting_report_due_day")
    due.lineEdit().selectAll()
    qtbot.keyClicks(due.lineEdit(), "20")
    dialog.grab().save(str(tmp_path / "settings.png"))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    assert lock.timer.interval() == 2 * 60_000 and lock.timer.isActive(), "the open window now locks after 2 minutes"
    assert lock.timer.remainingTime() <= 2 * 60_000 + 1000  # Qt's coarse timers may add a little
    svc = window.ctx.services
    assert SET.get(svc, "idle_lock_minutes") == 2 and SET.get(svc, "report_due_day") == 20
    with svc.connect() as conn:
        summaries = [e["summary"] for e in audit.entries(conn, action="settings")]
    assert "修改设置“无操作自动锁定”：15分钟 → 2分钟" in summaries and len(summaries) == 2


def test_a_viewers_window_has_no_enabled_edit_action_anywhere(qtbot, office, gui_settings):
    """查阅 as the clerk meets it: in the toolbar and menus, in the table's right-click menu and
    on the Delete key, nothing that would change a record is enabled, and pressing it changes
    nothing (issue 18's done-when)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QContextMenuEvent

    from ufdesk.gui.mainwindow import MainWindow

    G._become(office, {"name": "老王", "role": "viewer"})
    win = MainWindow(office, str(office.services.store.path))
    qtbot.addWidget(win)
    win.show()
    tab = win.ledger_tabs["representatives"]
    win.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: bool(tab.model.ids) and tab.model.row_record(0) is not None, timeout=TIMEOUT)
    edits = {"新增": win.act_new, "删除": win.act_delete, "重做": win.act_redo, "导入": win.act_import}
    # (用户管理 stays open: there a viewer changes their own password and nothing else)
    assert [name for name, act in edits.items() if act.isEnabled()] == []
    total = office.services.count(Query("representatives"))

    rect = tab.view.visualRect(tab.model.index(0, 1))
    qtbot.mouseClick(tab.view.viewport(), Qt.LeftButton, pos=rect.center())
    pos: QPoint = rect.center()
    QApplication.sendEvent(tab.view.viewport(),
                           QContextMenuEvent(QContextMenuEvent.Mouse, pos, tab.view.viewport().mapToGlobal(pos)))
    enabled = [a.text().split("\t")[0] for a in tab.menu.actions() if not a.isSeparator() and a.isEnabled()]
    tab.menu.close()
    assert enabled and enabled[0] == "查看", enabled  # the first item opens the record to read, not 修改
    assert not [t for t in enabled if t.startswith(("新增", "批量修改", "删除"))], enabled
    assert [t for t in enabled if t.startswith("复制")], "a viewer may still copy cells into Excel"

    win.activateWindow()
    qtbot.keyClick(tab.view, Qt.Key_Delete)
    qtbot.wait(200)
    assert office.services.count(Query("representatives")) == total
    qtbot.waitUntil(lambda: office.worker.busy == 0, timeout=TIMEOUT)
