"""A clerk at the 代表人士 tab: find people, sort them, open one, correct the phone number,
meet the message for a wrong ID number, save, and take the change back with Ctrl+Z."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from ufdesk.services import Query

TIMEOUT = 15000


def rep_tab(qtbot, window):
    window.tabs.setCurrentWidget(window.ledger_tabs["representatives"])
    tab = window.ledger_tabs["representatives"]
    qtbot.waitUntil(lambda: bool(tab.model.ids) and tab.model.row_record(0) is not None, timeout=TIMEOUT)
    return tab


def ime_type(widget, text):
    """Chinese arrives as an input method's commit, as it does from a pinyin IME."""
    from PySide6.QtGui import QInputMethodEvent

    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def column(tab, key):
    return tab.model.column_of(key)


def shown(tab, key, rows=None):
    """What the table shows in a column, for the rows already fetched."""
    c = column(tab, key)
    m = tab.model
    rows = range(m.rowCount()) if rows is None else rows
    return [m.data(m.index(r, c)) for r in rows if m.row_record(r) is not None]


def wait_reloaded(qtbot, tab, action):
    with qtbot.waitSignal(tab.model.loaded, timeout=TIMEOUT):
        action()
    qtbot.waitUntil(lambda: not tab.model.ids or tab.model.row_record(0) is not None, timeout=TIMEOUT)


def test_filter_by_text_and_party(qtbot, window):
    tab = rep_tab(qtbot, window)
    services = window.ctx.services
    everyone = len(tab.model.ids)
    assert everyone == services.count(Query("representatives"))

    wait_reloaded(qtbot, tab, lambda: ime_type(tab.filters.text, "伟"))
    expected = services.count(Query("representatives", text="伟"))
    assert 0 < len(tab.model.ids) == expected < everyone
    for r in range(min(len(tab.model.ids), 100)):
        rec = tab.model.row_record(r)
        assert "伟" in "".join(str(rec.get(k) or "") for k in ("name", "employer", "position"))
    assert f"共 {expected} 人" in tab.count.text()

    party = tab.filters.combos["party"]
    i = next(i for i in range(party.count()) if "民盟" in party.itemText(i))
    wait_reloaded(qtbot, tab, lambda: party.setCurrentIndex(i))
    both = services.count(Query("representatives", text="伟", filters={"party": "05"}))
    assert len(tab.model.ids) == both
    assert set(shown(tab, "party")) <= {"民盟盟员"}

    wait_reloaded(qtbot, tab, tab.filters.text.clear)
    only_party = services.count(Query("representatives", filters={"party": "05"}))
    assert len(tab.model.ids) == only_party > both
    assert set(shown(tab, "party")) == {"民盟盟员"}


def test_sort_by_birth_date_with_header_click(qtbot, window):
    tab = rep_tab(qtbot, window)
    default_names = shown(tab, "name", range(20))
    header = tab.view.horizontalHeader()
    c = column(tab, "birth_date")
    x = header.sectionViewportPosition(c) + header.sectionSize(c) // 2
    click = lambda: qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))  # noqa: E731

    wait_reloaded(qtbot, tab, click)
    assert tab.model.query.sort == "birth_date" and not tab.model.query.desc
    births = [tab.model.row_record(r)["birth_date"] for r in range(100)]
    known = [b for b in births if b is not None]
    assert known == sorted(known) and len(known) > 50
    texts = shown(tab, "birth_date", range(100))
    assert texts[-1] == f"{births[-1]:%Y.%m}"  # shown as 出生年月 on rosters: 1975.03
    assert shown(tab, "name", range(20)) != default_names

    wait_reloaded(qtbot, tab, click)
    assert tab.model.query.desc
    births = [tab.model.row_record(r)["birth_date"] for r in range(100)]
    known = [b for b in births if b is not None]
    assert known == sorted(known, reverse=True)


def open_form(qtbot, tab, row):
    idx = tab.model.index(row, 0)
    rect = tab.view.visualRect(idx)
    qtbot.mouseClick(tab.view.viewport(), Qt.LeftButton, pos=rect.center())  # the press a double-click follows
    qtbot.mouseDClick(tab.view.viewport(), Qt.LeftButton, pos=rect.center())
    from ufdesk.gui.form import RecordForm

    qtbot.waitUntil(lambda: any(f.isVisible() for f in tab.findChildren(RecordForm)), timeout=TIMEOUT)
    forms = [f for f in tab.findChildren(RecordForm) if f.isVisible()]
    assert len(forms) == 1, "a double-click opens the record once"
    form = forms[0]
    qtbot.waitUntil(lambda: form._loaded, timeout=TIMEOUT)
    return form


def test_edit_phone_bad_id_save_and_undo(qtbot, window):
    tab = rep_tab(qtbot, window)
    services = window.ctx.services
    row = next(r for r in range(50) if tab.model.row_record(r).get("mobile") and tab.model.row_record(r).get("id_number"))
    uuid = tab.model.uuid_at(row)
    before = services.get("representatives", uuid)
    form = open_form(qtbot, tab, row)
    assert form.grid.editors["name"].text() == before["name"]
    phone = form.grid.editors["mobile"]
    new_phone = "13900001111" if before["mobile"] != "13900001111" else "13900002222"
    phone.selectAll()
    qtbot.keyClicks(phone, new_phone)
    qtbot.waitUntil(lambda: form.save_button.isEnabled(), timeout=TIMEOUT)

    id_edit = form.grid.editors["id_number"]
    good_id = id_edit.text()
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    id_edit.selectAll()
    qtbot.keyClicks(id_edit, bad_id)
    message = form.grid.cells["id_number"].message
    qtbot.waitUntil(lambda: message.isVisible(), timeout=TIMEOUT)
    assert message.text() == "身份证号校验位不正确（可能有数字录错）"
    assert not form.save_button.isEnabled()
    assert "需要修改" in form.summary.text()

    id_edit.selectAll()
    qtbot.keyClicks(id_edit, good_id)
    qtbot.waitUntil(lambda: not message.isVisible() and form.save_button.isEnabled(), timeout=TIMEOUT)

    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        qtbot.keyClick(phone, Qt.Key_Return)  # Enter saves
    assert services.get("representatives", uuid)["mobile"] == new_phone
    c = column(tab, "mobile")
    qtbot.waitUntil(lambda: tab.model.data(tab.model.index(row, c)) == new_phone, timeout=TIMEOUT)
    assert window.act_undo.isEnabled() and before["name"] in window.act_undo.text()

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Z, Qt.ControlModifier)  # Ctrl+Z
    qtbot.waitUntil(lambda: services.get("representatives", uuid)["mobile"] == before["mobile"], timeout=TIMEOUT)
    qtbot.waitUntil(lambda: tab.model.data(tab.model.index(row, c)) == before["mobile"], timeout=TIMEOUT)
    assert "已撤销" in window.statusBar().currentMessage()


def test_new_record_needs_name_and_delete_is_undoable(qtbot, window):
    tab = rep_tab(qtbot, window)
    services = window.ctx.services
    total = len(tab.model.ids)
    form = tab.new_record()
    qtbot.waitUntil(lambda: form._loaded and form.isVisible(), timeout=TIMEOUT)
    assert not form.save_button.isEnabled()
    assert form.grid.cells["name"].message.text() == "必填"
    status = form.grid.editors["status"]  # a new person is 在册 unless the clerk says otherwise
    assert status.value() == "1" and status.currentText() == "在册"
    ime_type(form.grid.editors["name"], "丁测试")
    date = form.grid.editors["birth_date"]
    qtbot.keyClicks(date.line, "1975.3")
    qtbot.waitUntil(lambda: form.save_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(tab.model.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(tab.model.ids) == total + 1, timeout=TIMEOUT)
    made = services.find_by("representatives", name="丁测试")
    assert len(made) == 1 and made[0]["birth_date"] == dt.date(1975, 3, 1) and made[0]["status"] == "1"

    row = tab.model.row_of_uuid(made[0]["uuid"])
    assert row >= 0
    tab.view.selectRow(row)

    def confirm():
        box = QApplication.activeModalWidget()
        assert "丁测试" in box.text()
        box.button(box.StandardButton.Yes).click()

    qtbot.waitUntil(lambda: tab.model.uuid_at(tab.view.currentIndex().row()) == made[0]["uuid"], timeout=TIMEOUT)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(100, confirm)
    tab.delete_record()
    qtbot.waitUntil(lambda: len(tab.model.ids) == total, timeout=TIMEOUT)
    assert services.find_by("representatives", name="丁测试") == []
    window.undo()
    qtbot.waitUntil(lambda: len(tab.model.ids) == total + 1, timeout=TIMEOUT)


def test_every_ledger_gets_its_table_and_form_from_its_description(qtbot, window):
    from ufdesk.domain import LEDGERS

    for name, lg in LEDGERS.items():
        tab = window.ledger_tabs[name]
        window.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda tab=tab: bool(tab.model.ids) and tab.model.row_record(0) is not None, timeout=TIMEOUT)
        assert window.tabs.tabText(window.tabs.currentIndex()) == lg.label
        assert set(tab.filters.combos) == {f.name for f in lg.filter_fields}
        form = tab.new_record()
        qtbot.waitUntil(lambda form=form: form._loaded, timeout=TIMEOUT)
        assert set(form.grid.editors) == {f.name for f in lg.fields}
        tabs = [form.tabs.tabText(i) for i in range(form.tabs.count())]
        assert tabs[1:1 + len(lg.subs)] == [s.label for s in lg.subs]
        assert ("附件" in tabs) == any(k != "photo" for k in lg.attachments)
        assert (form.photo is not None) == ("photo" in lg.attachments)
        required = [f.name for f in lg.fields if f.required]
        assert {k for k, v in form.check().items() if v == "必填"} == set(required)
        form.reject()


def test_photo_is_saved_with_the_record(qtbot, window, tmp_path):
    from PySide6.QtGui import QColor, QImage

    tab = rep_tab(qtbot, window)
    uuid = tab.model.uuid_at(3)
    form = open_form(qtbot, tab, 3)
    img = QImage(132, 176, QImage.Format_RGB32)
    img.fill(QColor("#336699"))
    path = tmp_path / "照片.png"
    img.save(str(path))
    form.photo.set_file(str(path))
    assert form.photo.picture.pixmap() is not None and not form.photo.picture.pixmap().isNull()
    qtbot.waitUntil(lambda: form.save_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        form.save_button.click()
    photos = window.ctx.services.attachments(uuid, "photo")
    assert len(photos) == 1 and photos[0]["filename"] == "照片.png" and photos[0]["content"] == path.read_bytes()


def test_roster_order_by_sort_number(qtbot, window):
    tab = rep_tab(qtbot, window)
    services = window.ctx.services
    wait_reloaded(qtbot, tab, lambda: tab.order.setCurrentIndex(tab.order.findData("sort_no")))
    assert tab.model.ids == services.ids(Query("representatives", sort="sort_no"))
    numbers = [tab.model.row_record(r)["uuid"] for r in range(20)]
    with_no = [services.get("representatives", u, with_subs=False)["sort_no"] for u in numbers]
    known = [n for n in with_no if n is not None]
    assert known == sorted(known)
    assert with_no[: len(known)] == known  # those with a 排序号 first
