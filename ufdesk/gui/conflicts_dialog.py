"""冲突与重复: review what the exchange could not decide alone.

Conflicts: records on the left; on the right the record's conflicting fields side by side
(本机 | 对方), each resolved by 保留本机 / 采用对方 / 修改为… . Duplicates: two records with the
same ID number side by side, field by field, with a choice per field; 合并为一条 keeps one
record with the chosen values (the other's sub-records move to it) and deletes the other.
Every resolution is audited and travels in the next package.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain import LEDGERS
from ..exchange import conflicts as C
from ..services.audit import mask

DELETED = "_deleted"


def shown(ledger_fields: dict, codebook, field: str, value, full_ids: bool = False) -> str:
    """A value as a clerk reads it: code names, 是/否, dates, masked ID and phone numbers."""
    if isinstance(value, dict) and "deleted" in value:
        return "已删除" if value["deleted"] else "保留（含对方的修改）"
    if value in (None, ""):
        return "（空）"
    f = ledger_fields.get(field)
    if f is None:
        return str(value)
    if f.type == "code" and f.code:
        return codebook.name_of(f.code, value) or str(value)
    if f.type == "codes" and f.code:
        from ..domain.codes import split_multi

        return "、".join(codebook.name_of(f.code, c) or c for c in split_multi(value))
    if f.type == "bool":
        return "是" if value else "否"
    if f.type in ("idcard", "mobile", "phone") and not full_ids:
        return mask(value, f.type)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _item(text: str) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(it.flags() & ~Qt.ItemIsEditable)
    return it


class ConflictsDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.services = ctx.services
        self.conflicts: list[dict] = []
        self.duplicates: list[dict] = []
        self.full_ids = ctx.services.allowed("view_full_ids")
        self.setWindowTitle("冲突与重复记录")
        self.resize(900, 560)
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._conflicts_tab(), "冲突")
        self.tabs.addTab(self._duplicates_tab(), "重复记录")
        lay.addWidget(self.tabs)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("关闭", self)
        close.clicked.connect(self.accept)
        row.addWidget(close)
        lay.addLayout(row)
        self.reload()

    # -- conflicts ----------------------------------------------------------------------------
    def _conflicts_tab(self) -> QWidget:
        w = QWidget(self)
        lay = QVBoxLayout(w)
        intro = QLabel("同一字段在本机和对方都被修改过，或一方删除、另一方修改。本机的值暂时保留，请逐项确认；"
                       "处理结果会随下一个数据包传给对方。", w)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        split = QSplitter(w)
        self.records = QListWidget(split)
        self.records.currentRowChanged.connect(self._show_record)
        right = QWidget(split)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("", right)
        self.title.setStyleSheet("font-weight: bold;")
        rl.addWidget(self.title)
        self.fields = QTableWidget(0, 3, right)
        self.fields.setObjectName("fields")
        self.fields.setHorizontalHeaderLabels(["字段", "本机", "对方"])
        self.fields.verticalHeader().setVisible(False)
        self.fields.setSelectionBehavior(QTableWidget.SelectRows)
        self.fields.setSelectionMode(QTableWidget.SingleSelection)
        self.fields.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        rl.addWidget(self.fields, 1)
        buttons = QHBoxLayout()
        self.mine_button = QPushButton("保留本机", right)
        self.theirs_button = QPushButton("采用对方", right)
        self.edit_button = QPushButton("修改为…", right)
        self.mine_button.clicked.connect(lambda: self.resolve_selected("mine"))
        self.theirs_button.clicked.connect(lambda: self.resolve_selected("theirs"))
        self.edit_button.clicked.connect(lambda: self.resolve_selected("edit"))
        for b in (self.mine_button, self.theirs_button, self.edit_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        rl.addLayout(buttons)
        split.setSizes([260, 620])
        lay.addWidget(split, 1)
        self.empty = QLabel("", w)
        lay.addWidget(self.empty)
        return w

    def reload(self) -> None:
        self.ctx.worker.submit(lambda: (C.list_conflicts(self.services), C.list_duplicates(self.services)),
                               on_done=self._loaded)

    def _loaded(self, value) -> None:
        self.conflicts, self.duplicates = value
        self.groups: list[list[dict]] = []
        by_record: dict[str, list[dict]] = {}
        for c in self.conflicts:
            by_record.setdefault(c["record"], []).append(c)
        self.records.clear()
        for items in by_record.values():
            self.groups.append(items)
            c = items[0]
            label = f"{LEDGERS[c['ledger']].label}：{c['title'] or '（无名称）'}（{len(items)} 处）"
            self.records.addItem(QListWidgetItem(label))
        self.empty.setText("" if self.conflicts else "没有待处理的冲突。")
        if self.groups:
            self.records.setCurrentRow(0)
        else:
            self._show_record(-1)
        self._load_duplicates()

    def _show_record(self, row: int) -> None:
        items = self.groups[row] if 0 <= row < len(self.groups) else []
        self.title.setText(f"{items[0]['title']}（来自{items[0]['source']}的数据包，{(items[0]['since'] or '')[:16]}）"
                           if items else "")
        lg = LEDGERS[items[0]["ledger"]] if items else None
        fields = {f.name: f for f in lg.fields} if lg else {}
        if items and items[0]["table"] != items[0]["ledger"]:
            from ..domain import SUBS

            fields = {f.name: f for f in SUBS[items[0]["table"]][1].fields}
        codes = self.services.codebook()
        self.fields.setRowCount(len(items))
        for r, c in enumerate(items):
            self.fields.setItem(r, 0, _item(c["label"]))
            self.fields.setItem(r, 1, _item(shown(fields, codes, c["field"], c["mine"], self.full_ids)))
            self.fields.setItem(r, 2, _item(shown(fields, codes, c["field"], c["theirs"], self.full_ids)))
        if items:
            self.fields.selectRow(0)
        for b in (self.mine_button, self.theirs_button, self.edit_button):
            b.setEnabled(bool(items))

    def selected_conflict(self) -> dict | None:
        row, frow = self.records.currentRow(), self.fields.currentRow()
        if not (0 <= row < len(self.groups)) or not (0 <= frow < len(self.groups[row])):
            return None
        return self.groups[row][frow]

    def resolve_selected(self, take: str, value=None) -> None:
        c = self.selected_conflict()
        if c is None:
            return
        if take == "edit":
            if c["field"] == DELETED:
                QMessageBox.information(self, "修改", "删除与修改的冲突只能选择保留本机或采用对方。")
                return
            if value is None:
                text, ok = QInputDialog.getText(self, "修改为", f"{c['label']}：", text=str(c["mine"] or ""))
                if not ok:
                    return
                value = text
        self.ctx.worker.submit(C.resolve, self.services, c["id"], take, value,
                               on_done=lambda _v: self._changed(c["ledger"]))

    def _changed(self, ledger: str) -> None:
        self.ctx.notify(ledger)
        self.reload()

    # -- duplicates ---------------------------------------------------------------------------
    def _duplicates_tab(self) -> QWidget:
        w = QWidget(self)
        lay = QVBoxLayout(w)
        intro = QLabel("身份证号（或信用代码、登记证号）相同的两条记录。请核对：是同一人则选择每个字段保留哪一边的值，"
                       "合并为一条；不是同一人则标记后两条都保留。", w)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.pairs = QComboBox(w)
        self.pairs.currentIndexChanged.connect(self._show_pair)
        lay.addWidget(self.pairs)
        self.compare = QTableWidget(0, 4, w)
        self.compare.setObjectName("compare")
        self.compare.setHorizontalHeaderLabels(["字段", "记录一（保留）", "记录二", "采用"])
        self.compare.verticalHeader().setVisible(False)
        self.compare.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        lay.addWidget(self.compare, 1)
        row = QHBoxLayout()
        self.merge_button = QPushButton("合并为一条", w)
        self.distinct_button = QPushButton("不是同一人（都保留）", w)
        self.merge_button.clicked.connect(self.merge_selected)
        self.distinct_button.clicked.connect(self.distinct_selected)
        row.addWidget(self.merge_button)
        row.addWidget(self.distinct_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.dup_note = QLabel("", w)
        lay.addWidget(self.dup_note)
        return w

    def _load_duplicates(self) -> None:
        self.pairs.blockSignals(True)
        self.pairs.clear()
        for d in self.duplicates:
            lg = LEDGERS[d["table_name"]]
            a, b = d["other_row"], d["record_row"]  # the record already here first
            self.pairs.addItem(f"{lg.label}：{a.get(lg.title) or ''} ／ {b.get(lg.title) or ''}"
                               f"（{self.services.township_name(a.get('township'))} ／ {self.services.township_name(b.get('township'))}）")
        self.pairs.blockSignals(False)
        self.dup_note.setText("" if self.duplicates else "没有待核对的重复记录。")
        self._show_pair(self.pairs.currentIndex())

    def _show_pair(self, i: int) -> None:
        self.choices: list[tuple[str, QComboBox]] = []
        if not (0 <= i < len(self.duplicates)):
            self.compare.setRowCount(0)
            self.merge_button.setEnabled(False)
            self.distinct_button.setEnabled(False)
            return
        d = self.duplicates[i]
        lg = LEDGERS[d["table_name"]]
        a, b = d["other_row"], d["record_row"]  # the record already here first
        codes = self.services.codebook()
        fields = {f.name: f for f in lg.fields}
        names = ["township", *[f.name for f in lg.fields]]
        self.compare.setRowCount(len(names))
        for r, name in enumerate(names):
            label = "所属乡镇" if name == "township" else fields[name].label
            if name == "township":
                va, vb = self.services.township_name(a.get(name)), self.services.township_name(b.get(name))
            else:
                va = shown(fields, codes, name, a.get(name), self.full_ids)
                vb = shown(fields, codes, name, b.get(name), self.full_ids)
            self.compare.setItem(r, 0, _item(label))
            self.compare.setItem(r, 1, _item(va))
            self.compare.setItem(r, 2, _item(vb))
            pick = QComboBox(self.compare)
            pick.addItems(["记录一", "记录二"])
            if a.get(name) in (None, "") and b.get(name) not in (None, ""):
                pick.setCurrentIndex(1)
            self.compare.setCellWidget(r, 3, pick)
            self.choices.append((name, pick))
        self.merge_button.setEnabled(True)
        self.distinct_button.setEnabled(True)

    def merge_selected(self) -> None:
        i = self.pairs.currentIndex()
        if not (0 <= i < len(self.duplicates)):
            return
        d = self.duplicates[i]
        a, b = d["other_row"], d["record_row"]  # the record already here first
        values = {name: b.get(name) for name, pick in self.choices if pick.currentIndex() == 1}
        self.ctx.worker.submit(C.merge_duplicate, self.services, d["id"], a["uuid"], values,
                               on_done=lambda _v: self._changed(d["table_name"]))

    def distinct_selected(self) -> None:
        i = self.pairs.currentIndex()
        if 0 <= i < len(self.duplicates):
            d = self.duplicates[i]
            self.ctx.worker.submit(C.dismiss_duplicate, self.services, d["id"],
                                   on_done=lambda _v: self._changed(d["table_name"]))
