"""GUI fixtures: a small demo county built once per session, copied for each test so that
tests may change it; the window opened on it offscreen with settings in a temporary file."""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEMO_SIZE = 300


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory):
    from ufdesk.services.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, size=DEMO_SIZE).close()
    return path


@pytest.fixture
def demo_db(demo_master, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_master, path)
    return str(path)


@pytest.fixture
def gui_settings(tmp_path):
    from ufdesk.gui import settings as S

    S.use_file(str(tmp_path / "settings.ini"))
    yield S
    S._override = None


@pytest.fixture
def worker():
    from ufdesk.gui.tasks import Worker

    w = Worker()
    yield w
    w.shutdown()


@pytest.fixture
def window(qtbot, demo_db, gui_settings, worker):
    from PySide6.QtWidgets import QApplication

    from ufdesk.gui.main import apply_look, open_window

    apply_look(QApplication.instance())
    win = open_window(demo_db, worker)
    assert win, "the demo county should open"
    qtbot.addWidget(win)
    win.resize(1280, 800)
    yield win
    import shiboken6

    if shiboken6.isValid(win):  # pytest-qt may have closed it already
        win.close()
    qtbot.waitUntil(lambda: worker.busy == 0, timeout=10000)


@pytest.fixture
def ctx(demo_db, worker):
    """The context of the demo county without a window (for the table model tests)."""
    from ufdesk.app import open_services
    from ufdesk.gui.context import AppContext

    services = open_services(demo_db)
    yield AppContext(services, worker)
    services.store.close()
