"""``pip install .`` gives a working program: the wheel carries data/ and resources/, the installed
``ufdesk`` finds them inside the package, from any folder, with no build warnings.

The wheel is built from a copy of the source (nothing is written into the checkout) and installed
with --no-deps into a fresh venv that borrows the test venv's site-packages for the dependencies,
so nothing is downloaded twice.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
import xlsx_office

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["ufdesk", "data", "resources", "setup.py", "pyproject.toml", "README.md"]
PLACES = "代码,名称\n510599100,城关镇\n510599101,河东乡\n510599102,北城街道\n510599100001,东街社区\n"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin folder, wheel path, build log) of ufdesk installed from its wheel."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    for name in SOURCES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(
            ROOT / name, src / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if (ROOT / name).is_dir() else {}))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(base / "dist"), str(src)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheel = next((base / "dist").glob("ufdesk-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    purelib = subprocess.run([str(bindir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # the dependencies from the test venv: a plain path line (its .pth files, such as the editable
    # install of the checkout, are not processed)
    Path(purelib, "shared-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(bindir / "python"), "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True, timeout=300)
    return bindir, wheel, built.stdout + built.stderr


def test_wheel_holds_data_and_resources_and_builds_without_warnings(installed):
    _, wheel, log = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("data", "resources"):
        files = {str(p.relative_to(ROOT)).replace(os.sep, "/") for p in (ROOT / folder).rglob("*") if p.is_file()}
        assert files and {f"ufdesk/{f}" for f in files} <= names, folder
    assert "ufdesk/store/migrations/script.py.mako" in names
    warnings = [line for line in log.splitlines() if "warning" in line.lower() and "byte-compiling" not in line]
    assert not warnings, "\n".join(warnings)


def test_installed_program_works_from_another_folder(installed, tmp_path):
    bindir, _, _ = installed
    elsewhere = tmp_path / "某个文件夹"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "UFDESK_PASSPHRASE")}
    env.update(UFDESK_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen")
    exe = shutil.which("ufdesk", path=str(bindir))
    assert exe, "pip did not install the ufdesk command"

    def ufdesk(*args, ok=True, **extra):
        r = subprocess.run([exe, *map(str, args)], cwd=elsewhere, env={**env, **extra}, capture_output=True,
                           text=True, timeout=300)
        assert "Traceback" not in r.stderr, r.stderr
        assert not ok or r.returncode == 0, (args, r.stdout, r.stderr)
        return r

    where = subprocess.run([str(bindir / "python"), "-c", "import ufdesk.paths as p; print(p.DATA); print(p.RESOURCES)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert all("site-packages" in w and Path(w).is_dir() for w in where), where

    ufdesk("demo", "--db", "demo.db", "--size", "40")
    stats = json.loads(ufdesk("stats", "--db", "demo.db", "--json").stdout)
    assert stats["representatives"] == 40
    ufdesk("report", "roster", "--db", "demo.db", "--out", "花名册.pdf")
    ufdesk("report", "monthly", "--db", "demo.db", "--out", "月报.docx", "--month", "2026-10")
    assert (elsewhere / "花名册.pdf").read_bytes()[:4] == b"%PDF" and (elsewhere / "月报.docx").stat().st_size > 5000
    town = next(k for k in stats["by_township"] if k != "county")
    ufdesk("package", "export", "--db", "demo.db", "--to", town, "--out", "交换.ufpkg", UFDESK_PASSPHRASE="口令 correct horse")
    assert (elsewhere / "交换.ufpkg").stat().st_size > 1000

    # a roster as an office saves it (LibreOffice), into a new county: needs the code tables
    (elsewhere / "places.csv").write_text(PLACES, encoding="utf-8")
    ufdesk("init", "--db", "county.db", "--county", "测试县", "--county-code", "510599", "--townships", "places.csv")
    roster = xlsx_office.convert(xlsx_office.write_openpyxl(tmp_path / "花名册.xlsx"), "xlsx", tmp_path / "lo")
    r = ufdesk("import-xlsx", "--db", "county.db", "--ledger", "代表人士", roster, "--skip-invalid",
               "--rejects", "拒收.xlsx")
    assert "已导入" in r.stdout or "新增" in r.stdout, r.stdout
    assert json.loads(ufdesk("stats", "--db", "county.db", "--json").stdout)["representatives"] > 0
