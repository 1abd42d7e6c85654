"""The habits of Excel and WPS, typed and clicked as a clerk does: Ctrl+Z/Ctrl+Y also from the
search box, Ctrl+F, Ctrl+S, Delete with a question, several rows selected, Ctrl+C into Excel, a
right-click menu with 批量修改, sort arrows that point as Excel's, filter captions that stay, the
wheel over charts, Ctrl+加号/减号."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QWheelEvent
from PySide6.QtWidgets import QApplication, QMenu

from ufdesk.services import Query

TIMEOUT = 20000


def rep_tab(qtbot, window):
    tab = window.ledger_tabs["representatives"]
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: bool(tab.model.ids) and tab.model.row_record(0) is not None, timeout=TIMEOUT)
    return tab


def click_row(qtbot, tab, row, modifier=Qt.NoModifier):
    rect = tab.view.visualRect(tab.model.index(row, 0))
    qtbot.mouseClick(tab.view.viewport(), Qt.LeftButton, modifier, rect.center())


def on_next_modal(action):
    """Act on the next modal window once it is up."""

    def check():
        w = QApplication.activeModalWidget()
        if w is None:
            QTimer.singleShot(30, check)
        else:
            action(w)

    QTimer.singleShot(30, check)


def press(qtbot, widget, key, modifier=Qt.NoModifier):
    """A key as the clerk presses it: into the active window (a closed dialog hands activation back)."""
    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=TIMEOUT)
    qtbot.keyClick(widget, key, modifier)


def right_click(tab, row) -> QMenu:
    pos = tab.view.visualRect(tab.model.index(row, 1)).center()
    QApplication.sendEvent(tab.view.viewport(),
                           QContextMenuEvent(QContextMenuEvent.Mouse, pos, tab.view.viewport().mapToGlobal(pos)))
    return tab.menu


def menu_action(menu: QMenu, text: str):
    return next(a for a in menu.actions() if a.text().split("\t")[0].startswith(text))


def test_ctrl_z_in_the_search_box_undoes_typing_then_the_last_change(qtbot, window):
    tab = rep_tab(qtbot, window)
    services = window.ctx.services
    uuid = tab.model.uuid_at(0)
    before = services.get("representatives", uuid)["mobile"]
    services.update("representatives", uuid, {"mobile": "13911112222"})
    window.ctx.notify("representatives")
    qtbot.waitUntil(lambda: window.act_undo.isEnabled(), timeout=TIMEOUT)

    window.tabs.setCurrentWidget(window.ledger_tabs["chambers"])  # a tab switch …
    window.tabs.setCurrentWidget(tab)
    assert QApplication.focusWidget() is tab.view  # … leaves the table in front, not the search box
    press(qtbot, tab.view, Qt.Key_F, Qt.ControlModifier)  # Ctrl+F: to the search box
    box = tab.filters.text
    assert QApplication.focusWidget() is box
    qtbot.keyClicks(box, "13")
    press(qtbot, box, Qt.Key_Z, Qt.ControlModifier)  # first the typing
    assert box.text() == "" and services.get("representatives", uuid)["mobile"] == "13911112222"
    press(qtbot, box, Qt.Key_Z, Qt.ControlModifier)  # then the record change
    qtbot.waitUntil(lambda: services.get("representatives", uuid)["mobile"] == before, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: "已撤销" in window.statusBar().currentMessage(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.act_redo.isEnabled(), timeout=TIMEOUT)
    press(qtbot, box, Qt.Key_Y, Qt.ControlModifier)  # Ctrl+Y in the box: its typing comes back first
    assert box.text() == "13"
    box.clear()
    press(qtbot, box, Qt.Key_Y, Qt.ControlModifier)  # then the record change is done again
    qtbot.waitUntil(lambda: services.get("representatives", uuid)["mobile"] == "13911112222", timeout=TIMEOUT)

    seen = []
    on_next_modal(lambda w: (seen.append(w.windowTitle()), w.reject()))
    press(qtbot, box, Qt.Key_E, Qt.ControlModifier)  # Ctrl+E from the search box: 导出
    assert seen == ["导出到 Excel"]


def test_several_rows_copy_as_cells_excel_pastes(qtbot, window):
    tab = rep_tab(qtbot, window)
    click_row(qtbot, tab, 1)
    click_row(qtbot, tab, 3, Qt.ShiftModifier)
    click_row(qtbot, tab, 6, Qt.ControlModifier)
    assert sorted(i.row() for i in tab.view.selectionModel().selectedRows()) == [1, 2, 3, 6]
    press(qtbot, tab.view, Qt.Key_C, Qt.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    lines = mime.text().split("\r\n")[:-1]
    m = tab.model
    expected = ["\t".join(m.data(m.index(r, c)) or "" for c in range(m.columnCount())) for r in (1, 2, 3, 6)]
    assert lines == expected
    assert lines[0].split("\t")[0] == m.row_record(1)["name"]
    assert "mso-number-format" in mime.html() and m.row_record(1)["name"] in mime.html()  # ID numbers stay text
    assert "已复制 4 行" in window.statusBar().currentMessage()


def test_a_cell_that_looks_like_a_formula_is_pasted_as_text():
    from ufdesk.gui.table_actions import cells_text

    assert cells_text([["=SUM(A1)", "+86 139", "王伟"]]) == "'=SUM(A1)\t'+86 139\t王伟\r\n"


def test_right_click_bulk_edit_sets_status_on_the_selected_in_one_undo(qtbot, window):
    tab = rep_tab(qtbot, window)
    services = window.ctx.services
    click_row(qtbot, tab, 0)
    click_row(qtbot, tab, 2, Qt.ShiftModifier)
    uuids = [tab.model.uuid_at(r) for r in range(3)]
    statuses = [services.get("representatives", u)["status"] for u in uuids]
    menu = right_click(tab, 1)  # inside the selection: it stays
    texts = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert texts == ["修改", "新增代表人士", "复制", "复制（含列标题）", "全选", "批量修改（3条）…", "删除（3条）"]

    def fill(dialog):
        dialog.field.setCurrentIndex(dialog.field.findText("状态"))
        dialog.value.setCurrentIndex(dialog.value.findText("退出"))
        dialog.grab().save(str(window.ctx.services.store.path.parent / "bulk.png"))
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.LeftButton)

    on_next_modal(fill)
    menu_action(menu, "批量修改").trigger()
    qtbot.waitUntil(lambda: {services.get("representatives", u)["status"] for u in uuids} == {"2"}, timeout=TIMEOUT)
    n = 3 - statuses.count("2")
    qtbot.waitUntil(lambda: f"已批量修改 {n} 条代表人士：状态改为“退出”" in window.statusBar().currentMessage(),
                    timeout=TIMEOUT)
    c = tab.model.column_of("status")
    if c >= 0:
        qtbot.waitUntil(lambda: tab.model.data(tab.model.index(0, c)) == "退出", timeout=TIMEOUT)
    assert window.act_undo.text() == f"撤销“批量修改状态（{n}条）”"
    press(qtbot, tab.view, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: [services.get("representatives", u)["status"] for u in uuids] == statuses, timeout=TIMEOUT)


def test_delete_key_asks_then_deletes_the_selected_and_ctrl_z_brings_them_back(qtbot, window):
    tab = rep_tab(qtbot, window)
    services = window.ctx.services
    total = len(tab.model.ids)
    click_row(qtbot, tab, 4)
    click_row(qtbot, tab, 5, Qt.ShiftModifier)
    names = [tab.model.row_record(r)["name"] for r in (4, 5)]
    asked = []

    def no(box):
        asked.append(box.text())
        box.button(box.StandardButton.No).click()

    on_next_modal(no)
    press(qtbot, tab.view, Qt.Key_Delete)
    assert asked and "选中的 2 条代表人士" in asked[0] and names[0] in asked[0]
    assert services.count(Query("representatives")) == total  # 否: nothing happened

    on_next_modal(lambda box: box.button(box.StandardButton.Yes).click())
    press(qtbot, tab.view, Qt.Key_Delete)
    qtbot.waitUntil(lambda: len(tab.model.ids) == total - 2, timeout=TIMEOUT)
    press(qtbot, tab.view, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: len(tab.model.ids) == total, timeout=TIMEOUT)


def test_ctrl_s_saves_a_form_and_esc_closes_it(qtbot, window):
    tab = rep_tab(qtbot, window)
    services = window.ctx.services
    uuid = tab.model.uuid_at(0)
    click_row(qtbot, tab, 0)
    press(qtbot, tab.view, Qt.Key_Return)  # Enter opens the record
    from ufdesk.gui.form import RecordForm

    qtbot.waitUntil(lambda: any(f.isVisible() and f._loaded for f in tab.findChildren(RecordForm)), timeout=TIMEOUT)
    form = next(f for f in tab.findChildren(RecordForm) if f.isVisible())
    phone = form.grid.editors["mobile"]
    phone.selectAll()
    qtbot.keyClicks(phone, "13812345678")
    qtbot.waitUntil(lambda: form.save_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        qtbot.keyClick(phone, Qt.Key_S, Qt.ControlModifier)
    assert services.get("representatives", uuid)["mobile"] == "13812345678"

    press(qtbot, tab.view, Qt.Key_Return)
    qtbot.waitUntil(lambda: any(f.isVisible() and f._loaded for f in tab.findChildren(RecordForm)), timeout=TIMEOUT)
    form = next(f for f in tab.findChildren(RecordForm) if f.isVisible())
    qtbot.keyClick(form.grid.editors["name"], Qt.Key_Escape)  # nothing changed: Esc just closes
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=TIMEOUT)


def test_filter_combo_keeps_its_caption(qtbot, window):
    tab = rep_tab(qtbot, window)
    combo = tab.filters.combos["gender"]
    assert combo.shown_text() == "性别：全部"
    combo.setFocus()
    with qtbot.waitSignal(tab.model.loaded, timeout=TIMEOUT):
        qtbot.keyClick(combo, Qt.Key_Down)  # the next choice, as from the keyboard
    assert combo.shown_text() == f"性别：{combo.currentText()}" and combo.currentText() in ("男", "女", "未知的性别")
    combo.grab().save(str(window.ctx.services.store.path.parent / "combo.png"))


def _arrow_points_up(image, x0: int, x1: int) -> bool:
    """Whether the dark triangle drawn between x0 and x1 is ▲ (widest at its bottom)."""
    rows = []
    for y in range(image.height()):
        dark = [x for x in range(x0, x1) if image.pixelColor(x, y).lightness() < 140]
        if dark:
            rows.append(max(dark) - min(dark))
    assert len(rows) >= 2, "no sort arrow drawn"
    return rows[-1] > rows[0]


def test_sort_arrows_point_as_excel(qtbot, window):
    tab = rep_tab(qtbot, window)
    header = tab.view.horizontalHeader()
    c = tab.model.column_of("birth_date")
    x = header.sectionViewportPosition(c) + header.sectionSize(c) // 2
    with qtbot.waitSignal(tab.model.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
    assert not tab.model.query.desc  # ascending, oldest first …
    left = header.sectionViewportPosition(c)
    x0 = left + header.sectionSize(c) // 2 + header.fontMetrics().horizontalAdvance("出生年月") // 2 + 2
    image = header.grab().toImage()
    assert _arrow_points_up(image, x0, left + header.sectionSize(c))  # … drawn ▲ as Excel does
    with qtbot.waitSignal(tab.model.loaded, timeout=TIMEOUT):
        qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))
    assert tab.model.query.desc
    assert not _arrow_points_up(header.grab().toImage(), x0, left + header.sectionSize(c))


def test_the_wheel_scrolls_the_home_page_over_a_chart(qtbot, window):
    home = window.home
    window.tabs.setCurrentWidget(home)
    window.resize(1280, 680)
    import pyqtgraph as pg

    qtbot.waitUntil(lambda: any(c.isVisible() for c in home.findChildren(pg.PlotWidget)), timeout=60000)
    bar = home.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=TIMEOUT)
    chart = next(c for c in home.findChildren(pg.PlotWidget) if c.isVisible())
    home.ensureWidgetVisible(chart)
    start = bar.value()
    down = start < bar.maximum()
    target = chart.viewport()
    pos = QPointF(target.width() / 2, target.height() / 2)
    event = QWheelEvent(pos, target.mapToGlobal(pos), QPoint(0, 0), QPoint(0, -120 if down else 120), Qt.NoButton,
                        Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(target, event)
    assert (bar.value() > start) if down else (bar.value() < start)


def test_ctrl_plus_and_minus_zoom_the_text_and_remember_it(qtbot, window, gui_settings):
    app = QApplication.instance()
    size = app.font().pointSize()
    tab = rep_tab(qtbot, window)
    try:
        press(qtbot, tab.view, Qt.Key_Plus, Qt.ControlModifier)
        assert app.font().pointSize() == size + 1 and gui_settings.TEXT_SIZE.get() == size + 1
        assert tab.view.font().pointSize() == size + 1
        press(qtbot, tab.view, Qt.Key_Minus, Qt.ControlModifier)
        press(qtbot, tab.view, Qt.Key_Minus, Qt.ControlModifier)
        assert app.font().pointSize() == size - 1 and gui_settings.TEXT_SIZE.get() == size - 1
        assert "文字大小" in window.statusBar().currentMessage()
    finally:
        press(qtbot, tab.view, Qt.Key_0, Qt.ControlModifier)
    assert app.font().pointSize() == size
