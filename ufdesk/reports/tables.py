"""Ruled tables in the office style: black grid, 黑体 header row repeated on every page, cells in
宋体. Cell text is wrapped here (by measured width) rather than with a Paragraph per cell,
which keeps a 2,000-row roster fast."""

from __future__ import annotations

import re
from functools import lru_cache

from .fonts import font, lacks
from .page import CELL_PT, NO_LINE_START

PAD = 3  # points of padding left and right of a cell


@lru_cache(maxsize=20000)
def _char_width(ch: str, fontname: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(ch, fontname, size)


def wrap(text, width: float, fontname: str, size: float, max_lines: int | None = None) -> str:
    """``text`` broken into lines no wider than ``width`` points (CJK text breaks anywhere;
    a Latin word or number is kept whole where it fits)."""
    if text is None:
        return ""
    out: list[str] = []
    for para in str(text).split("\n"):
        line, w = "", 0.0
        for ch in para:
            cw = _char_width(ch, fontname, size)
            if w + cw > width and line:
                # keep digits/latin runs together when the run started on this line
                cut = len(line)
                if ch in NO_LINE_START and len(line) > 1:
                    cut = len(line) - 1  # 避头点: the mark goes down with the character before it
                elif ch.isascii() and ch.isalnum():
                    i = len(line)
                    while i > 0 and line[i - 1].isascii() and line[i - 1].isalnum():
                        i -= 1
                    if 0 < i < len(line):
                        cut = i
                out.append(line[:cut])
                line = line[cut:]
                w = sum(_char_width(c, fontname, size) for c in line)
            line += ch
            w += cw
        out.append(line)
    if max_lines and len(out) > max_lines:
        out = out[:max_lines]
        out[-1] = out[-1][:-1] + "…"
    return "\n".join(out)


def grid(header: list[str] | list[list[str]], rows: list[list], widths: list[float], *, size: float = CELL_PT,
         align: str | None = None, marks: set[int] | None = None, totals: bool = False,
         repeat: bool = True, spans: list | None = None, leading: float | None = None,
         cells: set[tuple[int, int]] | None = None):
    """A ruled table. ``header`` is one row of labels (or several rows, with ``spans`` for the
    merged header cells), ``align`` one letter per column (L, C, R), ``marks`` the indices of
    body rows printed in 黑体 (overdue, gaps), ``cells`` single (row, column) cells so printed,
    ``totals`` makes the last row a 合计 row."""
    from reportlab.lib import colors
    from reportlab.platypus import LongTable

    song, hei = font("song"), font("hei")
    header_rows = header if header and isinstance(header[0], list) else [header]
    align = align or "C" * len(widths)
    marks = marks or set()
    data = [[wrap(h, w - 2 * PAD, hei, size) for h, w in zip(hr, widths, strict=False)] for hr in header_rows]
    for i, row in enumerate(rows):
        fn = hei if i in marks or (totals and i == len(rows) - 1) else song
        cells_ = [wrap(_text(v), w - 2 * PAD, fn, size) for v, w in zip(row, widths, strict=False)]
        for c, t in enumerate(cells_):
            if lacks(t, fn):  # a name with a rare character: that one cell mixes faces
                cells_[c] = _mixed(t, fn, size, leading or size * 1.3, align[c] if c < len(align) else "C")
        data.append(cells_)
    nh = len(header_rows)
    style = [
        ("FONT", (0, 0), (-1, nh - 1), hei, size, leading or size * 1.3),
        ("FONT", (0, nh), (-1, -1), song, size, leading or size * 1.3),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, nh - 1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, nh - 1), colors.Color(0.92, 0.92, 0.92)),
    ]
    for c, a in enumerate(align):
        style.append(("ALIGN", (c, nh), (c, -1), {"L": "LEFT", "C": "CENTER", "R": "RIGHT"}[a]))
    for i in sorted(marks):
        style.append(("FONT", (0, nh + i), (-1, nh + i), hei, size, leading or size * 1.3))
    for r, c in sorted(cells or ()):
        style.append(("FONT", (c, nh + r), (c, nh + r), hei, size, leading or size * 1.3))
    if totals and rows:
        style.append(("FONT", (0, -1), (-1, -1), hei, size, leading or size * 1.3))
        if len(rows) > 1:  # the 合计 row never starts a page alone
            style.append(("NOSPLIT", (0, len(data) - 2), (-1, len(data) - 1)))
    for sp in spans or ():
        style.append(("SPAN", *sp))
    return LongTable(data, colWidths=widths, repeatRows=nh if repeat else 0, style=style, hAlign="CENTER")


def _mixed(text: str, fontname: str, size: float, leading: float, align: str):
    """A cell Paragraph whose characters the cell's face lacks are set in a fallback face."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from .page import rich

    st = ParagraphStyle("mixed", fontName=fontname, fontSize=size, leading=leading, wordWrap="CJK",
                        alignment={"L": 0, "C": 1, "R": 2}[align])
    return Paragraph(rich(text, fontname).replace("\n", "<br/>"), st)


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def scale(weights: list[float], total: float) -> list[float]:
    s = sum(weights)
    return [total * w / s for w in weights]


def paged(header: list[str], rows: list[list], widths: list[float], *, first: float, later: float,
          size: float = CELL_PT, leading: float | None = None, **kw) -> list:
    """A long table cut into one table per page, each with its own header row. reportlab splits
    a long table by re-measuring everything left at each page (quadratic in the rows); here the
    rows' heights are known from the wrapped text, so each page is measured once.
    ``first``/``later``: the height free for the table on the first and on later pages."""
    from reportlab.platypus import PageBreak

    song, hei = font("song"), font("hei")
    leading = leading or size * 1.3
    kw["leading"] = leading
    pad = 2 + 3  # TOPPADDING + BOTTOMPADDING in grid()

    def height(cells, fn):
        lines = max((wrap(_text(v), w - 2 * PAD, fn, size).count("\n") + 1 for v, w in zip(cells, widths, strict=False)),
                    default=1)
        return lines * leading + pad

    head_h = height(header, hei)
    out: list = []
    chunk: list[list] = []
    free = first - head_h
    for row in rows:
        h = height(row, song)
        if chunk and h > free - 1:
            out += [grid(header, chunk, widths, size=size, **kw), PageBreak()]
            chunk, free = [], later - head_h
        chunk.append(row)
        free -= h
    if chunk:
        out.append(grid(header, chunk, widths, size=size, **kw))
    return out


SHORT = 8  # a cell line of at most this many characters (no space) is a word: never broken
_TOKEN = re.compile(r"[0-9A-Za-z.:/%+\-]+")


def _units(text: str, header: bool):
    for line in text.split("\n"):
        if line and (len(line) <= (6 if header else SHORT)) and " " not in line:
            yield line  # 「乡镇级」「九三学社社员」「2026.11.01」 stay whole
        else:
            yield from _TOKEN.findall(line)  # in longer text: numbers, dates, Latin words


def fit(weights: list[float], total: float, header: list[str], rows: list[list], measure, pad: float) -> list[float]:
    """Column widths in proportion to ``weights`` (summing to ``total``), except that no column
    is narrower than its longest word (``measure(text)`` gives its width in points, ``pad`` the
    cell's padding each side): the wide text columns give up the room. PDF and Word alike."""
    need = [0.0] * len(weights)
    for r, row in enumerate([header, *rows]):
        for c, v in enumerate(row[:len(need)]):
            for u in _units(_text(v), r == 0):
                w = measure(u) + 2 * pad + 0.5
                if w > need[c]:
                    need[c] = w
    widths = scale(weights, total)
    for _ in range(len(widths)):
        short = [c for c, w in enumerate(widths) if w < need[c] - 0.01]
        if not short:
            break
        deficit = sum(need[c] - widths[c] for c in short)
        for c in short:
            widths[c] = need[c]
        slack = {c: widths[c] - need[c] for c in range(len(widths)) if c not in short and widths[c] > need[c]}
        room = sum(slack.values())
        if room <= 0:
            break
        take = min(1.0, deficit / room)
        for c, s in slack.items():
            widths[c] -= s * take
    return widths


def measure_pdf(size: float = CELL_PT):
    song = font("song")
    return lambda text: sum(_char_width(ch, song, size) for ch in text)


def unwrapped(weights: list[float], total: float, header: list[str], rows: list[list], measure,
              pad: float) -> list[float]:
    """Widths at which no cell wraps (each column as wide as its longest line, the rest of
    ``total`` shared by ``weights``) — or ``fit`` when the lines are too long for that."""
    need = [0.0] * len(weights)
    for row in [header, *rows]:
        for c, v in enumerate(row[:len(need)]):
            for line in _text(v).split("\n"):
                w = measure(line) + 2 * pad + 1
                if w > need[c]:
                    need[c] = w
    spare = total - sum(need)
    if spare < 0:
        return fit(weights, total, header, rows, measure, pad)
    s = sum(weights)
    return [n + spare * w / s for n, w in zip(need, weights, strict=True)]
