"""README setup: start.py does not reinstall what test.py installed, says where ``ufdesk`` is, and
with no display the GUI says so in Chinese instead of Qt aborting (exit 134)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import start  # noqa: E402


def test_the_test_install_serves_start_py_until_pyproject_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(start, "VENV", tmp_path / ".venv")
    (tmp_path / ".venv").mkdir()
    assert not start._installed("") and not start._installed("[test]")
    (tmp_path / ".venv" / ".installed[test]").touch()  # what scripts/test.py leaves
    assert start._installed("") and start._installed("[test]")
    old = time.time() - 10 ** 6  # an install older than pyproject.toml: do it again
    os.utime(tmp_path / ".venv" / ".installed[test]", (old, old))
    assert not start._installed("")
    assert start.UFDESK.parent == start.BIN and start.UFDESK.name.startswith("ufdesk")


def test_no_display_is_one_chinese_sentence(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = subprocess.run([sys.executable, "-m", "ufdesk", "--db", str(tmp_path / "x.db")], capture_output=True,
                       env=env, timeout=60, stdin=subprocess.DEVNULL)
    stderr = r.stderr.decode()
    assert r.returncode == 1 and stderr.startswith("错误：没有图形显示") and "qt." not in stderr.lower(), stderr
    assert len(stderr.strip().splitlines()) == 1


def test_the_version_shown_is_the_project_version():
    """``ufdesk --version`` (and the log, the About box, packages) says what pyproject.toml says:
    the version is written in two places, ufdesk/__init__.py keeping start-up free of
    importlib.metadata."""
    import tomllib

    want = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    r = subprocess.run([sys.executable, "-m", "ufdesk", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.strip() == f"ufdesk {want}", r.stdout + r.stderr
