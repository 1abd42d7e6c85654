"""On a township's PC the 重点任务 form greys out what the county sets (content, deadline,
owner) and leaves 状态, 完成日期 and 进展 to fill; 新增 and 删除 are the county's."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from package_helpers import T1, make, send  # noqa: E402

TIMEOUT = 20000


def test_township_form_greys_out_what_the_county_sets(qtbot, tmp_path, gui_settings, worker):
    from PySide6.QtWidgets import QApplication

    from ufdesk.gui.main import apply_look, open_window

    county, town = make(tmp_path, "county"), make(tmp_path, "town", township=T1)
    uuid = county.create("tasks", {"seq": "1", "content": "城关镇建成统战之家", "deadline": dt.date(2026, 6, 30),
                                   "status": "2", "township": T1, "unit": T1, "leader": "王部长"}).uuid
    send(county, town)
    path = town.store.path
    for svc in (county, town):
        svc.store.close()

    apply_look(QApplication.instance())
    window = open_window(str(path), worker)
    qtbot.addWidget(window)
    tab = window.ledger_tabs["tasks"]
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: len(tab.model.ids) == 1 and tab.model.row_record(0) is not None, timeout=TIMEOUT)
    assert not tab.new_button.isEnabled() and "乡镇只填报" in tab.new_button.toolTip()
    assert tab.new_record() is None  # Ctrl+N too
    form = tab.open_record(0)
    qtbot.waitUntil(lambda: form._loaded, timeout=TIMEOUT)
    ed = form.grid.editors
    assert {n for n, e in ed.items() if e.isEnabled()} == {"status", "done_on"}  # the rest is greyed out
    for name in ("content", "deadline", "leader", "unit", "owner", "standard", "category", "seq"):
        assert not ed[name].isEnabled(), name
    assert "由县委统战部下达" in ed["deadline"].toolTip()
    for name in ("status", "done_on"):
        assert ed[name].isEnabled(), name
    progress = form.subtables["task_progress"]
    assert progress.add_button.isEnabled()
    assert "乡镇只填报" in form.summary.text()
    form.grab().save(str(tmp_path / "township_task_form.png"))

    # what is left open, the clerk fills and saves
    status = ed["status"]
    status.setCurrentIndex(status.findText("已完成"))
    qtbot.keyClicks(ed["done_on"].line, "2026.6.20")
    qtbot.waitUntil(lambda: form.save_button.isEnabled(), timeout=TIMEOUT)
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        qtbot.mouseClick(form.save_button, Qt.LeftButton)
    row = window.ctx.services.get("tasks", uuid)
    assert (row["status"], row["done_on"], row["deadline"]) == ("3", dt.date(2026, 6, 20), dt.date(2026, 6, 30))
