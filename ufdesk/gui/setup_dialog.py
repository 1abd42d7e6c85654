"""First run: set up this PC for a county (or one of its townships), open an existing
database, or open the demo county."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from ..domain.errors import UfError
from ..paths import user_data_dir
from .messages import error_text
from .tasks import Worker, run_with_progress

DEMO_SIZE = 2000


def parse_places(text: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Lines ``代码 名称`` (or ``代码,名称``): 9-digit townships, 12-digit villages."""
    townships, villages = [], []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.replace("，", ",").replace("\t", " ").strip()
        if not line:
            continue
        code, _, name = line.replace(",", " ", 1).partition(" ")
        code, name = code.strip(), name.strip()
        if not code.isdigit() or len(code) not in (9, 12) or not name:
            raise UfError(f"乡镇列表第{n}行“{line}”：应为“9位代码 名称”（村、社区为12位代码）")
        (townships if len(code) == 9 else villages).append((code, name))
    return townships, villages


def _free_name(path: Path) -> Path:
    """``path``, or ``ufdesk-2.db`` … when a database already sits there."""
    n = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate


class SetupDialog(QDialog):
    """``chosen`` is the database path to open once the dialog is accepted."""

    def __init__(self, worker: Worker, parent=None, *, new_only: bool = False):
        super().__init__(parent)
        self.worker = worker
        self.chosen: str | None = None
        self.setWindowTitle("新建本县/本乡镇数据库" if new_only else "首次使用")  # Qt adds the program's name
        self.setObjectName("setup")
        intro = QLabel("请填写本县信息，建立本县（或本乡镇）的数据库。" if new_only else
                       "欢迎使用统战工作台账。请填写本县信息建立数据库，或打开已有数据库、演示县。", self)
        intro.setWordWrap(True)
        self.county = QLineEdit(self)
        self.county.setPlaceholderText("例如 合江县")
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("6位行政区划代码，例如 510522")
        self.code.setMaxLength(6)
        self.places = QPlainTextEdit(self)
        self.places.setPlaceholderText("每行一个乡镇：9位代码 名称，例如\n510522100 合江镇\n510522101 白沙镇\n"
                                       "（村、社区可用12位代码一并填写）")
        self.places.textChanged.connect(self._places_changed)
        csv_button = QPushButton("从 CSV 文件读取…", self)
        csv_button.setAutoDefault(False)
        csv_button.clicked.connect(self._read_csv)
        self.county_office = QRadioButton("县委统战部（全县数据）", self)
        self.township_pc = QRadioButton("乡镇：", self)
        self.county_office.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.county_office)
        group.addButton(self.township_pc)
        self.township = QComboBox(self)
        self.township.setEnabled(False)
        self.township_pc.toggled.connect(self.township.setEnabled)
        self.path = QLineEdit(str(_free_name(user_data_dir() / "ufdesk.db")), self)
        browse = QPushButton("浏览…", self)
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)

        form = QFormLayout()
        form.addRow("县名称＊", self.county)
        form.addRow("县代码＊", self.code)
        places = QVBoxLayout()
        places.addWidget(self.places)
        places.addWidget(csv_button, 0, Qt.AlignLeft)
        form.addRow("乡镇＊", places)
        who = QHBoxLayout()
        who.addWidget(self.county_office)
        who.addWidget(self.township_pc)
        who.addWidget(self.township, 1)
        form.addRow("本机是", who)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form.addRow("数据库文件", where)

        self.message = QLabel(self)
        self.message.setObjectName("fieldMessage")
        self.message.setWordWrap(True)
        self.create_button = QPushButton("建立数据库", self)
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._create)
        demo = self.demo_button = QPushButton("打开演示县", self)
        demo.setAutoDefault(False)
        demo.setToolTip("虚构的青岚湖县，含各类台账数据，用于熟悉操作和培训（存在单独的演示文件里）")
        demo.clicked.connect(lambda _checked=False: self.open_demo())  # not clicked(checked) as the size
        existing = QPushButton("打开已有数据库…", self)
        existing.setAutoDefault(False)
        existing.clicked.connect(self._open_existing)
        demo.setVisible(not new_only)
        existing.setVisible(not new_only)
        cancel = QPushButton("取消" if new_only else "退出", self)
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(demo)
        buttons.addWidget(existing)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(cancel)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addLayout(buttons)
        self.resize(620, 520)

    def _places_changed(self) -> None:
        try:
            townships, _ = parse_places(self.places.toPlainText())
        except UfError:
            return
        current = self.township.currentData()
        self.township.clear()
        for code, name in townships:
            self.township.addItem(f"{name}（{code}）", code)
        i = self.township.findData(current)
        if i >= 0:
            self.township.setCurrentIndex(i)

    def _read_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "乡镇列表", "", "CSV 文件 (*.csv)")
        if path:
            self.load_csv(path)

    def load_csv(self, path: str) -> None:
        from ..cli import read_places_csv

        try:
            townships, villages = read_places_csv(path)
        except UfError as exc:
            self.message.setText(str(exc))
            return
        self.places.setPlainText("\n".join(f"{c} {n}" for c, n in [*townships, *villages]))
        self.message.setText(f"已读取 {len(townships)} 个乡镇、{len(villages)} 个村(社区)。")

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "数据库文件", self.path.text(), "数据库 (*.db)")
        if path:
            self.path.setText(path)

    def _create(self) -> None:
        from ..app import create_database

        try:
            townships, villages = parse_places(self.places.toPlainText())
            township = self.township.currentData() if self.township_pc.isChecked() else None
            if self.township_pc.isChecked() and not township:
                raise UfError("请选择本机所属的乡镇")
            path = self.path.text().strip()
            if not path:
                raise UfError("请填写数据库文件的位置")
            if Path(path).exists():
                raise UfError(f"文件已存在：{path}。请换一个文件名，或用“打开已有数据库”打开它。")
            self.create_button.setEnabled(False)
            self.worker.call(create_database, path, county_code=self.code.text().strip(),
                             county_name=self.county.text(), townships=townships, villages=villages,
                             township=township)
        except Exception as exc:  # shown beside the buttons; the clerk corrects and retries
            self.message.setText(error_text(exc))
            self.create_button.setEnabled(True)
            return
        self.chosen = path
        self._admin_step(path)
        self.accept()

    def _admin_step(self, path: str) -> None:
        """The set-up's last step: create the administrator. It may be skipped; the main window
        then shows a banner offering it until an administrator exists."""
        from ..app import open_services
        from .context import AppContext
        from .security import create_admin as make_admin

        services = self.worker.call(open_services, path)
        try:
            make_admin(AppContext(services, self.worker), self)
        finally:
            self.worker.call(services.close)

    def _open_existing(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开数据库", str(user_data_dir()), "数据库 (*.db);;所有文件 (*)")
        if path:
            self.chosen = path
            self.accept()

    def open_demo(self, size: int | None = None) -> None:
        """The demo county, in its own file: opened when it holds its people, else built (again)."""
        from ..app import demo_built, demo_job, demo_path

        size = size or DEMO_SIZE

        path = demo_path()
        if self.worker.call(demo_built, path):
            self.chosen = path
            self.accept()
            return

        def done(result):
            self.chosen = result
            self.accept()

        run_with_progress(self, self.worker, "正在生成演示县…", demo_job, path, size, on_done=done,
                          on_error=lambda exc: self.message.setText(error_text(exc)))
