#!/usr/bin/env python3
"""Set up everything the tests need and run them:  python3 scripts/test.py [pytest args]

Creates .venv with ufdesk and its test extras; on Debian/Ubuntu, installs the system packages
the tests use (CJK fonts, poppler-utils for pdftotext/pdffonts/pdftoppm, LibreOffice Calc for
reading exported workbooks) when they are missing; then runs ruff and pytest.
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
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc": "fonts-wqy-microhei",
    "/usr/share/fonts/truetype/arphic/uming.ttc": "fonts-arphic-uming",
    "/usr/lib/x86_64-linux-gnu/libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "/usr/lib/x86_64-linux-gnu/libEGL.so.1": "libegl1",
    "/usr/lib/x86_64-linux-gnu/libfontconfig.so.1": "libfontconfig1",
}


def missing_apt() -> list[str]:
    out = []
    for probe, package in APT_PACKAGES.items():
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


def main() -> int:
    if sys.platform.startswith("linux"):
        install_apt(missing_apt())
    ensure_venv("[test]")
    lint = subprocess.call([str(PY), "-m", "ruff", "check", str(ROOT / "ufdesk"), str(ROOT / "tests"),
                            str(ROOT / "scripts")])
    if lint:
        print("ruff 检查未通过。")
        return lint
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.call([str(PY), "-m", "pytest", *sys.argv[1:]], cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
