"""Open every dialog of ``ufdesk.gui`` and the main window offscreen and report what a clerk would
see wrong: a Latin word that is not on the allow-list, a visible widget lying over another, a
word-wrapped label cut off, a window bigger than a laptop screen leaves room for.

Dialog classes are found by walking the package, so a dialog added later is covered: it is built
by the generic recipe (``cls(ctx, parent)``) or by a recipe below; one that neither can build is
reported, and the test fails on it.

Run in-process by the tests, or as ``python tests/gui/gui_sweep.py DB OUT.json`` in a subprocess whose
screen and QT_SCALE_FACTOR the test chooses (the 150 % leg).
"""

from __future__ import annotations

import html
import importlib
import inspect
import json
import pkgutil
import re
import sys
from pathlib import Path

FIT = (1280, 680)  # logical pixels: 1366×768 at 100 % and 1920×1080 at 150 %, less taskbar and title
# Latin words a Chinese office program may show: keys, formats, products, units
ALLOWED = {
    "ctrl", "shift", "alt", "esc", "enter", "tab", "del", "delete", "home", "end", "pgup", "pgdown", "space",
    "backspace", "ins", "pdf", "excel", "wps", "word", "id", "postgresql", "sqlite", "xlsx", "xls", "ods", "csv",
    "docx", "doc", "ufpkg", "db", "zip", "png", "jpg", "jpeg", "gif", "bmp", "txt", "json", "ttf", "ttc", "qm",
    "mb", "kb", "gb", "mm", "cm", "pt", "px", "dpi", "usb", "cpu", "utf", "gbk", "gb/t", "qt", "pyside",
    "html", "ntfs", "fat", "vfat", "exfat", "ext", "apache", "ofl", "arphic", "hanazono", "ufdesk", "wenquanyi", "micro", "hei", "a4", "a3",
}
PATH = re.compile(r"[^\s：，、（）()“”]*[\\/][^\s：，、（）()“”]*|[\w.-]+\.(?:db|xlsx|xls|csv|ufpkg|zip|pdf|docx)\b")
WORD = re.compile(r"[A-Za-z][A-Za-z]+")


def latin_words(text: str) -> list[str]:
    """The Latin words of ``text`` that are not allowed (file paths and names are the user's)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text or ""))
    text = PATH.sub(" ", text)
    text = re.sub(r"&(?=\w)", "", text)  # mnemonics: 是(&Y)
    text = re.sub(r"\bF\d{1,2}\b", " ", text)
    return [w for w in WORD.findall(text) if w.lower() not in ALLOWED]


# -- finding the dialogs ------------------------------------------------------------------------
def dialog_classes() -> list[type]:
    """Every QDialog and QMainWindow subclass defined in a module of ufdesk.gui."""
    from PySide6.QtWidgets import QDialog, QMainWindow

    import ufdesk.gui as pkg

    found = []
    for info in pkgutil.walk_packages(pkg.__path__, "ufdesk.gui."):
        mod = importlib.import_module(info.name)
        for _n, obj in inspect.getmembers(mod, inspect.isclass):
            if obj.__module__ == info.name and issubclass(obj, (QDialog, QMainWindow)):
                found.append(obj)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _name(cls) -> str:
    return f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__qualname__}"


def recipes(env) -> dict:
    """Class name → function giving [(label, dialog)] for the classes the generic recipe cannot
    build, or that have several faces worth a look."""
    from ufdesk.domain import LEDGERS

    ctx, win = env["ctx"], env["window"]

    def users(m):
        return [("新增用户", m.PasswordDialog("新增用户", win, with_name=True, roles=True)),
                ("修改密码", m.PasswordDialog("修改 张三 的密码", win, own=(ctx.services, "admin"))),
                ("修改他人密码", m.PasswordDialog("修改 张三 的密码", win))]

    def forms(m):
        out = [(f"新增{lg.label}", m.RecordForm(ctx, name, None, win)) for name, lg in LEDGERS.items()]
        uuid = env.get("rep_uuid")
        if uuid:
            out.append(("修改代表人士", m.RecordForm(ctx, "representatives", uuid, win)))
        return out

    def subrows(m):
        return [(f"{lg.label}·{sub.label}", m.SubRowDialog(ctx, sub, None, {}, win))
                for lg in LEDGERS.values() for sub in lg.subs]

    return {
        "users_dialog.PasswordDialog": users,
        "backup_dialog.SecretDialog": lambda m: [
            ("加密口令", m.SecretDialog("加密口令", "复制出去的备份用口令加密。没有口令谁也打不开——也包括您自己，"
                                             "请牢记或按规定保管。", win)),
            ("备份口令", m.SecretDialog("备份口令", "这是加密的备份，请输入当初设置的口令。", win, confirm=False))],
        "backup_dialog.RestoreLogin": lambda m: [("恢复登录", m.RestoreLogin(win, "admin", "按备份中的用户核对。"))],
        "evaluation_page.BehindDialog": lambda m: [("考核明细", m.BehindDialog(
            {"title": "白鹤镇·信息报送", "rule": "每月按时报送得满分，逾期一次扣2分。", "lines": ["2026年3月：逾期"],
             "ledger": "representatives", "uuids": ["x"]}, win))],
        "form.RecordForm": forms,
        "subtable.SubRowDialog": subrows,
        "setup_dialog.SetupDialog": lambda m: [("首次使用", m.SetupDialog(env["worker"], win))],
        "export_dialog.ExportDialog": lambda m: [("导出", m.ExportDialog(ctx, "representatives", None, win))],
        "import_wizard.ImportWizard": lambda m: [("导入", m.ImportWizard(ctx, "representatives", win))],
        "pickers.RecordPicker": lambda m: [("选择记录", m.RecordPicker(ctx, "representatives", win))],
        "mainwindow.MainWindow": lambda m: [("主窗口", win)],
        "help.HelpDialog": lambda m: [("使用说明", m.HelpDialog("exchange", win))],
        "table_actions.BulkEditDialog": lambda m: [("批量修改", m.BulkEditDialog(ctx, LEDGERS["representatives"], 3, win))],
        "backup_dialog.RestoreConfirm": lambda m: [("恢复核对", m.RestoreConfirm(restore_preview(env), win))],
    }


def restore_preview(env):
    """What the restore confirmation shows, for a backup of the sweep's own database."""
    from ufdesk.services import backup as B
    from ufdesk.services.restore import preview

    svc = env["ctx"].services
    info = B.make_backup(svc.store.path, folder=Path(svc.store.path).parent / "sweep-backups")
    return preview(svc.store.path, info.path)


def build(cls, env) -> list[tuple[str, object]]:
    mod = sys.modules[cls.__module__]
    recipe = recipes(env).get(_name(cls))
    if recipe is not None:
        return recipe(mod)
    try:
        return [(_name(cls), cls(env["ctx"], env["window"]))]
    except TypeError:
        return [(_name(cls), cls(env["window"]))]


# -- what is wrong in one shown window ----------------------------------------------------------
def visible_texts(top) -> list[tuple[str, str]]:
    """(where, text) of everything readable in the window as shown."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QGroupBox,
        QHeaderView,
        QLabel,
        QLineEdit,
        QMainWindow,
        QPlainTextEdit,
        QTabBar,
        QTextEdit,
        QWidget,
        QWizard,
    )

    out = [("标题", top.windowTitle())]
    widgets = [w for w in top.findChildren(QWidget) if w.isVisibleTo(top) and not w.isWindow()]
    for w in widgets:
        kind = type(w).__name__
        if w.toolTip():
            out.append((f"{kind} 提示", w.toolTip()))
        if isinstance(w, QLabel):
            out.append((kind, w.text()))
        elif isinstance(w, QAbstractButton):
            out.append((kind, w.text()))
        elif isinstance(w, QGroupBox):
            out.append((kind, w.title()))
        elif isinstance(w, QTabBar):
            out += [(kind, w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QComboBox):
            out += [(kind, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QLineEdit):
            out.append((f"{kind} 提示文字", w.placeholderText()))
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            out.append((f"{kind} 提示文字", w.placeholderText()))
        if isinstance(w, QHeaderView) and w.model() is not None and w.orientation() == Qt.Horizontal:
            out += [("表头", str(w.model().headerData(i, Qt.Horizontal) or "")) for i in range(w.count())
                    if not w.isSectionHidden(i)]
    if isinstance(top, QWizard):
        page = top.currentPage()
        if page is not None:
            out += [("向导页", page.title()), ("向导页", page.subTitle())]
    if isinstance(top, QMainWindow):
        for menu_action in top.menuBar().actions():
            out += menu_texts(menu_action.menu(), menu_action.text())
    return [(where, t) for where, t in out if t]


def menu_texts(menu, title: str = "") -> list[tuple[str, str]]:
    out = [("菜单", title)] if title else []
    if menu is None:
        return out
    menu.aboutToShow.emit()  # menus filled when opened (最近打开…) fill now
    for a in menu.actions():
        out.append(("菜单项", a.text()))
        if a.statusTip():
            out.append(("菜单项说明", a.statusTip()))
        if a.menu() is not None:
            out += menu_texts(a.menu())
    return out


def overlaps(top) -> list[str]:
    """Visible sibling widgets whose rectangles cross (hidden stacked pages are not visible)."""
    from PySide6.QtWidgets import QRubberBand, QWidget

    found = []
    for parent in [top, *top.findChildren(QWidget)]:
        if not (parent is top or parent.isVisibleTo(top)):
            continue
        kids = [w for w in parent.children() if isinstance(w, QWidget) and not w.isWindow()
                and w.isVisibleTo(top) and not isinstance(w, QRubberBand) and w.width() > 0 and w.height() > 0]
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                inter = a.geometry().intersected(b.geometry())
                if inter.width() > 1 and inter.height() > 1:
                    found.append(f"{_describe(a)} 压在 {_describe(b)} 上（{parent.__class__.__name__} 内，"
                                 f"{inter.width()}×{inter.height()}）")
    return found


def _describe(w) -> str:
    text = ""
    for attr in ("text", "title", "placeholderText"):
        fn = getattr(w, attr, None)
        if callable(fn):
            try:
                text = fn() or ""
            except TypeError:
                continue
            if text:
                break
    return f"{type(w).__name__}{'#' + w.objectName() if w.objectName() else ''}{'“' + text[:16] + '”' if text else ''}"


def cut_labels(top) -> list[str]:
    """Word-wrapped labels shorter than their text needs (the last lines are cut off)."""
    from PySide6.QtWidgets import QLabel

    found = []
    for w in top.findChildren(QLabel):
        if w.isVisibleTo(top) and w.wordWrap() and w.text() and w.width() > 0:
            need = w.heightForWidth(w.width())
            if need > w.height() + 2:
                found.append(f"“{w.text()[:20]}”需要 {need} 像素高，只有 {w.height()}")
    return found


def inspect_window(label: str, top, app) -> dict:
    from PySide6.QtWidgets import QMainWindow

    top.show()
    for _ in range(3):
        app.processEvents()
    if top.layout() is not None:
        top.layout().activate()
    app.processEvents()
    size = top.size()  # the frame and title bar are in the 768 − 680 left over with the taskbar
    report = {
        "label": label, "class": type(top).__name__, "size": [size.width(), size.height()],
        "min": [top.minimumSizeHint().width(), top.minimumSizeHint().height()],
        "latin": sorted({f"{where}：{text[:60]} → {w}" for where, text in visible_texts(top) for w in latin_words(text)}),
        "overlaps": overlaps(top), "cut": cut_labels(top)
    }
    if isinstance(top, QMainWindow):  # every tab of the window is a page a clerk sees
        for i in range(top.tabs.count()):
            top.tabs.setCurrentIndex(i)
            app.processEvents()
            report["latin"] += [f"{top.tabs.tabText(i)}：{text[:60]} → {w}" for where, text in visible_texts(top)
                                for w in latin_words(text)]
            report["overlaps"] += [f"{top.tabs.tabText(i)}：{o}" for o in overlaps(top)]
            report["cut"] += [f"{top.tabs.tabText(i)}：{c}" for c in cut_labels(top)]
        report["latin"] = sorted(set(report["latin"]))
        report["overlaps"] = sorted(set(report["overlaps"]))
        report["cut"] = sorted(set(report["cut"]))
    return report


def sweep(env, app) -> dict:
    """{"windows": [report…], "unbuilt": [class names]} for every dialog class and the window."""
    from shiboken6 import isValid

    reports, unbuilt = [], []
    for cls in dialog_classes():
        try:
            built = build(cls, env)
        except Exception as exc:  # noqa: BLE001 — reported: the test names the class
            unbuilt.append(f"{_name(cls)}: {type(exc).__name__}: {exc}")
            continue
        for label, dlg in built:
            if hasattr(dlg, "ready") and getattr(dlg, "uuid", None):  # a record form reads its record first
                from PySide6.QtCore import QEventLoop, QTimer

                loop = QEventLoop()
                dlg.ready.connect(loop.quit)
                QTimer.singleShot(5000, loop.quit)
                if not dlg._loaded:
                    loop.exec()
            reports.append(inspect_window(label, dlg, app))
            if dlg is not env["window"] and isValid(dlg):
                dlg.hide()
                dlg.deleteLater()
        app.processEvents()
    return {"windows": reports, "unbuilt": unbuilt}


def open_env(db: str, settings_file: str):
    """The demo county's window, as start-up opens it, for the sweep."""
    from PySide6.QtWidgets import QApplication

    from ufdesk.gui import settings as S
    from ufdesk.gui.main import make_app, open_window
    from ufdesk.gui.tasks import Worker

    S.use_file(settings_file)
    make_app()
    worker = Worker()
    win = open_window(db, worker)
    ids = win.ctx.services.page(__import__("ufdesk.services", fromlist=["Query"]).Query("representatives"), 0, 1,
                                ["uuid"])
    return QApplication.instance(), {"ctx": win.ctx, "window": win, "worker": worker,
                                     "rep_uuid": ids[0]["uuid"] if ids else None}


def main(argv: list[str]) -> int:
    db, out = argv[1], argv[2]
    app, env = open_env(db, str(Path(out).with_suffix(".ini")))
    result = sweep(env, app)
    Path(out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    env["worker"].shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
