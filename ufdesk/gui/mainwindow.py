"""The main window: 首页 and the six ledger tabs, menus, toolbar and status bar."""

from __future__ import annotations

import weakref

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStyle, QTabWidget, QToolBar, QWidget

from .. import __version__
from ..domain import LEDGERS
from . import settings as S
from .alive import guard
from .launchers import launch
from .ledger_tab import LedgerTab
from .messages import show_error

APP_TITLE = "统战工作台账"


def default_size(screen: QSize) -> QSize:
    """The window's first size: 1280×680 — whole on a 1366×768 laptop and on 1920×1080 at 150 %,
    taskbar and title bar included — or most of a larger screen; never more than the screen."""
    return QSize(min(max(1280, int(screen.width() * 0.85)), screen.width()),
                 min(max(680, int(screen.height() * 0.85)), screen.height()))


class _LazyTabs(dict):
    """The ledger tabs by ledger name; a tab not yet shown is built when asked for. Iterating
    gives the tabs built so far (a tab never shown has no state to save)."""

    def __init__(self, window):
        super().__init__()
        self._window = weakref.ref(window)

    def __missing__(self, name: str):
        if name not in LEDGERS:
            raise KeyError(name)
        return self._window().page(name)


class MainWindow(QMainWindow):
    open_database = Signal(str)  # another database chosen from the 文件 menu
    closed = Signal()

    def __init__(self, ctx, db_path: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.db_path = db_path
        self.place = ctx.services.place_name()
        self.demo = ctx.services.is_demo
        # Qt adds the program's name (the application display name) after the title itself
        self.setWindowTitle(self.place + ("【演示】" if self.demo else ""))
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        # Each page is built when first shown (or asked for): start-up builds only the page the
        # clerk left open, not eight (issue 13 item 9).
        # (No bound methods or lambdas are kept: a reference cycle would keep the Python side of
        # a closed window alive.)
        self._unbuilt: dict[QWidget, str] = {}
        self._pages: dict[str, QWidget] = {}
        self.ledger_tabs = _LazyTabs(self)
        self._lazy_page("home", "首页")
        for name, lg in LEDGERS.items():
            self._lazy_page(name, lg.label)
        self._lazy_page("evaluation", "考核评价")
        self.setCentralWidget(self.tabs)
        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._make_status()
        self._readonly_banner()
        self.tabs.currentChanged.connect(self._tab_changed)
        ctx.changed.connect(self._data_changed)
        geometry = S.WINDOW_GEOMETRY.get()
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(default_size(self.screen().availableGeometry().size()))
        state = S.WINDOW_STATE.get()
        if not state.isEmpty():
            self.restoreState(state)
        last = S.LAST_TAB.get()
        self.tabs.setCurrentIndex(last if 0 <= last < self.tabs.count() else 0)
        self._tab_changed(self.tabs.currentIndex())
        self._load_totals()

    # -- pages, built when first shown -------------------------------------------------------
    def _lazy_page(self, key: str, label: str) -> None:
        holder = QWidget(self.tabs)
        self._unbuilt[holder] = key
        self._pages[key] = holder
        self.tabs.addTab(holder, label)

    def page(self, key: str) -> QWidget:
        """The page ``key`` (home, a ledger's name, evaluation), built now if it was not yet."""
        holder = self._pages[key]
        if holder not in self._unbuilt:
            return holder
        del self._unbuilt[holder]
        widget = (self._make_home() if key == "home" else self._make_evaluation() if key == "evaluation"
                  else self._make_ledger_tab(key))
        self._pages[key] = widget
        i = self.tabs.indexOf(holder)
        current = self.tabs.currentIndex() == i
        blocked = self.tabs.blockSignals(True)  # the swap is not a change of tab
        self.tabs.insertTab(i, widget, self.tabs.tabText(i))
        self.tabs.removeTab(i + 1)
        if current:
            self.tabs.setCurrentIndex(i)
        self.tabs.blockSignals(blocked)
        holder.deleteLater()
        return widget

    def _make_home(self) -> QWidget:
        from .home import HomePage

        home = HomePage(self.ctx, self)
        home.open_ledger.connect(self.show_ledger)
        return home

    def _make_ledger_tab(self, name: str) -> LedgerTab:
        tab = LedgerTab(self.ctx, name, self)
        tab.counted.connect(self._counted)
        dict.__setitem__(self.ledger_tabs, name, tab)
        return tab

    def _make_evaluation(self) -> QWidget:
        from .evaluation_page import EvaluationPage

        page = EvaluationPage(self.ctx, self)
        page.open_ledger.connect(self.show_ledger)
        return page

    @property
    def home(self):
        return self.page("home")

    @property
    def evaluation(self):
        return self.page("evaluation")

    # -- actions ------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, icon=None, tip: str = "") -> QAction:
        act = QAction(text, self)
        act.triggered.connect(lambda _checked=False: slot())
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            act.setIcon(self.style().standardIcon(icon))
        if tip:
            act.setStatusTip(tip)
        return act

    def _make_actions(self) -> None:
        P = QStyle.StandardPixmap
        self.act_new_db = self._action("新建本县/本乡镇数据库…", self._new_db, None, None,
                                       "填写本县信息，建立本县（或本乡镇）的数据库")
        self.act_open = self._action("打开…", self._open_db, QKeySequence.Open, P.SP_DialogOpenButton, "打开另一个数据库")
        self.act_save_backup = self._action("另存备份…", self._save_backup, None, None, "把当前数据库另存一份（可加密）")
        self.act_quit = self._action("退出", self.close, QKeySequence.Quit)
        self.act_undo = self._action("撤销", self.undo, QKeySequence.Undo, P.SP_ArrowBack, "撤销最近一次修改")
        self.act_redo = self._action("重做", self.redo, None, None, "重做刚才撤销的修改")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_zoom_in = self._action("放大文字", lambda: self.zoom_text(1), None)
        self.act_zoom_in.setShortcuts([QKeySequence.ZoomIn, QKeySequence("Ctrl+=")])
        self.act_zoom_out = self._action("缩小文字", lambda: self.zoom_text(-1), QKeySequence.ZoomOut)
        self.act_zoom_reset = self._action("文字恢复原大", lambda: self.zoom_text(0), "Ctrl+0")
        self.act_new = self._action("新增", self.new_record, QKeySequence.New, P.SP_FileIcon, "新增一条记录")
        self.act_edit = self._action("修改", self.edit_record, None, None, "打开所选记录")
        self.act_delete = self._action("删除", self.delete_record, QKeySequence.Delete, None, "删除所选记录")
        self.act_find = self._action("查找", self.focus_find, QKeySequence.Find)
        self.act_refresh = self._action("刷新", lambda: self.ctx.notify("*"), QKeySequence.Refresh, P.SP_BrowserReload)
        self.act_import = self._action("导入…", self.import_data, "Ctrl+I", P.SP_ArrowDown, "从 Excel 花名册导入")
        self.act_export = self._action("导出…", self.export_data, "Ctrl+E", P.SP_ArrowUp, "导出为 Excel")
        self.act_report = self._action("报表…", self.reports, "Ctrl+P", P.SP_FileDialogDetailedView, "打印和导出报表")
        self.act_exchange = self._action("数据交换…", self.exchange, None, P.SP_DriveFDIcon, "用U盘与县、乡镇交换数据")
        self.act_conflicts = self._action("冲突处理…", self.conflicts, None, None, "处理数据交换中的修改冲突")
        self.act_settings = self._action("单位与系统设置…", self.open_settings)
        self.act_users = self._action("用户管理…", self.open_users)
        self.act_audit = self._action("审计日志…", self.open_audit)
        self.act_backup = self._action("备份与恢复…", self.open_backups)
        self.act_help = self._action("使用说明", self.show_manual, QKeySequence.HelpContents,
                                     tip="首次使用、日常录入、导入、报表、数据交换、备份（F1）")
        self.act_about = self._action("关于…", self.about)
        self.act_diagnostics = self._action("导出诊断信息…", self.export_diagnostics,
                                            tip="日志、版本和设置（不含个人信息和口令），交给信息科或维护人员")
        self.act_undo.setEnabled(False)
        self.act_undo.setIconText("撤销")  # the toolbar keeps its width: what is undone is in the menu
        self.act_redo.setEnabled(False)
        svc = self.ctx.services  # the role is known: the login came before the window
        for act, permission in ((self.act_import, "import"), (self.act_export, "export")):
            act.setEnabled(svc.allowed(permission))

    def _make_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("文件(&F)")
        m.addAction(self.act_new_db)
        m.addAction(self.act_open)
        self.recent_menu = m.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()
        m.addAction(self.act_save_backup)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = bar.addMenu("编辑(&E)")
        for a in (self.act_undo, self.act_redo, None, self.act_new, self.act_edit, self.act_delete, None, self.act_find, self.act_refresh):
            m.addSeparator() if a is None else m.addAction(a)
        m = bar.addMenu("查看(&V)")
        for a in (self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset):
            m.addAction(a)
        m = bar.addMenu("导入导出(&I)")
        m.addAction(self.act_import)
        m.addAction(self.act_export)
        m = bar.addMenu("报表(&R)")
        m.addAction(self.act_report)
        m = bar.addMenu("数据交换(&X)")
        m.addAction(self.act_exchange)
        m.addAction(self.act_conflicts)
        m = bar.addMenu("设置(&S)")
        for a in (self.act_settings, self.act_users, self.act_audit, self.act_backup):
            m.addAction(a)
        m = bar.addMenu("帮助(&H)")
        m.addAction(self.act_help)
        m.addSeparator()
        m.addAction(self.act_diagnostics)
        m.addAction(self.act_about)

    def _make_toolbar(self) -> None:
        tb = QToolBar("工具栏", self)
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        for a in (self.act_new, self.act_undo, None, self.act_import, self.act_export, self.act_report, None,
                  self.act_exchange, self.act_refresh):
            tb.addSeparator() if a is None else tb.addAction(a)
        self.addToolBar(Qt.TopToolBarArea, tb)

    def _make_status(self) -> None:
        bar = self.statusBar()
        self.status_db = QLabel(f"数据库：{self.db_path}", self)
        self.status_place = QLabel(f"本机：{self.place}", self)
        self.status_counts = QLabel(self)
        self.status_db.setToolTip(self.db_path)
        self.status_user = QLabel(self)
        self.status_user.setObjectName("statusUser")
        self._show_user()
        widgets = [self.status_counts, self.status_user, self.status_place, self.status_db]
        if self.demo:
            self.status_demo = QLabel("【演示】虚构的青岚湖县，仅供熟悉操作", self)
            self.status_demo.setToolTip("本县的数据请用“文件 → 新建本县/本乡镇数据库…”建立")
            self.status_demo.setObjectName("demoNotice")
            self.status_demo.setStyleSheet("background: #fff4ce; padding: 1px 6px;")
            widgets.insert(0, self.status_demo)
        for w in widgets:
            bar.addPermanentWidget(w)

    def _show_user(self) -> None:
        """Who is logged in, and as what (a database without users: say so)."""
        from ..services.users import ROLES

        svc = self.ctx.services
        self.status_user.setText(f"用户：{svc.user}（{ROLES.get(svc.role, svc.role)}）" if svc.user else "未设置用户")

    # -- tabs ---------------------------------------------------------------------------------
    def current_tab(self) -> LedgerTab | None:
        w = self.tabs.currentWidget()
        return w if isinstance(w, LedgerTab) else None

    def _tab_changed(self, index: int) -> None:
        key = self._unbuilt.get(self.tabs.widget(index))
        if key is not None:
            self.page(key)
        tab = self.current_tab()
        if tab is not None:
            tab.start()
            tab.view.setFocus()  # the table, as in Excel: the search box would swallow Ctrl+Z and Ctrl+E
        for a in (self.act_new, self.act_edit, self.act_delete, self.act_find):
            a.setEnabled(tab is not None)
        if tab is not None and not self.ctx.services.allowed("edit"):
            self.act_new.setEnabled(False)
            self.act_delete.setEnabled(False)
        self._show_counts()

    def show_ledger(self, ledger: str, filters: dict, label: str = "", township=None) -> LedgerTab:
        """Switch to a ledger's tab showing exactly these conditions (from the home page)."""
        tab = self.ledger_tabs[ledger]
        self.tabs.setCurrentWidget(tab)
        tab.show_filtered(filters, label, township=township)
        return tab

    def _counted(self, _ledger: str, _n: int) -> None:
        self._show_counts()

    def _load_totals(self) -> None:
        from ..services.stats import totals

        self.ctx.worker.submit(totals, self.ctx.services, on_done=guard(self, self._totals_arrived),
                               on_error=lambda _e: None)

    def _totals_arrived(self, totals: dict) -> None:
        self.totals = totals
        self._show_counts()

    def _show_counts(self) -> None:
        tab = self.current_tab()
        totals = getattr(self, "totals", None)
        if tab is not None and tab.model.ids is not None and tab._started:
            lg = tab.lg
            shown = len(tab.model.ids)
            all_ = totals[lg.name] if totals else shown
            self.status_counts.setText(f"{lg.label}：显示 {shown} / 共 {all_} {lg.unit}")
        elif totals:
            self.status_counts.setText("　".join(f"{lg.label} {totals[n]}" for n, lg in LEDGERS.items()))

    def _data_changed(self, _ledger: str) -> None:
        label = self.ctx.services.undo_label
        self.act_undo.setEnabled(label is not None)
        self.act_undo.setText(f"撤销“{label}”" if label else "撤销")
        self.act_undo.setToolTip(f"撤销“{label}”（Ctrl+Z）" if label else "没有可以撤销的修改")
        self._show_user()
        redo = self.ctx.services.redo_label
        self.act_redo.setEnabled(redo is not None and self.ctx.services.allowed("edit"))
        self.act_redo.setText(f"重做“{redo}”" if redo else "重做")
        self._load_totals()

    # -- commands -----------------------------------------------------------------------------
    def undo(self) -> None:
        label = self.ctx.services.undo_label
        if label is None:
            self.statusBar().showMessage("没有可以撤销的修改。", 4000)
            return

        def done(change):
            if change is not None:
                self.statusBar().showMessage(f"已撤销：{label}", 6000)
                self.ctx.notify(change.ledger)

        self.ctx.worker.submit(self.ctx.services.undo, on_done=guard(self, done),
                               on_error=guard(self, lambda e: show_error(self, e)))

    def redo(self) -> None:
        label = self.ctx.services.redo_label
        if label is None:
            self.statusBar().showMessage("没有可以重做的修改。", 4000)
            return

        def done(change):
            if change is not None:
                self.statusBar().showMessage(f"已重做：{label}", 6000)
                self.ctx.notify(change.ledger)

        self.ctx.worker.submit(self.ctx.services.redo, on_done=guard(self, done),
                               on_error=guard(self, lambda e: show_error(self, e)))

    def zoom_text(self, step: int) -> None:
        """Ctrl+加号 / Ctrl+减号: every text larger or smaller (remembered); Ctrl+0: back to normal."""
        from PySide6.QtWidgets import QApplication

        from .main import FONT_SIZE, set_text_size

        app = QApplication.instance()
        size = FONT_SIZE if step == 0 else max(8, min(20, app.font().pointSize() + step))
        set_text_size(app, size)
        S.TEXT_SIZE.set(size)
        for tab in self.ledger_tabs.values():
            tab.view.verticalHeader().setDefaultSectionSize(tab.view.fontMetrics().height() + 10)
        self.statusBar().showMessage(f"文字大小：{size} 磅（Ctrl+加号放大，Ctrl+减号缩小，Ctrl+0 恢复）", 5000)

    def new_record(self):
        tab = self.current_tab()
        return tab.new_record() if tab else None

    def edit_record(self):
        tab = self.current_tab()
        return tab.open_record(tab.view.currentIndex().row()) if tab else None

    def delete_record(self) -> None:
        tab = self.current_tab()
        if tab:
            tab.delete_record()

    def focus_find(self) -> None:
        tab = self.current_tab()
        if tab:
            tab.filters.text.setFocus()
            tab.filters.text.selectAll()

    def _ledger_name(self) -> str:
        tab = self.current_tab()
        return tab.lg.name if tab else "representatives"

    # Each dialog's module is imported when its menu item is chosen: start-up stays light.
    def import_data(self) -> None:
        from .import_wizard import ImportWizard

        launch(self, self.ctx, ImportWizard, self._ledger_name())

    def export_data(self) -> None:
        from .export_dialog import ExportDialog

        tab = self.current_tab()
        launch(self, self.ctx, ExportDialog, self._ledger_name(), tab.model.query if tab else None)

    def reports(self) -> None:
        from .report_dialog import ReportDialog

        launch(self, self.ctx, ReportDialog)

    def exchange(self) -> None:
        from .exchange_dialog import ExchangeDialog

        launch(self, self.ctx, ExchangeDialog)

    def conflicts(self) -> None:
        from .conflicts_dialog import ConflictsDialog

        launch(self, self.ctx, ConflictsDialog)

    def open_settings(self) -> None:
        from .settings_dialog import SettingsDialog

        launch(self, self.ctx, SettingsDialog)

    def open_users(self) -> None:
        from .users_dialog import UsersDialog

        launch(self, self.ctx, UsersDialog)

    def open_audit(self) -> None:
        from .audit_dialog import AuditDialog

        launch(self, self.ctx, AuditDialog)

    def open_backups(self) -> None:
        from .backup_dialog import BackupDialog

        launch(self, self.ctx, BackupDialog)

    def _open_db(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from ..paths import user_data_dir

        path, _ = QFileDialog.getOpenFileName(self, "打开数据库", str(user_data_dir()), "数据库 (*.db);;所有文件 (*)")
        if path:
            self.open_database.emit(path)

    def _new_db(self) -> None:
        from .setup_dialog import SetupDialog

        dialog = SetupDialog(self.ctx.worker, self, new_only=True)
        if dialog.exec() and dialog.chosen:
            self.open_database.emit(dialog.chosen)

    def _fill_recent(self) -> None:
        from pathlib import Path

        self.recent_menu.clear()
        paths = [p for p in S.RECENT_DBS.get().split("\n") if p and p != self.db_path and Path(p).exists()]
        for i, path in enumerate(paths[:8], 1):
            act = self.recent_menu.addAction(f"&{i} {Path(path).name}　{Path(path).parent}")
            act.setToolTip(path)
            act.triggered.connect(lambda _c=False, p=path: self.open_database.emit(p))
        if not paths:
            self.recent_menu.addAction("（没有其他最近打开的数据库）").setEnabled(False)

    def _save_backup(self) -> None:
        """另存备份: a copy of this database where the clerk chooses — plain, or encrypted (.ufbak)."""
        import datetime as dt
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        from ..services import backup as B
        from .files import show_saved, suggested

        svc = self.ctx.services
        if not svc.is_sqlite:
            QMessageBox.information(self, "另存备份", "服务器上的数据库请由信息科用数据库服务器的备份工具备份。")
            return
        name = f"{Path(self.db_path).stem}_备份_{dt.datetime.now():%Y%m%d-%H%M}.db"
        path, chosen = QFileDialog.getSaveFileName(self, "另存备份", suggested(name),
                                                   "数据库副本（未加密） (*.db);;加密备份 (*.ufbak)")
        if not path:
            return
        secret = None
        if "ufbak" in chosen or path.lower().endswith(".ufbak"):
            from .backup_dialog import SecretDialog

            path = str(Path(path).with_suffix(".ufbak"))
            d = SecretDialog("加密口令", "备份用口令加密。没有口令谁也打不开——也包括您自己，请牢记或按规定保管。", self)
            if not d.exec():
                return
            secret = d.value

        def done(written):
            show_saved(self, "另存备份", written, f"已另存备份：\n{written}"
                       + ("" if secret else "\n\n这份副本没有加密，含全部身份证号，请妥善保管。"))

        self.ctx.worker.submit(B.copy_out, svc, Path(path), passphrase=secret, on_done=guard(self, done),
                               on_error=guard(self, lambda e: show_error(self, e, "另存备份")))

    def _readonly_banner(self) -> None:
        """A strip over the tabs while the database cannot be written (edits are disabled by the
        services' permissions, so every button that would change something is greyed out)."""
        notice = self.ctx.services.readonly_notice()
        if not notice:
            return
        bar = QToolBar("只读", self)
        bar.setObjectName("readonlyBanner")
        bar.setMovable(False)
        label = QLabel(notice, bar)
        label.setObjectName("readonlyBannerText")
        label.setStyleSheet("background: #fde7e9; padding: 6px 10px;")
        label.setWordWrap(True)
        bar.addWidget(label)
        self.addToolBarBreak(Qt.TopToolBarArea)
        self.addToolBar(Qt.TopToolBarArea, bar)
        self.readonly_banner = bar

    def export_diagnostics(self) -> None:
        import datetime as dt
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        from ..diagnostics import export

        suggested = str(Path.home() / f"ufdesk-诊断-{dt.date.today():%Y%m%d}.zip")
        path, _ = QFileDialog.getSaveFileName(self, "导出诊断信息", suggested, "zip 文件 (*.zip)")
        if not path:
            return
        try:
            written = export(path, services=self.ctx.services)
        except Exception as exc:  # noqa: BLE001
            from .messages import show_error

            show_error(self, exc, "导出诊断信息")
            return
        QMessageBox.information(self, "导出诊断信息", f"已导出：{written}\n\n其中有日志、版本和设置，不含个人信息和口令。"
                                "请把这个文件交给信息科或维护人员。")

    def show_manual(self) -> None:
        from .help import show_help

        show_help(self)

    def about(self) -> None:
        from .notices_dialog import about_box

        about_box(
            self, "关于",
            f"<h3>{APP_TITLE}</h3><p>版本 {__version__}</p>"
            "<p>县委统战部及乡镇的代表人士、商会社团、宗教场所、提案建议、统战干部和活动台账；"
            "离线使用，乡镇与县之间用U盘交换数据。</p>"
            "<p>界面字体：文泉驿微米黑（Apache-2.0）。</p>")

    # -- closing ------------------------------------------------------------------------------
    def save_state(self) -> None:
        S.WINDOW_GEOMETRY.set(self.saveGeometry())
        S.WINDOW_STATE.set(self.saveState())
        S.LAST_TAB.set(self.tabs.currentIndex())
        for tab in self.ledger_tabs.values():
            tab.save_state()

    def closeEvent(self, event) -> None:
        self.save_state()
        super().closeEvent(event)
        self.closed.emit()
