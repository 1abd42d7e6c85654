"""报表: choose a template and its parameters, build it off the UI thread, preview the pages,
save (PDF, or Word for the monthly summary) and print.

Pages are drawn with pypdfium2 (QtPdf is not part of PySide6-Essentials). The database work,
the layout and the page rendering all run on the worker thread; only QPixmaps are made here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .. import reports
from ..reports import archive
from ..services import stats
from .help import help_button
from .messages import show_error
from .tasks import run_with_progress

PREVIEW_PAGES = 30  # a 125-page roster previews its first pages; saving and printing take all
PREVIEW_SCALE = 96 / 72  # pixels per PDF point: the page at 100 % on a 96 dpi screen
PREVIEW_WIDTH = None  # landscape pages at full size too: 适合宽度 shrinks them, 100 % reads them
ZOOMS = (("fit_width", "适合宽度"), ("fit_page", "整页"), ("100", "100%"), ("150", "150%"))
PRINT_DPI = 300
ROW_FOR = {"month": "月份", "year": "年度", "date": "截至日期", "township": "乡镇（街道）", "kind": "人士类别",
           "order": "排列顺序", "columns": "花名册的列", "id": "代表人士", "summary": "本月工作小结"}


def render_pages(pdf: bytes, scale: float, limit: int | None = None, max_width: int | None = None):
    """Yields ``(index, count, (width, height, RGB bytes))`` for the first pages of a PDF, at
    ``scale`` pixels per point (less for a page that would be wider than ``max_width``)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        count = len(doc)
        for i in range(min(count, limit or count)):
            page = doc[i]
            k = min(scale, max_width / page.get_width()) if max_width else scale
            image = page.render(scale=k).to_pil().convert("RGB")
            page.close()
            yield i, count, (image.width, image.height, image.tobytes())
    finally:
        doc.close()


def _qimage(width: int, height: int, data: bytes) -> QImage:
    return QImage(data, width, height, 3 * width, QImage.Format_RGB888).copy()


class ReportDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.pdf: bytes | None = None
        self.issued: dict | None = None  # the 定稿 edition self.pdf is, or None (made fresh)
        self.built_for: tuple | None = None  # (template, params) of self.pdf
        self.page_count = 0
        self.people: dict[str, str] = {}  # completer label → UUID
        self.setWindowTitle("报表")
        self.resize(1180, 660)  # a 1366×768 laptop shows it whole, 关闭 included
        self._build_form()
        self._build_preview()
        lay = QHBoxLayout(self)
        lay.addWidget(self.form_box, 0)
        lay.addWidget(self.preview_box, 1)
        self.template.currentIndexChanged.connect(self._template_changed)
        self._template_changed()
        ctx.worker.submit(self._names, on_done=self._set_names, on_error=lambda _e: None)

    # -- the form ---------------------------------------------------------------------------------
    def _build_form(self) -> None:
        svc = self.ctx.services
        self.form_box = QWidget()
        self.form_box.setMinimumWidth(300)
        self.form_box.setMaximumWidth(360)
        form = QFormLayout()
        self.template = QComboBox()
        for t in reports.TEMPLATES.values():
            self.template.addItem(t.label, t.name)
        self.month = QComboBox()
        for m in reversed(stats.last_months(36, dt.date.today() + dt.timedelta(days=31))):
            self.month.addItem(f"{m[:4]}年{int(m[5:])}月", m)
        self.month.setCurrentIndex(1)  # last month: the one a monthly summary is made for
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.date = QDateEdit(QDate.currentDate())  # the day the figures describe (as at)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(QDate.currentDate())
        self.township = QComboBox()
        self.township.addItem("全县", None)
        for code, name in svc.townships():
            self.township.addItem(name, code)
        self.township.addItem("县直单位", "county")
        self.kind = QComboBox()
        self.kind.addItem("全部类别", None)
        for code, name in svc.codebook()["object_kind"].items():
            self.kind.addItem(name, code)
        self.order = QComboBox()
        self.order.addItem("按姓氏笔画", "stroke")
        self.order.addItem("按排序号", "sort_no")
        from ..reports import roster as roster_layout

        self.columns = QLineEdit("，".join(roster_layout.DEFAULT[1:]))  # the roster's columns, by label
        self.columns.setToolTip("用逗号分隔，可选：" + "、".join(roster_layout.label(c) for c in roster_layout.COLUMNS[1:]))
        self.fresh = QCheckBox("按今天的数据重新生成")  # monthly: an issued month previews its 定稿 unless this
        self.fresh.setToolTip("已定稿的月份默认显示、保存和打印定稿原样；勾选后按今天的数据重新生成（不改变定稿）")
        self.person = QLineEdit()
        self.person.setPlaceholderText("输入姓名（或 UUID）")
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText("可在此填写本月工作小结；不填则留出空行，打印后手写。")
        self.summary.setMinimumHeight(120)
        self.fields = {"month": self.month, "year": self.year, "date": self.date, "township": self.township,
                       "kind": self.kind,
                       "order": self.order, "columns": self.columns, "id": self.person, "summary": self.summary}
        form.addRow("报表", self.template)
        for key, widget in self.fields.items():
            form.addRow(ROW_FOR[key], widget)
        form.addRow("", self.fresh)
        self.form = form
        self.btn_build = QPushButton("生成预览")
        self.btn_build.setDefault(True)
        self.btn_save = QPushButton("保存…")
        self.btn_print = QPushButton("打印…")
        self.btn_issue = QPushButton("定稿")  # monthly: keep this edition as issued (第N版)
        self.btn_issue.setToolTip("把本月汇总的 PDF、Word 和数字存为新的一版定稿；以后打印该月即为定稿原样")
        if not self.ctx.services.allowed("edit"):
            self.btn_issue.setEnabled(False)
            self.btn_issue.setToolTip("只有录入员或管理员可以定稿。")
        self.issue_info = QLabel()
        self.issue_info.setWordWrap(True)
        self.btn_build.clicked.connect(self.generate)
        self.btn_save.clicked.connect(self.save)
        self.btn_print.clicked.connect(self.print_)
        self.btn_issue.clicked.connect(self.issue)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.rejected.connect(self.reject)
        help_button(close, "reports")
        col = QVBoxLayout(self.form_box)
        col.addLayout(form)
        for b in (self.btn_build, self.btn_save, self.btn_print, self.btn_issue):
            col.addWidget(b)
        col.addWidget(self.issue_info)
        col.addStretch(1)
        col.addWidget(close)

    def _template_changed(self) -> None:
        t = reports.TEMPLATES[self.template.currentData()]
        for key, widget in self.fields.items():
            self.form.setRowVisible(widget, key in t.params)
        self.btn_issue.setVisible(t.name in archive.ISSUABLE)
        self.form.setRowVisible(self.fresh, t.name in archive.ISSUABLE)
        self.issue_info.clear()
        self._clear_preview("选择参数后点“生成预览”。")

    def _names(self) -> dict[str, str]:
        """"姓名（乡镇，出生年月）" → UUID for every representative: the 代表人士 box completes
        these, so that namesakes can be told apart (runs on the worker)."""
        from ..services.query import Query

        svc = self.ctx.services
        out: dict[str, str] = {}
        rows = self.ctx.services.page(Query("representatives"), 0, 10**6, columns=["uuid", "name", "township", "birth_date"])
        for r in rows:
            born = r["birth_date"].strftime("%Y.%m") if r["birth_date"] else "出生年月不详"
            label = f"{r['name']}（{svc.township_name(r['township']) if r['township'] else '县直'}，{born}）"
            out[label if label not in out else f"{label} {r['uuid'][:8]}"] = r["uuid"]
        return out

    def _set_names(self, names: dict[str, str]) -> None:
        self.people = names
        completer = QCompleter(list(names), self)
        completer.setFilterMode(Qt.MatchContains)
        self.person.setCompleter(completer)

    def params(self) -> dict:
        return {"month": self.month.currentData(), "year": self.year.value(), "date": self.date.date().toPython(),
                "township": self.township.currentData(),
                "kind": self.kind.currentData(), "order": self.order.currentData(),
                "columns": self.columns.text().strip() or None,
                "id": self.people.get(self.person.text().strip(), self.person.text().strip()),
                "summary": self.summary.toPlainText()}

    def current(self) -> tuple[str, dict]:
        name = self.template.currentData()
        used = reports.TEMPLATES[name].params
        return name, {k: v for k, v in self.params().items() if k in used}

    # -- the preview ------------------------------------------------------------------------------
    def _build_preview(self) -> None:
        self.preview_box = QWidget()
        col = QVBoxLayout(self.preview_box)
        col.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel()
        self.status.setWordWrap(True)  # an issued month's line names its edition, when and by whom
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignHCenter)
        self.pages_widget = QWidget()
        self.pages_widget.setStyleSheet("background: #8a8a8a;")
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setAlignment(Qt.AlignHCenter | Qt.AlignTop)
        self.pages_layout.setSpacing(14)
        self.scroll.setWidget(self.pages_widget)
        bar = QHBoxLayout()
        self.zoom = QComboBox()
        for key, text in ZOOMS:
            self.zoom.addItem(text, key)
        self.zoom.setToolTip("预览的大小")
        self.zoom.currentIndexChanged.connect(lambda _i: self.apply_zoom())
        self.btn_prev = QPushButton("上一页")
        self.btn_next = QPushButton("下一页")
        self.page_box = QSpinBox()
        self.page_box.setRange(1, 1)
        self.page_box.setPrefix("第 ")
        self.page_box.setSuffix(" 页")
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(self.go_to_page)
        self.btn_prev.clicked.connect(lambda: self.page_box.setValue(self.current_page() - 1))
        self.btn_next.clicked.connect(lambda: self.page_box.setValue(self.current_page() + 1))
        for b in (self.btn_prev, self.btn_next):
            b.setAutoDefault(False)
        bar.addWidget(QLabel("显示"))
        bar.addWidget(self.zoom)
        bar.addStretch(1)
        bar.addWidget(self.btn_prev)
        bar.addWidget(self.page_box)
        bar.addWidget(self.btn_next)
        self.images: list[QImage] = []
        self.scroll.verticalScrollBar().valueChanged.connect(self._scrolled)
        col.addWidget(self.status)
        col.addLayout(bar)
        col.addWidget(self.scroll, 1)

    # -- zoom and pages ---------------------------------------------------------------------------
    def zoom_factor(self, image: QImage) -> float:
        """The size a page is shown at, against its 100 % rendering."""
        key = self.zoom.currentData()
        view = self.scroll.viewport()
        m = self.pages_layout.contentsMargins()
        bar = self.scroll.verticalScrollBar().sizeHint().width()  # kept free: several pages scroll
        width = self.scroll.width() - 2 * self.scroll.frameWidth() - bar - m.left() - m.right() - 4
        if key == "fit_width":
            return max(0.1, width / image.width())
        if key == "fit_page":
            return max(0.1, min(width / image.width(), (view.height() - m.top() - m.bottom()) / image.height()))
        return int(key) / 100

    def apply_zoom(self) -> None:
        page = self.current_page()
        for label, image in zip(self.page_labels(), self.images, strict=True):
            k = self.zoom_factor(image)
            size = QSize(round(image.width() * k), round(image.height() * k))
            label.setPixmap(QPixmap.fromImage(image.scaled(size, Qt.KeepAspectRatio, Qt.SmoothTransformation)))
            label.setFixedSize(size)
        from PySide6.QtCore import QCoreApplication, QEvent

        self.pages_layout.activate()  # the pages' new places and the scroll range, before going back to the page
        QCoreApplication.sendPostedEvents(None, QEvent.LayoutRequest)
        self.go_to_page(page)

    def current_page(self) -> int:
        """The page at the top of the preview (1-based)."""
        y = self.scroll.verticalScrollBar().value()
        labels = self.page_labels()
        for i, label in enumerate(labels):
            if label.geometry().bottom() > y + 20:
                return i + 1
        return max(1, len(labels))

    def go_to_page(self, n: int) -> None:
        labels = self.page_labels()
        if not labels:
            return
        n = max(1, min(n, len(labels)))
        self.scroll.verticalScrollBar().setValue(labels[n - 1].geometry().top() - 7)
        self._sync_page(n)

    def _scrolled(self, _value: int) -> None:
        if self.page_labels():
            self._sync_page(self.current_page())

    def _sync_page(self, n: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(n)
        self.page_box.blockSignals(False)
        self.btn_prev.setEnabled(n > 1)
        self.btn_next.setEnabled(n < len(self.page_labels()))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if getattr(self, "images", None) and self.zoom.currentData() in ("fit_width", "fit_page"):
            self.apply_zoom()

    def _clear_preview(self, message: str) -> None:
        self.pdf, self.built_for, self.page_count, self.issued = None, None, 0, None
        self.images = []
        while self.pages_layout.count():
            w = self.pages_layout.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.status.setText(message)
        self.btn_save.setEnabled(False)
        self.btn_print.setEnabled(False)

    def page_labels(self) -> list[QLabel]:
        return [self.pages_layout.itemAt(i).widget() for i in range(self.pages_layout.count())]

    # -- building ---------------------------------------------------------------------------------
    def generate(self) -> None:
        name, params = self.current()
        self._clear_preview("正在生成…")
        run_with_progress(self, self.ctx.worker, "正在生成报表…", self._job, name, params, self.fresh.isChecked(),
                          on_done=lambda result: self._show(name, params, result),
                          on_error=self._failed, on_cancel=lambda: self.status.setText("已取消。"))

    def _job(self, name: str, params: dict, fresh: bool = False):
        """An issued month (定稿) previews its newest edition as issued, byte for byte, as
        ``ufdesk report monthly`` prints it; otherwise (or with 按今天的数据重新生成) a fresh build."""
        issued = None if fresh else archive.issued_file(self.ctx.services, name, params)
        if issued is not None:
            pdf, row = issued
            issued = {k: row[k] for k in ("period", "edition", "issued_at", "issued_by")}
        else:
            pdf = yield from reports.build(self.ctx.services, name, params)
        images = []
        for i, count, image in render_pages(pdf, PREVIEW_SCALE, PREVIEW_PAGES, PREVIEW_WIDTH):
            yield i + 1, min(count, PREVIEW_PAGES), f"正在显示第{i + 1}页…"
            images.append(image)
        return pdf, images, issued

    def _failed(self, exc: BaseException) -> None:
        self.status.setText("未能生成报表。")
        show_error(self, exc, "报表")

    def _show(self, name: str, params: dict, result) -> None:
        pdf, images, issued = result
        self._clear_preview("")
        self.pdf, self.built_for, self.issued = pdf, (name, params), issued
        self.images = [_qimage(w, h, data) for w, h, data in images]
        for _image in self.images:
            self.pages_layout.addWidget(QLabel())
        self.page_box.setRange(1, max(1, len(self.images)))
        self.apply_zoom()
        import pypdfium2 as pdfium

        self.page_count = len(pdfium.PdfDocument(pdf))
        more = f"（预览显示前{len(images)}页，保存和打印包含全部页）" if self.page_count > len(images) else ""
        text = f"{reports.TEMPLATES[name].label}：共{self.page_count}页{more}"
        if issued:
            m = issued["period"]
            text = (f"{m[:4]}年{int(m[5:])}月汇总第{issued['edition']}版定稿（{issued['issued_at']:%Y-%m-%d %H:%M}"
                    f"{'，' + issued['issued_by'] if issued['issued_by'] else ''}），与定稿原样相同；{text}。"
                    "要按今天的数据重新生成，请勾选“按今天的数据重新生成”。")
        self.status.setText(text)
        self.btn_save.setEnabled(True)
        self.btn_print.setEnabled(True)

    # -- issuing (定稿) ----------------------------------------------------------------------------
    def issue(self) -> None:
        name, params = self.current()
        self.issue_info.setText("正在定稿…")
        self.ctx.worker.submit(archive.issue, self.ctx.services, name, params, on_done=self._issued,
                               on_error=self._issue_failed)

    def _issued(self, made: dict) -> None:
        m = made["period"]
        text = f"已定稿{m[:4]}年{int(m[5:])}月汇总第{made['edition']}版。"
        if made["edition"] > 1:
            if made["changed"]:
                text += f"与第{made['edition'] - 1}版不同的数字：" + "；".join(
                    f"{k} {old}→{new}" for k, old, new in made["changed"]) + "。"
            else:
                text += f"各项数字与第{made['edition'] - 1}版相同。"
        self.issue_info.setText(text)
        self._clear_preview("已定稿：点“生成预览”查看定稿原样。")

    def _issue_failed(self, exc: BaseException) -> None:
        self.issue_info.setText("未能定稿。")
        show_error(self, exc, "定稿")

    # -- saving and printing ----------------------------------------------------------------------
    def default_filename(self) -> str:
        name, params = self.built_for or self.current()
        label = reports.TEMPLATES[name].label
        if name == "monthly":
            label += params.get("month") or ""
        elif name == "proposals":
            label += str(params.get("year") or "")
        return label + ".pdf"

    def save(self) -> None:
        from .files import suggested

        if self.pdf is None:
            return
        name, params = self.built_for
        filters = "PDF 文件 (*.pdf)" + (";;Word 文件（可编辑） (*.docx)" if "docx" in reports.TEMPLATES[name].formats else "")
        path, chosen = QFileDialog.getSaveFileName(self, "保存报表", suggested(self.default_filename()), filters)
        if path:
            self.save_to(path, docx="docx" in chosen or path.lower().endswith(".docx"))

    def save_to(self, path: str, docx: bool = False) -> None:
        """Write the report: the built PDF, or (monthly) the Word file, built on the worker."""
        target = Path(path)
        if not docx:
            target = target.with_suffix(".pdf")
            self._write(target, self.pdf)
            return
        name, params = self.built_for
        if self.issued:  # the Word file issued with that edition, as issued
            run_with_progress(self, self.ctx.worker, "正在取出定稿的 Word 文件…", self._issued_docx, params,
                              self.issued["edition"], on_done=lambda data: self._write(target.with_suffix(".docx"), data),
                              on_error=lambda exc: show_error(self, exc, "报表"))
            return
        run_with_progress(self, self.ctx.worker, "正在生成 Word 文件…", reports.build, self.ctx.services, name, params,
                          "docx", on_done=lambda data: self._write(target.with_suffix(".docx"), data),
                          on_error=lambda exc: show_error(self, exc, "报表"))

    def _issued_docx(self, params: dict, edition: int):
        yield 0, 1, "正在取出定稿的 Word 文件…"
        return archive.issued_file(self.ctx.services, "monthly", params, "docx", edition)[0]

    def _write(self, target: Path, data: bytes) -> None:
        try:
            from ..paths import write_private

            write_private(target, data)
        except OSError as exc:
            show_error(self, exc, "保存报表")
            return
        self.status.setText(f"已保存：{target}")
        from .files import show_saved

        show_saved(self, "保存报表", target)

    def print_(self) -> None:
        if self.pdf is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from . import settings as S

        printer = QPrinter(QPrinter.HighResolution)
        if S.LAST_PRINTER.get():
            printer.setPrinterName(S.LAST_PRINTER.get())  # the printer used last time (if it is still there)
        self.prepare_printer(printer)
        dlg = QPrintDialog(printer, self)
        dlg.setWindowTitle("打印报表")
        if dlg.exec() != QDialog.Accepted:
            return
        if printer.printerName():
            S.LAST_PRINTER.set(printer.printerName())
        self.print_to(printer)

    def prepare_printer(self, printer) -> None:
        """A4 in the report's own orientation, the whole sheet ours (the PDF holds the margins)."""
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(self.pdf)
        w, h = doc[0].get_size()
        doc.close()
        printer.setFullPage(True)
        printer.setPageSize(QPageSize(QPageSize.A4))
        printer.setPageOrientation(QPageLayout.Landscape if w > h else QPageLayout.Portrait)
        printer.setDocName(self.default_filename().removesuffix(".pdf"))

    def print_to(self, printer, on_done=None):
        """Send every page to a configured printer, rendered on the worker (QPainter may paint on a
        QPrinter outside the UI thread)."""
        pdf = self.pdf

        def job():
            painter = QPainter()
            if not painter.begin(printer):
                raise OSError("无法开始打印：打印机不可用")
            try:
                dpi = min(printer.resolution(), PRINT_DPI)
                for i, count, (w, h, data) in render_pages(pdf, dpi / 72):
                    if i:
                        printer.newPage()
                    target = QRectF(0, 0, painter.device().width(), painter.device().height())
                    painter.drawImage(target, _qimage(w, h, data))
                    yield i + 1, count, f"正在打印第{i + 1}页，共{count}页…"
            finally:
                painter.end()
            return count

        def done(count):
            self.status.setText(f"已送打印机：{count}页。")
            if on_done:
                on_done(count)

        return run_with_progress(self, self.ctx.worker, "正在打印…", job, on_done=done,
                                 on_error=lambda exc: show_error(self, exc, "打印"))

