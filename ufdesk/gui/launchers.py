"""Opening the dialogs of the other subsystems (import, export, reports, exchange, users).

The caller names the dialog class by importing it (inside the menu handler, so start-up stays
light); a module missing from a build is then an import error PyInstaller's analysis finds,
never a menu that silently does nothing. After a dialog closes, every screen is told to refresh.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from .messages import show_error


def launch(parent: QWidget, ctx, dialog, *args) -> None:
    """Open ``dialog(ctx, *args, parent)`` modally."""
    try:
        dialog(ctx, *args, parent).exec()
    except Exception as exc:  # a defect in a dialog must not take the window down
        show_error(parent, exc)
    finally:
        ctx.notify("*")
