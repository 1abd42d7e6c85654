"""Starting the GUI: the application, its font and style, the database, the login, the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from ..paths import resource
from . import settings as S
from .context import AppContext
from .messages import show_error
from .tasks import Worker

FONT_FILE = ("fonts", "wqy-microhei.ttc")
RARE_FONT_FILES = ("HanaMinA-ext.ttf", "HanaMinB-ext.ttf")  # the PDFs' fallback faces (OFL), for the GUI too
FONT_FAMILY = "WenQuanYi Micro Hei"
FONT_SIZE = 10
QT_TRANSLATIONS = ("qtbase_zh_CN",)  # Qt's own texts: 确定/取消, 撤消/复制, the file and print dialogs


def qt_translation_dirs() -> list[Path]:
    """Where Qt's .qm files may be: Qt's own path, the PySide6 package's folder (a PyInstaller
    bundle keeps it as PySide6/Qt/translations), and our resources."""
    import PySide6

    return [Path(QLibraryInfo.path(QLibraryInfo.TranslationsPath)),
            Path(PySide6.__file__).resolve().parent / "Qt" / "translations", resource("translations")]


def install_qt_translations(app: QApplication) -> list[str]:
    """Load Qt's Simplified Chinese so its standard buttons, context menus and file, print and
    colour dialogs speak Chinese like the rest of the program; the names loaded."""
    from .qt_zh import Supplement

    if hasattr(app, "_ufdesk_qt_zh"):
        return list(app._ufdesk_qt_loaded)
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    app._ufdesk_qt_zh = Supplement(app)  # searched after qtbase_zh_CN (Qt asks the newest first)
    app.installTranslator(app._ufdesk_qt_zh)
    loaded = []
    for name in QT_TRANSLATIONS:
        for folder in qt_translation_dirs():
            translator = QTranslator(app)
            if (folder / f"{name}.qm").is_file() and translator.load(name, str(folder)):
                app.installTranslator(translator)
                loaded.append(name)
                break
    app._ufdesk_qt_loaded = loaded
    return loaded


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the bundled CJK font and the style sheet (idempotent)."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(S.ORGANIZATION)
    app.setApplicationName(S.APPLICATION)
    app.setApplicationDisplayName("统战工作台账")
    apply_look(app)
    return app


def apply_look(app: QApplication) -> None:
    """Register the bundled font — so Chinese renders on a PC with no Chinese font — and use it."""
    if getattr(app, "_ufdesk_look", False):
        return
    app._ufdesk_look = True
    install_qt_translations(app)
    fid = QFontDatabase.addApplicationFont(str(resource(*FONT_FILE)))
    families = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
    family = FONT_FAMILY if FONT_FAMILY in families else (families[0] if families else app.font().family())
    font = QFont(family, FONT_SIZE)
    font.setStyleHint(QFont.SansSerif)
    rare = []  # names with characters of CJK Extensions A–F (䶮, 𬍤): the bundled 花园明朝, not a box
    for name in RARE_FONT_FILES:
        rid = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
        rare += QFontDatabase.applicationFontFamilies(rid) if rid >= 0 else []
    if rare:
        font.setFamilies([family, *dict.fromkeys(rare)])
    app.setFont(font)
    app.setStyle("Fusion")
    qss = resource("style.qss")
    app._ufdesk_qss = qss.read_text(encoding="utf-8") if qss.exists() else ""
    set_text_size(app, S.TEXT_SIZE.get() or FONT_SIZE)  # the size chosen with Ctrl+加号/减号
    icon = resource("icons", "ufdesk.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))


def set_text_size(app: QApplication, size: int) -> None:
    """Every text at ``size`` points (the style sheet's own larger headings keep theirs): through
    the style sheet, since Qt does not pass a new application font on to styled widgets."""
    font = app.font()
    font.setPointSize(size)
    app.setFont(font)
    base = getattr(app, "_ufdesk_qss", "")
    app.setStyleSheet(base if size == FONT_SIZE else f"* {{ font-size: {size}pt; }}\n{base}")


def choose_database(worker: Worker, db: str | None) -> str | None:
    """The database to open: the one given, else the last one, else the first-run dialog."""
    if db:
        return db
    last = S.LAST_DB.get()
    if last and Path(last).exists():
        return last
    from .setup_dialog import SetupDialog

    dialog = SetupDialog(worker)
    return dialog.chosen if dialog.exec() else None


LOGIN_MISSING = "本程序缺少登录部分，不能打开设有用户的数据库：请重新安装本程序，或联系维护人员。"


def login(ctx, parent=None) -> bool:
    """Ask for a login (gui/security; a database with no users lets everyone in). Fails closed:
    when the login cannot be loaded — a build that lost the module — a database that has users
    is refused, never opened with every permission."""
    try:
        from .security import login as ask
    except ImportError as exc:
        import logging

        from ..services import users as U

        logging.getLogger("ufdesk").error("login module not loaded: %s", exc)
        if U.has_users(ctx.services):
            QMessageBox.critical(parent, "无法登录", LOGIN_MISSING)
            return False
        return True
    return bool(ask(ctx, parent))


def open_context(db: str, worker: Worker, parent=None):
    """Open the database on the worker and log in: the context, None if it cannot be opened
    (said to the clerk), False if the login was cancelled. A file that is plainly something
    else (an Excel workbook …) is named as such: no talk of damage, nothing closed."""
    from ..app import not_a_database, open_services

    what = not_a_database(db)
    if what:
        QMessageBox.information(parent, "打开数据库", what)
        return None
    try:
        services = worker.call(open_services, db)
    except Exception as exc:  # an unreadable or damaged file: say so and let the clerk choose again
        from .security import offer_newest_backup

        if offer_newest_backup(str(db), parent):  # a damaged file: the newest good backup
            return open_context(db, worker, parent)
        show_error(parent, exc, "无法打开数据库")
        return None
    ctx = AppContext(services, worker)
    if not login(ctx, parent):
        worker.call(services.close)
        return False
    return ctx


def show_window(ctx, db: str):
    from .mainwindow import MainWindow

    S.remember_db(str(db))
    window = MainWindow(ctx, str(db))
    window.setAttribute(Qt.WA_DeleteOnClose)
    window.show()
    return window


def open_window(db: str, worker: Worker, parent=None):
    """Open the database and show its main window; None if it cannot be opened, False when the
    login was cancelled."""
    ctx = open_context(db, worker, parent)
    return ctx if not ctx else show_window(ctx, db)


class Session:
    """The one main window of a run, and the switch to another database from its 文件 menu."""

    def __init__(self, worker: Worker, on_closed=None):
        self.worker = worker
        self.window = None
        self.on_closed = on_closed
        self._switching = False

    def start(self, path: str | None) -> bool:
        """The first window: the database given, the last one, or the first-run dialog's."""
        while True:
            path = choose_database(self.worker, path)
            if path is None:
                return False
            window = open_window(path, self.worker)
            if window is False:
                return False
            if window is not None:
                break
            path = None
            S.LAST_DB.set("")
        self._attach(window)
        return True

    def switch(self, path: str) -> None:
        """The current database stays open until the new one has opened and its login passed."""
        ctx = open_context(path, self.worker, self.window)
        if not ctx:
            return
        self._switching = True
        self.window.close()
        self._switching = False
        self._attach(show_window(ctx, path))

    def _attach(self, window) -> None:
        window.open_database.connect(self.switch)
        window.closed.connect(self._closed)
        self.window = window

    def _closed(self) -> None:
        if not self._switching and self.on_closed is not None:
            self.on_closed()


def run(db: str | None = None) -> int:
    app = make_app()
    app.setQuitOnLastWindowClosed(False)
    worker = Worker()
    session = Session(worker, on_closed=app.quit)
    if not session.start(db):
        worker.shutdown()
        return 0
    code = app.exec()
    worker.shutdown()
    return code
