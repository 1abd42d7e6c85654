"""The edit form of a record, generated from its ledger: the fields, a tab per sub-ledger,
the photo and the attachments. Messages show beside each field as the clerk types; 保存 is
enabled only when everything is valid. Enter saves, Esc cancels."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain import LEDGERS, defaults_of
from ..domain.errors import ValidationError
from ..domain.model import TOWNSHIP_LABEL
from ..services import Query
from ..services.audit import MASKED_TYPES
from . import settings as S
from .alive import guard
from .attachments import AttachmentList, Pending, PhotoPanel
from .editors import ChoiceCombo
from .fieldgrid import FieldGrid
from .messages import error_text
from .subtable import SubTable

TOWNSHIP = "township"


def load_record(services, ledger: str, uuid: str) -> dict:
    """Worker job: the record with its sub-rows, the names of the records it refers to, and
    its attachments."""
    lg = LEDGERS[ledger]
    row = services.get(ledger, uuid)
    refs: dict[str, set] = {}
    for f in lg.fields:
        if f.type == "ref" and row.get(f.name):
            refs.setdefault(f.ref, set()).add(row[f.name])
    for sub in lg.subs:
        for f in sub.fields:
            if f.type == "ref":
                refs.setdefault(f.ref, set()).update(r[f.name] for r in row["subs"][sub.name] if r.get(f.name))
    names = {}
    for ref, uuids in refs.items():
        title = LEDGERS[ref].title
        q = Query(ref, filters={"uuid": ("in", sorted(uuids))}, include_deleted=True)
        names.update({r["uuid"]: r[title] for r in services.page(q, 0, len(uuids), ["uuid", title])})
    atts = services.attachments(uuid) if lg.attachments else []
    return {"row": row, "names": names, "attachments": atts}


def save_record(services, ledger: str, uuid: str | None, values: dict, subs: dict,
                version: int | None, pending: Pending):
    """Worker job: create or update, then the attachment changes."""
    if uuid is None:
        change = services.create(ledger, values, subs)
    else:
        change = services.update(ledger, uuid, values, subs, expected_version=version)
    if pending:
        pending.apply(services, ledger, change.uuid)
    return change


class RecordForm(QDialog):
    ready = Signal()  # the record has been loaded into the form
    saved = Signal(object)  # the services' Change

    def __init__(self, ctx, ledger: str, uuid: str | None = None, parent=None, *, defaults: dict | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.ledger = LEDGERS[ledger]
        self.uuid = uuid
        self.version: int | None = None
        # a new record shows each field's default (状态 在册 …) unless the caller gives a value
        self.record: dict = {**(defaults_of(LEDGERS[ledger]) if uuid is None else {}), **(defaults or {})}
        self.pending = Pending()
        self.dirty = False
        self.saving = False
        self._loaded = False
        services = ctx.services
        self.can_edit = services.allowed("edit")
        self.full_ids = services.allowed("view_full_ids")
        lg = self.ledger
        self.setWindowTitle(f"{lg.label} — {'新增' if uuid is None else '修改'}")
        self.setObjectName("recordForm")
        self._masked = tuple(f.name for f in lg.fields
                             if (f.sensitive or f.type in MASKED_TYPES) and not self.full_ids and uuid is not None)
        readonly = tuple(f.name for f in lg.fields) if not self.can_edit else self._masked
        # on a township PC, what the county sets (a 重点任务's content, deadline, owner) is greyed out
        locked, locked_subs, self.scope_note = services.county_only(lg.name)
        readonly = tuple(dict.fromkeys((*readonly, *(f.name for f in lg.fields if f.name in locked))))
        own = ctx.services.township
        self._make_township(own)
        self.grid = FieldGrid(lg.fields, ctx, self, columns=2, township=own, readonly=readonly,
                              lead=((TOWNSHIP, TOWNSHIP_LABEL, self.township),), lead_after=lg.title)
        self.grid.edited.connect(self._changed)
        for name in locked:
            if name in self.grid.editors:
                self.grid.editors[name].setToolTip(self.scope_note)
        for f in lg.fields:
            if f.type == "idcard" and f.name in self.grid.editors:
                self.grid.editors[f.name].edited.connect(lambda name=f.name: self._fill_from_id(name))

        self.tabs = QTabWidget(self)
        page = QWidget(self)
        row = QHBoxLayout(page)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(self.grid)
        row.addWidget(scroll, 1)
        self.photo = None
        if "photo" in lg.attachments:
            self.photo = PhotoPanel(self.pending, page, readonly=not self.can_edit)
            self.photo.edited.connect(self._changed)
            row.addWidget(self.photo, 0)
        self.tabs.addTab(page, "基本信息")
        self.subtables: dict[str, SubTable] = {}
        for sub in lg.subs:
            st = SubTable(ctx, sub, self, readonly=not self.can_edit or sub.name in locked_subs)
            st.edited.connect(self._changed)
            self.subtables[sub.name] = st
            self.tabs.addTab(st, sub.label)
        self.files = None
        if any(k != "photo" for k in lg.attachments):
            self.files = AttachmentList(lg.attachments, self.pending, self, readonly=not self.can_edit)
            self.files.edited.connect(self._changed)
            self.tabs.addTab(self.files, "附件")

        self.summary = QLabel(self)
        self.summary.setObjectName("formSummary")
        self.summary.setWordWrap(True)
        # Qt's own 保存 and 取消 (关闭 for a viewer), translated by qtbase_zh_CN
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | (QDialogButtonBox.Cancel if self.can_edit
                                                                 else QDialogButtonBox.Close), self)
        self.save_button = self.buttons.button(QDialogButtonBox.Save)
        self.save_button.setDefault(True)
        self.save_button.setVisible(self.can_edit)
        self.buttons.accepted.connect(self.save)
        self.save_button.setToolTip("保存（Ctrl+S 或回车）")
        from PySide6.QtGui import QKeySequence, QShortcut

        QShortcut(QKeySequence.Save, self, self.save)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs, 1)
        lay.addLayout(bottom)

        self._timer = QTimer(self, singleShot=True, interval=0, timeout=self.check)
        geometry = S.FORM_GEOMETRY.get(lg.name)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            self.resize(1040 if self.photo else 900, 640)  # whole on a 1366×768 laptop
        if uuid is None:
            self.grid.set_values(self.record)
            self.township.set_value(self.record.get(TOWNSHIP, own))
            self._loaded = True
            self.check()
            QTimer.singleShot(0, self.ready.emit)
        else:
            self._loaded = False
            self.save_button.setEnabled(False)
            self.summary.setText("正在读取…")
            ctx.worker.submit(load_record, services, lg.name, uuid, on_done=guard(self, self._fill),
                              on_error=guard(self, self._load_failed))

    def _make_township(self, own: str | None) -> None:
        items = self.ctx.services.townships()
        self.township = ChoiceCombo(None, items, self, blank=f"县直（{self.ctx.services.county_name}）")
        if own is not None or not self.can_edit:  # a township PC keeps its own records
            self.township.setEnabled(False)
        self.township.edited.connect(self._township_changed)

    def _township_changed(self) -> None:
        tw = self.township.value()
        names = dict(self.ctx.services.townships())
        for f in self.ledger.fields:
            if f.type == "village":
                items = [(c, n if tw else f"{names.get(t, t)} {n}") for c, t, n in self.ctx.services.villages(tw)]
                self.grid.editors[f.name].set_items(items)
        self._changed()

    def _fill_from_id(self, name: str) -> None:
        """A whole, valid 身份证号 fills 出生年月 and 性别 while they are empty (never overwrites)."""
        from ..domain.validators import check_id_number, id_birth_date, id_gender, normalise_id

        number = self.grid.editors[name].value()
        if not self._loaded or not number or check_id_number(number) is not None:
            return
        number = normalise_id(number)
        for field, value in (("birth_date", id_birth_date(number)), ("gender", id_gender(number))):
            editor = self.grid.editors.get(field)
            if editor is not None and editor.isEnabled() and editor.value() in (None, "") and not editor.problem():
                editor.set_value(value)

    # -- loading ------------------------------------------------------------------------------
    def _fill(self, data: dict) -> None:
        row = data["row"]
        self.record = row
        self.version = row.get("version")
        shown = dict(row)
        for name in self._masked:
            f = self.ledger.field(name)
            from ..services.audit import mask

            shown[name] = mask(row.get(name), f.type if f.type in MASKED_TYPES else "other")
        self.township.blockSignals(True)
        self.township.set_value(row.get(TOWNSHIP))
        self.township.blockSignals(False)
        self._township_changed()
        self.grid.set_values(shown)
        for f in self.ledger.fields:
            if f.type == "ref" and row.get(f.name):
                self.grid.editors[f.name].set_value(row[f.name], data["names"].get(row[f.name], ""))
        for name, st in self.subtables.items():
            st.set_rows(row["subs"].get(name, []), data["names"])
            self._label_sub(name)
        if self.photo:
            self.photo.set_photo(next((a for a in data["attachments"] if a["kind"] == "photo"), None))
        if self.files:
            self.files.set_items(data["attachments"])
        title = row.get(self.ledger.title) or ""
        self.setWindowTitle(f"{self.ledger.label} — {title}")
        self._loaded = True
        self.dirty = False
        self.check()
        self.ready.emit()

    def _load_failed(self, exc) -> None:
        self.summary.setText(error_text(exc))

    def _label_sub(self, name: str) -> None:
        st = self.subtables[name]
        i = self.tabs.indexOf(st)
        n = len(st.rows)
        self.tabs.setTabText(i, f"{st.sub.label}（{n}）" if n else st.sub.label)

    # -- checking -----------------------------------------------------------------------------
    def values(self) -> dict:
        values = self.grid.values()
        if self.township.isEnabled() or self.uuid is None:
            values[TOWNSHIP] = self.township.value()
        return values

    def subs(self) -> dict:
        return {name: st.values() for name, st in self.subtables.items()}

    def _changed(self) -> None:
        if not self._loaded:
            return
        self.dirty = True
        for name in self.subtables:
            self._label_sub(name)
        self._timer.start()

    def check(self) -> dict[str, str]:
        """Validate what the form holds now; show each message beside its field."""
        merged = {**self.record, **self.values()}
        merged.pop("subs", None)
        found = self.ctx.services.validate(self.ledger.name, merged, self.subs())
        found.update(self.grid.input_problems())
        self.show_problems(found)
        return found

    def show_problems(self, found: dict[str, str]) -> None:
        self.grid.show_problems(found)
        self.grid.cells[TOWNSHIP].show_message(found.get(TOWNSHIP))
        sub_msgs = [f"{self.ledger.sub(k.split('.')[0]).label}第{int(k.split('.')[1]) + 1}行：{v}"
                    for k, v in found.items() if k.count(".") == 2]
        if found:
            n = len(found)
            self.summary.setText(f"有 {n} 处需要修改后才能保存。" + ("　" + "；".join(sub_msgs[:2]) if sub_msgs else ""))
            self.summary.setProperty("invalid", True)
        else:
            self.summary.setText(("已修改，尚未保存。" if self.dirty else "") + (f"（{self.scope_note}）" if self.scope_note else ""))
            self.summary.setProperty("invalid", False)
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        self.save_button.setEnabled(self._loaded and not found and not self.saving and self.can_edit)

    # -- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        if not self._loaded or self.saving or self.check() or not self.can_edit:
            return
        self.saving = True
        self.save_button.setEnabled(False)
        self.summary.setText("正在保存…")
        values = self.values()
        self.ctx.worker.submit(save_record, self.ctx.services, self.ledger.name, self.uuid, values, self.subs(),
                               self.version, self.pending, on_done=guard(self, self._saved),
                               on_error=guard(self, self._save_failed))

    def _saved(self, change) -> None:
        self.saving = False
        self.dirty = False
        self.uuid = change.uuid
        self.ctx.notify(self.ledger.name)
        self.saved.emit(change)
        self.accept()

    def _save_failed(self, exc) -> None:
        self.saving = False
        if isinstance(exc, ValidationError):
            self.check()
        self.summary.setText(f"未保存：{error_text(exc)}")
        self.save_button.setEnabled(True)

    def done(self, result: int) -> None:
        if result == QDialog.Rejected and self.dirty and self.can_edit:
            answer = QMessageBox.question(self, "放弃修改", "所做的修改尚未保存，确定放弃吗？",
                                          QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Cancel)
            if answer != QMessageBox.Discard:
                return
        S.FORM_GEOMETRY.set(self.saveGeometry(), self.ledger.name)
        super().done(result)
