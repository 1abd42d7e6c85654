"""开通: the enrolment of this installation with the county, by USB stick, in the clerk's steps.

A township: 第一步 writes the request (its keys are made, sealed with the exchange passphrase)
and shows the fingerprint to read to the county by phone; 第二步 takes the county's grant and
shows the county's fingerprint to compare. The county: reads a township's request, shows its
fingerprint, and writes the grant only once the clerk has ticked that the fingerprints agree.
Below, every installation this one knows, with its state and fingerprint. Administrators only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...exchange import enrol as N
from ..alive import guard
from .common import failed, fill, password, say, table


def _file_row(parent, placeholder: str, browse) -> tuple[QLineEdit, QHBoxLayout]:
    edit = QLineEdit(parent)
    edit.setPlaceholderText(placeholder)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    b = QPushButton("浏览…", parent)
    b.clicked.connect(lambda: browse(edit))
    row.addWidget(b)
    return edit, row


class EnrolPage(QWidget):
    enrolled = Signal()  # the known installations changed

    def __init__(self, ctx, parent=None, *, start_dir=lambda: ""):
        super().__init__(parent)
        self.ctx = ctx
        self.services = svc = ctx.services
        self.start_dir = start_dir
        self.township = svc.township
        lay = QVBoxLayout(self)
        intro = QLabel(self)
        intro.setWordWrap(True)
        lay.addWidget(intro)
        if self.township:
            intro.setText("本机要与县委统战部“开通”后，才能收发签名的数据包。共两步，中间要与县里通一次电话核对指纹。")
            self._township_steps(lay)
        else:
            intro.setText("乡镇把开通申请（.ufenrol）用U盘送来后，在这里批准；批复写回U盘交给乡镇。"
                          "批准前务必与乡镇电话核对指纹。")
            self._county_steps(lay)
        lay.addWidget(QLabel("本机知道的各单位（指纹用于电话核对）", self))
        self.peers = table(["单位", "状态", "指纹", "安装编号"], self)
        self.peers.setObjectName("peers")
        lay.addWidget(self.peers, 1)
        if not svc.allowed("admin"):
            for b in self.findChildren(QPushButton):
                b.setEnabled(False)
            intro.setText(intro.text() + "只有管理员可以办理开通。")

    # -- a township ---------------------------------------------------------------------------
    def _township_steps(self, lay) -> None:
        one = QGroupBox("第一步：生成开通申请，交给县委统战部", self)
        form = QFormLayout(one)
        self.request_pw, self.request_pw2 = password(one), password(one)
        form.addRow("交换口令", self.request_pw)
        form.addRow("再输入一次", self.request_pw2)
        self.request_dir, row = _file_row(one, "U盘或文件夹", self._browse_dir)
        form.addRow("保存到", row)
        self.request_button = QPushButton("生成开通申请", one)
        self.request_button.setObjectName("enrolRequest")
        self.request_button.clicked.connect(self.make_request)
        form.addRow("", self.request_button)
        self.request_result = QLabel("", one)
        self.request_result.setWordWrap(True)
        form.addRow(self.request_result)
        lay.addWidget(one)
        two = QGroupBox("第二步：导入县里的开通批复", self)
        form = QFormLayout(two)
        self.grant_file, row = _file_row(two, "县里给的开通批复（.ufenrol）", self._browse_file)
        form.addRow("开通批复", row)
        self.finish_pw = password(two)
        form.addRow("交换口令", self.finish_pw)
        self.finish_button = QPushButton("导入开通批复", two)
        self.finish_button.setObjectName("enrolFinish")
        self.finish_button.clicked.connect(self.finish)
        form.addRow("", self.finish_button)
        self.finish_result = QLabel("", two)
        self.finish_result.setWordWrap(True)
        form.addRow(self.finish_result)
        lay.addWidget(two)

    def make_request(self) -> None:
        pw, folder = self.request_pw.text(), self.request_dir.text().strip()
        if len(pw) < 8:
            return say(self, self.request_result, "交换口令至少 8 个字符。", error=True)
        if pw != self.request_pw2.text():
            return say(self, self.request_result, "两次输入的口令不一致。", error=True)
        if not folder or not Path(folder).is_dir():
            return say(self, self.request_result, "请选择要保存到的U盘或文件夹。", error=True)
        svc = self.services
        out = Path(folder) / f"开通申请_{svc.township_name(self.township)}{N.SUFFIX}"
        self.request_button.setEnabled(False)
        self.ctx.worker.submit(N.request_for, svc, pw, out, on_done=guard(self, self._requested),
                               on_error=guard(self, failed(self, self.request_result,
                                                           lambda: self.request_button.setEnabled(True))))

    def _requested(self, value) -> None:
        dest, res = value
        self.request_button.setEnabled(True)
        self.request_pw.clear()
        self.request_pw2.clear()
        say(self, self.request_result, f"已写入 {dest}。\n本机指纹：{res.fingerprint}\n"
                                       "请把这个文件交给县委统战部，并打电话把上面的指纹念给县里核对。")
        self.fingerprint = res.fingerprint
        self.reload()

    def finish(self) -> None:
        path, pw = self.grant_file.text().strip(), self.finish_pw.text()
        if not path:
            return say(self, self.finish_result, "请选择县里给的开通批复文件。", error=True)
        self.finish_button.setEnabled(False)
        self.ctx.worker.submit(N.finish_for, self.services, path, pw, on_done=guard(self, self._finished),
                               on_error=guard(self, failed(self, self.finish_result,
                                                           lambda: self.finish_button.setEnabled(True))))

    def _finished(self, res) -> None:
        self.finish_button.setEnabled(True)
        self.finish_pw.clear()
        say(self, self.finish_result, f"{res.name}已完成开通。\n县委统战部指纹：{res.fingerprint}\n"
                                      "请与县里电话核对；不一致时不要交换数据，并立即告知县里。")
        self.reload()
        self.enrolled.emit()

    # -- the county ---------------------------------------------------------------------------
    def _county_steps(self, lay) -> None:
        box = QGroupBox("批准乡镇的开通申请", self)
        form = QFormLayout(box)
        self.request_file, row = _file_row(box, "乡镇的开通申请（.ufenrol）", self._browse_file)
        form.addRow("开通申请", row)
        self.read_button = QPushButton("读取申请", box)
        self.read_button.setObjectName("enrolRead")
        self.read_button.clicked.connect(self.read_request)
        form.addRow("", self.read_button)
        self.request_info = QLabel("", box)
        self.request_info.setWordWrap(True)
        form.addRow(self.request_info)
        self.same = QCheckBox("已与乡镇电话核对，指纹一致", box)
        self.same.setObjectName("fingerprintsAgree")
        self.same.setEnabled(False)
        form.addRow("", self.same)
        self.accept_pw = password(box)
        form.addRow("交换口令", self.accept_pw)
        self.grant_dir, row = _file_row(box, "U盘或文件夹", self._browse_dir)
        form.addRow("批复保存到", row)
        self.accept_button = QPushButton("批准并写出批复", box)
        self.accept_button.setObjectName("enrolAccept")
        self.accept_button.setEnabled(False)
        self.same.toggled.connect(self.accept_button.setEnabled)
        self.accept_button.clicked.connect(self.accept_request)
        form.addRow("", self.accept_button)
        self.accept_result = QLabel("", box)
        self.accept_result.setWordWrap(True)
        form.addRow(self.accept_result)
        lay.addWidget(box)
        self.request_body = None

    def read_request(self) -> None:
        path = self.request_file.text().strip()
        self.request_body = None
        self.same.setChecked(False)
        self.same.setEnabled(False)
        if not path:
            return say(self, self.request_info, "请选择乡镇的开通申请文件。", error=True)
        self.ctx.worker.submit(N.read_request_for, self.services, path, on_done=guard(self, self._read),
                               on_error=guard(self, failed(self, self.request_info)))

    def _read(self, body: dict) -> None:
        self.request_body = body
        name = self.services.township_name(body["township"])
        say(self, self.request_info, f"申请单位：{name}（{body['township']}）\n申请方指纹：{body['fingerprint']}\n"
                                     "请打电话给乡镇，请对方念出其指纹；完全一致才勾选下面一项。")
        self.same.setEnabled(True)
        if not self.grant_dir.text():
            self.grant_dir.setText(str(Path(self.request_file.text().strip()).parent))

    def accept_request(self) -> None:
        if self.request_body is None or not self.same.isChecked():
            return
        pw, folder = self.accept_pw.text(), self.grant_dir.text().strip()
        if len(pw) < 8:
            return say(self, self.accept_result, "交换口令至少 8 个字符。", error=True)
        if not folder or not Path(folder).is_dir():
            return say(self, self.accept_result, "请选择批复要保存到的U盘或文件夹。", error=True)
        name = self.services.township_name(self.request_body["township"])
        out = Path(folder) / f"开通批复_{name}{N.SUFFIX}"
        self.accept_button.setEnabled(False)
        self.ctx.worker.submit(N.accept_for, self.services, self.request_file.text().strip(), pw, out,
                               on_done=guard(self, self._accepted),
                               on_error=guard(self, failed(self, self.accept_result,
                                                           lambda: self.accept_button.setEnabled(True))))

    def _accepted(self, value) -> None:
        dest, res = value
        self.accept_pw.clear()
        self.same.setChecked(False)
        self.same.setEnabled(False)
        self.request_body = None
        say(self, self.accept_result, "\n".join([*res.messages, f"已批准{res.name}开通，批复写入 {dest}。",
                                                 f"本机（县委统战部）指纹：{res.own_fingerprint}（乡镇导入批复时与您电话核对）"]))
        self.reload()
        self.enrolled.emit()

    # -- shared -------------------------------------------------------------------------------
    def _browse_dir(self, edit: QLineEdit) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择U盘或文件夹", edit.text() or self.start_dir() or "")
        if path:
            edit.setText(path)

    def _browse_file(self, edit: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择开通文件", self.start_dir() or "", f"开通文件 (*{N.SUFFIX})")
        if path:
            edit.setText(path)

    def reload(self) -> None:
        self.ctx.worker.submit(N.listing_for, self.services, on_done=guard(self, self._listed), on_error=lambda e: None)

    def _listed(self, rows: list[dict]) -> None:
        self.peer_rows = rows
        fill(self.peers, [[r["name"] + ("（本机）" if r["this"] else ""), r["status_text"], r["fingerprint"],
                           r["installation"]] for r in rows])
