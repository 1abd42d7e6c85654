"""Ruled tables in the office style: black grid, 黑体 header row repeated on every page, cells in
宋体. Cell text is wrapped here (by measured width) rather than with a Paragraph per cell,
which keeps a 2,000-row roster fast."""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.platypus.flowables import Flowable

from .fonts import font, lacks
from .page import CELL_PT, NO_LINE_START

PAD = 3  # points of padding left and right of a cell


@lru_cache(maxsize=20000)
def _char_width(ch: str, fontname: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(ch, fontname, size)


_WIDTHS: dict[tuple[str, str, float], float] = {}


def _width(text: str, fontname: str, size: float) -> float:
    """The width of one line of text (kept: a roster repeats its 男, 汉族, 群众 …)."""
    key = (text, fontname, size)
    w = _WIDTHS.get(key)
    if w is None:
        if len(_WIDTHS) > 200_000:
            _WIDTHS.clear()
        w = _WIDTHS[key] = sum(_char_width(ch, fontname, size) for ch in text)
    return w


def wrap(text, width: float, fontname: str, size: float, max_lines: int | None = None) -> str:
    """``text`` broken into lines no wider than ``width`` points (CJK text breaks anywhere;
    a Latin word or number is kept whole where it fits)."""
    if text is None:
        return ""
    text = str(text)
    if "\n" not in text and _width(text, fontname, size) <= width:
        return text  # most cells: one line
    out: list[str] = []
    for para in text.split("\n"):
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
          size: float = CELL_PT, leading: float | None = None, align: str | None = None,
          marks: set[int] | None = None, **_kw) -> list:
    """A long table cut into one table per page, each with its own header row: the rows are
    wrapped once, their heights known from the lines, and each page drawn straight on the
    canvas (``PageGrid``) — reportlab's Table re-measures and styles every cell and draws each
    string on its own, which made a 2,000-person roster take seconds.
    ``first``/``later``: the height free for the table on the first and on later pages."""
    from reportlab.platypus import PageBreak

    song, hei = font("song"), font("hei")
    leading = leading or size * 1.3
    align = align or "C" * len(widths)
    marks = marks or set()

    def cells(values, fn):
        return [wrap(_text(v), w - 2 * PAD, fn, size) for v, w in zip(values, widths, strict=False)]

    def height(cs) -> float:
        return max((c.count("\n") + 1 for c in cs), default=1) * leading + _PAD_V

    head = cells(header, hei)
    head_h = height(head)
    out: list = []
    chunk: list = []
    free = first - head_h
    for i, row in enumerate(rows):
        fn = hei if i in marks else song
        cs = cells(row, fn)
        h = height(cs)
        if chunk and h > free - 1:
            out += [PageGrid(head, head_h, chunk, widths, align, size, leading), PageBreak()]
            chunk, free = [], later - head_h
        chunk.append((cs, h, fn))
        free -= h
    if chunk:
        out.append(PageGrid(head, head_h, chunk, widths, align, size, leading))
    return out


_PAD_V = 2 + 3  # TOPPADDING + BOTTOMPADDING, as grid() has them


class PageGrid(Flowable):
    """One page of a ruled table as grid() draws it — 黑体 header on grey, black grid, cells
    vertically centred — written as one run of PDF operators. A cell whose characters the
    face lacks is set as a Paragraph (fallback faces), as in grid()."""

    def __init__(self, head, head_h, rows, widths, align, size, leading):
        super().__init__()
        self.head, self.head_h, self.rows = head, head_h, rows
        self.widths, self.align, self.size, self.leading = list(widths), align, size, leading
        self.width = sum(widths)
        self.height = head_h + sum(h for _c, h, _f in rows)
        self.hAlign = "CENTER"

    def wrap(self, aw, ah):
        return self.width, self.height

    def split(self, aw, ah):  # the rows were counted to fit the page
        return []

    def draw(self):
        from reportlab.lib import colors
        from reportlab.pdfbase.pdfmetrics import getFont

        canv = self.canv
        doc = canv._doc
        size, leading = self.size, self.leading
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        canv.saveState()
        canv.setFillColor(colors.Color(0.92, 0.92, 0.92))
        canv.rect(0, self.height - self.head_h, self.width, self.head_h, stroke=0, fill=1)
        canv.setFillColor(colors.black)
        canv.setStrokeColor(colors.black)
        code: list[str] = ["BT"]
        cur = [None]
        cache = _encoded(doc)
        paras = []

        def lines_of(text, fn):
            """The cell's lines as (width, [(subset face, PDF string)]), or None when the face
            lacks a character (the cell is then a Paragraph)."""
            key = (fn, text)
            got = cache.get(key, cache)
            if got is cache:
                if lacks(text, fn):
                    got = None
                else:
                    f = getFont(fn)
                    got = [(_width(ln, fn, size), [(subset_name(f, sub), canv._escape(t))
                                                   for sub, t in f.splitString(ln, doc)])
                           for ln in text.split("\n")]
                cache[key] = got
            return got

        names: dict = {}

        def subset_name(f, sub):
            key = (f.fontName, sub)
            n = names.get(key)
            if n is None:
                n = names[key] = f.getSubsetInternalName(sub, doc)
            return n

        cols = [(xs[c], w, self.align[c] if c < len(self.align) else "C") for c, w in enumerate(self.widths)]
        add = code.append

        def row(cs, top, h, fn, centre_all):
            for (x0, w, a), text in zip(cols, cs, strict=False):
                if not text:
                    continue
                if centre_all:
                    a = "C"
                lines = lines_of(text, fn)
                if lines is None:
                    paras.append((_mixed(text, fn, size, leading, a), x0, top, w, h))
                    continue
                y = top - h + (1 + h + len(lines) * leading) / 2 - size  # reportlab's MIDDLE (paddings 2, 3)
                for lw, parts in lines:
                    x = x0 + PAD if a == "L" else (x0 + (w - lw) / 2 if a == "C" else x0 + w - PAD - lw)
                    add(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
                    for name, t in parts:
                        if cur[0] != name:
                            add(f"{name} {size:g} Tf")
                            cur[0] = name
                        add(f"({t}) Tj")
                    y -= leading

        top = self.height
        row(self.head, top, self.head_h, font("hei"), True)
        top -= self.head_h
        bounds = [self.height, top]
        for cs, h, fn in self.rows:
            row(cs, top, h, fn, False)
            top -= h
            bounds.append(top)
        code.append("ET")
        canv._code.append("\n".join(code))
        for para, x0, top_, w, h in paras:
            _pw, ph = para.wrap(w - 2 * PAD, h)
            y = top_ - h + (h + 3 - 2 + ph) / 2 - ph
            para.drawOn(canv, x0 + PAD, y)
        canv.setLineWidth(0.5)
        path = canv.beginPath()
        for y in bounds[1:-1]:
            path.moveTo(0, y)
            path.lineTo(self.width, y)
        for x in xs[1:-1]:
            path.moveTo(x, 0)
            path.lineTo(x, self.height)
        canv.drawPath(path, stroke=1, fill=0)
        canv.setLineWidth(1.0)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        canv.restoreState()


def _encoded(doc) -> dict:
    """(face, text) → its PDF string operands, kept with the document (subset codes are the
    document's own)."""
    cache = getattr(doc, "_ufdesk_encoded", None)
    if cache is None:
        cache = doc._ufdesk_encoded = {}
    return cache


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
    memo: dict[tuple[str, bool], float] = {}  # a roster repeats most of its values
    for r, row in enumerate([header, *rows]):
        for c, v in enumerate(row[:len(need)]):
            key = (_text(v), r == 0)
            w = memo.get(key)
            if w is None:
                w = memo[key] = max((measure(u) for u in _units(*key)), default=-1.0) + 2 * pad + 0.5
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
    return lambda text: _width(text, song, size)


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
