"""The 考核评价 page: a township's figures, and the records behind one of them through a click."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ufdesk.services import evaluation as E


def test_clicking_a_figure_opens_the_records_behind_it(window, qtbot, tmp_path):
    page = window.evaluation
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.result is not None and page.table.rowCount() > 0, timeout=15000)
    res = E.evaluate(window.ctx.services, page.year.value())
    assert page.table.rowCount() == len(res.townships) == 20
    keys = [i.key for i in page.result.rubric]
    col = 2 + keys.index("liaison")
    # the first township (by rank) that lacks a 联络员 somewhere
    row = next(r for r, t in enumerate(page.rows) if t["indicators"][keys.index("liaison")]["points"] <
               t["indicators"][keys.index("liaison")]["max"])
    town = page.rows[row]
    ind = town["indicators"][keys.index("liaison")]
    assert page.table.item(row, col).text() == f"{ind['points']:g}（{ind['numerator']}/{ind['denominator']}）"
    assert page.table.item(row, col).font().bold()
    rect = page.table.visualRect(page.table.model().index(row, col))
    qtbot.mouseClick(page.table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: getattr(page, "dialog", None) is not None and page.dialog.isVisible(), timeout=5000)
    lines = [page.dialog.items.item(i).text() for i in range(page.dialog.items.count())]
    assert len(lines) == ind["denominator"] - ind["numerator"] and all(x.endswith("（缺联络员）") for x in lines)
    page.grab().save(str(tmp_path / "evaluation.png"))
    page.dialog.close()
    # the late tasks of a township open in the 重点任务 tab
    tcol = 2 + keys.index("tasks")
    trow = next((r for r, t in enumerate(page.rows) if t["indicators"][keys.index("tasks")]["points"] <
                 t["indicators"][keys.index("tasks")]["max"]), None)
    assert trow is not None  # the demo has townships with late tasks
    rect = page.table.visualRect(page.table.model().index(trow, tcol))
    qtbot.mouseClick(page.table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.dialog.isVisible(), timeout=5000)
    qtbot.mouseClick(page.dialog.show_button, Qt.LeftButton)
    tab = window.ledger_tabs["tasks"]
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is tab and len(tab.model.ids) > 0, timeout=10000)
    t = page.rows[trow]["indicators"][keys.index("tasks")]
    assert len(tab.model.ids) == t["denominator"] - t["numerator"]
