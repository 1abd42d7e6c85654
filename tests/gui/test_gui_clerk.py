"""Small things a clerk notices: the form fills what the 身份证号 says and does not jump as its
messages come and go; the password dialogs show only their own boxes, in order, and a new user is a
录入员 unless chosen otherwise; the login remembers the name; the window says who is logged in."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from test_gui_ledgers import ime_type, rep_tab

from ufdesk.services import users as U

TIMEOUT = 15000
ID = "110105198507166528"  # 1985-07-16, female (the 17th digit is even)


def new_form(qtbot, window):
    tab = rep_tab(qtbot, window)
    form = tab.new_record()
    qtbot.waitUntil(lambda: form._loaded and form.isVisible(), timeout=TIMEOUT)
    return form


def test_the_id_number_fills_birth_date_and_gender_when_they_are_empty(qtbot, window):
    form = new_form(qtbot, window)
    ed = form.grid.editors
    qtbot.keyClicks(ed["id_number"], ID)
    qtbot.waitUntil(lambda: ed["birth_date"].line.text() == "1985-07-16", timeout=TIMEOUT)
    assert ed["gender"].currentText() == "女"
    ime_type(ed["name"], "丁测试")
    qtbot.waitUntil(form.save_button.isEnabled, timeout=TIMEOUT)
    form.dirty = False
    form.reject()


def test_the_id_number_never_overwrites_what_the_clerk_typed(qtbot, window):
    form = new_form(qtbot, window)
    ed = form.grid.editors
    qtbot.keyClicks(ed["birth_date"].line, "1985.7")
    ed["gender"].setCurrentIndex(ed["gender"].findText("男"))
    qtbot.keyClicks(ed["id_number"], ID)
    assert ed["birth_date"].line.text() == "1985.7" and ed["gender"].currentText() == "男"
    message = form.grid.cells["id_number"].message
    qtbot.waitUntil(message.isVisible, timeout=TIMEOUT)
    assert "性别" in message.text()  # the disagreement is pointed out, not silently "fixed"
    form.dirty = False
    form.reject()


def test_fields_stay_put_when_messages_appear_and_go(qtbot, window):
    form = new_form(qtbot, window)
    ed = form.grid.editors
    where = {n: e.mapTo(form, QPoint(0, 0)) for n, e in ed.items()}
    qtbot.keyClicks(ed["id_number"], "1101")  # too short: a message under it
    qtbot.keyClicks(ed["mobile"], "139")
    qtbot.waitUntil(lambda: form.grid.cells["id_number"].message.isVisible()
                    and form.grid.cells["mobile"].message.isVisible(), timeout=TIMEOUT)
    assert {n: e.mapTo(form, QPoint(0, 0)) for n, e in ed.items()} == where
    ime_type(ed["name"], "丁测试")  # 必填 goes away
    qtbot.waitUntil(lambda: not form.grid.cells["name"].message.isVisible(), timeout=TIMEOUT)
    assert {n: e.mapTo(form, QPoint(0, 0)) for n, e in ed.items()} == where
    form.dirty = False
    form.reject()


# -- users ---------------------------------------------------------------------------------------
@pytest.fixture
def admin_window(window, monkeypatch):
    monkeypatch.setattr(U, "SCRYPT_N", 2**10)
    svc = window.ctx.services
    U.add_user(svc.store, "张主任", "correct-horse-1", "admin")
    svc.user, svc.role = "张主任", "admin"
    window.ctx.notify("*")
    return window


def tab_order(qtbot, dialog) -> list[str]:
    """Object names (or types) of the inputs Tab visits from the first one, once round."""
    first = QApplication.focusWidget()
    seen = [first]
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        w = QApplication.focusWidget()
        if w is first:
            break
        seen.append(w)
    return [w.objectName() or type(w).__name__ for w in seen]


def test_a_new_user_dialog_has_only_its_boxes_in_reading_order_and_defaults_to_clerk(qtbot, admin_window,
                                                                                     monkeypatch):
    from ufdesk.gui import users_dialog as UD

    dialog = UD.UsersDialog(admin_window.ctx, admin_window)
    qtbot.addWidget(dialog)
    dialog.show()
    seen = {}

    def fill(d):
        d.show()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is d.name, timeout=TIMEOUT)
        inputs = [w for w in d.findChildren(QLineEdit) if w.isVisible()] + [d.role] * d.role.isVisible()
        seen["tops"] = sorted(w.mapTo(d, QPoint(0, 0)).y() for w in inputs)
        seen["order"] = tab_order(qtbot, d)
        seen["role"] = d.role.currentText()
        ime_type(d.name, "小李")
        for w in (d.pw1, d.pw2):
            w.setFocus()
            qtbot.keyClicks(w, "a-good-password")
        qtbot.keyClick(d.pw2, Qt.Key_Return)
        return d.result()

    monkeypatch.setattr(UD.PasswordDialog, "exec", fill)
    qtbot.mouseClick(dialog.buttons["add"], Qt.LeftButton)
    assert seen["role"] == "录入员"
    assert seen["order"][:6] == ["newName", "QLineEdit", "newRole", "newPassword", "newPassword2", "QPushButton"]
    assert len(seen["tops"]) == 5 and len(set(seen["tops"])) == 5  # five boxes, one under another
    assert {u["name"]: u["role"] for u in U.list_users(admin_window.ctx.services)}["小李"] == "editor"


def test_changing_a_password_shows_current_then_new_boxes_only(qtbot, admin_window):
    from ufdesk.gui import users_dialog as UD

    d = UD.PasswordDialog("修改 张主任 的密码", admin_window, own=(admin_window.ctx.services, "张主任"))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is d.current, timeout=TIMEOUT)
    visible = [w.objectName() for w in d.findChildren(QLineEdit) if w.isVisible()]
    assert visible == ["currentPassword", "newPassword", "newPassword2"]
    assert tab_order(qtbot, d)[:3] == visible


def test_a_conflict_names_the_township_that_sent_it(qtbot, tmp_path):
    from package_helpers import T1, make, rep, send

    from ufdesk.gui.conflicts_dialog import ConflictsDialog
    from ufdesk.gui.context import AppContext

    county, town = make(tmp_path, "county"), make(tmp_path, "t1", T1)
    uuid = rep(town, "王伟", employer="镇政府")
    send(town, county)
    county.update("representatives", uuid, {"employer": "县政协"})
    town.update("representatives", uuid, {"employer": "镇商会"})
    send(town, county)
    dlg = ConflictsDialog(AppContext(county))
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.records.count() == 1, timeout=TIMEOUT)
    assert "来自城关镇的数据包" in dlg.title.text()
    assert not re.search(r"[0-9a-f]{8}", dlg.title.text()), "no package hash"


def test_the_count_of_a_big_ledger_has_an_ascii_thousands_comma(qtbot, window):
    tab = rep_tab(qtbot, window)
    tab.model.ids = list(range(100_000))
    tab.model.loaded.emit()
    assert tab.count.text() == "共 100,000 人"


def test_the_status_bar_says_who_is_logged_in_and_the_login_remembers_the_name(qtbot, admin_window):
    from ufdesk.gui.security import LoginDialog

    assert admin_window.status_user.text() == "用户：张主任（管理员）"
    d = LoginDialog(admin_window.ctx)
    qtbot.addWidget(d)
    assert d.name.text() == ""
    ime_type(d.name, "张主任")
    qtbot.keyClicks(d.password, "correct-horse-1")
    qtbot.mouseClick(d.ok, Qt.LeftButton)
    assert d.result() == 1
    again = LoginDialog(admin_window.ctx)
    qtbot.addWidget(again)
    again.show()
    assert again.name.text() == "张主任" and again.password.text() == ""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is again.password, timeout=TIMEOUT)
    from ufdesk.gui import settings as S

    stored = "\n".join(f"{k}={S.settings().value(k)}" for k in S.settings().allKeys())
    assert "correct-horse-1" not in stored


def test_a_wrong_login_is_not_remembered(qtbot, admin_window):
    from ufdesk.gui import settings as S
    from ufdesk.gui.security import LoginDialog

    d = LoginDialog(admin_window.ctx)
    qtbot.addWidget(d)
    qtbot.keyClicks(d.name, "correct-horse-1")  # the password typed into the name box
    qtbot.keyClicks(d.password, "x")
    qtbot.mouseClick(d.ok, Qt.LeftButton)
    assert d.result() == 0 and S.LAST_USER.get() == ""


def test_the_toolbar_does_not_move_when_the_undo_label_grows(qtbot, window):
    from PySide6.QtWidgets import QToolBar

    tb = window.findChild(QToolBar, "mainToolbar")
    window.show()
    qtbot.waitExposed(window)
    where = {a.text(): tb.widgetForAction(a).geometry() for a in tb.actions() if tb.widgetForAction(a)}
    tab = rep_tab(qtbot, window)
    uuid = tab.model.uuid_at(0)
    window.ctx.services.update("representatives", uuid, {"employer": "一个名字很长很长的工作单位有限责任公司"})
    window.ctx.notify("representatives")
    qtbot.waitUntil(window.act_undo.isEnabled, timeout=TIMEOUT)
    assert "撤销“" in window.act_undo.text()
    QApplication.processEvents()
    now = {a.text(): tb.widgetForAction(a).geometry() for a in tb.actions() if tb.widgetForAction(a)}
    assert [g for g in now.values()] == [g for g in where.values()]
    assert tb.widgetForAction(window.act_undo).text() == "撤销"
    assert "撤销“" in window.act_undo.toolTip()


def test_window_titles_leave_the_program_name_to_qt(qtbot, window):
    from ufdesk.gui.main import make_app

    make_app()  # as the program starts: Qt puts this name after every window's own title
    assert QApplication.applicationDisplayName() == "统战工作台账"
    assert "统战工作台账" not in window.windowTitle() and window.ctx.services.place_name() in window.windowTitle()


def test_enter_after_the_exchange_passphrase_exports(qtbot, tmp_path, monkeypatch):
    from package_helpers import PW, T1, make, rep
    from PySide6.QtWidgets import QFileDialog

    from ufdesk.gui.context import AppContext
    from ufdesk.gui.exchange_dialog import ExchangeDialog

    town = make(tmp_path, "t1", T1)
    rep(town, "王伟")
    ctx = AppContext(town)
    picked = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: picked.append(1) or ""))
    stick = tmp_path / "U盘"
    stick.mkdir()
    dialog = ExchangeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.export_page
    qtbot.waitUntil(lambda: page.drive.lineEdit().placeholderText() != "正在查找U盘…", timeout=TIMEOUT)
    page.set_target(str(stick))
    page.export_pw.setFocus()
    qtbot.keyClicks(page.export_pw, PW if PW.isascii() else "exchange-pass-2026")
    pw = page.export_pw.text()
    qtbot.keyClick(page.export_pw, Qt.Key_Return)
    assert QApplication.focusWidget() is page.export_pw2 and not page.export_result.text()
    qtbot.keyClicks(page.export_pw2, pw)
    qtbot.keyClick(page.export_pw2, Qt.Key_Return)
    qtbot.waitUntil(lambda: "可以安全拔出" in page.export_result.text(), timeout=20000)
    assert list(stick.glob("*.ufpkg")) and picked == []
    qtbot.waitUntil(lambda: ctx.worker.busy == 0, timeout=20000)
    ctx.worker.shutdown()
