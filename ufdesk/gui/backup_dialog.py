"""备份与恢复: back up now, copy to a stick (always encrypted), restore from the list or a file.

The list shows each backup's date, kind and record counts. A restore first saves the current
state, checks an administrator's login against the backup's users, and runs on the database
worker (the one thread that touches the database) with the store's connections closed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
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


class RestoreLogin(QDialog):
    """An administrator's login for a restore (checked against the backup's own users)."""

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
        note = "按备份中的用户核对。" + ("若该备份未设置用户，可留空。" if encrypted else "")
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

    def restore(self, path: Path, label: str) -> None:
        text = (f"用这份备份替换当前数据库？\n\n{label}\n\n当前的数据会先另存一份备份（“恢复前”），"
                "之后可以再从它恢复回来。")
        if QMessageBox.question(self, "恢复备份", text) != QMessageBox.Yes:
            return
        secret = None
        if B.is_encrypted(path):
            d = SecretDialog("备份口令", "这是加密的备份，请输入当初设置的口令。", self, confirm=False)
            if not d.exec():
                return
            secret = d.value
        who = RestoreLogin.ask(self, path, user=self.ctx.services.user or "",
                               current_has_users=U.has_users(self.ctx.services))
        if who is None:
            return
        svc = self.ctx.services

        def job():  # on the worker: the one thread using the database
            return B.restore_open(svc, path, user=who[0], password=who[1], passphrase=secret)

        def finished(done):
            self.reload()
            self.ctx.notify("*")
            QMessageBox.information(self, "备份与恢复", "已恢复：" + "，".join(
                f"{k} {v}" for k, v in _labels(done.counts).items()) + f"\n恢复前的数据已保存为：{done.before}")

        self._submit(job, finished)


def _labels(counts: dict) -> dict:
    from ..domain import LEDGERS

    return {LEDGERS[k].label: v for k, v in counts.items()}
