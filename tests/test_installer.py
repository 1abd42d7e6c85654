"""The installer spec without a build: what it bundles, and that the program finds all of it
when frozen (sys._MEIPASS set). The real build and its smoke run are scripts/build_installer.py
and scripts/smoke_bundle.py (CI runs both)."""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer.spec"


class _Recorder:
    """Stands in for PyInstaller's Analysis/PYZ/EXE/COLLECT: keeps what the spec passed."""

    made: list[_Recorder] = []

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.kind = type(self).__name__
        self.scripts, self.pure = [], []
        self.binaries = []
        self.datas = [(dest + "/" + Path(src).name, src, "DATA") for src, dest in kwargs.get("datas", [])]
        _Recorder.made.append(self)


def _kind(name):
    return type(name, (_Recorder,), {})


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    """Run installer.spec the way PyInstaller does, with recorders for the build steps."""
    _Recorder.made = []
    namespace = {"SPECPATH": str(ROOT), "SPEC": str(SPEC), "DISTPATH": str(ROOT / "dist"),
                 "workpath": str(tmp_path_factory.mktemp("pyinstaller-work")), "os": os}
    for name in ("Analysis", "PYZ", "EXE", "COLLECT"):
        namespace[name] = _kind(name)
    exec(compile(SPEC.read_bytes(), str(SPEC), "exec"), namespace)
    made = {}
    for r in _Recorder.made:
        made.setdefault(r.kind, []).append(r)
    return made


def _datas(spec) -> dict[str, str]:
    """bundle path → source file"""
    return {dest: src for dest, src, _ in spec["Analysis"][0].datas}


def _own_files(folder: str):
    return [p for p in sorted((ROOT / folder).rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]


def test_every_resource_data_file_and_migration_is_bundled_in_place(spec):
    bundled = _datas(spec)
    for folder in ("resources", "data", "ufdesk/store/migrations"):
        files = _own_files(folder)
        assert files, folder
        for path in files:
            dest = path.relative_to(ROOT).as_posix()
            assert dest in bundled, f"{dest} is not in the bundle"
            assert Path(bundled[dest]).resolve() == path.resolve()
    versions = [d for d in bundled if d.startswith("ufdesk/store/migrations/versions/") and d.endswith(".py")]
    assert len(versions) == len(list((ROOT / "ufdesk/store/migrations/versions").glob("*.py")))
    assert "ufdesk/store/migrations/env.py" in bundled
    assert "ufdesk/store/migrations/script.py.mako" in bundled


def test_libraries_read_their_own_files_so_those_are_bundled(spec):
    bundled = _datas(spec)
    assert "docx/templates/default.docx" in bundled  # python-docx's blank document
    assert "data/stroke_order.txt" in bundled  # 姓氏笔画 order (store/sortkeys.py)
    # Qt's own Chinese (确定/取消, 是/否, the file dialog), where the frozen program looks for it
    qm = bundled["PySide6/Qt/translations/qtbase_zh_CN.qm"]
    assert Path(qm).is_file() and Path(qm).stat().st_size > 10_000
    # ufdesk.__version__ comes from importlib.metadata: the bundled metadata must carry pyproject's version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    metadata = [Path(src) for src in bundled.values()
                if Path(src).is_dir() and Path(src).name.startswith("ufdesk") and Path(src).suffix.endswith("-info")]
    assert len(metadata) == 1, metadata
    assert importlib.metadata.PathDistribution(metadata[0]).version == project["version"]
    # docx opens docx/parts/../templates/…: its modules must also lie on disk
    assert spec["Analysis"][0].kwargs["module_collection_mode"]["docx"] == "pyz+py"


def test_the_bundle_ships_every_librarys_and_fonts_licence(spec):
    from ufdesk.notices import FONTS, runtime_distributions

    text = Path(_datas(spec)["resources/THIRD_PARTY_NOTICES.txt"]).read_text(encoding="utf-8")
    names = [d.metadata["Name"] for d in runtime_distributions()]
    assert {"PySide6_Essentials", "SQLAlchemy", "reportlab", "openpyxl", "psycopg"} <= set(names)
    for dist in runtime_distributions():
        assert f"{dist.metadata['Name']} {dist.version}：" in text, dist.metadata["Name"]
    for files, name, _licence, licence_file in FONTS:
        assert name in text and f"{name} — {licence_file}" in text
        assert all((ROOT / "resources" / "fonts" / f).exists() for f in files)
    fonts = {p.name for p in (ROOT / "resources" / "fonts").glob("*.tt[cf]")}
    assert fonts == {f for files, *_ in FONTS for f in files}, "a font without its notice"
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text  # Qt's licence, which its wheel does not carry


def test_modules_imported_by_name_are_hidden_imports(spec):
    from ufdesk.cli import COMMAND_MODULES

    hidden = set(spec["Analysis"][0].kwargs["hiddenimports"])
    excluded = set(spec["Analysis"][0].kwargs["excludes"])
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is not None:
            assert name in hidden, name
    gui = [f"ufdesk.gui.{p.stem}" for p in (ROOT / "ufdesk/gui").glob("*.py") if p.stem != "__init__"]
    assert gui and set(gui) <= hidden
    assert not any(m.startswith("ufdesk.store.migrations") for m in hidden)
    assert {"alembic.op", "sqlalchemy", "_rl_accel", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets"} <= hidden
    assert not hidden & excluded
    assert {"tkinter", "matplotlib", "pytest"} <= excluded


def test_name_version_and_icon_come_from_the_project(spec):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    exes = {e.kwargs["name"]: e.kwargs for e in spec["EXE"]}
    assert set(exes) == {project["name"], project["name"] + "-gui"}
    assert exes[project["name"]]["console"] is True
    assert exes[project["name"] + "-gui"]["console"] is False
    assert spec["COLLECT"][0].kwargs["name"] == project["name"]
    from PIL import Image

    with Image.open(ROOT / "resources/icons/ufdesk.ico") as ico:
        sizes = ico.info["sizes"]
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes
    with Image.open(ROOT / "resources/icons/ufdesk.png") as png:
        assert png.size == (256, 256)
        assert len(png.convert("RGB").getcolors(1 << 16) or []) > 2  # a drawn character, not a flat square


@pytest.fixture
def frozen(spec, tmp_path, monkeypatch):
    """A fake bundle folder holding exactly the spec's own data files; ufdesk.paths sees it as
    sys._MEIPASS. No ufdesk source folder is reachable through it."""
    bundle = tmp_path / "_internal"
    for dest, src, _ in spec["Analysis"][0].datas:
        if dest.split("/")[0] in ("resources", "data", "ufdesk"):
            target = bundle / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.symlink(src, target)
            except OSError:
                shutil.copy2(src, target)
    import ufdesk.paths as paths

    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    importlib.reload(paths)
    try:
        yield bundle
    finally:
        monkeypatch.delattr(sys, "_MEIPASS")
        importlib.reload(paths)


def test_frozen_program_finds_fonts_codes_and_migrations_in_the_bundle(frozen, tmp_path):
    from ufdesk import paths
    from ufdesk.domain.codes import default_tables
    from ufdesk.store import Store
    from ufdesk.store.check import check

    assert paths.resource("fonts", "wqy-microhei.ttc") == frozen / "resources/fonts/wqy-microhei.ttc"
    assert paths.resource("fonts", "wqy-microhei.ttc").exists()
    assert paths.data_file("codes", "tables.csv").exists()
    assert paths.migrations_dir() == frozen / "ufdesk/store/migrations"
    default_tables.cache_clear()  # read the code tables again, from the bundle
    try:
        assert len(default_tables()) > 5
    finally:
        default_tables.cache_clear()
    # a new database is built by the bundled migrations
    db = tmp_path / "new.db"
    store = Store.create(db, county_code="510599", county_name="测试县", townships=[("510599100", "城关镇")])
    try:
        assert store.codebook()
    finally:
        store.close()
    ok, lines = check(db)
    assert ok and "最新" in lines[0]


def test_user_data_stays_out_of_the_program_folder(frozen, monkeypatch, tmp_path):
    from ufdesk import paths

    monkeypatch.delenv("UFDESK_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("APPDATA", str(tmp_path / "appdata"))
    for folder in (paths.user_data_dir(), paths.backups_dir(), paths.default_db().parent):
        assert frozen not in folder.parents and folder != frozen
