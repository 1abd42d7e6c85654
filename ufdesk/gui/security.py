"""Logging in, locking an idle window, and the 设置 dialogs for users, the audit log and backups.

``login(ctx, parent)`` is called at start: a database with no users lets everyone in (the
window shows a banner offering to create the administrator: ``create_admin(ctx, parent)``).
``login`` also sets up the idle lock (it finds the window showing ``ctx``) and the automatic
backup when the program quits; ``install(window, ctx)`` does the same for a window opened
without ``login``.
``offer_newest_backup(db, parent)`` is what start-up calls when a database cannot be opened.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ..domain.errors import UfError
from ..services import backup as B
from ..services import settings as SET
from ..services import users as U
from .messages import error_text, show_error

# The 设置 dialogs are imported when first opened (start-up needs only the login): see __getattr__.
_DIALOGS = {"AuditDialog": "audit_dialog", "BackupDialog": "backup_dialog", "UsersDialog": "users_dialog",
            "AdminDialog": "users_dialog"}


def __getattr__(name: str):
    if name in _DIALOGS:
        import importlib

        return getattr(importlib.import_module(f"{__package__}.{_DIALOGS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

READONLY_TEXT = "数据库文件是只读的（文件或所在文件夹没有写权限，或在只读的U盘、光盘上）：只能查看和打印，不能保存修改。"
IDLE_SETTING = "idle_lock_minutes"  # kept in the database: the office decides, not each PC


class LoginDialog(QDialog):
    """User name and password; a wrong password says how many tries are left."""

    def __init__(self, ctx, parent=None, *, user: str = "", title: str = "登录", locking: bool = False):
        super().__init__(parent)
        self.ctx = ctx
        self.user_row: dict | None = None
        self.setWindowTitle(title)
        self.setObjectName("loginDialog")
        svc = ctx.services
        place = svc.township_name(svc.township) if svc.township else "县委统战部"
        head = QLabel(f"<b>统战工作台账</b><br>{svc.county_name} {place}", self)
        head.setAlignment(Qt.AlignCenter)
        if locking:
            head.setText(f"<b>窗口已锁定</b><br>离开时间过长，请输入 {user} 的密码继续。")
        from . import settings as S

        user = user or (S.LAST_USER.get() if not locking else "")  # the name typed last time it worked
        self.locking = locking
        self.name = QLineEdit(user, self)
        self.name.setObjectName("loginName")
        self.name.setReadOnly(locking)
        self.password = QLineEdit(self)
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.Password)
        self.message = QLabel(self)
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        if svc.readonly:
            self.message.setText(READONLY_TEXT)
        form = QFormLayout()
        form.addRow("用户名", self.name)
        form.addRow("密码", self.password)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton("登录" if not locking else "解锁", QDialogButtonBox.AcceptRole)
        self.ok.setObjectName("loginButton")
        self.ok.setDefault(True)
        quit_button = buttons.addButton("退出程序", QDialogButtonBox.RejectRole)
        quit_button.setAutoDefault(False)
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.password if user else self.name).setFocus()
        self.setMinimumWidth(360)

    def try_login(self) -> None:
        try:
            self.user_row = U.check_login(self.ctx.services, self.name.text(), self.password.text())
        except UfError as exc:
            self.message.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            return
        self.password.clear()
        if not self.locking:
            from . import settings as S

            S.LAST_USER.set(self.user_row["name"])
        self.accept()


def login(ctx, parent: QWidget | None = None) -> bool:
    """Ask for a login when the database has users; set the services' user and role. False when
    the clerk gives up (the program then closes). Also sets up the idle lock and the automatic
    backup at quit for this database (once per context)."""
    if U.has_users(ctx.services):
        dialog = LoginDialog(ctx, parent)
        if not dialog.exec():
            return False
        _become(ctx, dialog.user_row)
    elif ctx.services.readonly:
        QMessageBox.information(parent, "只读数据库", READONLY_TEXT)
    attach(ctx)
    return True


def attach(ctx, window: QWidget | None = None) -> None:
    """Idle lock (finding the context's main window when it locks), the backup at quit, and —
    while the database has no users — the banner offering to create the administrator."""
    state = getattr(ctx, "_security", None)
    if state is None:
        state = ctx._security = {"lock": install_idle_lock(window, ctx), "banner": None}
        if hasattr(ctx, "settings_changed"):
            ctx.settings_changed.connect(lambda key, ctx=ctx: _setting_changed(ctx, key))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(lambda: backup_at_close(ctx))
            if needs_admin(ctx):
                _banner_when_shown(ctx, window)
    elif window is not None and state["lock"] is not None:
        state["lock"].window = window


def _setting_changed(ctx, key: str) -> None:
    """A new idle-lock time takes effect in the open window at once, not at the next start."""
    state = getattr(ctx, "_security", None)
    if key != IDLE_SETTING or state is None:
        return
    minutes = SET.get(ctx.services, IDLE_SETTING)
    lock = state["lock"]
    if lock is not None and isValid(lock):
        lock.set_minutes(minutes)
    elif minutes > 0:
        state["lock"] = install_idle_lock(_context_window(ctx), ctx, minutes)


def _context_window(ctx) -> QWidget | None:
    for w in QApplication.topLevelWidgets():
        if getattr(w, "ctx", None) is ctx and hasattr(w, "addToolBar") and isValid(w):
            return w
    return None


def _banner_when_shown(ctx, window: QWidget | None, tries: int = 50) -> None:
    """The window is built after the login: look for it for a few seconds."""
    found = window if window is not None and isValid(window) else _context_window(ctx)
    if found is not None:
        install_admin_banner(found, ctx)
    elif tries:
        QTimer.singleShot(100, lambda: _banner_when_shown(ctx, window, tries - 1))


def install_admin_banner(window, ctx) -> QWidget | None:
    """A strip at the top of ``window`` while the database has no users: anyone can see and
    change everything until an administrator is created (a button does it)."""
    from PySide6.QtWidgets import QHBoxLayout, QPushButton, QToolBar

    state = getattr(ctx, "_security", None) or {}
    if not needs_admin(ctx) or (state.get("banner") is not None and isValid(state["banner"])):
        return None
    bar = QToolBar("尚未设置用户", window)
    bar.setObjectName("adminBanner")
    bar.setMovable(False)
    box = QWidget(bar)
    box.setStyleSheet("background: #fff4ce;")
    row = QHBoxLayout(box)
    row.setContentsMargins(8, 4, 8, 4)
    text = QLabel("尚未设置用户：打开本程序的任何人都能查看和修改全部数据（包括完整身份证号）。"
                  "请建立管理员，以后打开时须登录。", box)
    text.setWordWrap(True)
    button = QPushButton("建立管理员…", box)
    button.setObjectName("adminBannerButton")
    row.addWidget(text, 1)
    row.addWidget(button)
    bar.addWidget(box)
    window.addToolBarBreak(Qt.TopToolBarArea)
    window.addToolBar(Qt.TopToolBarArea, bar)
    bar.show()  # added to a window already on screen: not shown by itself

    def create() -> None:
        if create_admin(ctx, window):
            bar.deleteLater()
            state["banner"] = None

    button.clicked.connect(create)
    state["banner"] = bar
    return bar


def _become(ctx, row: dict) -> None:
    ctx.services.user = row["name"]
    ctx.services.role = row["role"]


def needs_admin(ctx) -> bool:
    """True while the database has no users (the window's banner offers ``create_admin``)."""
    return not U.has_users(ctx.services)


def create_admin(ctx, parent: QWidget | None = None) -> bool:
    """The step that creates the administrator (first run, or the banner); logs them in."""
    from .users_dialog import AdminDialog

    dialog = AdminDialog(ctx, parent)
    if not dialog.exec():
        return False
    _become(ctx, {"name": dialog.created, "role": "admin"})
    ctx.notify("*")
    return True


# -- idle lock ----------------------------------------------------------------------------------
class IdleLock(QObject):
    """Watches the keyboard and mouse; after ``minutes`` without either, hides the window's
    contents behind the login dialog of the same user (a database without users never locks)."""

    ACTIVITY = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel, QEvent.TouchBegin}

    def __init__(self, window: QWidget | None, ctx, minutes: float):
        super().__init__(window if window is not None else ctx)
        self.window, self.ctx = window, ctx
        self.minutes = minutes
        self.locked = False
        self.dialog = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(int(minutes * 60_000), 1000))
        self.timer.timeout.connect(self.lock)
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def set_minutes(self, minutes: float) -> None:
        """0 stops the lock; any other value restarts the countdown with the new time."""
        self.minutes = minutes
        if minutes <= 0:
            self.timer.stop()
            return
        self.timer.setInterval(max(int(minutes * 60_000), 1000))
        if not self.locked:
            self.timer.start()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in self.ACTIVITY and not self.locked and self.minutes > 0:
            self.timer.start()
        return False

    def _window(self) -> QWidget | None:
        if self.window is not None and isValid(self.window):
            return self.window
        for w in QApplication.topLevelWidgets():
            if getattr(w, "ctx", None) is self.ctx and w.isVisible() and hasattr(w, "centralWidget"):
                return w
        return None

    def lock(self) -> None:
        window = self._window()
        if self.locked or window is None or not self.ctx.services.user or not U.has_users(self.ctx.services):
            self.timer.start()
            return
        self.locked = True
        central = window.centralWidget()
        if central is not None:
            central.setVisible(False)
        dialog = LoginDialog(self.ctx, window, user=self.ctx.services.user, title="窗口已锁定", locking=True)
        self.dialog = dialog
        ok = dialog.exec()
        self.dialog = None
        if not isValid(window) or not isValid(self):  # the window went away while the lock was up
            return
        self.locked = False
        if not ok:
            window.close()
            return
        if central is not None:
            central.setVisible(True)
        self.timer.start()


def install_idle_lock(window: QWidget | None, ctx, minutes: float | None = None) -> IdleLock | None:
    """Lock ``window`` (None: the main window showing ``ctx``) after ``minutes`` idle (default:
    the database's setting, 15; 0 = never)."""
    if minutes is None:
        minutes = SET.get(ctx.services, IDLE_SETTING)
    if minutes <= 0 or QApplication.instance() is None:
        return None
    return IdleLock(window, ctx, minutes)


def backup_at_close(ctx) -> B.BackupInfo | None:
    """The automatic backup when the program closes (at most one a day); never raises."""
    try:
        if ctx.services.is_sqlite and not ctx.services.readonly:
            return B.auto_backup(ctx.services)
    except (UfError, OSError) as exc:
        import logging

        logging.getLogger("ufdesk").warning("automatic backup failed: %s", type(exc).__name__)
    return None


def install(window, ctx) -> None:
    """For a main window built without ``login``: the idle lock and the backup at quit."""
    attach(ctx, window)


# -- a damaged database at start ----------------------------------------------------------------
def offer_newest_backup(db: str, parent: QWidget | None = None) -> bool:
    """When ``db`` cannot be opened: offer the newest good backup; True when it was restored
    (the caller then opens ``db`` again)."""
    from pathlib import Path

    try:
        if not Path(db).is_file() or B.inspect(Path(db)).ok:
            return False  # missing, or sound (another reason it did not open): nothing to restore
        info = B.newest_good_backup(db)
    except (UfError, OSError):
        return False
    if info is None:
        QMessageBox.warning(parent, "数据库已损坏", f"数据库 {db} 无法打开，而且没有找到可用的备份。\n"
                            "请不要删除该文件，联系维护人员处理。")
        return False
    text = (f"数据库 {db} 已损坏，无法打开。\n\n最新的完好备份：\n{info.describe()}\n\n"
            "是否用它恢复？恢复前会先保存损坏的文件，不会删除。")
    if QMessageBox.question(parent, "数据库已损坏", text) != QMessageBox.Yes:
        return False
    from .backup_dialog import RestoreLogin

    who = RestoreLogin.ask(parent, info.path)
    if who is None:
        return False
    try:
        done = B.restore(db, info.path, user=who[0], password=who[1])
    except UfError as exc:
        show_error(parent, exc, "恢复失败")
        return False
    QMessageBox.information(parent, "已恢复", f"已从备份恢复：{info.describe()}\n损坏的原文件已保存为：{done.before}")
    return True


__all__ = ["IdleLock", "LoginDialog", "attach", "backup_at_close",
           "install_admin_banner",
           "create_admin", "error_text", "install", "install_idle_lock", "login", "needs_admin",
           "offer_newest_backup"]
