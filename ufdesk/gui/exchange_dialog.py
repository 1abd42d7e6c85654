"""数据交换: export a package to a USB stick, import one (dry run first), the package log with
undo of a whole batch, and the townships' reporting completeness.

Drives are listed with QStorageInfo on a thread of their own (it can block on a dead drive);
every database job runs on the worker through ``run_with_progress``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain import LEDGERS
from ..exchange import package_apply as A
from ..exchange import package_export as E
from ..exchange import package_import as I
from ..exchange import usb
from ..exchange.completeness import completeness
from ..exchange.package import SUFFIX
from .tasks import run_with_progress

REMOVABLE_ROOTS = ("/media/", "/run/media/", "/mnt/", "/Volumes/")


def looks_removable(root: str, fs_type: str, is_root: bool) -> bool:
    """QStorageInfo has no "removable" flag: a stick is usually mounted under /media (Linux),
    /Volumes (macOS), or is a drive other than the system's with a FAT/exFAT file system."""
    if is_root:
        return False
    if any(root.startswith(p) for p in REMOVABLE_ROOTS):
        return True
    if sys.platform == "win32" and not root.upper().startswith(os.environ.get("SystemDrive", "C:").upper()):
        return fs_type.upper() in ("FAT32", "FAT", "EXFAT", "VFAT")
    return False


def list_drives() -> list[dict]:
    """Mounted, writable volumes: ``{root, name, free, fs, removable}`` (removable first)."""
    from PySide6.QtCore import QStorageInfo

    out = []
    for v in QStorageInfo.mountedVolumes():
        if not v.isValid() or not v.isReady() or v.isReadOnly():
            continue
        fs = bytes(v.fileSystemType()).decode(errors="replace")
        if fs in ("tmpfs", "devtmpfs", "overlay", "squashfs", "proc", "sysfs"):
            continue
        root = v.rootPath()
        out.append({"root": root, "name": v.displayName() or root, "free": v.bytesAvailable(), "fs": fs,
                    "removable": looks_removable(root, fs, v.isRoot())})
    out.sort(key=lambda d: (not d["removable"], d["root"]))
    return out


def _status(entry: dict) -> str:
    if entry["status"] == "undone":
        return "已撤销"
    return "正常（未验证）" if json.loads(entry["details"] or "{}").get("trust") == "unverified" else "正常"


class _DriveScanner(QObject):
    found = Signal(object)

    def scan(self) -> None:
        threading.Thread(target=lambda: self.found.emit(list_drives()), daemon=True, name="ufdesk-drives").start()


def _item(text) -> QTableWidgetItem:
    it = QTableWidgetItem("" if text is None else str(text))
    it.setFlags(it.flags() & ~Qt.ItemIsEditable)
    return it


def _when(v) -> str:
    return v.strftime("%Y-%m-%d %H:%M") if isinstance(v, dt.datetime) else (v or "")


def _fill(table: QTableWidget, rows: list[list]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            table.setItem(r, c, _item(v))
    table.resizeColumnsToContents()


def _table(headers: list[str], parent) -> QTableWidget:
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QTableWidget.SelectRows)
    t.setSelectionMode(QTableWidget.SingleSelection)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _password(parent) -> QLineEdit:
    w = QLineEdit(parent)
    w.setEchoMode(QLineEdit.Password)
    w.setPlaceholderText("县里统一的交换口令")
    return w


class ExchangeDialog(QDialog):
    """导出 / 导入 / 收发记录 / 报送情况."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self.pkg = None  # the package previewed, imported as it was checked
        self.setWindowTitle("数据交换（U盘）")
        self.resize(820, 560)
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        lay.addWidget(self.tabs)
        self.tabs.addTab(self._export_tab(), "导出到U盘")
        self.tabs.addTab(self._import_tab(), "导入数据包")
        self.tabs.addTab(self._log_tab(), "收发记录")
        self.tabs.addTab(self._completeness_tab(), "报送情况")
        close = QPushButton("关闭", self)
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.scanner = _DriveScanner(self)
        self.scanner.found.connect(self._drives_found, Qt.QueuedConnection)
        self.scanner.scan()
        self.reload_log()
        self.reload_completeness()
        if not ctx.services.allowed("packages"):  # 查阅 may look at the records, not move data
            for i in (0, 1):
                self.tabs.setTabEnabled(i, False)
                self.tabs.setTabToolTip(i, "只有管理员和录入员可以导出、导入数据包。")
            self.tabs.setCurrentIndex(2)

    # -- export -------------------------------------------------------------------------------
    def _export_tab(self) -> QWidget:
        w = QWidget(self)
        form = QFormLayout(w)
        me = self.services.township
        intro = QLabel(("本机是" + self.services.township_name(me) + "。") +
                       ("每月把本乡镇的台账导出到U盘，交县委统战部导入。" if me else
                        "把各乡镇的台账更正、乡镇和村(社区)、代码表下发给乡镇。"), w)
        intro.setWordWrap(True)
        form.addRow(intro)
        self.to = QComboBox(w)
        if me:
            self.to.addItem("县委统战部", "county")
        for code, name in self.services.townships():
            if code != me:
                self.to.addItem(f"{name}（{code}）", code)
        form.addRow("接收方", self.to)
        self.everything = QCheckBox("导出全部记录（默认只导出对方尚未确认收到的修改）", w)
        form.addRow("", self.everything)
        drive_row = QHBoxLayout()
        self.drive = QComboBox(w)
        self.drive.setEditable(True)
        self.drive.setMinimumWidth(360)
        self.drive.lineEdit().setPlaceholderText("正在查找U盘…")
        drive_row.addWidget(self.drive, 1)
        browse = QPushButton("浏览…", w)
        browse.clicked.connect(self._browse_target)
        drive_row.addWidget(browse)
        rescan = QPushButton("刷新", w)
        rescan.clicked.connect(self.scanner_scan)
        drive_row.addWidget(rescan)
        form.addRow("保存到", drive_row)
        self.drive_hint = QLabel("", w)
        self.drive_hint.setStyleSheet("color: #555;")
        form.addRow("", self.drive_hint)
        self.export_pw, self.export_pw2 = _password(w), _password(w)
        form.addRow("交换口令", self.export_pw)
        form.addRow("再输入一次", self.export_pw2)
        self.export_button = QPushButton("导出", w)
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.export)
        form.addRow("", self.export_button)
        self.export_result = QLabel("", w)
        self.export_result.setWordWrap(True)
        form.addRow(self.export_result)
        return w

    def scanner_scan(self) -> None:
        self.scanner.scan()

    def _drives_found(self, drives: list[dict]) -> None:
        current = self.drive.currentText()
        self.drive.clear()
        for d in drives:
            label = f"{d['root']}  （{d['name']}，{d['fs']}，剩余 {d['free'] / 1e9:.1f} GB）"
            self.drive.addItem(("【U盘】" if d["removable"] else "") + label, d["root"])
        removable = [d for d in drives if d["removable"]]
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
        if len(pw) < 8:
            return self._say(self.export_result, "交换口令至少 8 个字符。", error=True)
        if pw != self.export_pw2.text():
            return self._say(self.export_result, "两次输入的口令不一致。", error=True)
        target = self.target_dir()
        if not target or not Path(target).is_dir():
            return self._say(self.export_result, "请选择要保存到的U盘或文件夹。", error=True)
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
                          on_error=self._failed(self.export_result), on_cancel=self._cancelled)

    def _exported(self, value) -> None:
        dest, manifest = value
        self.export_button.setEnabled(True)
        self._say(self.export_result, f"已导出 {dest.name}（第 {manifest['seq']} 号，{manifest['records']} 条台账记录）。"
                                      f"\n{usb.SAFE_MESSAGE}")
        self.reload_log()

    # -- import -------------------------------------------------------------------------------
    def _import_tab(self) -> QWidget:
        w = QWidget(self)
        lay = QVBoxLayout(w)
        form = QFormLayout()
        row = QHBoxLayout()
        self.file = QLineEdit(w)
        self.file.setPlaceholderText(f"U盘上的数据包（*{SUFFIX}）")
        row.addWidget(self.file, 1)
        browse = QPushButton("浏览…", w)
        browse.clicked.connect(self._browse_file)
        row.addWidget(browse)
        form.addRow("数据包", row)
        self.import_pw = _password(w)
        form.addRow("交换口令", self.import_pw)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton("预览（不修改数据）", w)
        self.preview_button.setObjectName("preview")
        self.preview_button.clicked.connect(self.preview)
        self.import_button = QPushButton("导入", w)
        self.import_button.setObjectName("import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.do_import)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.import_info = QLabel("先点“预览”：显示将新增、更新多少条，确认后再导入。", w)
        self.import_info.setWordWrap(True)
        lay.addWidget(self.import_info)
        self.counts = _table(["台账", *[label for _, label in A.LABELS]], w)
        self.counts.setObjectName("counts")
        self.counts.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        lay.addWidget(self.counts, 1)
        return w

    def _browse_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择数据包", self.target_dir() or "", f"数据包 (*{SUFFIX})")
        if path:
            self.file.setText(path)

    def preview(self) -> None:
        path, pw, svc = self.file.text().strip(), self.import_pw.text(), self.services
        if not path:
            return self._say(self.import_info, "请选择数据包文件。", error=True)
        self.pkg = None
        self.import_button.setEnabled(False)

        def job():
            yield 0, 3, "正在复制到本机并解密…"
            pkg = I.read_file_for(svc, path, pw)
            result = yield from I.import_for(svc, pkg, dry_run=True)
            return pkg, result

        run_with_progress(self, self.ctx.worker, "正在预览数据包", job, on_done=self._previewed,
                          on_error=self._failed(self.import_info))

    def _previewed(self, value) -> None:
        pkg, result = value
        self._show_counts(result)
        if result.already:
            self._say(self.import_info, "\n".join(result.warnings))
            return
        self.pkg = pkg
        m = pkg.manifest
        text = (f"来自{result.sender}，第 {m.get('seq')} 号，{_when(dt.datetime.fromisoformat(m['exported_at']))} 导出，"
                f"{result.records} 条台账记录。以上为预览，数据库尚未修改。")
        self._say(self.import_info, "\n".join([text, *result.warnings, *result.refused]))
        self.import_button.setEnabled(True)

    def _show_counts(self, result) -> None:
        _fill(self.counts, [[LEDGERS[name].label, *[c[k] for k, _ in A.LABELS]] for name, c in result.counts.items()])

    def do_import(self) -> None:
        if self.pkg is None:
            return
        pkg, svc = self.pkg, self.services
        self.import_button.setEnabled(False)

        def job():
            result = yield from I.import_for(svc, pkg)
            return result

        run_with_progress(self, self.ctx.worker, "正在导入数据包", job, on_done=self._imported,
                          on_error=self._failed(self.import_info))

    def _imported(self, result) -> None:
        self.pkg = None
        self._show_counts(result)
        lines = [f"已导入{result.sender}的数据包。"]
        if result.conflicts:
            lines.append(f"有 {result.conflicts} 处冲突待处理：请打开“冲突处理”逐项确认。")
        if result.duplicates:
            lines.append(f"有 {result.duplicates} 条疑似重复的记录待核对（“冲突处理”→“重复记录”）。")
        self._say(self.import_info, "\n".join(lines + result.warnings + result.refused))
        self.ctx.notify("*")
        self.reload_log()
        self.reload_completeness()

    # -- log ----------------------------------------------------------------------------------
    def _log_tab(self) -> QWidget:
        w = QWidget(self)
        lay = QVBoxLayout(w)
        self.log = _table(["时间", "收/发", "发送方", "接收方", "序号", "记录数", "状态", "数据包编号"], w)
        self.log.setObjectName("log")
        lay.addWidget(self.log, 1)
        row = QHBoxLayout()
        self.undo_button = QPushButton("撤销所选的导入（整批）", w)
        self.undo_button.clicked.connect(self.undo_selected)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.log_rows: list[dict] = []
        return w

    def reload_log(self) -> None:
        self.ctx.worker.submit(I.log_entries, self.services, on_done=self._log_loaded, on_error=lambda e: None)

    def _log_loaded(self, rows: list[dict]) -> None:
        self.log_rows = rows
        name = self.services.township_name
        _fill(self.log, [[
            _when(r["imported_at"] if r["direction"] == "received" else r["exported_at"]),
            "收到" if r["direction"] == "received" else "发出",
            name(r["sender_township"]),
            "县委统战部" if r["recipient"] == "county" else name(r["recipient"]),
            r["seq"], r["records"], _status(r), r["package_id"],
        ] for r in rows])

    def undo_selected(self) -> None:
        row = self.log.currentRow()
        if row < 0 or row >= len(self.log_rows):
            return
        entry = self.log_rows[row]
        if entry["direction"] != "received" or entry["status"] == "undone":
            QMessageBox.information(self, "撤销导入", "只能撤销本机导入且尚未撤销的数据包。")
            return
        if QMessageBox.question(self, "撤销导入", f"撤销数据包 {entry['package_id']} 带来的全部修改？") != QMessageBox.Yes:
            return
        self.ctx.worker.submit(I.undo_for, self.services, entry["package_id"],
                               on_done=self._undone, on_error=self._failed(None))

    def _undone(self, n: int) -> None:
        QMessageBox.information(self, "撤销导入", f"已撤销，{n} 条记录恢复原状。")
        self.ctx.notify("*")
        self.reload_log()
        self.reload_completeness()

    # -- completeness -------------------------------------------------------------------------
    def _completeness_tab(self) -> QWidget:
        w = QWidget(self)
        lay = QVBoxLayout(w)
        row = QHBoxLayout()
        row.addWidget(QLabel("月份", w))
        self.month = QComboBox(w)
        first = dt.date.today().replace(day=1)
        for i in range(12):
            y, m = divmod(first.year * 12 + first.month - 1 - i, 12)
            self.month.addItem(f"{y}年{m + 1}月", f"{y}-{m + 1:02d}")
        self.month.currentIndexChanged.connect(self.reload_completeness)
        row.addWidget(self.month)
        row.addStretch(1)
        lay.addLayout(row)
        self.report = _table(["乡镇", "报送", "导出时间", "导入时间", "记录数", "按时"], w)
        self.report.setObjectName("completeness")
        lay.addWidget(self.report, 1)
        self.report_note = QLabel("", w)
        lay.addWidget(self.report_note)
        return w

    def reload_completeness(self) -> None:
        month = self.month.currentData()
        self.ctx.worker.submit(completeness, self.services, month, on_done=self._completeness_loaded,
                               on_error=lambda e: None)

    def _completeness_loaded(self, rows: list[dict]) -> None:
        _fill(self.report, [[
            r["name"], "已报送" if r["reported"] else "未报送", _when(r["exported_at"]), _when(r["imported_at"]),
            r["records"] if r["reported"] else "", ("按时" if r["on_time"] else "逾期") if r["reported"] else "",
        ] for r in rows])
        for n, r in enumerate(rows):
            if not r["reported"] or not r["on_time"]:
                for c in (1, 5):
                    self.report.item(n, c).setForeground(QColor("#b00020"))
        missing = [r["name"] for r in rows if not r["reported"]]
        self.report_note.setText(f"未报送：{'、'.join(missing)}" if missing else "各乡镇均已报送。")

    # -- shared -------------------------------------------------------------------------------
    def _say(self, label: QLabel | None, text: str, *, error: bool = False) -> None:
        if label is None:
            QMessageBox.warning(self, "数据交换", text)
            return
        label.setStyleSheet("color: #b00020;" if error else "")
        label.setText(text)

    def _failed(self, label):
        from .messages import error_text

        def show(exc):
            self.export_button.setEnabled(True)
            self._say(label, error_text(exc), error=True)

        return show

    def _cancelled(self) -> None:
        self.export_button.setEnabled(True)
        self._say(self.export_result, "已取消，没有写入任何文件。")
