"""Long jobs are generators that yield ``(done, total, message)`` and return their result; the
GUI shows them with progress and Cancel, the command line and the tests drain them here."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TypeVar

T = TypeVar("T")


def drain(gen: Generator[tuple[int, int, str], None, T],
          progress: Callable[[int, int, str], None] | None = None) -> T:
    """Run a progress generator to its end; ``progress`` sees each step. Returns its result."""
    try:
        while True:
            item = next(gen)
            if progress:
                progress(*item)
    except StopIteration as stop:
        return stop.value


__all__ = ["drain"]
