"""Start-up wiring: the one place that builds the store, services, settings and window."""

from __future__ import annotations

from .domain.errors import UfError


def run_gui(db: str | None = None) -> int:
    try:
        from .gui.main import run
    except ImportError as exc:  # the GUI package is not part of this build
        raise UfError(f"图形界面不可用：{exc}") from exc
    return run(db)
