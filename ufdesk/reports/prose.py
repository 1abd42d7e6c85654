"""Prose on the GB/T 9704 grid: 三号 (16 pt) characters, 28 to a line across the 156 mm text
block, 22 lines down its 225 mm — as Word's 文档网格 lays out a 公文.

28 characters of 16 pt are 448 pt, the text block 442 pt: as in Word, each character advances
by one cell (15.8 pt) rather than its own width, and a full line is justified to the block's
edges. reportlab's Paragraph has no character spacing, hence this small flowable: it breaks
the text itself (no line begins with 「，。、」…, none ends with 「（《“」, a number or a Latin
word is never split) and draws each line with the character spacing that fills it.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.platypus import Flowable

from .fonts import runs
from .page import MM, NO_LINE_START

BLOCK_W, BLOCK_H = 156 * MM, 225 * MM
CHARS, LINES = 28, 22
CELL = BLOCK_W / CHARS  # 15.8 pt: one character's advance
LINE = BLOCK_H / LINES - 1e-4  # 28.9 pt: the line pitch (a hair less, so 22 lines fit the frame)
NO_LINE_END = "（《「『【〔〈“‘"


@lru_cache(maxsize=20000)
def _w(ch: str, fontname: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(ch, fontname, size)


@lru_cache(maxsize=16)
def descent(fontname: str) -> float:
    """The font's descent as a fraction of its size (negative), as PDF readers place glyphs."""
    from reportlab.pdfbase.pdfmetrics import getFont

    face = getattr(getFont(fontname), "face", None)
    return (getattr(face, "descent", -120) or -120) / 1000


def _word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".%-/:")


def break_lines(text: str, fontname: str, size: float, width: float, indent: float = 0) -> list[str]:
    """Lines of at most ``width`` points, each character taking ``_w * CELL / size``."""
    scale = CELL / 16  # the grid's squeeze, the same for every size on the page
    lines: list[str] = []
    line, used, room = "", 0.0, width - indent
    for ch in text:
        adv = _w(ch, fontname, size) * scale
        if line and used + adv > room + 0.01:
            cut = len(line)
            if ch in NO_LINE_START and cut > 1:
                cut -= 1  # 避头: the mark goes down with the character before it
            elif _word(ch) and _word(line[-1]):
                i = cut
                while i > 0 and _word(line[i - 1]):
                    i -= 1
                if i > 0:
                    cut = i  # the number or word goes down whole
            while cut > 1 and line[cut - 1] in NO_LINE_END:
                cut -= 1  # 避尾: an opening bracket goes down with what it opens
            lines.append(line[:cut])
            line = line[cut:]
            used = sum(_w(c, fontname, size) * scale for c in line)
            room = width
        line += ch
        used += adv
    if line or not lines:
        lines.append(line)
    return lines


class Prose(Flowable):
    """Lines of text on the grid: each takes LINE of height, its glyphs' tops at the line's top.
    ``align``: "justify" (full lines fill the width, the last sits on the grid), "left",
    "center" or "right"; ``indent``: cells of first-line indent (2 for a paragraph);
    ``right``: cells kept free at the right (落款 "右空四字")."""

    def __init__(self, text: str, fontname: str, size: float, *, align: str = "justify", indent: int = 0,
                 right: int = 0, keep: bool = False, lines: list[str] | None = None, first: bool = True):
        super().__init__()
        self.text, self.fontname, self.size = text, fontname, size
        self.align, self.indent, self.right, self.first = align, indent, right, first
        self.keepWithNext = keep
        self._lines = lines
        self.width = BLOCK_W

    def lines(self, width: float) -> list[str]:
        if self._lines is None:
            self._lines = break_lines(self.text, self.fontname, self.size, width - self.right * CELL,
                                      self.indent * CELL if self.first else 0)
        return self._lines

    def wrap(self, aw, ah):
        self.width = aw
        self.height = len(self.lines(aw)) * LINE
        return aw, self.height

    def split(self, aw, ah):
        lines = self.lines(aw)
        n = int(ah // LINE)
        if n <= 0 or n >= len(lines):
            return []
        kw = dict(align=self.align, indent=self.indent, right=self.right)
        head = Prose(self.text, self.fontname, self.size, lines=lines[:n], first=self.first, **kw)
        head._last_is_full = True
        tail = Prose(self.text, self.fontname, self.size, lines=lines[n:], first=False, **kw)
        return [head, tail]

    def draw(self):
        c = self.canv
        lines = self.lines(self.width)
        size = self.size
        rise = size * (1 + descent(self.fontname))
        scale = CELL / 16
        full = getattr(self, "_last_is_full", False)
        for i, line in enumerate(lines):
            natural = sum(_w(ch, self.fontname, size) for ch in line)
            x0 = self.indent * CELL if (i == 0 and self.first) else 0
            room = self.width - self.right * CELL - x0
            last = i == len(lines) - 1 and not full
            n = max(len(line), 1)
            if self.align == "justify" and not last and len(line) > 1:
                space = (room - natural) / (n - 1)
            elif self.align == "justify" or self.align == "left":
                space = natural * (scale - 1) / n
            else:
                space = 0.0
            drawn = natural + space * (n - 1)
            if self.align == "center":
                x0 += (room - drawn) / 2
            elif self.align == "right":
                x0 += room - drawn
            t = c.beginText(x0, self.height - i * LINE - rise)
            t.setCharSpace(space)
            for fontname, part in runs(line, self.fontname):  # a rare character in a fallback face
                t.setFont(fontname, size)
                t.textOut(part)
            c.drawText(t)
