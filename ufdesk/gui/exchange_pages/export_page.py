"""导出到U盘: the recipient, the stick (found off the UI thread), the passphrase twice; the
package is built, verified and written on the worker with a progress dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from ...exchange import package_export as E
from ...exchange import usb
from ..tasks import run_with_progress
from .common import failed, password, say
from .drives import DriveScanner


class ExportPage(QWidget):
    sent = Signal()  # a package was written: the log has a new row

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.services = svc = ctx.services
        form = QFormLayout(self)
        me = svc.township
        intro = QLabel(("本机是" + svc.township_name(me) + "。") +
                       ("每月把本乡镇的台账导出到U盘，交县委统战部导入。" if me else
                        "把各乡镇的台账更正、乡镇和村(社区)、代码表下发给乡镇。"), self)
        intro.setWordWrap(True)
        form.addRow(intro)
        self.to = QComboBox(self)
        if me:
            self.to.addItem("县委统战部", "county")
        for code, name in svc.townships():
            if code != me:
                self.to.addItem(f"{name}（{code}）", code)
        form.addRow("接收方", self.to)
        self.everything = QCheckBox("导出全部记录（默认只导出对方尚未确认收到的修改）", self)
        form.addRow("", self.everything)
        drive_row = QHBoxLayout()
        self.drive = QComboBox(self)
        self.drive.setEditable(True)
        self.drive.setMinimumWidth(360)
        self.drive.lineEdit().setPlaceholderText("正在查找U盘…")
        drive_row.addWidget(self.drive, 1)
        browse = QPushButton("浏览…", self)
        browse.setAutoDefault(False)  # Enter in the form exports; it never opens the folder picker
        browse.clicked.connect(self._browse_target)
        drive_row.addWidget(browse)
        rescan = QPushButton("刷新", self)
        rescan.setAutoDefault(False)
        rescan.clicked.connect(self.scanner_scan)
        drive_row.addWidget(rescan)
        form.addRow("保存到", drive_row)
        self.drive_hint = QLabel("", self)
        self.drive_hint.setStyleSheet("color: #555;")
        form.addRow("", self.drive_hint)
        self.export_pw, self.export_pw2 = password(self), password(self)
        form.addRow("交换口令", self.export_pw)
        form.addRow("再输入一次", self.export_pw2)
        self.export_button = QPushButton("导出", self)
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.export)
        form.addRow("", self.export_button)
        self.export_result = QLabel("", self)
        self.export_result.setWordWrap(True)
        form.addRow(self.export_result)
        self.scanner = DriveScanner(self)
        self.scanner.found.connect(self._drives_found, Qt.QueuedConnection)
        self.scanner.scan()

    def scanner_scan(self) -> None:
        self.scanner.scan()

    def _drives_found(self, drives: list[dict]) -> None:
        current = self.drive.currentText()
        self.drive.clear()
        for d in drives:
            label = f"{d['root']}  （{d['name']}，{d['fs']}，剩余 {d['free'] / 1e9:.1f} GB）"
            self.drive.addItem(("【U盘】" if d["removable"] else "") + label, d["root"])
        removable = [d for d in drives if d["removable"]]
        self.drive.lineEdit().setPlaceholderText("" if removable else "没有找到U盘：请选择文件夹")  # the search is over
        if removable:
            self.drive.setCurrentIndex(0)
            self.drive_hint.setText(f"已找到U盘：{removable[0]['root']}")
        else:
            self.drive_hint.setText("没有找到U盘：请插入U盘后点“刷新”，或点“浏览…”选择文件夹。")
            if current:
                self.drive.setEditText(current)
            else:
                self.drive.setCurrentIndex(-1)

    def _browse_target(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择U盘或文件夹", self.target_dir() or "")
        if path:
            self.set_target(path)

    def set_target(self, path: str) -> None:
        self.drive.setEditText(path)

    def target_dir(self) -> str:
        i = self.drive.currentIndex()
        text = self.drive.currentText().strip()
        if i >= 0 and text == self.drive.itemText(i):
            return self.drive.itemData(i)
        return text

    def export(self) -> None:
        pw = self.export_pw.text()
        if self.export_pw.hasFocus() and pw and not self.export_pw2.text():  # Enter after the first: the second
            return self.export_pw2.setFocus()
        if len(pw) < 8:
            return say(self, self.export_result, "交换口令至少 8 个字符。", error=True)
        if pw != self.export_pw2.text():
            return say(self, self.export_result, "两次输入的口令不一致。", error=True)
        target = self.target_dir()
        if not target or not Path(target).is_dir():
            return say(self, self.export_result, "请选择要保存到的U盘或文件夹。", error=True)
        svc, to, everything = self.services, self.to.currentData(), self.everything.isChecked()

        def job():
            sealed, manifest = yield from E.build_for(svc, passphrase=pw, to=to, everything=everything)
            yield 8, 10, "正在校验数据包…"
            digest = E.reopen_for(svc, sealed, pw).digest
            yield 9, 10, "正在写入U盘…"
            dest = usb.write_file(sealed, Path(target) / E.default_filename(svc, manifest))
            E.record_sent_for(svc, manifest, digest)
            return dest, manifest

        self.export_button.setEnabled(False)
        run_with_progress(self, self.ctx.worker, "正在导出数据包", job, on_done=self._exported,
                          on_error=failed(self, self.export_result, lambda: self.export_button.setEnabled(True)),
                          on_cancel=self._cancelled)

    def _exported(self, value) -> None:
        dest, manifest = value
        self.export_button.setEnabled(True)
        say(self, self.export_result, f"已导出 {dest.name}（第 {manifest['seq']} 号，{manifest['records']} 条台账记录）。"
                                      f"\n{usb.SAFE_MESSAGE}")
        self.sent.emit()

    def _cancelled(self) -> None:
        self.export_button.setEnabled(True)
        say(self, self.export_result, "已取消，没有写入任何文件。")
