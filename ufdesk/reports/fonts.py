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


# -- rare characters ------------------------------------------------------------------------------
# Faces tried, in order, for a character the role's face lacks (names in CJK Extensions A–F, or a
# basic-block character AR PL UMing has no glyph for): the PC's own SimSun-ExtB, then the bundled
# Hanazono cuts (scripts/build_fallback_fonts.py). Registered only when first needed.
FALLBACKS = (("simsunb.ttf", 0), ("HanaMinA-ext.ttf", 0), ("HanaMinB-ext.ttf", 0))
MISSING: set[str] = set()  # characters no face has, met since the last take_missing()


@lru_cache(maxsize=64)
def _cmap(fontname: str) -> frozenset[int]:
    from reportlab.pdfbase.pdfmetrics import getFont

    face = getattr(getFont(fontname), "face", None)
    return frozenset(getattr(face, "charToGlyph", {}) or ())


@lru_cache(maxsize=1)
def _fallback_fonts() -> tuple[str, ...]:
    names = []
    installed = _installed()
    for i, (file, index) in enumerate(FALLBACKS):
        path = installed.get(file.lower()) or resource("fonts", file)
        if Path(path).is_file() and _try(f"uf-fallback{i}", Path(path), index):
            names.append(f"uf-fallback{i}")
    return tuple(names)


@lru_cache(maxsize=4096)
def fallback_for(ch: str) -> str | None:
    """The first fallback face that has ``ch``, or None (the character is then recorded)."""
    for name in _fallback_fonts():
        if ord(ch) in _cmap(name):
            return name
    return None


def runs(text: str, fontname: str) -> list[tuple[str, str]]:
    """``text`` cut into (font, text) runs: the role's face wherever it has the glyph."""
    if text.isascii():
        return [(fontname, text)]
    cover = _cmap(fontname)
    out: list[tuple[str, str]] = []
    for ch in text:
        f = fontname
        if ord(ch) not in cover and not ch.isspace():
            f = fallback_for(ch) or fontname
            if f == fontname:
                MISSING.add(ch)
        if out and out[-1][0] == f:
            out[-1] = (f, out[-1][1] + ch)
        else:
            out.append((f, ch))
    return out


def lacks(text: str, fontname: str) -> bool:
    """Whether the face lacks a glyph of ``text`` (a cell then takes the slow, mixed-font path)."""
    if text.isascii():
        return False
    cover = _cmap(fontname)
    return any(ord(ch) not in cover and not ch.isspace() for ch in text)


def markup(escaped_runs: list[tuple[str, str]], fontname: str) -> str:
    """Paragraph markup of runs whose text is already escaped: fallback runs in <font>."""
    return "".join(t if f == fontname else f'<font name="{f}">{t}</font>' for f, t in escaped_runs)


def take_missing() -> list[str]:
    """The characters no face could print since the last call (each once, in code-point order)."""
    out = sorted(MISSING)
    MISSING.clear()
    return out


def _fix_to_unicode() -> None:
    """reportlab writes a character outside the basic plane into the ToUnicode CMap as five hex
    digits (<2C364>), which readers take as U+2C36: copy, search and pdftotext lose the name.
    The CMap wants UTF-16BE there: a surrogate pair, <D870DF64>."""
    from reportlab.pdfbase import ttfonts

    if getattr(ttfonts.makeToUnicodeCMap, "_ufdesk", False):
        return
    original = ttfonts.makeToUnicodeCMap

    def utf16(v: int) -> str:
        if v <= 0xFFFF:
            return f"{v:04X}"
        v -= 0x10000
        return f"{0xD800 + (v >> 10):04X}{0xDC00 + (v & 0x3FF):04X}"

    def make(fontname, subset):
        text = original(fontname, subset)
        if all(v <= 0xFFFF for v in subset):
            return text
        head, _sep, tail = text.partition("beginbfchar\n")
        body, _sep2, rest = tail.partition("\nendbfchar")
        lines = [f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)]
        return head + "beginbfchar\n" + "\n".join(lines) + "\nendbfchar" + rest

    make._ufdesk = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make


_fix_to_unicode()
