"""Start-up wiring: the one place that builds the store, services, settings and window.

The GUI never imports the store: it opens and creates databases through these functions.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from collections.abc import Generator

from .domain.errors import UfError


def no_display() -> bool:
    """Linux without X11 or Wayland (an SSH session, a server): Qt would abort in English."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_gui(db: str | None = None) -> int:
    if no_display():
        raise UfError("没有图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开图形界面：请在桌面上运行，"
                      "或使用命令行（ufdesk --help 列出全部命令）。")
    try:
        from .gui.main import run
    except ImportError as exc:  # the GUI package is not part of this build
        raise UfError(f"图形界面不可用：{exc}") from exc
    return run(db)


def open_services(db: str | os.PathLike, user: str | None = None, role: str | None = None):
    """Open a database for the GUI and warm the caches the window reads (codes, places), so
    that the UI thread never waits on the database for them."""
    from .services import Services
    from .store import Store

    store = Store.open(db)
    store.codebook()
    store.townships()
    store.villages()
    return Services(store, user=user, role=role)


def create_database(db: str, *, county_code: str, county_name: str, townships, villages=(),
                    township: str | None = None) -> str:
    """A new, empty database for a county (or one of its townships)."""
    from .store import Store

    if not (county_code.isdigit() and len(county_code) == 6):
        raise UfError("县代码应为6位数字（GB/T 2260），例如 510522")
    if not county_name.strip():
        raise UfError("请填写县名称")
    if not townships:
        raise UfError("请至少填写一个乡镇（代码和名称）")
    bad = [c for c, _ in [*townships, *villages] if not c.startswith(county_code)]
    if bad:
        raise UfError(f"代码 {bad[0]} 不属于县代码 {county_code}：乡镇代码应以县代码开头")
    store = Store.create(db, county_code=county_code, county_name=county_name.strip(), townships=list(townships),
                         villages=list(villages), township=township)
    from .exchange.trust import mark_new_installation

    mark_new_installation(store)  # a new installation exchanges only signed packages
    store.close()
    return db


def not_a_database(path: str | os.PathLike) -> str | None:
    """The sentence saying what a chosen file is when it is plainly not a ufdesk database (an
    Excel workbook, a package …), else None. Asked before the current database is closed."""
    from .store.filekind import not_a_database as identify

    return identify(path)


def demo_path() -> str:
    """The demo county's own file in the user-data folder — never the real database's path."""
    from .paths import user_data_dir

    return str(user_data_dir() / "demo.db")


def demo_built(path: str | os.PathLike) -> bool:
    """Whether the demo file at ``path`` holds a county with its people (an empty or unfinished
    one is built again)."""
    from pathlib import Path

    if not Path(path).is_file():
        return False
    try:
        from .services import Query

        services = open_services(path)
    except UfError:
        return False
    try:
        return services.count(Query("representatives")) > 0
    finally:
        services.close()


def start_database() -> tuple[str, bool]:
    """What ``scripts/start.py`` opens: the real database last used or at the default path; when
    this PC has none, the demo county in its own file (``True``: it must be built first)."""
    from pathlib import Path

    from .paths import default_db

    demo = demo_path()
    candidates = [str(default_db())]
    try:
        from .gui import settings as S

        candidates.insert(0, S.LAST_DB.get())
    except ImportError:  # a build without the GUI
        pass
    for path in candidates:
        if path and Path(path).is_file() and Path(path).resolve() != Path(demo).resolve():
            return path, False
    return demo, not demo_built(demo)


class _Stop(Exception):
    pass


def demo_job(db: str, size: int = 2000) -> Generator[tuple[int, int, str], None, str]:
    """Build the demo county as a progress generator; closing it stops the build, which then
    rolls back, and removes the unfinished file."""
    from .services.demo import build_demo

    events: queue.Queue = queue.Queue()
    stop = threading.Event()

    def progress(done, total, message):
        if stop.is_set():
            raise _Stop()
        events.put((done, total, message))

    def work():
        try:
            build_demo(db, size=size, force=True, progress=progress).close()
            events.put(None)
        except BaseException as exc:  # handed to the generator
            events.put(exc)

    thread = threading.Thread(target=work, name="ufdesk-demo", daemon=True)
    thread.start()
    try:
        while True:
            item = events.get()
            if item is None:
                return db
            if isinstance(item, BaseException):
                raise item
            yield item
    except GeneratorExit:
        stop.set()
        thread.join()
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(db + suffix)
            except OSError:
                pass
        raise
