"""Worker results can arrive after the screen that asked for them was closed."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6


def guard(owner, fn: Callable) -> Callable:
    """``fn``, but doing nothing once ``owner`` (a QObject) has been deleted."""

    def call(*args):
        if shiboken6.isValid(owner):
            return fn(*args)
        return None

    return call
