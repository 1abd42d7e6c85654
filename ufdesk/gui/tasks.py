"""Running database work off the UI thread.

One worker thread for all database work (SQLite likes one writer, and the UI never waits on
it); results come back by signal on the UI thread. Long jobs are generators that yield
``(done, total, message)`` and return their result; ``run_with_progress`` shows them in a
progress dialog with a Cancel button (closing the generator, which rolls its work back).
Never touch widgets inside the job function.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class _Relay(QObject):
    """Carries a finished job's outcome back to the UI thread."""

    done = Signal(object, object)  # (callback, value)


class Worker:
    """A single background thread for database jobs."""

    def __init__(self):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ufdesk-db")
        self._relay = _Relay()
        self._relay.done.connect(lambda cb, value: cb(value), Qt.QueuedConnection)
        self.busy = 0
        self.closed = False

    def submit(self, fn: Callable, *args, on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None, **kwargs) -> None:
        """Run ``fn(*args, **kwargs)`` on the worker; ``on_done(result)`` or ``on_error(exc)``
        is then called on the UI thread. Once the worker has shut down (the program is closing),
        work still asked for by a timer or a late signal is dropped: there is nobody to show it to."""
        if self.closed:
            return
        self.busy += 1

        def job():
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # reported on the UI thread
                exc.__ufdesk_tb__ = traceback.format_exc()
                self._relay.done.emit(self._finish(on_error or _default_error), exc)
            else:
                self._relay.done.emit(self._finish(on_done or (lambda _v: None)), result)

        self._pool.submit(job)

    def _finish(self, cb):
        def wrapped(value):
            self.busy -= 1
            cb(value)

        return wrapped

    def call(self, fn: Callable, *args, **kwargs):
        """Run on the worker and wait (for tests and start-up only — it blocks the UI)."""
        return self._pool.submit(fn, *args, **kwargs).result()

    def shutdown(self) -> None:
        self.closed = True
        self._pool.shutdown(wait=True)


def _default_error(exc: BaseException) -> None:
    from .messages import show_error

    show_error(None, exc)


class _Cancelled(Exception):
    pass


def run_with_progress(parent: QWidget | None, worker: Worker, title: str,
                      job: Callable[..., Generator[tuple[int, int, str], None, Any]], *args,
                      on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None,
                      on_cancel: Callable[[], None] | None = None) -> QProgressDialog:
    """Run a generator job on the worker with a modal progress dialog and a 取消 button.

    The job yields ``(done, total, message)``; its ``return`` value goes to ``on_done``.
    Cancel closes the generator at its next yield: the job must roll back (a transaction
    that did not commit), and ``on_cancel`` is called.
    """
    dialog = QProgressDialog(title, "取消", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    relay = _ProgressRelay()
    relay.progress.connect(lambda d, t, m: (dialog.setMaximum(max(t, 0)), dialog.setValue(min(d, t) if t else 0),
                                            dialog.setLabelText(m)), Qt.QueuedConnection)
    state = {"cancel": False}
    dialog.canceled.connect(lambda: state.__setitem__("cancel", True))

    def drive():
        gen = job(*args)
        try:
            while True:
                done, total, message = next(gen)
                if state["cancel"]:
                    gen.close()
                    raise _Cancelled()
                relay.progress.emit(done, total, message)
        except StopIteration as stop:
            return stop.value

    def finished(value):
        dialog.close()
        if on_done:
            on_done(value)

    def failed(exc):
        dialog.close()
        if isinstance(exc, _Cancelled):
            if on_cancel:
                on_cancel()
            return
        (on_error or _default_error)(exc)

    dialog._relay = relay  # keep the relay alive as long as the dialog
    worker.submit(drive, on_done=finished, on_error=failed)
    return dialog


class _ProgressRelay(QObject):
    progress = Signal(int, int, str)
