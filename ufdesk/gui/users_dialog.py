"""用户管理: list users, add one, change a password or role, unlock, disable; the idle-lock time.

Administrators manage everyone; any other user may only change their own password. While the
database has no users, the dialog offers to create the administrator.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ..domain.errors import UfError
from ..services import settings as SET
from ..services import users as U
from ..services.retention import SETTING as RETENTION_SETTING
from .help import help_button
from .messages import ok_cancel, show_error

COLUMNS = ("用户名", "姓名", "角色", "状态", "最近登录")


class PasswordDialog(QDialog):
    """A new password, typed twice."""

    def __init__(self, title: str, parent=None, *, with_name: bool = False, roles: bool = False,
                 own: tuple | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.own = own  # (services, name): changing one's own password asks for the current one
        # only the inputs of this dialog's rows are made visible: the others stay hidden, so nothing
        # lies over a label and Tab never lands in a box the clerk cannot see
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.current = QLineEdit(self)
        self.current.setObjectName("currentPassword")
        self.current.setEchoMode(QLineEdit.Password)
        self.name = QLineEdit(self)
        self.name.setObjectName("newName")
        self.full_name = QLineEdit(self)
        self.role = QComboBox(self)
        self.role.setObjectName("newRole")
        for code, label in U.ROLES.items():
            self.role.addItem(label, code)
        self.role.setCurrentIndex(self.role.findData("editor"))  # most new users enter data
        self.pw1, self.pw2 = QLineEdit(self), QLineEdit(self)
        self.pw1.setObjectName("newPassword")
        self.pw2.setObjectName("newPassword2")
        for w in (self.pw1, self.pw2):
            w.setEchoMode(QLineEdit.Password)
        rows = ([("当前密码", self.current)] if own else []) \
            + ([("用户名", self.name), ("姓名", self.full_name)] if with_name else []) \
            + ([("角色", self.role)] if roles else []) + [("密码", self.pw1), ("再输入一次", self.pw2)]
        for w in (self.current, self.name, self.full_name, self.role):
            w.setVisible(any(w is shown for _label, shown in rows))
        for label, w in rows:
            form.addRow(label, w)
        hint = QLabel(f"密码至少 {U.MIN_PASSWORD} 个字符。请勿使用生日、电话号码。", self)
        hint.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setObjectName("passwordMessage")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(2 * self.message.fontMetrics().height())  # room kept: nothing jumps
        buttons = ok_cancel(self, self._check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)
        rows[0][1].setFocus()

    def _check(self) -> None:
        if self.pw1.text() != self.pw2.text():
            self.message.setText("两次输入的密码不一致。")
            return
        try:
            U.check_password(self.pw1.text())
            if self.name.isVisible() or self.name.text():
                U.check_name(self.name.text())
            if self.own:  # a wrong current password counts toward the lock, like a login
                U.check_login(self.own[0], self.own[1], self.current.text())
        except UfError as exc:
            self.message.setText(str(exc))
            self.current.clear()
            return
        self.accept()


class AdminDialog(PasswordDialog):
    """The step that creates the first user, the administrator."""

    def __init__(self, ctx, parent=None):
        super().__init__("建立管理员", parent, with_name=True)
        self.ctx = ctx
        self.created: str | None = None

    def _check(self) -> None:
        if self.pw1.text() != self.pw2.text():
            self.message.setText("两次输入的密码不一致。")
            return
        try:
            U.run_as(self.ctx.services, U.add_user, self.name.text(), self.pw1.text(), "admin",
                     full_name=self.full_name.text() or None)
        except UfError as exc:
            self.message.setText(str(exc))
            return
        self.created = self.name.text().strip()
        self.accept()


class UsersDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("用户管理")
        self.setObjectName("usersDialog")
        svc = ctx.services
        self.admin = svc.allowed("admin")
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setSelectionMode(QTableWidget.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (("add", "新增用户…", self.add), ("passwd", "修改密码…", self.passwd),
                                ("role", "修改角色…", self.change_role), ("unlock", "解锁", self.unlock),
                                ("disable", "停用/启用", self.toggle)):
            b = QPushButton(text, self)
            b.setObjectName(f"users_{key}")
            b.clicked.connect(slot)
            self.buttons[key] = b
            row.addWidget(b)
        row.addStretch(1)
        idle = QHBoxLayout()
        idle.addWidget(QLabel("无操作多久后锁定窗口：", self))
        self.idle = QSpinBox(self)
        self.idle.setRange(0, 240)
        self.idle.setSuffix(" 分钟")
        self.idle.setSpecialValueText("从不")
        self.idle.setValue(SET.get(svc, "idle_lock_minutes"))
        self.idle.setEnabled(self.admin and not ctx.services.readonly)
        self._idle_save = QTimer(self, singleShot=True, interval=700)  # one audited change per edit, not per arrow click
        self._idle_save.timeout.connect(self._save_idle)
        self.idle.valueChanged.connect(self._idle_save.start)
        idle.addWidget(self.idle)
        idle.addSpacing(24)
        idle.addWidget(QLabel("退出、去世或离任满", self))
        self.years = QSpinBox(self)
        self.years.setRange(1, 50)
        self.years.setSuffix(" 年")
        self.years.setValue(SET.get(svc, RETENTION_SETTING))
        idle.addWidget(self.years)
        idle.addWidget(QLabel("的人员记录：", self))
        self.purge_button = QPushButton("按保留期限清除…", self)
        self.purge_button.setObjectName("users_purge")
        self.purge_button.clicked.connect(self.purge)
        idle.addWidget(self.purge_button)
        for w in (self.years, self.purge_button):
            w.setEnabled(self.admin and not ctx.services.readonly)
        idle.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.Close, self)
        close.rejected.connect(self.reject)
        help_button(close, "users")
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addLayout(idle)
        layout.addWidget(close)
        self.resize(720, 420)
        self.reload()

    def reload(self) -> None:
        rows = U.list_users(self.ctx.services)
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, u in enumerate(rows):
            state = "已停用" if u["disabled"] else ("已锁定" if u["locked"] else "正常")
            last = f"{u['last_login']:%Y-%m-%d %H:%M}" if u["last_login"] else "从未登录"
            for c, v in enumerate((u["name"], u["full_name"] or "", u["role_label"], state, last)):
                item = QTableWidgetItem(v)
                item.setFlags(item.flags() & ~Qt.ItemIsEditable)
                self.table.setItem(r, c, item)
        if not rows:
            self.banner.setText("尚未设置用户：任何人打开本程序都能查看和修改全部数据。请先建立管理员。")
            self.buttons["add"].setText("建立管理员…")
        elif not self.admin:
            self.banner.setText("只有管理员可以管理用户；您可以修改自己的密码。")
        else:
            self.banner.setText("管理员：用户、设置、恢复备份、完整身份证号；录入员：新增修改、导入导出、报表、数据包；"
                                "查阅：查看和打印（证件号遮盖）。")
        first = not rows
        for key, b in self.buttons.items():
            b.setEnabled((self.admin or first) if key != "passwd" else bool(rows))
        if first:
            for key in ("passwd", "role", "unlock", "disable"):
                self.buttons[key].setEnabled(False)
        self.table.resizeColumnsToContents()

    def _selected(self) -> str | None:
        r = self.table.currentRow()
        if r < 0 or r >= len(self.rows):
            QMessageBox.information(self, "用户管理", "请先在列表中选择一个用户。")
            return None
        return self.rows[r]["name"]

    def _run(self, fn, *args, **kw) -> bool:
        try:
            U.run_as(self.ctx.services, fn, *args, **kw)
        except UfError as exc:
            show_error(self, exc)
            return False
        self.reload()
        return True

    def add(self) -> None:
        if not self.rows:
            from .security import create_admin

            create_admin(self.ctx, self)
            self.admin = self.ctx.services.allowed("admin")
            self.reload()
            return
        d = PasswordDialog("新增用户", self, with_name=True, roles=True)
        if d.exec():
            self._run(U.add_user, d.name.text(), d.pw1.text(), d.role.currentData(), full_name=d.full_name.text() or None)

    def passwd(self) -> None:
        name = self.ctx.services.user if not self.admin else self._selected()
        own = (self.ctx.services, name) if name and name == self.ctx.services.user else None
        if name and (d := PasswordDialog(f"修改 {name} 的密码", self, own=own)).exec():
            if self._run(U.set_password, name, d.pw1.text()):
                QMessageBox.information(self, "用户管理", f"已修改 {name} 的密码。")

    def change_role(self) -> None:
        name = self._selected()
        if not name:
            return
        labels = list(U.ROLES.values())
        from PySide6.QtWidgets import QInputDialog

        label, ok = QInputDialog.getItem(self, "修改角色", f"{name} 的角色：", labels, 0, False)
        if ok:
            self._run(U.set_role, name, label)

    def unlock(self) -> None:
        if name := self._selected():
            self._run(U.unlock, name)

    def _save_idle(self) -> None:
        try:
            if SET.change(self.ctx.services, "idle_lock_minutes", self.idle.value()).changed:
                self.ctx.settings_changed.emit("idle_lock_minutes")
        except UfError as exc:
            show_error(self, exc)

    def done(self, result: int) -> None:  # noqa: D102 — a pending idle-time edit is saved on close
        if self._idle_save.isActive():
            self._idle_save.stop()
            self._save_idle()
        super().done(result)

    def toggle(self) -> None:
        name = self._selected()
        if name:
            row = next(u for u in self.rows if u["name"] == name)
            self._run(U.disable, name, disabled=not row["disabled"])

    def purge(self) -> None:
        from ..domain import LEDGERS
        from ..services import retention

        years = self.years.value()
        try:
            if SET.change(self.ctx.services, RETENTION_SETTING, years).changed:
                self.ctx.settings_changed.emit(RETENTION_SETTING)
            found = retention.candidates(self.ctx.services, years)
        except UfError as exc:
            show_error(self, exc)
            return
        undated = f"\n（另有 {found.undated} 人状态为退出或去世但未填退出时间，不会清除。）" if found.undated else ""
        if not found.total:
            QMessageBox.information(self, "按保留期限清除", f"没有 {found.cutoff:%Y-%m-%d} 以前退出、去世或离任的人员记录。"
                                    + undated)
            return
        parts = "，".join(f"{LEDGERS[n].label} {len(u)}" for n, u in found.uuids.items() if u)
        text = (f"将清除 {found.cutoff:%Y-%m-%d} 以前退出、去世或离任人员的记录 {found.total} 条（{parts}）。\n"
                "清除后只留下不含个人信息的删除标记，并记入审计日志；除非从备份恢复，否则无法找回。" + undated
                + "\n\n是否继续？")
        if QMessageBox.question(self, "按保留期限清除", text) != QMessageBox.Yes:
            return
        try:
            done = retention.purge(self.ctx.services, years)
        except UfError as exc:
            show_error(self, exc)
            return
        self.ctx.notify("*")
        QMessageBox.information(self, "按保留期限清除", f"已清除 {done.total} 条记录。")
