"""A 查阅 (viewer) user can open 冲突处理 but not resolve a conflict or merge duplicates: the
services refuse it — in the GUI driven with qtbot, and in the CLI run as a subprocess — and
nothing in the database changes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

PW = "correct-horse-1"
T1, T2 = "510599100", "510599101"


@pytest.fixture
def county_with_conflicts(tmp_path, monkeypatch):
    """A county holding one open conflict and one pair of duplicates, with a viewer 老王."""
    from package_helpers import make, rep, send

    from ufdesk.services import users as U

    monkeypatch.setattr(U, "SCRYPT_N", 2**10)
    county, t1, t2 = make(tmp_path, "county"), make(tmp_path, "t1", T1), make(tmp_path, "t2", T2)
    uuid = rep(t1, "王伟", employer="镇政府")
    send(t1, county)
    county.update("representatives", uuid, {"employer": "县政协"})
    t1.update("representatives", uuid, {"employer": "镇商会"})
    idn = "510522198001011230"
    rep(t1, "张敏", id_number=idn, employer="甲厂")
    rep(t2, "张敏", id_number=idn, position="村主任")
    send(t1, county)
    send(t2, county)
    U.add_user(county.store, "张主任", PW, "admin")
    U.add_user(county.store, "老王", PW, "viewer", by="张主任")
    t1.store.close()
    t2.store.close()
    yield county, uuid
    county.store.close()


def state(svc) -> tuple:
    from ufdesk.exchange import conflicts as C

    return ([(c["id"], c["resolved"]) for c in C.list_conflicts(svc, open_only=False)],
            [(d["id"], d["resolved"]) for d in C.list_duplicates(svc, open_only=False)],
            svc.count(__import__("ufdesk.services", fromlist=["Query"]).Query("representatives")))


def test_a_viewer_driving_the_conflicts_dialog_is_refused_and_nothing_changes(qtbot, monkeypatch,
                                                                              county_with_conflicts):
    from ufdesk.gui import messages
    from ufdesk.gui.conflicts_dialog import ConflictsDialog
    from ufdesk.gui.context import AppContext
    from ufdesk.services import Services

    county, uuid = county_with_conflicts
    viewer = Services(county.store, user="老王", role="viewer")
    before = state(county)
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, exc: shown.append(str(exc)))
    ctx = AppContext(viewer)
    dlg = ConflictsDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.records.count() == 1, timeout=10000)  # a viewer may look
    dlg.fields.selectRow(0)
    qtbot.mouseClick(dlg.theirs_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10000)
    assert "没有权限" in shown[0] and "老王" in shown[0]
    dlg.tabs.setCurrentIndex(1)
    assert dlg.pairs.count() == 1 and dlg.merge_button.isVisible() and dlg.merge_button.isEnabled()
    qtbot.mouseClick(dlg.merge_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10000)
    qtbot.mouseClick(dlg.distinct_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(shown) == 3, timeout=10000)
    assert all("没有权限" in s for s in shown)
    qtbot.waitUntil(lambda: ctx.worker.busy == 0, timeout=10000)
    assert state(county) == before
    assert county.get("representatives", uuid)["employer"] == "县政协"
    assert dlg.records.count() == 1, "the conflict is still listed"
    ctx.worker.shutdown()


def test_a_viewer_is_refused_by_the_command_line_too(tmp_path, county_with_conflicts):
    from ufdesk.exchange import conflicts as C

    county, uuid = county_with_conflicts
    [c] = C.list_conflicts(county)
    before = state(county)
    env = {k: v for k, v in os.environ.items() if not k.startswith("UFDESK_")}
    env.update(HOME=str(tmp_path / "home"), UFDESK_HOME=str(tmp_path / "home"), UFDESK_USER="老王",
               UFDESK_PASSWORD=PW)
    r = subprocess.run([sys.executable, "-m", "ufdesk", "conflicts", "resolve", "--db", str(county.store.path),
                        str(c["id"]), "--take", "theirs"], capture_output=True, text=True, env=env, encoding="utf-8")
    assert r.returncode == 1 and "没有权限" in r.stderr and "Traceback" not in r.stderr, r.stderr
    county.store.invalidate()
    assert state(county) == before
    assert county.get("representatives", uuid)["employer"] == "县政协"
