"""Opening the dialogs of the other subsystems (import, export, reports, exchange, users).

Each is imported only when its menu item is chosen, so start-up stays light and a build
without a subsystem still runs; after a dialog closes, every screen is told to refresh.
"""

from __future__ import annotations

import importlib

from PySide6.QtWidgets import QMessageBox, QWidget

from .messages import show_error

UNAVAILABLE = "“{}”功能在此版本中不可用。"


def dialog_class(module: str, name: str):
    """The dialog class, or None when its module is not part of this build."""
    full = f"ufdesk.gui.{module}"
    try:
        return getattr(importlib.import_module(full), name)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            return None
        raise
    except AttributeError:
        return None


def launch(parent: QWidget, ctx, title: str, module: str, name: str, *args) -> bool:
    """Open ``ufdesk.gui.<module>.<name>(ctx, *args, parent)`` modally; False if not available."""
    cls = dialog_class(module, name)
    if cls is None:
        QMessageBox.information(parent, title, UNAVAILABLE.format(title))
        return False
    try:
        cls(ctx, *args, parent).exec()
    except Exception as exc:  # a defect in a dialog must not take the window down
        show_error(parent, exc)
    finally:
        ctx.notify("*")
    return True
