"""导入 wizard: file → sheet → column mapping → check (a dry run, every problem in a table) → import.

The check and the import run on the worker as progress generators with a 取消 button; the
import writes one transaction, so Cancel leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from ..domain import ledger as get_ledger
from ..exchange.mapping import choices
from ..exchange.normalize import is_blank, plain_text
from .help import show_help
from .messages import error_text
from .tasks import run_with_progress

FILE_FILTER = "电子表格 (*.xlsx *.xls *.et *.ods *.csv *.htm *.html *.xml);;所有文件 (*)"
NOT_IMPORTED = "（不导入）"


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle(f"第一步：选择要导入的{wizard.lg.label}表格")
        self.setSubTitle("可以是 Excel（xlsx、xls）、WPS/LibreOffice（ods）或 CSV 文件。标题行、填报单位行、序号列、合计行会自动跳过。")
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("点“浏览…”选择文件")
        self.path_edit.textChanged.connect(self._path_changed)
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumWidth(200)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(QLabel("工作表："))
        sheet_row.addWidget(self.sheet_combo, 1)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("文件："))
        lay.addLayout(row)
        lay.addLayout(sheet_row)
        lay.addWidget(self.note)
        lay.addStretch(1)
        template = QPushButton("另存空白导入模板…")
        template.setToolTip("表头齐全、代码项带下拉列表的空白表格，填好后从这里导入")
        template.clicked.connect(self._save_template)
        tail = QHBoxLayout()
        tail.addWidget(template)
        tail.addStretch(1)
        lay.addLayout(tail)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择要导入的表格", str(Path.home()), FILE_FILTER)
        if path:
            self.path_edit.setText(path)

    def _save_template(self) -> None:
        from ..exchange.xlsx_export import write_template

        lg, svc = self.wiz.lg, self.wiz.ctx.services
        from .files import show_saved, suggested

        path, _ = QFileDialog.getSaveFileName(self, "另存空白导入模板", suggested(f"{lg.label}导入模板.xlsx"),
                                              "Excel 工作簿 (*.xlsx)")
        if path:
            try:
                write_template(lg.name, path, codes=svc.codebook(), townships=svc.townships())
            except Exception as exc:
                QMessageBox.warning(self, "未能保存模板", error_text(exc))
                return
            self.note.setText(f"已保存模板：{path}")
            show_saved(self, "导入模板", path, f"已保存空白导入模板：{path}\n填好后回到这里选择它导入。")

    def _path_changed(self, text: str) -> None:
        from ..exchange.xlsx_read import sheet_names

        self.sheet_combo.clear()
        self.note.setText("")
        if not text or not Path(text).is_file():
            self.completeChanged.emit()
            return
        try:
            names = sheet_names(text)
        except Exception as exc:  # shown to the user, nothing else to do
            self.note.setText(error_text(exc))
            names = []
        self.sheet_combo.addItem("（自动：第一个有表头的工作表）", None)
        for n in names:
            self.sheet_combo.addItem(n, n)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return Path(self.path_edit.text()).is_file() and self.sheet_combo.count() > 0

    def validatePage(self) -> bool:
        from ..exchange.xlsx_import import open_source

        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            self.wiz.source = open_source(self.path_edit.text(), self.wiz.lg.name, sheet=self.sheet_combo.currentData(),
                                          store=self.wiz.ctx.services)
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            self.note.setText(error_text(exc))
            return False
        QApplication.restoreOverrideCursor()
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("第二步：核对各列对应的项目")
        self.setSubTitle("程序已按表头猜出每一列是什么；不对的请在“导入为”中改正。下次导入同样表头的表格时会记住您的选择。")
        self.info = QLabel("")
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["表格中的列", "第一行数据", "导入为"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.combos: list[QComboBox] = []
        lay = QVBoxLayout(self)
        lay.addWidget(self.info)
        lay.addWidget(self.table, 1)

    def initializePage(self) -> None:
        src = self.wiz.source
        opts = [(None, NOT_IMPORTED), *choices(src.ledger)]
        first = next((cells for _, cells in src.data_rows()), [])
        self.table.setRowCount(len(src.headers))
        self.combos = []
        for i, header in enumerate(src.headers):
            self.table.setItem(i, 0, QTableWidgetItem(header or f"（第{i + 1}列，无表头）"))
            sample = first[i] if i < len(first) else None
            self.table.setItem(i, 1, QTableWidgetItem("" if is_blank(sample) else self._sample(src, i, sample)))
            combo = QComboBox()
            for name, label in opts:
                combo.addItem(label, name)
            combo.setCurrentIndex(max(0, combo.findData(src.mapping[i])) if src.mapping[i] else 0)
            self.table.setCellWidget(i, 2, combo)
            self.combos.append(combo)
        how = "已使用上次为这种表头保存的对应关系" if src.remembered else "对应关系由程序根据表头猜出"
        self.info.setText(f"文件：{src.path.name}　工作表：{src.sheet}　表头在第{src.header_row}行，"
                          f"共{len(src.data_rows())}行数据。{how}。")

    def _sample(self, src, i: int, value) -> str:
        name = src.mapping[i]
        f = next((f for f in src.ledger.fields if f.name == name), None)
        if f is not None and (f.sensitive or f.type in ("idcard", "mobile", "phone")):
            from ..services.audit import mask

            return mask(plain_text(value).replace(" ", ""), f.type)
        return plain_text(value)[:40]

    def mapping(self) -> list[str | None]:
        return [c.currentData() for c in self.combos]

    def validatePage(self) -> bool:
        mapping = self.mapping()
        dup = {m for m in mapping if m and mapping.count(m) > 1}
        if dup:
            labels = dict(choices(self.wiz.lg))
            QMessageBox.warning(self, "对应关系有重复", "以下项目对应了多列，请只保留一列：" + "、".join(labels[d] for d in dup))
            return False
        self.wiz.source.mapping = mapping
        return True


class CheckPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.wiz = wizard
        self.setTitle("第三步：检查结果")
        self.setSubTitle("已逐行检查，尚未写入。行号就是 Excel 中看到的行号。")
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["行", "列", "值", "问题"])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.skip = QCheckBox("跳过有问题的行，只导入没有问题的行（有问题的行另存为表格，改正后可再导入）")
        self.update_box = QCheckBox("已存在的记录用表中的值更新（默认保持不变）")
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.skip)
        lay.addWidget(self.update_box)
        self.skip.toggled.connect(self.completeChanged)
        self.report = None

    def initializePage(self) -> None:
        self.report = None
        self.table.setRowCount(0)
        self.summary.setText("正在检查…")
        self.completeChanged.emit()
        self.wiz.progress = run_with_progress(
            self.wiz, self.wiz.ctx.worker, "正在检查表格", _dry_run, self.wiz.ctx.services, self.wiz.source,
            on_done=self.show_report, on_error=self._failed, on_cancel=lambda: self.summary.setText("检查已取消。"))

    def _failed(self, exc) -> None:
        self.summary.setText(error_text(exc))

    def show_report(self, report) -> None:
        self.report = report
        self.table.setRowCount(len(report.problems) + len(report.notes))
        for r, p in enumerate(report.problems):
            for c, v in enumerate((f"第{p.row}行", p.column, p.value, p.message)):
                item = QTableWidgetItem(v)
                if c == 0:
                    item.setData(Qt.UserRole, p.row)
                self.table.setItem(r, c, item)
        for r, note in enumerate(report.notes, len(report.problems)):  # what was skipped or filled: not a problem
            self.table.setItem(r, 0, QTableWidgetItem("说明"))
            self.table.setItem(r, 3, QTableWidgetItem(note))
        self.table.resizeColumnsToContents()
        text = (f"共{report.total}行：可新增{report.new}条，已存在{report.existing}条"
                f"{'' if not report.problems else f'，{report.rejected}行有问题（共{len(report.problems)}处）'}。")
        if report.problems:
            text += "\n请在 Excel 中改正后重新导入；或勾选“跳过有问题的行”。"
        else:
            text += "\n没有发现问题，可以导入。"
        self.summary.setText(text)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.report is None:
            return False
        return self.report.ok or self.skip.isChecked()


def _dry_run(services, source):
    from ..exchange.xlsx_import import run_import

    return (yield from run_import(services, source, dry_run=True))


def _real_run(services, source, skip_invalid, update, rejects):
    from ..exchange.xlsx_import import run_import

    return (yield from run_import(services, source, skip_invalid=skip_invalid, update=update, rejects=rejects))


class ImportWizard(QWizard):
    """Import a spreadsheet into ``ledger_name`` of ``ctx`` (an ``AppContext``)."""

    def __init__(self, ctx, ledger_name: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.lg = get_ledger(ledger_name)
        self.source = None
        self.progress = None
        self.result_report = None
        self.setWindowTitle(f"导入{self.lg.label}")
        self.setWizardStyle(QWizard.ClassicStyle)
        self.setButtonText(QWizard.FinishButton, "导入")
        self.setOption(QWizard.HaveHelpButton, True)
        self.helpRequested.connect(lambda: show_help(self, "import"))  # 上一步/下一步/取消 are Qt's own, in Chinese
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        for page in (self.file_page, self.mapping_page, self.check_page):
            self.addPage(page)
        self.resize(860, 600)

    def accept(self) -> None:
        """导入: write on the worker with progress; close when done."""
        report = self.check_page.report
        rejects = None
        if report is not None and report.problems:
            from ..exchange.xlsx_import import default_rejects_path

            suggested = str(default_rejects_path(self.source.path))
            rejects, _ = QFileDialog.getSaveFileName(self, "有问题的行另存为", suggested, "Excel 工作簿 (*.xlsx)")
            if not rejects:
                return
        self.progress = run_with_progress(
            self, self.ctx.worker, f"正在导入{self.lg.label}", _real_run, self.ctx.services, self.source,
            self.check_page.skip.isChecked(), self.check_page.update_box.isChecked(), rejects,
            on_done=self._done, on_error=lambda exc: QMessageBox.warning(self, "导入失败", error_text(exc) +
                                                                         "\n数据库未作任何修改。"),
            on_cancel=lambda: QMessageBox.information(self, "已取消", "导入已取消，数据库未作任何修改。"))

    def _done(self, report) -> None:
        self.result_report = report
        self.ctx.notify(self.lg.name)
        if report.written:
            QMessageBox.information(self, "导入完成", report.summary())
            super().accept()
        else:
            QMessageBox.warning(self, "未导入", report.summary())
