"""Starting up: the first-run dialog sets up a county; a start imports no heavy library; the
bundled font renders Chinese."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog


def test_first_run_sets_up_a_county(qtbot, tmp_path, gui_settings, worker, monkeypatch):
    from ufdesk.gui.setup_dialog import SetupDialog

    monkeypatch.setenv("UFDESK_HOME", str(tmp_path / "home"))
    asked = []
    monkeypatch.setattr("ufdesk.gui.security.create_admin",
                        lambda ctx, parent: asked.append(ctx.services.store.county_name) or False)
    dialog = SetupDialog(worker)
    qtbot.addWidget(dialog)
    dialog.county.setText("合江县")
    qtbot.keyClicks(dialog.code, "510522")
    dialog.places.setPlainText("510522100 合江镇\n510522101 白沙镇\n510522100001 东街社区")
    dialog.township_pc.setChecked(True)
    dialog.township.setCurrentIndex(dialog.township.findData("510522101"))
    dialog.path.setText(str(tmp_path / "hejiang.db"))
    qtbot.mouseClick(dialog.create_button, Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted and dialog.chosen == str(tmp_path / "hejiang.db")
    assert asked == ["合江县"]  # the set-up's last step offers to create the administrator

    from ufdesk.gui.main import open_window

    window = open_window(dialog.chosen, worker)
    qtbot.addWidget(window)
    assert "合江县白沙镇" in window.windowTitle()
    assert window.ctx.services.store.township == "510522101"
    assert [n for _c, n in window.ctx.services.store.townships()] == ["合江镇", "白沙镇"]


def test_first_run_says_what_is_wrong(qtbot, tmp_path, worker):
    from ufdesk.gui.setup_dialog import SetupDialog

    dialog = SetupDialog(worker)
    qtbot.addWidget(dialog)
    dialog.county.setText("合江县")
    dialog.code.setText("510522")
    dialog.places.setPlainText("510522100 合江镇\n51052210 白沙镇")
    dialog.path.setText(str(tmp_path / "x.db"))
    dialog.create_button.click()
    assert "第2行" in dialog.message.text() and not Path(tmp_path / "x.db").exists()
    dialog.places.setPlainText("510599100 合江镇")
    dialog.create_button.click()
    assert "不属于县代码 510522" in dialog.message.text()


def test_start_imports_no_heavy_library(demo_db, tmp_path):
    """The window comes up without pyqtgraph, openpyxl or reportlab: they load when needed."""
    code = textwrap.dedent(f"""
        import os, sys
        from ufdesk.gui import settings as S
        S.use_file({str(tmp_path / "s.ini")!r})
        S.LAST_TAB.set(1)
        from ufdesk.gui.main import make_app, open_window
        from ufdesk.gui.tasks import Worker
        app = make_app()
        w = open_window({demo_db!r}, Worker())
        app.processEvents()
        heavy = [m for m in ("pyqtgraph", "openpyxl", "reportlab", "numpy", "docx") if m in sys.modules]
        print("HEAVY", heavy, w.tabs.currentIndex())
        sys.stdout.flush()
        os._exit(0)
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", UFDESK_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert "HEAVY [] 1" in out.stdout, out.stdout + out.stderr


def test_bundled_font_renders_chinese(qtbot):
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication

    from ufdesk.gui.main import FONT_FAMILY, apply_look

    app = QApplication.instance()
    apply_look(app)
    assert app.font().family() == FONT_FAMILY
    metrics = QFontMetrics(app.font())
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "统战工作台账代表人士宗教场所")


def test_closing_the_demo_job_removes_the_unfinished_file(tmp_path):
    from ufdesk.app import demo_job

    path = str(tmp_path / "demo.db")
    job = demo_job(path, 400)
    done, total, message = next(job)
    assert total == 100 and message
    job.close()  # what 取消 does
    assert not Path(path).exists()


def test_work_asked_for_after_the_window_closed_is_dropped(qtbot):
    """A timer that fires after the program began closing (the worker is shut down) must not end
    in 'cannot schedule new futures after shutdown' — CI once failed on exactly that."""
    from ufdesk.gui.tasks import Worker

    worker = Worker()
    ran = []
    worker.submit(ran.append, 1)
    qtbot.waitUntil(lambda: worker.busy == 0, timeout=5000)
    worker.shutdown()
    worker.submit(ran.append, 2)  # no exception
    assert ran == [1] and worker.busy == 0
