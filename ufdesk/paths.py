"""Where things live: resources shipped with the program, and the user's data folder.

Works from a source checkout, an installed package and a PyInstaller bundle alike. No Qt.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return PACKAGE.parent


ROOT = _root()


def _tree(name: str) -> Path:
    """``data/`` or ``resources/``: beside the package in a source checkout and the bundle; inside
    it (``ufdesk/data``) when installed from a wheel — setup.py maps the folders there."""
    if not getattr(sys, "_MEIPASS", None) and (PACKAGE / name).is_dir():
        return PACKAGE / name
    return ROOT / name


DATA = _tree("data")
RESOURCES = _tree("resources")


def resource(*parts: str) -> Path:
    """A file under ``resources/`` (fonts, icons, style sheet)."""
    return RESOURCES.joinpath(*parts)


def data_file(*parts: str) -> Path:
    """A file under ``data/`` (code tables, demo county, templates)."""
    return DATA.joinpath(*parts)


def migrations_dir() -> Path:
    """Alembic's script folder (env.py, versions/). In a PyInstaller bundle the modules live in
    an archive, so the folder is the copy installer.spec puts under sys._MEIPASS."""
    if getattr(sys, "_MEIPASS", None):
        return ROOT / "ufdesk" / "store" / "migrations"
    return Path(__file__).resolve().parent / "store" / "migrations"


def user_data_dir() -> Path:
    """The per-user folder for the database and backups — never the program folder."""
    override = os.environ.get("UFDESK_HOME")
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "ufdesk"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "ufdesk"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "ufdesk"
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_db() -> Path:
    return user_data_dir() / "ufdesk.db"


def backups_dir() -> Path:
    d = user_data_dir() / "backups"
    d.mkdir(parents=True, exist_ok=True)
    return d


# -- private files ------------------------------------------------------------------------------
# Working copies of sensitive data (a decrypted backup, a package copied off the stick, the
# sheets a spreadsheet library spills to disk) live in ``<user data>/tmp``, a folder only this
# user may enter (0700 on POSIX), never in the shared system temp folder. Each process works in
# a folder of its own, ``p<pid>-…``, removed at exit; one left by a process that was killed is
# swept at the next start. Files holding records are created 0600.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def _posix() -> bool:
    return os.name == "posix"


def private_dir() -> Path:
    """``<user data>/tmp``, made private (0700) if it is not."""
    d = user_data_dir() / "tmp"
    d.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if _posix() and (d.stat().st_mode & 0o777) != PRIVATE_DIR_MODE:
        os.chmod(d, PRIVATE_DIR_MODE)
    return d


def private_file(prefix: str = "work-", suffix: str = "") -> Path:
    """A new empty file (0600) in the private folder, named for this process."""
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f"p{os.getpid()}-{prefix}", suffix=suffix, dir=private_dir())
    os.close(fd)
    return Path(name)


def create_private(path: str | os.PathLike) -> Path:
    """Make ``path`` an empty file only its owner may read (0600) — before anything sensitive is
    written into it, so there is no moment when others may read it. An existing file keeps its
    contents and is made 0600."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), PRIVATE_FILE_MODE)
    os.close(fd)
    make_private(path)
    return path


def write_private(path: str | os.PathLike, data: bytes) -> Path:
    """Write an export (a report, a roster, a saved attachment) that only its owner may read:
    the file is 0600 before its first byte, as the database and backups are."""
    path = create_private(path)
    with open(path, "wb") as f:
        f.write(data)
    return path


def make_private(path: str | os.PathLike) -> None:
    """0600 on POSIX (Windows keeps the user folder's own access rules)."""
    if _posix():
        try:
            os.chmod(path, PRIVATE_FILE_MODE)
        except OSError:  # a FAT stick has no owner bits
            pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if _posix():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    import ctypes

    handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    code = ctypes.c_ulong()
    ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
    ctypes.windll.kernel32.CloseHandle(handle)
    return code.value == 259  # STILL_ACTIVE


def sweep_private() -> list[Path]:
    """Remove what processes that no longer run left in the private folder; returns what went."""
    import shutil

    gone = []
    for entry in private_dir().iterdir():
        head = entry.name.split("-", 1)[0]
        if not (head.startswith("p") and head[1:].isdigit()) or _alive(int(head[1:])):
            continue
        try:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        except OSError:  # still held open (Windows): the next start tries again
            continue
        gone.append(entry)
    return gone


def use_private_temp() -> Path:
    """At start-up: sweep leftovers, then send this process's temporary files (ours and every
    library's) to a folder of its own inside the private folder, removed at exit."""
    import atexit
    import shutil
    import tempfile

    sweep_private()
    own = Path(tempfile.mkdtemp(prefix=f"p{os.getpid()}-", dir=private_dir()))
    tempfile.tempdir = str(own)
    atexit.register(shutil.rmtree, own, ignore_errors=True)
    return own
