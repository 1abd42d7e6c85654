"""导入数据包: the package and passphrase, a dry run first (counts per ledger, refusals and
warnings; nothing changed), then the import of exactly the package that was checked."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain import LEDGERS
from ...exchange import package_apply as A
from ...exchange import package_import as I
from ...exchange.package import SUFFIX
from ..tasks import run_with_progress
from .common import failed, fill, password, say, table, when


class ImportPage(QWidget):
    imported = Signal()  # the data changed: the log and the reporting table too

    def __init__(self, ctx, parent=None, *, start_dir=lambda: ""):
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self.start_dir = start_dir  # where the file dialog opens (the stick the export page found)
        self.pkg = None  # the package previewed, imported as it was checked
        lay = QVBoxLayout(self)
        form = QFormLayout()
        row = QHBoxLayout()
        self.file = QLineEdit(self)
        self.file.setPlaceholderText(f"U盘上的数据包（*{SUFFIX}）")
        row.addWidget(self.file, 1)
        browse = QPushButton("浏览…", self)
        browse.clicked.connect(self._browse_file)
        row.addWidget(browse)
        form.addRow("数据包", row)
        self.import_pw = password(self)
        form.addRow("交换口令", self.import_pw)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton("预览（不修改数据）", self)
        self.preview_button.setObjectName("preview")
        self.preview_button.clicked.connect(self.preview)
        self.import_button = QPushButton("导入", self)
        self.import_button.setObjectName("import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.do_import)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.import_info = QLabel("先点“预览”：显示将新增、更新多少条，确认后再导入。", self)
        self.import_info.setWordWrap(True)
        lay.addWidget(self.import_info)
        self.counts = table(["台账", *[label for _, label in A.LABELS]], self)
        self.counts.setObjectName("counts")
        self.counts.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        lay.addWidget(self.counts, 1)

    def _browse_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择数据包", self.start_dir() or "", f"数据包 (*{SUFFIX})")
        if path:
            self.file.setText(path)

    def preview(self) -> None:
        path, pw, svc = self.file.text().strip(), self.import_pw.text(), self.services
        if not path:
            return say(self, self.import_info, "请选择数据包文件。", error=True)
        self.pkg = None
        self.import_button.setEnabled(False)

        def job():
            yield 0, 3, "正在复制到本机并解密…"
            pkg = I.read_file_for(svc, path, pw)
            result = yield from I.import_for(svc, pkg, dry_run=True)
            return pkg, result

        run_with_progress(self, self.ctx.worker, "正在预览数据包", job, on_done=self._previewed,
                          on_error=failed(self, self.import_info))

    def _previewed(self, value) -> None:
        pkg, result = value
        self._show_counts(result)
        if result.already:
            say(self, self.import_info, "\n".join(result.warnings))
            return
        self.pkg = pkg
        m = pkg.manifest
        text = (f"来自{result.sender}，第 {m.get('seq')} 号，{when(dt.datetime.fromisoformat(m['exported_at']))} 导出，"
                f"{result.records} 条台账记录。以上为预览，数据库尚未修改。")
        say(self, self.import_info, "\n".join([text, *result.warnings, *result.refused]))
        self.import_button.setEnabled(True)

    def _show_counts(self, result) -> None:
        fill(self.counts, [[LEDGERS[name].label, *[c[k] for k, _ in A.LABELS]] for name, c in result.counts.items()])

    def do_import(self) -> None:
        if self.pkg is None:
            return
        pkg, svc = self.pkg, self.services
        self.import_button.setEnabled(False)

        def job():
            result = yield from I.import_for(svc, pkg)
            return result

        run_with_progress(self, self.ctx.worker, "正在导入数据包", job, on_done=self._imported,
                          on_error=failed(self, self.import_info))

    def _imported(self, result) -> None:
        self.pkg = None
        self._show_counts(result)
        lines = [f"已导入{result.sender}的数据包。"]
        if result.conflicts:
            lines.append(f"有 {result.conflicts} 处冲突待处理：请打开“冲突处理”逐项确认。")
        if result.duplicates:
            lines.append(f"有 {result.duplicates} 条疑似重复的记录待核对（“冲突处理”→“重复记录”）。")
        say(self, self.import_info, "\n".join(lines + result.warnings + result.refused))
        self.ctx.notify("*")
        self.imported.emit()
