"""The faces of a printed report: the PC's own Chinese office fonts where it has them, else the
bundled free ones. reportlab embeds only TrueType outlines, so OpenType/CFF fonts (Noto CJK,
Source Han) are skipped; every face registered here is embedded (as a subset) in the PDF.

Roles: ``title`` (方正小标宋 → 宋体), ``body`` (仿宋 → 宋体), ``song`` (宋体, tables),
``hei`` (黑体, headings).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import resource


@dataclass(frozen=True)
class Face:
    file: str  # file name, matched case-insensitively
    index: int = 0  # sub-font of a .ttc
    label: str = ""


# Preferred faces of each role, best first; the bundled font closes each list.
CANDIDATES: dict[str, tuple[Face, ...]] = {
    "title": (Face("FZXBSJW.TTF", 0, "方正小标宋简体"), Face("FZXBSK.TTF", 0, "方正小标宋_GBK"),
              Face("simsun.ttc", 0, "宋体"), Face("simsun.ttf", 0, "宋体")),
    "body": (Face("仿宋_GB2312.ttf", 0, "仿宋_GB2312"), Face("FS_GB2312.ttf", 0, "仿宋_GB2312"),
             Face("SIMFANG_GB2312.TTF", 0, "仿宋_GB2312"), Face("simfang.ttf", 0, "仿宋"),
             Face("FZFSJW.TTF", 0, "方正仿宋简体"), Face("simsun.ttc", 0, "宋体"), Face("simsun.ttf", 0, "宋体")),
    "song": (Face("simsun.ttc", 0, "宋体"), Face("simsun.ttf", 0, "宋体")),
    "hei": (Face("simhei.ttf", 0, "黑体"), Face("FZHTJW.TTF", 0, "方正黑体简体")),
    "kai": (Face("楷体_GB2312.ttf", 0, "楷体_GB2312"), Face("KT_GB2312.ttf", 0, "楷体_GB2312"),  # 二级标题
            Face("simkai.ttf", 0, "楷体"), Face("FZKTJW.TTF", 0, "方正楷体简体"),
            Face("simfang.ttf", 0, "仿宋"), Face("simsun.ttc", 0, "宋体"), Face("simsun.ttf", 0, "宋体")),
}
# The bundled faces, with the family names Word and LibreOffice know them by.
BUNDLED = {
    "title": (resource("fonts", "uming.ttc"), 0, "AR PL UMing CN"),
    "body": (resource("fonts", "uming.ttc"), 0, "AR PL UMing CN"),
    "song": (resource("fonts", "uming.ttc"), 0, "AR PL UMing CN"),
    "hei": (resource("fonts", "wqy-microhei.ttc"), 0, "WenQuanYi Micro Hei"),
    "kai": (resource("fonts", "uming.ttc"), 0, "AR PL UMing CN"),
}


def font_dirs() -> list[Path]:
    """Where the PC keeps its fonts."""
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs = [Path(windir) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
            Path.home() / ".local" / "share" / "fonts"]


@lru_cache(maxsize=1)
def _installed() -> dict[str, Path]:
    """Lower-case file name → path of every font file on the PC (first found wins)."""
    found: dict[str, Path] = {}
    for d in font_dirs():
        if not d.is_dir():
            continue
        for root, _dirs, files in os.walk(d):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


def _try(name: str, path: Path, index: int) -> bool:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    except (TTFError, OSError, ValueError):  # CFF outlines, a damaged file, a missing index
        return False
    return True


@lru_cache(maxsize=1)
def register() -> dict[str, str]:
    """Register the four roles with reportlab once; returns {role: reportlab font name}.
    Roles that end up in the same file share one registration (one embedded subset)."""
    installed = _installed()
    chosen: dict[str, tuple[Path, int, str]] = {}
    for role, faces in CANDIDATES.items():
        for face in faces:
            path = installed.get(face.file.lower())
            if path is not None:
                chosen[role] = (path, face.index, face.label)
                break
        else:
            chosen[role] = BUNDLED[role]
    names: dict[str, str] = {}
    labels: dict[str, str] = {}
    by_file: dict[tuple[str, int], str] = {}
    for role, (path, index, label) in chosen.items():
        key = (str(path), index)
        if key not in by_file and not _try(f"uf-{role}", path, index):
            path, index, label = BUNDLED[role]  # the PC's file is unusable: CFF outlines or damaged
            key = (str(path), index)
            if key not in by_file:
                _try(f"uf-{role}", path, index)
        by_file.setdefault(key, f"uf-{role}")
        names[role], labels[role] = by_file[key], label
    register.labels = labels  # type: ignore[attr-defined]  # which face each role got, for tests and About
    return names


def font(role: str) -> str:
    """The reportlab font name of a role: "title", "body", "song" or "hei"."""
    return register()[role]


def word_fonts() -> dict[str, str]:
    """Font names for the Word version: the faces the PDF found on this PC (仿宋_GB2312 where
    installed, else 仿宋; 方正小标宋简体, else 宋体 …), named as Word lists them."""
    register()
    return dict(register.labels)  # type: ignore[attr-defined]
