"""Build resources/fonts/HanaMinA-ext.ttf and HanaMinB-ext.ttf, the fallback faces for the
characters of a name that the main faces lack (CJK Extensions A–F, and the basic-block
characters AR PL UMing has no glyph for).

Source: Debian's fonts-hanazono (HanaMinA.ttf, HanaMinB.ttf: TrueType outlines, which reportlab
can embed; licence: Hanazono Font License or SIL OFL 1.1, see LICENSE-hanazono.txt). HanaMinA is
cut down to what the main faces miss (22 MB → a few MB); HanaMinB is kept for Extensions B–F.

    apt-get install fonts-hanazono && pip install fonttools
    python scripts/build_fallback_fonts.py
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = Path("/usr/share/fonts/truetype/hanazono")
OUT = ROOT / "resources" / "fonts"


def subset(src: Path, dest: Path, codepoints: set[int]) -> int:
    from fontTools import subset as fs
    from fontTools.ttLib import TTFont

    font = TTFont(src)
    have = set(font.getBestCmap())
    keep = sorted(codepoints & have)
    opts = fs.Options()
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.layout_features = []
    sub = fs.Subsetter(opts)
    sub.populate(unicodes=keep)
    sub.subset(font)
    font.save(dest)
    return len(keep)


def main() -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    uming = set(TTFont("uming", str(OUT / "uming.ttc"), subfontIndex=0).face.charToGlyph)
    ext_a = set(range(0x3400, 0x4DC0))
    basic_missing = {c for c in range(0x4E00, 0xA000) if c not in uming}
    compat = set(range(0xF900, 0xFB00))
    n = subset(SRC / "HanaMinA.ttf", OUT / "HanaMinA-ext.ttf", ext_a | basic_missing | compat)
    m = subset(SRC / "HanaMinB.ttf", OUT / "HanaMinB-ext.ttf", set(range(0x20000, 0x2EBF0)) | set(range(0x2F800, 0x2FA20)))
    print(f"HanaMinA-ext.ttf: {n} characters; HanaMinB-ext.ttf: {m} characters")


if __name__ == "__main__":
    main()
