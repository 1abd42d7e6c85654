#!/usr/bin/env python3
"""Set up everything the tests need and run them:  python3 scripts/test.py [--bundle] [--windows] [pytest args]

Creates .venv with ufdesk and its test extras; on Debian/Ubuntu, installs the system packages
the tests use (CJK fonts, poppler-utils for pdftotext/pdffonts/pdftoppm, LibreOffice Calc for
reading exported workbooks) when they are missing; then runs ruff and pytest.

In CI (CI=true) or with --bundle, once pytest has passed it also builds the program folder with
PyInstaller (scripts/build_installer.py) and runs the built program (scripts/smoke_bundle.py:
commands, a report, and the GUI under Xvfb with a screenshot in build/smoke/gui.png).

With --windows (as .ci/run runs it), the non-GUI tests run once more on Windows' own CPython under
wine (scripts/windows_leg.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from start import PY, ROOT, ensure_venv  # noqa: E402

APT_PACKAGES = {  # command or file that shows the package is there → Debian package
    "pdftotext": "poppler-utils",
    "soffice": "libreoffice-calc-nogui",
    "/usr/lib/libreoffice/program/libmswordlo.so": "libreoffice-writer-nogui",  # Word reports laid out (tests)
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc": "fonts-wqy-microhei",
    "/usr/share/fonts/truetype/arphic/uming.ttc": "fonts-arphic-uming",
    "/usr/lib/x86_64-linux-gnu/libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "/usr/lib/x86_64-linux-gnu/libEGL.so.1": "libegl1",
    "/usr/lib/x86_64-linux-gnu/libfontconfig.so.1": "libfontconfig1",
}

BUNDLE_APT_PACKAGES = {  # building the bundle (PyInstaller: ldd, objdump) and its GUI under Xvfb
    "objdump": "binutils",
    "Xvfb": "xvfb",
    "/usr/lib/x86_64-linux-gnu/libX11-xcb.so.1": "libx11-xcb1",
    "/usr/lib/x86_64-linux-gnu/libxcb-cursor.so.0": "libxcb-cursor0",
    "/usr/lib/x86_64-linux-gnu/libxcb-icccm.so.4": "libxcb-icccm4",
    "/usr/lib/x86_64-linux-gnu/libxcb-image.so.0": "libxcb-image0",
    "/usr/lib/x86_64-linux-gnu/libxcb-keysyms.so.1": "libxcb-keysyms1",
    "/usr/lib/x86_64-linux-gnu/libxcb-randr.so.0": "libxcb-randr0",
    "/usr/lib/x86_64-linux-gnu/libxcb-render-util.so.0": "libxcb-render-util0",
    "/usr/lib/x86_64-linux-gnu/libxcb-shape.so.0": "libxcb-shape0",
    "/usr/lib/x86_64-linux-gnu/libxcb-xkb.so.1": "libxcb-xkb1",
}


def missing_apt(packages: dict[str, str] = APT_PACKAGES) -> list[str]:
    out = []
    for probe, package in packages.items():
        present = Path(probe).exists() if probe.startswith("/") else shutil.which(probe)
        if not present:
            out.append(package)
    return out


def install_apt(packages: list[str]) -> None:
    if not packages or not shutil.which("apt-get"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    print("正在安装系统软件包：" + " ".join(packages), flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def bundle_smoke() -> int:
    """Build dist/ufdesk/ and run the built program; prints how long each took."""
    import time

    for script in ("build_installer.py", "smoke_bundle.py"):
        started = time.monotonic()
        code = subprocess.call([str(PY), str(ROOT / "scripts" / script)], cwd=ROOT)
        print(f"{script}：用时 {time.monotonic() - started:.0f} 秒", flush=True)
        if code:
            return code
    return 0


# The tests that run a second time against a real PostgreSQL (issue 8): services, import,
# reports and packages. UFDESK_TEST_PG maps each test's database file to a server database.
PG_TESTS = ["tests/test_services.py", "tests/test_xlsx_import.py", "tests/test_xlsx_export.py",
            "tests/test_reports.py", "tests/test_reports_cli.py", "tests/test_package_merge.py",
            "tests/test_package_refusals.py"]


def start_postgres() -> tuple[str, callable]:
    """A throw-away PostgreSQL cluster on loopback (Debian's postgresql package), trust auth, in a
    folder and on a port of this run's own (two runs at once do not meet). Returns the URL and
    the function that stops the server and removes the folder."""
    import socket
    import tempfile

    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        install_apt(["postgresql"])
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    data = Path(tempfile.mkdtemp(prefix="ufdesk-ci-pg-"))
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    with socket.socket() as s:  # a free port
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    subprocess.run(run_as + [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", user, "-E", "UTF8",
                             "--locale=C"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(run_as + [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(data / "log"), "-w", "-o",
                             f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off", "start"],
                   check=True, stdout=subprocess.DEVNULL)

    def stop() -> None:
        subprocess.run(run_as + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(data, ignore_errors=True)

    return f"postgresql://{user}@127.0.0.1:{port}/postgres", stop


def main() -> int:
    args = sys.argv[1:]
    pg = "--pg" in args or os.environ.get("CI", "").lower() == "true"
    args = [a for a in args if a != "--pg"]
    bundle = "--bundle" in args or os.environ.get("CI", "").lower() == "true"
    args = [a for a in args if a != "--bundle"]
    windows = "--windows" in args  # .ci/run asks for it
    args = [a for a in args if a != "--windows"]
    if sys.platform.startswith("linux"):
        install_apt(missing_apt() + (missing_apt(BUNDLE_APT_PACKAGES) if bundle else []))
    ensure_venv("[test]")
    lint = subprocess.call([str(PY), "-m", "ruff", "check", str(ROOT / "ufdesk"), str(ROOT / "tests"),
                            str(ROOT / "scripts")])
    if lint:
        print("ruff 检查未通过。")
        return lint
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    import time

    started = time.monotonic()
    if windows:  # LibreOffice's output for the Windows leg, recorded by the tests that make it
        from windows_leg import FIXTURES

        env_main = dict(env, UFDESK_RECORD_FIXTURES=str(FIXTURES))
    code = subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env_main if windows else env)
    print(f"pytest：用时 {time.monotonic() - started:.0f} 秒", flush=True)
    if code == 0 and pg and sys.platform.startswith("linux"):
        print("\n在 PostgreSQL 上再运行服务、导入、报表和数据包测试 …", flush=True)
        url, stop = start_postgres()
        try:
            code = subprocess.call([str(PY), "-m", "pytest", "-p", "no:cacheprovider", *PG_TESTS], cwd=ROOT,
                                   env=dict(env, UFDESK_TEST_PG=url))
        finally:
            stop()  # the server this run started ends with it
    if code == 0 and windows and sys.platform.startswith("linux"):
        print("\n在 Windows 的 Python（wine）上运行非图形界面测试 …", flush=True)
        started = time.monotonic()
        code = subprocess.call([str(PY), str(ROOT / "scripts" / "windows_leg.py")], cwd=ROOT,
                               env=dict(env, UFDESK_FIXTURES_RECORDED="1"))
        print(f"Windows 测试：用时 {time.monotonic() - started:.0f} 秒", flush=True)
    if code or not bundle:
        return code
    return bundle_smoke()


if __name__ == "__main__":
    sys.exit(main())
