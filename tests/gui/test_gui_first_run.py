"""A first run that leads to real work: 打开演示县 builds a county with its people in its own file,
the window says it is the demo, the 文件 menu creates the real county, opens, remembers, saves a
backup; a file that is not a database leaves the current one open and says what it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

TIMEOUT = 60000


def answer_modal(qtbot, seen: list, action=None):
    """When the next modal window comes up: note its text, then act on it (default: close it)."""

    def check():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(50, check)
            return
        seen.append(box.text() if hasattr(box, "text") else box.windowTitle())
        (action or (lambda b: b.close()))(box)

    QTimer.singleShot(50, check)


@pytest.fixture
def own_window(qtbot, demo_db, gui_settings, worker):
    """The demo county's window, not handed to qtbot: switching databases deletes it."""
    import shiboken6

    from ufdesk.gui.main import open_window

    win = open_window(demo_db, worker)
    yield win
    if shiboken6.isValid(win):
        win.close()
    qtbot.waitUntil(lambda: worker.busy == 0, timeout=TIMEOUT)


def people_shown(qtbot, window) -> int:
    tab = window.ledger_tabs["representatives"]
    window.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab._started and not tab.model._loading and tab.count.text() != "", timeout=TIMEOUT)
    return len(tab.model.ids)


def test_the_demo_button_builds_a_county_with_its_people(qtbot, gui_settings, worker, monkeypatch, isolated_home):
    from ufdesk.gui import setup_dialog
    from ufdesk.gui.main import open_window
    from ufdesk.paths import default_db, user_data_dir

    monkeypatch.setattr(setup_dialog, "DEMO_SIZE", 60)  # small, but through the button's own default
    dialog = setup_dialog.SetupDialog(worker)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.demo_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.chosen is not None, timeout=TIMEOUT)
    assert dialog.result() == QDialog.Accepted
    assert Path(dialog.chosen) == user_data_dir() / "demo.db" and not default_db().exists()

    window = open_window(dialog.chosen, worker)
    qtbot.addWidget(window)
    assert people_shown(qtbot, window) == 60
    assert window.tabs.currentWidget().count.text() == "共 60 人"
    assert "演示" in window.windowTitle() and "青岚湖县" in window.windowTitle()
    assert "演示" in window.status_demo.text() and window.status_demo.isVisible()
    window.grab().save(str(isolated_home / "demo-window.png"))
    window.close()


def test_an_empty_demo_file_is_built_again_not_reopened(qtbot, gui_settings, worker, monkeypatch):
    from ufdesk.gui import setup_dialog
    from ufdesk.gui.main import open_window
    from ufdesk.paths import user_data_dir
    from ufdesk.services.demo import build_demo

    build_demo(user_data_dir() / "demo.db", size=1).close()  # what the old bug left: a county, nobody in it
    from ufdesk.app import open_services
    from ufdesk.services import Query

    s = open_services(user_data_dir() / "demo.db")
    for uuid in [r["uuid"] for r in s.page(Query("representatives"), 0, 10, ["uuid"])]:
        s.delete("representatives", uuid)
    s.close()
    monkeypatch.setattr(setup_dialog, "DEMO_SIZE", 40)
    for _ in range(2):  # the second click opens the county built by the first
        dialog = setup_dialog.SetupDialog(worker)
        qtbot.addWidget(dialog)
        qtbot.mouseClick(dialog.demo_button, Qt.LeftButton)
        qtbot.waitUntil(lambda dialog=dialog: dialog.chosen is not None, timeout=TIMEOUT)
        window = open_window(dialog.chosen, worker)
        qtbot.addWidget(window)
        assert people_shown(qtbot, window) == 40
        window.close()
        qtbot.waitUntil(lambda: worker.busy == 0, timeout=TIMEOUT)


def test_a_real_county_is_not_marked_demo(qtbot, window, tmp_path, worker):
    from ufdesk.app import create_database
    from ufdesk.gui.main import open_window

    path = create_database(str(tmp_path / "real.db"), county_code="510522", county_name="合江县",
                           townships=[("510522100", "合江镇")])
    real = open_window(path, worker)
    qtbot.addWidget(real)
    assert "演示" not in real.windowTitle() and not hasattr(real, "status_demo")
    assert "演示" in window.windowTitle()  # the demo fixture
    real.close()


def test_start_py_opens_the_demo_in_its_own_file_and_then_the_real_database(tmp_path, monkeypatch, gui_settings):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import start

    from ufdesk.paths import default_db, user_data_dir

    ran = []
    monkeypatch.setattr(start, "ensure_venv", lambda extra="": None)
    monkeypatch.setattr(start, "PY", Path(sys.executable))
    monkeypatch.setattr(start, "subprocess", SimpleNamespace(  # the GUI is not started; the demo is small
        check_output=subprocess.check_output, call=lambda cmd, env=None: ran.append(cmd) or 0,
        check_call=lambda cmd, env=None: subprocess.check_call([*cmd, "--size", "30"], env=env)))
    monkeypatch.setattr(sys, "argv", ["start.py"])
    assert start.main() == 0
    demo = user_data_dir() / "demo.db"
    assert ran[-1][-3:] == ["gui", "--db", str(demo)] and demo.is_file() and not default_db().exists()
    stamp = demo.stat().st_mtime_ns
    assert start.main() == 0 and demo.stat().st_mtime_ns == stamp  # built once, then opened

    from ufdesk.app import create_database

    create_database(str(default_db()), county_code="510522", county_name="合江县", townships=[("510522100", "合江镇")])
    assert start.main() == 0 and ran[-1][-1] == str(default_db())


def test_file_menu_creates_the_real_county_and_remembers_it(qtbot, own_window, tmp_path, monkeypatch, worker):
    window = own_window
    from ufdesk.gui.main import Session
    from ufdesk.paths import user_data_dir

    monkeypatch.setattr("ufdesk.gui.security.create_admin", lambda ctx, parent: False)
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert texts[:4] == ["新建本县/本乡镇数据库…", "打开…", "最近打开", "另存备份…"], texts
    session = Session(worker)
    session._attach(window)
    target = tmp_path / "hejiang.db"

    def fill(dialog):
        assert dialog.windowTitle() == "新建本县/本乡镇数据库" and not dialog.demo_button.isVisible()
        dialog.county.setText("合江县")
        qtbot.keyClicks(dialog.code, "510522")
        dialog.places.setPlainText("510522100 合江镇\n510522101 白沙镇")
        dialog.path.setText(str(target))
        qtbot.mouseClick(dialog.create_button, Qt.LeftButton)

    seen = []
    answer_modal(qtbot, seen, fill)
    window.act_new_db.trigger()
    qtbot.waitUntil(lambda: session.window is not window, timeout=TIMEOUT)
    new = session.window
    assert "合江县" in new.windowTitle() and "演示" not in new.windowTitle() and target.is_file()

    recent = new.recent_menu
    recent.aboutToShow.emit()
    names = [a.text() for a in recent.actions()]
    assert any("demo.db" in n for n in names), names  # the demo it came from is one click away

    asked = {}

    def fake_open(parent, caption, folder, filters):
        asked["folder"] = folder
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    new.act_open.trigger()
    assert Path(asked["folder"]) == user_data_dir()
    new.close()


def test_a_workbook_chosen_as_database_leaves_the_current_one_open(qtbot, own_window, tmp_path, monkeypatch, worker):
    window = own_window
    from xlsx_office import convert, write_openpyxl

    from ufdesk.gui.main import Session

    (tmp_path / "src").mkdir()
    book = convert(write_openpyxl(tmp_path / "src" / "名单.xlsx"), "xlsx", tmp_path / "lo")
    session = Session(worker)
    session._attach(window)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(book), ""))
    seen = []
    answer_modal(qtbot, seen)
    window.act_open.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT)
    assert seen == ["“名单.xlsx”是Excel 表格（其中的名单请用“导入…”放进台账），不是统战工作台账的数据库；当前数据库仍然打开着。"]
    assert session.window is window and window.isVisible()
    assert QApplication.activeModalWidget() is None  # no first-run dialog, no restore offer
    assert people_shown(qtbot, window) > 0  # still working on the demo county


def test_other_files_are_named_for_what_they_are(tmp_path):
    import sqlite3

    from ufdesk.app import not_a_database
    from ufdesk.services.demo import build_demo

    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7\n...")
    (tmp_path / "名单.csv").write_text("姓名,性别\n张三,男\n", encoding="gbk")
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("create table t (x)")
    other.commit()
    other.close()
    build_demo(tmp_path / "ours.db", size=3).close()
    (tmp_path / "broken.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    assert "PDF 文件" in not_a_database(tmp_path / "a.pdf")
    assert "CSV 表格" in not_a_database(tmp_path / "名单.csv")
    assert "SQLite 数据库，但不是统战工作台账的数据库" in not_a_database(tmp_path / "other.db")
    assert not_a_database(tmp_path / "ours.db") is None
    assert not_a_database(tmp_path / "broken.db") is None  # damaged: the restore offer stays
