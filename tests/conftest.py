"""Shared fixtures. GUI tests run offscreen: no display is needed anywhere."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# No test touches the real HOME, settings or a fixed /tmp path: this run gets its own folder (removed
# at the end; two runs at once do not meet), and each test its own HOME, settings and user data
# under its tmp_path (see isolated_home). Module-scoped fixtures, built before any test's own
# folder exists, use the run's.
RUN_DIR = tempfile.mkdtemp(prefix="ufdesk-run-")
atexit.register(shutil.rmtree, RUN_DIR, True)
HOME_VARS = ("HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "UFDESK_HOME")


def _homes(base: str) -> dict[str, str]:
    return {"HOME": base, "USERPROFILE": base, "APPDATA": os.path.join(base, "AppData", "Roaming"),
            "LOCALAPPDATA": os.path.join(base, "AppData", "Local"), "XDG_CONFIG_HOME": os.path.join(base, ".config"),
            "XDG_DATA_HOME": os.path.join(base, ".local", "share"), "UFDESK_HOME": os.path.join(base, "ufdesk")}


os.environ.setdefault("XDG_CACHE_HOME", os.path.join(RUN_DIR, "cache"))  # fontconfig's, shared by the run
os.environ.update(_homes(os.path.join(RUN_DIR, "home")))


@pytest.fixture(autouse=True, scope="session")
def cheap_work_factors():
    """The scrypt work factors of package/backup sealing and of password hashes are module
    constants (no environment variable can weaken a real file); the test suite lowers them
    here, in-process only — a command run as a subprocess pays the real cost."""
    from ufdesk.exchange import pkgcrypt
    from ufdesk.services import users

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pkgcrypt, "LOG_N", pkgcrypt.MIN_LOG_N)
        mp.setattr(users, "SCRYPT_N", 2**10)
        yield


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """This test's own HOME, %APPDATA%, XDG folders and ufdesk user-data folder (logs, settings,
    backups); subprocesses inherit them."""
    base = tmp_path_factory.mktemp("home")
    for name, value in _homes(str(base)).items():
        monkeypatch.setenv(name, value)
    return base

COUNTY = ("510599", "测试县")
TOWNSHIPS = [("510599100", "城关镇"), ("510599101", "河东乡"), ("510599102", "北城街道")]
VILLAGES = [("510599100001", "东街社区"), ("510599100002", "桂花村"), ("510599101001", "石桥村")]


@pytest.fixture
def store(tmp_path):
    """A fresh, empty county database with three townships."""
    from ufdesk.store import Store

    s = Store.create(tmp_path / "county.db", county_code=COUNTY[0], county_name=COUNTY[1],
                     townships=TOWNSHIPS, villages=VILLAGES)
    yield s
    s.close()


@pytest.fixture
def services(store):
    from ufdesk.services import Services

    return Services(store, user="测试员")
