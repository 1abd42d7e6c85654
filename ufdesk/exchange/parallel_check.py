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


class Helper:
    """One helper process (spawned: safe beside the GUI's threads, and the same on Windows)."""

    def __init__(self):
        from concurrent.futures import ProcessPoolExecutor

        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_follow_parent)
        self.pool.submit(_warm)  # starts the process now, and loads what checking needs

    def configure(self, setup, with_keys: bool) -> None:
        self.pool.submit(_configure, setup, with_keys)  # runs before any chunk: one worker, in order

    def submit(self, chunk: list):
        return self.pool.submit(_check_chunk, chunk)

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


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
