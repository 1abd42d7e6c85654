"""What every screen of the GUI shares: the services (its one door to the data), the worker, the
change signals."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..services import Services
from .tasks import Worker


class AppContext(QObject):
    """Handed to every tab and dialog. ``changed`` tells screens that a ledger's data changed
    (``"*"`` for all, e.g. after an import of a package); each refreshes only if it cares."""

    changed = Signal(str)
    settings_changed = Signal(str)  # a setting's key, after services.settings.change saved it

    def __init__(self, services: Services, worker: Worker | None = None):
        super().__init__()
        self.services = services
        self.worker = worker or Worker()

    def notify(self, ledger: str = "*") -> None:
        self.changed.emit(ledger)
