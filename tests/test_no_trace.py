"""Tests leave no trace: each has its own HOME, settings and user-data folder (tests/conftest.py),
so the developer's own settings, log and data are never written, and two runs at once do not meet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_each_test_has_its_own_home_and_the_program_writes_there(isolated_home, tmp_path):
    for name in ("HOME", "UFDESK_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "APPDATA"):
        assert Path(os.environ[name]).is_relative_to(isolated_home), name
    db = tmp_path / "d.db"
    r = subprocess.run([sys.executable, "-m", "ufdesk", "demo", "--db", str(db), "--size", "10"], capture_output=True)
    assert r.returncode == 0, r.stderr
    log = Path(os.environ["UFDESK_HOME"]) / "logs" / "ufdesk.log"
    assert "启动 ufdesk" in log.read_text(encoding="utf-8")  # the program's log went to this test's folder


def test_the_next_test_starts_from_an_empty_home(isolated_home):
    assert not (Path(os.environ["UFDESK_HOME"]) / "logs").exists()
    assert Path(os.environ["HOME"]) == isolated_home
