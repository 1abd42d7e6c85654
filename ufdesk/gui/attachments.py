"""A representative's photo and a record's attached files (reply letters, evidence).

Changes wait in memory until the record is saved; then ``apply`` (run on the worker) adds
and removes them through the services.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

KIND_LABELS = {"photo": "照片", "reply": "答复函", "evidence": "整改材料", "file": "文件"}
PHOTO_SIZE = (132, 176)  # 一寸照 proportions
MAX_BYTES = 10 * 1024 * 1024


def _size_text(n: int | None) -> str:
    n = n or 0
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


class Pending:
    """Attachment changes of one form, applied after the record is saved."""

    def __init__(self):
        self.add: list[tuple[str, str, bytes]] = []  # (kind, filename, content)
        self.remove: list[str] = []  # attachment uuids

    def __bool__(self) -> bool:
        return bool(self.add or self.remove)

    def apply(self, services, ledger: str, owner: str) -> None:
        for uuid in self.remove:
            services.remove_attachment(uuid)
        for kind, filename, content in self.add:
            services.add_attachment(ledger, owner, kind, filename, content)


def _read(parent, path: str) -> bytes | None:
    p = Path(path)
    if p.stat().st_size > MAX_BYTES:
        QMessageBox.warning(parent, "文件太大", f"“{p.name}”超过 10 MB，附件只保存小文件（照片、答复函、整改材料）。")
        return None
    return p.read_bytes()


class PhotoPanel(QWidget):
    edited = Signal()

    def __init__(self, pending: Pending, parent=None, *, readonly: bool = False):
        super().__init__(parent)
        self.pending = pending
        self._current: dict | None = None
        self.picture = QLabel("无照片", self)
        self.picture.setObjectName("photo")
        self.picture.setAlignment(Qt.AlignCenter)
        self.picture.setFixedSize(*PHOTO_SIZE)
        choose = QPushButton("选择照片…", self)
        remove = QPushButton("删除照片", self)
        for b in (choose, remove):
            b.setAutoDefault(False)
            b.setEnabled(not readonly)
        choose.clicked.connect(self._choose)
        remove.clicked.connect(self._remove)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.picture, 0, Qt.AlignHCenter)
        lay.addWidget(choose)
        lay.addWidget(remove)
        lay.addStretch(1)

    def set_photo(self, att: dict | None) -> None:
        self._current = att
        self._show(att["content"] if att else None)

    def _show(self, content: bytes | None) -> None:
        pix = QPixmap()
        if content and pix.loadFromData(content):
            self.picture.setPixmap(pix.scaled(*PHOTO_SIZE, Qt.KeepAspectRatio, Qt.SmoothTransformation))
        else:
            self.picture.setPixmap(QPixmap())
            self.picture.setText("无照片")

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择照片", "", "图片 (*.jpg *.jpeg *.png *.bmp)")
        if path:
            self.set_file(path)

    def set_file(self, path: str) -> None:
        content = _read(self, path)
        if content is None:
            return
        if not QPixmap().loadFromData(content):
            QMessageBox.warning(self, "不是图片", f"“{Path(path).name}”无法作为图片打开，请选择 JPG 或 PNG 照片。")
            return
        self.pending.add = [a for a in self.pending.add if a[0] != "photo"] + [("photo", Path(path).name, content)]
        self._show(content)
        self.edited.emit()

    def _remove(self) -> None:
        self.pending.add = [a for a in self.pending.add if a[0] != "photo"]
        if self._current:
            self.pending.remove.append(self._current["uuid"])
            self._current = None
        self._show(None)
        self.edited.emit()


class AttachmentList(QWidget):
    edited = Signal()

    def __init__(self, kinds: tuple[str, ...], pending: Pending, parent=None, *, readonly: bool = False):
        super().__init__(parent)
        self.pending = pending
        self.kinds = [k for k in kinds if k != "photo"]
        self.list = QListWidget(self)
        self.kind = QComboBox(self)
        for k in self.kinds:
            self.kind.addItem(KIND_LABELS.get(k, k), k)
        self.kind.setVisible(len(self.kinds) > 1)
        add = QPushButton("添加文件…", self)
        save = QPushButton("另存为…", self)
        remove = QPushButton("删除", self)
        for b in (add, remove):
            b.setEnabled(not readonly)
        for b in (add, save, remove):
            b.setAutoDefault(False)
        add.clicked.connect(self._add)
        save.clicked.connect(self._save_as)
        remove.clicked.connect(self._remove)
        row = QHBoxLayout()
        for w in (self.kind, add, save, remove):
            row.addWidget(w)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.list)
        hint = QLabel("附件随记录保存在数据库中，单个文件不超过 10 MB。", self)
        hint.setObjectName("hint")
        lay.addWidget(hint)

    def set_items(self, atts: list[dict]) -> None:
        self.list.clear()
        for a in atts:
            if a["kind"] != "photo":
                self._item(a["kind"], a["filename"], a.get("size"), a)

    def _item(self, kind, filename, size, att) -> None:
        it = QListWidgetItem(f"［{KIND_LABELS.get(kind, kind)}］{filename}　{_size_text(size)}", self.list)
        it.setData(Qt.UserRole, att)

    def _add(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "添加附件", "", "所有文件 (*)")
        if path:
            self.add_file(path, self.kind.currentData() or "file")

    def add_file(self, path: str, kind: str = "file") -> None:
        content = _read(self, path)
        if content is None:
            return
        entry = (kind, Path(path).name, content)
        self.pending.add.append(entry)
        self._item(kind, entry[1], len(content), {"pending": entry})
        self.edited.emit()

    def _save_as(self) -> None:
        it = self.list.currentItem()
        if it is None:
            return
        att = it.data(Qt.UserRole)
        name, content = (att["pending"][1], att["pending"][2]) if "pending" in att else (att["filename"], att["content"])
        path, _ = QFileDialog.getSaveFileName(self, "另存为", name)
        if path:
            from ..paths import write_private

            try:
                write_private(path, content)
            except OSError as exc:
                from .messages import show_error

                show_error(self, exc, "另存附件")

    def _remove(self) -> None:
        it = self.list.currentItem()
        if it is None:
            return
        att = it.data(Qt.UserRole)
        if "pending" in att:
            self.pending.add.remove(att["pending"])
        else:
            self.pending.remove.append(att["uuid"])
        self.list.takeItem(self.list.row(it))
        self.edited.emit()
