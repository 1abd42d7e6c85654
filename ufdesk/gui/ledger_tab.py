"""One tab per ledger, all made by this one class from the ledger's description: filter bar,
table (ids + page cache, sorted in SQL), a detail pane, and 新增 / 修改 / 删除."""

from __future__ import annotations

import dataclasses
import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..domain import LEDGERS
from ..domain.model import TOWNSHIP_LABEL
from ..services.audit import MASKED_TYPES, mask
from . import settings as S
from .alive import guard
from .columns import formatter, township_formatter
from .filter_bar import FilterBar
from .messages import error_text, show_error
from .table_model import LedgerTableModel


def _table_palette(view: QTableView) -> None:
    """Table colours by palette, not style sheet (see resources/style.qss)."""
    pal = view.palette()
    pal.setColor(QPalette.Base, QColor("#ffffff"))
    pal.setColor(QPalette.AlternateBase, QColor("#f5f8fc"))
    pal.setColor(QPalette.Highlight, QColor("#cfe0f5"))
    pal.setColor(QPalette.HighlightedText, QColor("#111111"))
    view.setPalette(pal)
    view.setGridStyle(Qt.SolidLine)


class LedgerTab(QWidget):
    counted = Signal(str, int)  # ledger, rows shown

    def __init__(self, ctx, ledger: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.lg = LEDGERS[ledger]
        self.model = LedgerTableModel(ctx, ledger, self)
        self.filters = FilterBar(ctx, self.lg, self)
        self.filters.changed.connect(self.apply_filters)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.ExtendedSelection)  # Shift/Ctrl+click, Ctrl+A as in Excel
        self.view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.installEventFilter(self)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.view.verticalHeader().setMinimumWidth(44)
        _table_palette(self.view)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.AscendingOrder)
        header.setHighlightSections(False)
        from .table_actions import ExcelArrows

        self._arrows = ExcelArrows(header.style().name())
        self._arrows.setParent(header)  # owned by Qt: freed with the header, not by Python at exit
        header.setStyle(self._arrows)
        header.setStretchLastSection(True)
        self._default_widths()
        state = S.HEADER_STATE.get(self.lg.name)
        if not state.isEmpty():
            header.restoreState(state)
            header.setSortIndicator(-1, Qt.AscendingOrder)  # each start lists in the default order
        header.sortIndicatorChanged.connect(self.model.sort)
        # activated = double-click or Enter (also emitting doubleClicked would open two forms)
        self.view.activated.connect(lambda idx: self.open_record(idx.row()))
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._selected(cur.row()))
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(lambda exc: show_error(self, exc))

        self.count = QLabel(self)
        self.count.setObjectName("count")
        self.new_button = QPushButton(f"新增{self.lg.label}", self)
        self.edit_button = QPushButton("修改", self)
        self.delete_button = QPushButton("删除", self)
        self.new_button.clicked.connect(self.new_record)
        self.edit_button.clicked.connect(lambda: self.open_record(self.view.currentIndex().row()))
        self.delete_button.clicked.connect(self.delete_record)
        can_edit = ctx.services.allowed("edit")
        # a township adds or deletes none of the records the county hands down (重点任务)
        self.county_note = ctx.services.county_only(self.lg.name)[2]
        self.may_add = can_edit and not self.county_note
        self.new_button.setEnabled(self.may_add)
        self.delete_button.setEnabled(self.may_add)
        if self.county_note:
            for b in (self.new_button, self.delete_button):
                b.setToolTip(self.county_note)
        if not can_edit:
            self.edit_button.setText("查看")

        self.detail = QTextBrowser(self)
        self.detail.setObjectName("detail")
        self.detail.setOpenLinks(False)
        self.splitter = QSplitter(Qt.Horizontal, self)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 260])
        split = S.SPLITTER_STATE.get(self.lg.name)
        if not split.isEmpty():
            self.splitter.restoreState(split)

        top = QHBoxLayout()
        top.addWidget(self.filters, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.new_button)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.delete_button)
        actions.addStretch(1)
        self.order = None
        if self.lg.person:  # rosters: 按姓氏笔画 by default, or by 排序号, or by pinyin
            self.order = QComboBox(self)
            self.order.addItem("按姓氏笔画排列", None)
            if any(f.name == "sort_no" for f in self.lg.fields):
                self.order.addItem("按排序号排列", "sort_no")
            self.order.addItem("按拼音排列", "pinyin")
            self.order.setToolTip("点击列标题可按该列排序")
            self.order.currentIndexChanged.connect(self._order_changed)
            actions.addWidget(self.order)
        actions.addWidget(self.count)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 4)
        lay.addLayout(top)
        lay.addLayout(actions)
        lay.addWidget(self.splitter, 1)
        self._started = False
        self._detail_formatters = None
        ctx.changed.connect(self._data_changed)

    def _default_widths(self) -> None:
        em = self.fontMetrics().horizontalAdvance("中")
        for i, col in enumerate(self.model.columns):
            self.view.setColumnWidth(i, em * min(col.width, 20) + 18)

    def _order_changed(self) -> None:
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(-1, Qt.AscendingOrder)
        header.blockSignals(False)
        self._started = True
        self.model.set_query(dataclasses.replace(self.filters.query(self.model.query),
                                                 sort=self.order.currentData(), desc=False))

    # -- loading ------------------------------------------------------------------------------
    def start(self) -> None:
        """Load the first page (called when the tab is first shown)."""
        if not self._started:
            self._started = True
            self.apply_filters()

    def apply_filters(self) -> None:
        self._started = True
        self.model.set_query(self.filters.query(self.model.query))

    def show_filtered(self, filters: dict, label: str = "", *, township: str | None = None) -> None:
        self._started = True
        self.filters.set_filters(filters, label, township=township)

    def _loaded(self) -> None:
        n = len(self.model.ids)
        self.count.setText(f"共 {n:,} {self.lg.unit}" if n >= 10000 else f"共 {n} {self.lg.unit}")  # 100,000: ASCII
        self.counted.emit(self.lg.name, n)
        has = n > 0
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has and self.may_add)
        pending, self._select_next = getattr(self, "_select_next", None), None
        row = self.model.row_of_uuid(pending) if pending else -1
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        elif has and not self.view.currentIndex().isValid():
            self.view.selectRow(0)
        elif not has:
            self.detail.setHtml(f"<p class='hint'>没有符合条件的{self.lg.label}记录。</p>")

    def _data_changed(self, ledger: str) -> None:
        if ledger in ("*", self.lg.name) and self._started:
            self.model.refresh()
            self._selected(self.view.currentIndex().row())

    # -- detail pane --------------------------------------------------------------------------
    def _selected(self, row: int) -> None:
        uuid = self.model.uuid_at(row)
        if uuid is None:
            return
        self._detail_uuid = uuid
        QTimer.singleShot(0, lambda: self._fetch_detail(uuid))

    def _fetch_detail(self, uuid: str) -> None:
        if getattr(self, "_detail_uuid", None) != uuid:
            return
        self.ctx.worker.submit(self.ctx.services.get, self.lg.name, uuid, with_subs=False,
                               on_done=guard(self, self._show_detail),
                               on_error=guard(self, lambda e: self.detail.setPlainText(error_text(e))))

    def _show_detail(self, row: dict) -> None:
        if row.get("uuid") != getattr(self, "_detail_uuid", None):
            return
        if self._detail_formatters is None:
            self._detail_formatters = {f.name: formatter(f, self.ctx.services) for f in self.lg.fields}
            self._detail_formatters["township"] = township_formatter(self.ctx.services)
        lines = [f"<h3>{html.escape(str(row.get(self.lg.title) or ''))}</h3><table>"]
        fields = [(TOWNSHIP_LABEL, "township", None)] + [(f.label, f.name, f) for f in self.lg.fields
                                                         if f.name != self.lg.title and f.type != "ref"]
        for label, name, f in fields:
            text = self._detail_formatters[name](row.get(name))
            if f is not None and (f.sensitive or f.type in MASKED_TYPES) and not self.ctx.services.allowed("view_full_ids"):
                text = mask(row.get(name), f.type if f.type in MASKED_TYPES else "other")
            if text:
                lines.append(f"<tr><td class='k'>{html.escape(label)}</td><td>{html.escape(text)}</td></tr>")
        lines.append("</table>")
        self.detail.setHtml("".join(lines))

    # -- actions ------------------------------------------------------------------------------
    def current_uuid(self) -> str | None:
        return self.model.uuid_at(self.view.currentIndex().row())

    def open_record(self, row: int):
        uuid = self.model.uuid_at(row)
        if uuid is None:
            return None
        from .form import RecordForm

        form = RecordForm(self.ctx, self.lg.name, uuid, self)
        form.open()
        return form

    def new_record(self):
        from .form import RecordForm

        if self.county_note:  # Ctrl+N on a township PC's 重点任务: the county adds them
            self.count.setText(self.county_note + "。")
            return None
        defaults = {}
        tw = self.filters.township.value()
        if tw and tw != "county" and self.ctx.services.township is None:
            defaults["township"] = tw
        form = RecordForm(self.ctx, self.lg.name, None, self, defaults=defaults)
        form.saved.connect(lambda ch: self._select_after_save(ch.uuid))
        form.open()
        return form

    def _select_after_save(self, uuid: str) -> None:
        self._select_next = uuid  # selected when the refreshed list arrives (see _loaded)

    def delete_record(self) -> None:
        if self.county_note:
            self.count.setText(self.county_note + "。")
            return
        from .table_actions import selected_rows

        rows = selected_rows(self.view) or [self.view.currentIndex().row()]
        recs = [r for r in (self.model.row_record(i) for i in rows) if r is not None]
        if not recs:
            return
        if len(recs) == 1:
            title = recs[0].get(self.lg.title) or ""
            text = f"确定删除{self.lg.label}“{title}”吗？"
        else:
            names = "、".join(str(r.get(self.lg.title) or "") for r in recs[:3])
            text = f"确定删除选中的 {len(recs)} 条{self.lg.label}（{names}{'等' if len(recs) > 3 else ''}）吗？"
        answer = QMessageBox.question(
            self, "删除记录", f"{text}\n\n删除后记录不再显示；可以用“撤销”(Ctrl+Z)恢复。",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            return
        uuids = [r["uuid"] for r in recs]
        fn = (self.ctx.services.delete, self.lg.name, uuids[0]) if len(uuids) == 1 else \
            (self.ctx.services.delete_many, self.lg.name, uuids)
        self.ctx.worker.submit(*fn, on_done=lambda _c: self.ctx.notify(self.lg.name),
                               on_error=guard(self, lambda e: show_error(self, e)))

    # -- several rows: copy, right-click menu, 批量修改 -------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QKeySequence

        if obj is self.view and event.type() == QEvent.KeyPress and event.matches(QKeySequence.Copy):
            self.copy_selection()
            return True
        return super().eventFilter(obj, event)

    def copy_selection(self, headers: bool = False, on_done=None) -> None:
        """The selected rows' visible columns, as shown, onto the clipboard (fetching rows not yet
        loaded first)."""
        from .table_actions import put_on_clipboard, selected_rows, visible_columns

        rows = selected_rows(self.view)
        cols = visible_columns(self.view)
        ids = [self.model.ids[r] for r in rows]

        def put(fetched: dict) -> None:
            lines = [[self.model.columns[c].label for c in cols]] if headers else []
            for rid in ids:
                rec = fetched.get(rid) or self.model._cache.get(rid) or {}
                lines.append([self.model.columns[c].show(rec.get(self.model.columns[c].key)) for c in cols])
            put_on_clipboard(lines)
            window = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(f"已复制 {len(ids)} 行，可以粘贴到 Excel 或 WPS 表格。", 5000)
            if on_done:
                on_done(len(ids))

        missing = [i for i in ids if i not in self.model._cache]
        if not missing:
            put({})
            return
        self.ctx.worker.submit(self.ctx.services.rows, self.lg.name, missing, self.model._fetch_cols,
                               on_done=guard(self, put), on_error=guard(self, lambda e: show_error(self, e)))

    def _context_menu(self, pos) -> None:
        from .table_actions import table_menu

        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isRowSelected(index.row(), index.parent()):
            self.view.selectRow(index.row())  # a right-click outside the selection selects that row, as in Excel
        self.menu = table_menu(self, pos)
        self.menu.popup(self.view.viewport().mapToGlobal(pos))

    def bulk_edit(self) -> None:
        from .table_actions import run_bulk_edit

        run_bulk_edit(self)

    def save_state(self) -> None:
        S.HEADER_STATE.set(self.view.horizontalHeader().saveState(), self.lg.name)
        S.SPLITTER_STATE.set(self.splitter.saveState(), self.lg.name)
