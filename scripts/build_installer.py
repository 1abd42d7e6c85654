#!/usr/bin/env python3
"""Build the program folder dist/ufdesk/ with PyInstaller from installer.spec:

    python scripts/build_installer.py            # build (installs PyInstaller if missing)
    python scripts/build_installer.py --clean    # throw away PyInstaller's cache first
    python scripts/build_installer.py --icons    # only redraw resources/icons/ufdesk.png/.ico

Run it with the Python of the environment where ufdesk is installed (``pip install -e .``):
that environment's packages are what goes into the bundle. Windows 10/11 and Linux alike.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build"
ICONS = ROOT / "resources" / "icons"
PYINSTALLER = "pyinstaller>=6.10"
ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256]
RED = (176, 40, 43)  # the red of ufdesk.svg


def program(dist: Path = DIST) -> Path:
    """The built command-line program."""
    return dist / "ufdesk" / ("ufdesk.exe" if os.name == "nt" else "ufdesk")


def draw_icon(size: int):
    """The app icon at ``size`` px: a red rounded square with a white 统 in the bundled Hei font."""
    from PIL import Image, ImageDraw, ImageFont

    scale = 4 if size < 128 else 2  # draw large, then shrink: smooth edges at 16 px too
    big = size * scale
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    margin = round(big * 0.04)
    d.rounded_rectangle([margin, margin, big - margin - 1, big - margin - 1], radius=round(big * 0.18), fill=RED)
    font = ImageFont.truetype(str(ROOT / "resources" / "fonts" / "wqy-microhei.ttc"), round(big * 0.70), index=0)
    left, top, right, bottom = d.textbbox((0, 0), "统", font=font)
    x = (big - (right - left)) / 2 - left
    y = (big - (bottom - top)) / 2 - top
    d.text((x, y), "统", font=font, fill=(255, 255, 255, 255))
    return img.resize((size, size), Image.LANCZOS)


def make_icons() -> None:
    """resources/icons/ufdesk.png (256 px) and ufdesk.ico (16–256 px, for Windows)."""
    ICONS.mkdir(parents=True, exist_ok=True)
    images = {s: draw_icon(s) for s in ICO_SIZES}
    images[256].save(ICONS / "ufdesk.png")
    images[256].save(ICONS / "ufdesk.ico", sizes=[(s, s) for s in ICO_SIZES],
                     append_images=[images[s] for s in ICO_SIZES if s != 256])
    print(f"已生成图标：{ICONS / 'ufdesk.png'}，{ICONS / 'ufdesk.ico'}")


def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        print("正在安装 PyInstaller …", flush=True)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", PYINSTALLER])


def check_environment() -> str | None:
    """A Chinese sentence saying what is missing, or None."""
    if sys.version_info < (3, 11):  # noqa: UP036 — this script may meet an older Python
        return "需要 Python 3.11 或更新版本。"
    if importlib.util.find_spec("ufdesk") is None or importlib.util.find_spec("PySide6") is None:
        return f"当前 Python（{sys.executable}）里没有安装 ufdesk。请先在项目文件夹运行：python -m pip install -e ."
    return None


def folder_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(clean: bool = False, dist: Path = DIST) -> Path:
    problem = check_environment()
    if problem:
        raise SystemExit(f"错误：{problem}")
    if not (ICONS / "ufdesk.ico").exists() or not (ICONS / "ufdesk.png").exists():
        make_icons()
    ensure_pyinstaller()
    target = dist / "ufdesk"
    if target.exists():
        shutil.rmtree(target)  # a stale file from an older build must never ship
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(WORK), str(SPEC)]
    if clean:
        cmd.insert(3, "--clean")
    print("正在打包（需要几分钟）…", flush=True)
    started = time.monotonic()
    subprocess.check_call(cmd, cwd=ROOT)
    seconds = time.monotonic() - started
    exe = program(dist)
    if not exe.exists():
        raise SystemExit(f"错误：打包没有生成 {exe}")
    print(f"打包完成：{target}（{folder_size(target) / 2**20:.0f} MB，用时 {seconds:.0f} 秒）")
    print(f"试运行：{exe} --version")
    return exe


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="用 PyInstaller 打包 ufdesk（单文件夹：dist/ufdesk/）")
    ap.add_argument("--clean", action="store_true", help="先清除 PyInstaller 的缓存再打包")
    ap.add_argument("--icons", action="store_true", help="只重新生成图标（需要 Pillow）")
    ap.add_argument("--dist", type=Path, default=DIST, help="输出文件夹（默认 dist/）")
    args = ap.parse_args(argv)
    if args.icons:
        make_icons()
        return 0
    build(clean=args.clean, dist=args.dist)
    return 0


if __name__ == "__main__":
    sys.exit(main())
