"""数据交换: export a package to a USB stick, import one (dry run first), the package log with
undo of a whole batch, and the townships' reporting completeness.

Each page is a module of ``exchange_pages``; this dialog only puts them in tabs and tells one
page when another changed what it shows. Drives are listed with QStorageInfo on a thread of
their own (it can block on a dead drive); every database job runs on the worker through
``run_with_progress``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout

from .exchange_pages.completeness_page import CompletenessPage
from .exchange_pages.drives import list_drives, looks_removable
from .exchange_pages.enrol_page import EnrolPage
from .exchange_pages.export_page import ExportPage
from .exchange_pages.import_page import ImportPage
from .exchange_pages.log_page import LogPage

__all__ = ["ExchangeDialog", "list_drives", "looks_removable"]


class ExchangeDialog(QDialog):
    """导出 / 导入 / 收发记录 / 报送情况 / 开通."""

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self.setWindowTitle("数据交换（U盘）")
        self.resize(820, 560)
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        lay.addWidget(self.tabs)
        self.export_page = ExportPage(ctx, self)
        self.import_page = ImportPage(ctx, self, start_dir=self.export_page.target_dir)
        self.log_page = LogPage(ctx, self)
        self.completeness_page = CompletenessPage(ctx, self)
        self.tabs.addTab(self.export_page, "导出到U盘")
        self.tabs.addTab(self.import_page, "导入数据包")
        self.tabs.addTab(self.log_page, "收发记录")
        self.tabs.addTab(self.completeness_page, "报送情况")
        self.enrol_page = EnrolPage(ctx, self, start_dir=self.export_page.target_dir)
        self.tabs.addTab(self.enrol_page, "开通")
        self.export_page.sent.connect(self.log_page.reload)
        for changed in (self.import_page.imported, self.log_page.undone):
            changed.connect(self.log_page.reload)
            changed.connect(self.completeness_page.reload)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.log_page.reload()
        self.completeness_page.reload()
        self.enrol_page.reload()
        if not ctx.services.allowed("packages"):  # 查阅 may look at the records, not move data
            for i in (0, 1):
                self.tabs.setTabEnabled(i, False)
                self.tabs.setTabToolTip(i, "只有管理员和录入员可以导出、导入数据包。")
            self.tabs.setCurrentIndex(2)
