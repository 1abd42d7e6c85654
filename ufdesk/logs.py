"""The program's log: a rotating file in the user-data folder (``logs/ufdesk.log``, 1 MB × 5), for
the office's IT person to hand over with ``ufdesk diagnostics``.

What it holds: start-ups (program, Python and OS versions, the command), errors with the
traceback's frames. What it never holds: personal data. Exception *messages* are left out
(a database error quotes the row it was writing, a validation error names the person), only
their types and where they happened are written; callers log types and counts, never values.
Crashes of the interpreter itself (``faulthandler``) are written to the same folder.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from pathlib import Path

log = logging.getLogger("ufdesk")
log.addHandler(logging.NullHandler())  # until setup(): nothing on the user's screen
_state: dict = {}


def log_dir() -> Path:
    from .paths import user_data_dir

    return user_data_dir() / "logs"


def log_file() -> Path:
    return log_dir() / "ufdesk.log"


def _frames(exc: BaseException | None, seen: set) -> list[str]:
    if exc is None or id(exc) in seen:
        return []
    seen.add(id(exc))
    lines = []
    cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    if cause is not None:
        lines += _frames(cause, seen) + ["（由上面的异常引起）"]
    lines.append("Traceback (most recent call last):")
    for fs in traceback.extract_tb(exc.__traceback__):
        lines.append(f'  File "{fs.filename}", line {fs.lineno}, in {fs.name}')
    lines.append(f"{type(exc).__module__}.{type(exc).__qualname__}（异常内容不记录：可能含个人信息）")
    return lines


class SafeFormatter(logging.Formatter):
    """Tracebacks without exception messages or source lines holding values."""

    def formatException(self, ei) -> str:
        return "\n".join(_frames(ei[1], set()))

    def formatStack(self, stack_info: str) -> str:
        return ""


def setup(kind: str, detail: str = "") -> Path | None:
    """Log to the rotating file (once per process); install the exception hooks and faulthandler.
    ``kind``: ``cli`` or ``gui``; ``detail``: the command name. Returns the log file, or None when
    the user-data folder cannot be written (a read-only profile): the program runs on, unlogged."""
    if "file" in _state:
        return _state["file"]
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(folder / "ufdesk.log", maxBytes=1_000_000, backupCount=5,
                                                       encoding="utf-8", delay=False)
    except OSError:
        _state["file"] = None
        return None
    handler.setFormatter(SafeFormatter("%(asctime)s %(process)d %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    _state["file"] = folder / "ufdesk.log"
    _install_hooks(folder)
    import platform

    from . import __version__

    log.info("启动 ufdesk %s（%s%s）；Python %s %s；%s", __version__, kind, f" {detail}" if detail else "",
             platform.python_version(), platform.architecture()[0], platform.platform(terse=True))
    return _state["file"]


def _install_hooks(folder: Path) -> None:
    import faulthandler

    try:  # a crash inside Qt or a C extension: the stacks of every thread, in the log folder
        _state["fault"] = open(folder / "faulthandler.log", "a", encoding="utf-8")  # noqa: SIM115
        faulthandler.enable(_state["fault"], all_threads=True)
    except OSError:
        pass
    previous = sys.excepthook

    def excepthook(etype, value, tb):
        log.critical("未处理的异常", exc_info=(etype, value, tb))
        previous(etype, value, tb)

    def thread_hook(args):
        if args.exc_type is not SystemExit:
            log.error("线程 %s 中未处理的异常", getattr(args.thread, "name", "?"),
                      exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
