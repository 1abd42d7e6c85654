"""Checking a large roster on two processor cores.

Checking 50,000 rows is pure Python: one process uses one core. For a large file a helper
process is started while the file is still being read (calamine reads without holding the
GIL), and then both check: each takes the next unchecked chunk of rows in turn, and this
process writes each chunk as soon as it and all above it are checked. The helper gets a copy
of the code tables and township lists (``CheckSetup``); it never opens the database. Whatever
the helper does, the result is what one process would find — the same values, the same
problems in the same order — because the one check that spans rows (the same ID number
twice) is made here, chunk by chunk in file order. If the helper cannot start or dies, its
chunks are checked here.

``UFDESK_IMPORT_PROCESSES=1`` turns the helper off.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Generator

PARALLEL_FROM = 10_000  # rows; below this a helper's start-up (about 0.5 s) is not won back
HELPER_FILE_BYTES = 800_000  # a file this large holds about 10,000 rows: start the helper while reading
CHUNK_ROWS = 1_000
AHEAD = 6  # chunks queued for the helper, so that it never waits for this process


def wanted() -> bool:
    """Whether this machine and setting allow a helper process."""
    if os.environ.get("UFDESK_IMPORT_PROCESSES", "").strip() == "1":
        return False
    return (os.cpu_count() or 1) >= 2


class HelperGone(Exception):
    """The helper process ended (or could not start) before answering: this process checks."""


class Helper:
    """One helper process (spawned: safe beside the GUI's threads, and the same on Windows).

    Work goes to it through one pipe and answers come back through another, in order (one
    process does one job at a time), each as a ``concurrent.futures.Future``. A thread sends
    (so that this process never waits for a busy helper to read) and a thread receives; neither
    asks the pipe whether something is there (``poll``), which Windows pipes under wine answer
    wrongly — concurrent.futures' process pool stalled on it there."""

    def __init__(self):
        import queue
        from collections import deque

        ctx = multiprocessing.get_context("spawn")
        work_out, work_in = ctx.Pipe(duplex=False)  # (reader, writer)
        answers_out, answers_in = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_serve, args=(work_out, answers_in), name="ufdesk-check-helper",
                                   daemon=True)
        self.process.start()
        work_out.close()
        answers_in.close()
        self._send, self._answers = work_in, answers_out
        self._outbox: queue.SimpleQueue = queue.SimpleQueue()
        self._waiting: deque = deque()  # futures of the jobs sent, oldest first
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._sender, name="ufdesk-helper-send", daemon=True).start()
        threading.Thread(target=self._receiver, name="ufdesk-helper-receive", daemon=True).start()
        self._job(_warm)  # loads what checking needs while the file is read

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def _job(self, fn, *args):
        from concurrent.futures import Future

        fut: Future = Future()
        with self._lock:
            if self._closed:
                fut.set_exception(HelperGone())
                return fut
            self._waiting.append(fut)
        self._outbox.put((fn, args))
        return fut

    def _sender(self) -> None:
        while True:
            item = self._outbox.get()
            if item is None:
                break
            try:
                self._send.send(item)
            except (OSError, ValueError, EOFError):
                break
        try:
            self._send.close()  # the helper reads the end of its work and exits
        except OSError:
            pass

    def _receiver(self) -> None:
        while True:
            try:
                ok, value = self._answers.recv()
            except (OSError, EOFError, ValueError):
                break
            with self._lock:
                fut = self._waiting.popleft() if self._waiting else None
            if fut is not None and fut.set_running_or_notify_cancel():
                (fut.set_result if ok else fut.set_exception)(value)
        self._answers.close()
        self._fail_waiting()

    def _fail_waiting(self) -> None:
        with self._lock:
            self._closed = True
            waiting, self._waiting = list(self._waiting), type(self._waiting)()
        for fut in waiting:
            if fut.set_running_or_notify_cancel():
                fut.set_exception(HelperGone())

    def configure(self, setup, with_keys: bool) -> None:
        self._job(_configure, setup, with_keys)  # runs before any chunk: one process, in order

    def submit(self, chunk: list):
        return self._job(_check_chunk, chunk)

    def close(self) -> None:
        """End the helper without waiting for it: the jobs not answered are dropped."""
        with self._lock:
            self._closed = True
            waiting = list(self._waiting)
        for fut in waiting:
            fut.cancel()
        self._outbox.put(None)  # the sender ends the work pipe; the helper exits, ending the answers


def start_helper() -> Helper | None:
    if not wanted():
        return None
    try:
        return Helper()
    except Exception:  # no processes allowed here (a daemon process, a locked-down PC): check in this one
        return None


class Starting:
    """A helper started in a thread while this one reads the file (starting a process takes
    0.1–0.3 s of this process's time), which then loads this process's sort-key tables too."""

    def __init__(self):
        self.helper: Helper | None = None
        self.thread = threading.Thread(target=self._run, name="ufdesk-start-helper", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        self.helper = start_helper()
        _warm()

    def get(self) -> Helper | None:
        self.thread.join()
        return self.helper

    def close(self) -> None:
        helper = self.get()
        if helper is not None:
            helper.close()


Progress = Generator[tuple[int, int, str], None, list]


def check_all(checker, data: list[tuple[int, list]], *, with_keys: bool, helper: Helper | None,
              total: int, on_chunk=None, verb: str = "检查") -> Progress:
    """Check every ``(row number, cells)`` of ``data``; returns the ``Row`` objects in file order,
    with the same-ID-twice problems added. ``on_chunk(rows)`` is called with each chunk of
    checked rows in file order, as soon as it and every chunk above it are checked (the import
    writes them meanwhile). Yields progress now and then.

    This process and the helper take the next unchecked chunk in turn (the helper has up to
    ``AHEAD`` queued), so that chunks come back about in file order."""
    from .xlsx_import import Row

    chunks = [data[i : i + CHUNK_ROWS] for i in range(0, len(data), CHUNK_ROWS)]
    results: list[list | None] = [None] * len(chunks)
    pending: dict = {}  # future → chunk index
    if helper is not None and len(data) >= PARALLEL_FROM and len(chunks) > 1:
        helper.configure(checker.setup, with_keys)
    else:
        helper = None
    checker.helper_rows = 0
    taken = flushed = done_rows = 0

    def collect(block: bool) -> None:
        nonlocal helper, done_rows
        for fut in list(pending):
            if not (block or fut.done()):
                continue
            index = pending.pop(fut)
            try:
                checked = fut.result()
            except Exception:  # the helper died or could not start: this process checks that chunk
                helper = None
                results[index] = _check_here(checker, chunks[index], with_keys)
            else:
                results[index] = [Row(number, cells, values, problems, None, keys, notes)
                                  for (number, cells), (values, problems, keys, notes) in zip(chunks[index], checked,
                                                                                              strict=True)]
                checker.helper_rows += len(chunks[index])
            done_rows += len(chunks[index])

    def flush() -> None:
        nonlocal flushed
        while flushed < len(chunks) and results[flushed] is not None:
            rows = results[flushed]
            if checker.has_ids:
                for row in rows:
                    checker.check_duplicate(row)
            if on_chunk is not None:
                on_chunk(rows)
            flushed += 1

    while taken < len(chunks):
        mine = taken
        taken += 1
        while helper is not None and len(pending) < AHEAD and taken < len(chunks):
            pending[helper.submit(chunks[taken])] = taken
            taken += 1
        results[mine] = _check_here(checker, chunks[mine], with_keys)
        done_rows += len(chunks[mine])
        collect(block=False)
        flush()
        yield done_rows, total, f"正在{verb}第{done_rows}/{len(data)}行…"
    collect(block=True)
    flush()
    return [row for chunk in results for row in chunk]


def _check_here(checker, chunk: list, with_keys: bool) -> list:
    from ..store.records import derived

    rows = [checker.check(number, cells, ids=False) for number, cells in chunk]
    if with_keys:
        name = checker.lg.name
        for row in rows:
            if not row.problems:
                row.keys = derived(name, row.values)
    return rows


# -- in the helper process ----------------------------------------------------------------------
_STATE: dict = {}


def _serve(work, answers) -> None:
    """The helper's loop: a job from the pipe, its answer back, until the pipe ends."""
    _follow_parent()
    while True:
        try:
            fn, args = work.recv()
        except (EOFError, OSError):
            break
        try:
            answer = (True, fn(*args))
        except Exception as exc:  # noqa: BLE001 — sent back: that chunk is checked in the parent
            answer = (False, HelperGone(repr(exc)))
        try:
            answers.send(answer)
        except (OSError, ValueError):
            break
    os._exit(0)


def _follow_parent() -> None:
    """End this helper as soon as the importing process ends, however it ends (killed, power
    button in the task manager): otherwise it would wait for work forever."""
    import gc

    gc.disable()  # this process lives for one import: see ufdesk.gcpause
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch():
        from multiprocessing.connection import wait

        wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="ufdesk-follow-parent", daemon=True).start()


def _warm() -> None:
    from ..store import sortkeys

    sortkeys.warm()


def _configure(setup, with_keys: bool) -> None:
    from .xlsx_import import Checker

    _STATE["checker"] = Checker(setup)
    _STATE["with_keys"] = with_keys


def _check_chunk(chunk: list) -> list:
    rows = _check_here(_STATE["checker"], chunk, _STATE["with_keys"])
    return [(row.values, row.problems, row.keys, row.notes) for row in rows]
