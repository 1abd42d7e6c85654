"""备份与恢复: back up now, copy to a stick (always encrypted), restore from the list or a file.

The list shows each backup's date, kind and record counts. A restore first says what it would
replace and by what (取消 is the default; another PC's backup needs a second, explicit choice),
asks for a login of an administrator of the live database, saves the current state, and runs on
the database worker (the one thread that touches the database) with the store's connections
closed. Afterwards the undo history is gone and the window is opened again on the restored file
(its title, banner and tabs are the restored installation's). The dialogs of a restore are
opened with ``open()``, one after the other, so nothing waits in a nested event loop.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)
from shiboken6 import isValid

from ..domain.errors import UfError
from ..paths import backups_dir
from ..services import backup as B
from ..services import users as U
from .help import help_button
from .messages import ok_cancel, show_error

COLUMNS = ("时间", "类型", "记录数", "详情")


class SecretDialog(QDialog):
    """A passphrase (typed twice when making an encrypted copy)."""

    def __init__(self, title: str, text: str, parent=None, *, confirm: bool = True):
        super().__init__(parent)
        self.setWindowTitle(title)
        label = QLabel(text, self)
        label.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.first, self.second = QLineEdit(self), QLineEdit(self)
        self.first.setObjectName("passphrase")
        self.second.setObjectName("passphrase2")
        for w in (self.first, self.second):
            w.setEchoMode(QLineEdit.Password)
        form.addRow("口令", self.first)
        if confirm:
            form.addRow("再输入一次", self.second)
        self.second.setVisible(confirm)  # asked once: the second box is not there at all
        self.confirm = confirm
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setMinimumHeight(self.message.fontMetrics().height())
        buttons = ok_cancel(self, self._check)
        layout = QVBoxLayout(self)  # the explanation above the form, wrapped in the dialog's width
        layout.addWidget(label)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _check(self) -> None:
        if len(self.first.text()) < 8:
            self.message.setText("口令至少 8 个字符。")
        elif self.confirm and self.first.text() != self.second.text():
            self.message.setText("两次输入的口令不一致。")
        else:
            self.accept()

    @property
    def value(self) -> str:
        return self.first.text()


class RestoreConfirm(QDialog):
    """What a restore replaces and by what: the live database (file, place, record counts) and
    the backup (file, date, place, record counts). 取消 is the default button; a backup made on
    another PC enables 恢复 only once the clerk ticks the box that says so."""

    def __init__(self, preview, parent=None):
        super().__init__(parent)
        self.setWindowTitle("恢复备份：请核对")
        self.setObjectName("restoreConfirm")
        self.preview = preview
        lay = QVBoxLayout(self)
        head = QLabel("<b>用这份备份替换当前数据库？</b>", self)
        lay.addWidget(head)
        self.current = self._side("当前数据库（将被替换）", preview.current, lay, with_date=False)
        self.backup = self._side("备份（用来替换）", preview.backup, lay, with_date=True)
        note = QLabel(f"恢复前，当前的数据会先另存一份（“恢复前”），保存在 {backups_dir()}，之后可以再从它恢复回来。"
                      "恢复后，本次打开以来的修改不能再用“撤销”（Ctrl+Z）退回；程序会按恢复后的数据库重新打开，"
                      "需要重新登录。", self)
        note.setWordWrap(True)
        lay.addWidget(note)
        self.other = QCheckBox(self)
        self.other.setObjectName("otherInstallation")
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b00020;")
        if preview.other_installation:
            self.warning.setText(f"这份备份来自另一台电脑（{preview.backup.place}），不是本机（{preview.current.place}）"
                                 "的备份：恢复后本机的数据将全部变成那台电脑的数据。")
            self.other.setText(f"我确认用另一台电脑（{preview.backup.place}）的备份替换本机数据")
            lay.addWidget(self.warning)
            lay.addWidget(self.other)
        else:
            self.other.hide()
            self.warning.hide()
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton("恢复", QDialogButtonBox.AcceptRole)
        self.ok.setObjectName("restoreButton")
        self.cancel = buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.cancel.setObjectName("cancelButton")
        for b in (self.ok, self.cancel):
            b.setAutoDefault(False)
        self.cancel.setDefault(True)  # Enter cancels: replacing a database is never the default
        self.ok.setEnabled(not preview.other_installation)
        self.other.toggled.connect(lambda on: self.ok.setEnabled(on or not preview.other_installation))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.cancel.setFocus()
        self.setMinimumWidth(560)

    def _side(self, title: str, side, lay, *, with_date: bool) -> QLabel:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        form.addRow("文件", self._wrap(str(side.file), box))
        if with_date:
            form.addRow("备份时间", QLabel(f"{side.at:%Y-%m-%d %H:%M}" if side.at else "不明", box))
        if side.problem:
            form.addRow("状态", self._wrap(side.problem, box))
            lay.addWidget(box)
            return box
        form.addRow("单位", QLabel(side.place, box))
        counts = self._wrap("，".join(f"{k} {v}" for k, v in _labels(side.counts or {}).items())
                            + f"（共 {side.total} 条）", box)
        counts.setObjectName("counts")
        form.addRow("记录数", counts)
        lay.addWidget(box)
        return box

    @staticmethod
    def _wrap(text: str, parent) -> QLabel:
        label = QLabel(text, parent)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        return label

    @property
    def other_installation(self) -> bool:
        return self.preview.other_installation and self.other.isChecked()


class RestoreLogin(QDialog):
    """An administrator's login for a restore (an administrator of the live database; the
    backup's own users only when the live file cannot be opened)."""

    def __init__(self, parent=None, user: str = "", note: str = ""):
        super().__init__(parent)
        self.setWindowTitle("恢复备份需要管理员登录")
        form = QFormLayout(self)
        if note:
            n = QLabel(note, self)
            n.setWordWrap(True)
            form.addRow(n)
        self.name, self.password = QLineEdit(user, self), QLineEdit(self)
        self.name.setObjectName("restoreUser")
        self.password.setObjectName("restorePassword")
        self.password.setEchoMode(QLineEdit.Password)
        form.addRow("管理员", self.name)
        form.addRow("密码", self.password)
        buttons = ok_cancel(self)
        form.addRow(buttons)

    @classmethod
    def ask(cls, parent, backup_path: Path, *, user: str = "", current_has_users: bool = False):
        """``(name, password)``; ``(None, None)`` when no login is needed; None if cancelled."""
        encrypted = B.is_encrypted(backup_path)
        if not (encrypted or current_has_users or B.has_users(backup_path)):
            return None, None
        note = ("当前数据库打不开：按备份中的用户核对。" + ("若该备份未设置用户，可留空。" if encrypted else "")
                if not current_has_users else "请输入当前数据库的管理员用户名和密码。")
        d = cls(parent, user, note)
        if not d.exec():
            return None
        return (d.name.text().strip() or None), d.password.text()


class BackupDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("备份与恢复")
        self.setObjectName("backupDialog")
        svc = ctx.services
        self.infos: list[B.BackupInfo] = []
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setSelectionMode(QTableWidget.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        row = QHBoxLayout()
        self.b_now = self._button("立即备份", self.backup_now, row)
        self.b_copy = self._button("复制到U盘（加密）…", self.copy_out, row)
        self.b_restore = self._button("从所选备份恢复…", self.restore_selected, row)
        self.b_file = self._button("从文件恢复…", self.restore_file, row)
        self._button("打开备份文件夹", lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(backups_dir()))), row)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.Close, self)
        close.rejected.connect(self.reject)
        help_button(close, "backup")
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(900, 480)
        sqlite = ctx.services.is_sqlite
        admin = svc.allowed("admin")
        self.b_copy.setEnabled(sqlite and admin)  # every ID and password hash leaves the PC: an administrator
        self.b_now.setEnabled(sqlite)
        self.b_restore.setEnabled(sqlite and admin)
        self.b_file.setEnabled(sqlite and admin)
        if not sqlite:
            self.note.setText(B.PG_TEXT)
            return
        self.note.setText(f"自动备份：每天关闭程序时一次，保留最近 7 天、4 周、12 个月的各一份，存放在 {backups_dir()}。"
                          "复制到U盘的备份一律加密。" + ("" if admin else "只有管理员可以恢复备份。"))
        self.reload()

    def _button(self, text, slot, row) -> QPushButton:
        b = QPushButton(text, self)
        b.clicked.connect(lambda _=False: slot())
        row.addWidget(b)
        return b

    def reload(self) -> None:
        """Read the list on the worker: each backup is checked and counted, which takes a moment
        for a large database."""
        self.ctx.worker.submit(B.list_backups, self.ctx.services,
                               on_done=lambda infos: self._show(infos) if isValid(self) else None,
                               on_error=lambda exc: show_error(self if isValid(self) else None, exc))

    def _show(self, infos: list[B.BackupInfo]) -> None:
        self.infos = infos
        self.table.setRowCount(len(self.infos))
        for r, info in enumerate(self.infos):
            detail = info.describe().split(" ", 2)[-1] if info.ok else info.problem
            values = (f"{info.at:%Y-%m-%d %H:%M}", info.kind_label, str(info.total) if info.ok else "—", detail)
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setFlags(Qt.ItemIsSelectable | Qt.ItemIsEnabled)
                if not info.ok:
                    item.setForeground(Qt.red)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        if self.infos:
            self.table.selectRow(0)

    def _busy(self, on: bool) -> None:
        for b in (self.b_now, self.b_copy, self.b_restore, self.b_file):
            b.setProperty("wasEnabled", b.isEnabled() if on else b.property("wasEnabled"))
            b.setEnabled(False if on else bool(b.property("wasEnabled")))

    def _submit(self, fn, done) -> None:
        self._busy(True)

        def ok(value):
            if isValid(self):  # the dialog may have been closed while the job ran
                self._busy(False)
                done(value)

        def failed(exc):
            if isValid(self):
                self._busy(False)
            show_error(self if isValid(self) else None, exc)

        self.ctx.worker.submit(fn, on_done=ok, on_error=failed)

    # -- actions ------------------------------------------------------------------------------
    def backup_now(self) -> None:
        def finished(info):
            self.reload()
            QMessageBox.information(self, "备份与恢复", f"已备份：{info.describe()}")

        self._submit(lambda: B.make_backup(self.ctx.services, "manual"), finished)

    def copy_out(self) -> None:
        name = f"{Path(str(self.ctx.services.path)).stem}_备份.ufbak"
        path, _ = QFileDialog.getSaveFileName(self, "复制到U盘（加密）", name, "加密备份 (*.ufbak)")
        if not path:
            return
        d = SecretDialog("加密口令", "复制出去的备份用口令加密。没有口令谁也打不开——也包括您自己，请牢记或按规定保管。", self)
        if not d.exec():
            return
        secret, svc = d.value, self.ctx.services

        def job():
            B.copy_out(svc, Path(path), passphrase=secret)
            return path

        self._submit(job, lambda p: QMessageBox.information(
            self, "备份与恢复", f"已写入并校验加密备份：{p}\n现在可以安全地拔出U盘。"))

    def restore_selected(self) -> None:
        r = self.table.currentRow()
        if r < 0 or r >= len(self.infos):
            QMessageBox.information(self, "备份与恢复", "请先在列表中选择一份备份。")
            return
        info = self.infos[r]
        if not info.ok:
            show_error(self, UfError(f"这份备份不能使用：{info.problem}"))
            return
        self.restore(info.path, info.describe())

    def restore_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择备份文件", "", "备份 (*.db *.ufbak);;所有文件 (*)")
        if path:
            self.restore(Path(path), Path(path).name)

    def restore(self, path: Path, label: str = "") -> None:
        """Ask for the passphrase of an encrypted backup, then show what would be replaced."""
        if B.is_encrypted(path):
            d = SecretDialog("备份口令", "这是加密的备份，请输入当初设置的口令。", self, confirm=False)
            d.setObjectName("backupSecret")
            d.accepted.connect(lambda: self._preview(path, d.value))
            self.step = d
            d.open()
            return
        self._preview(path, None)

    def _preview(self, path: Path, secret: str | None) -> None:
        svc = self.ctx.services
        self._submit(lambda: B.preview_restore(svc, path, passphrase=secret),
                     lambda preview: self._confirm(path, secret, preview))

    def _confirm(self, path: Path, secret: str | None, preview) -> None:
        c = RestoreConfirm(preview, self)
        c.accepted.connect(lambda: self._login(path, secret, c.other_installation))
        self.step = c
        c.open()

    def _login(self, path: Path, secret: str | None, other: bool) -> None:
        if not U.has_users(self.ctx.services):
            self._run(path, secret, other, None, None)
            return
        d = RestoreLogin(self, self.ctx.services.user or "", "请输入当前数据库的管理员用户名和密码。")
        d.accepted.connect(lambda: self._run(path, secret, other, d.name.text().strip() or None, d.password.text()))
        self.step = d
        d.open()

    def _run(self, path: Path, secret: str | None, other: bool, user, password) -> None:
        svc = self.ctx.services

        def job():  # on the worker: the one thread using the database
            return B.restore_open(svc, path, user=user, password=password, passphrase=secret,
                                  other_installation=other)

        self._submit(job, lambda done: self._restored(done, svc))

    def _restored(self, done, svc) -> None:
        self.ctx.notify("*")
        lines = ["已恢复：" + "，".join(f"{k} {v}" for k, v in _labels(done.counts).items()) + "。"]
        if done.before:
            lines.append(f"恢复前的数据已保存为：{done.before}（备份文件夹中保留最近 {B.KEEP_BEFORE_RESTORE} 份"
                         "恢复前的副本，仍存有独有数据的副本不会被删除）。")
        lines.append(f"撤销记录已清空：恢复以前的 {done.undo_cleared} 处修改不能再用“撤销”（Ctrl+Z）退回。"
                     if done.undo_cleared else "撤销记录已清空：恢复以前的修改不能再用“撤销”（Ctrl+Z）退回。")
        window = self._window()
        if window is not None:
            lines.append("程序将按恢复后的数据库重新打开，请重新登录。")
        QMessageBox.information(self, "备份与恢复", "\n".join(lines))
        self.restored_message = "\n".join(lines)
        if window is None:
            self.reload()
            return
        self.accept()
        path = str(svc.location)
        QTimer.singleShot(0, lambda: window.open_database.emit(path))  # title, banner, tabs from the restored file

    def _window(self):
        w = self.parent()
        while w is not None and not hasattr(w, "open_database"):
            w = w.parent()
        return w


def _labels(counts: dict) -> dict:
    from ..domain import LEDGERS

    return {LEDGERS[k].label: v for k, v in counts.items()}
