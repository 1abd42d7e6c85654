"""A report written once as a list of blocks (headings, paragraphs, tables, charts), laid out
either as a PDF (reportlab) or as an editable Word file (python-docx) with the same sections."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import page


@dataclass
class H1:
    text: str


@dataclass
class H2:
    text: str


@dataclass
class P:
    text: str
    indent: bool = True


@dataclass
class Table:
    header: list[str]
    rows: list[list]
    weights: list[float]  # relative column widths
    align: str | None = None  # one letter per column: L C R
    marks: set[int] = field(default_factory=set)  # rows printed in 黑体
    cells: set[tuple[int, int]] = field(default_factory=set)  # single (row, column) cells in 黑体
    totals: bool = False  # the last row is a 合计 row
    empty: str = "（无）"  # said instead of an empty table


@dataclass
class Chart:
    kind: str  # "bar" or "pie"
    title: str
    labels: list[str]
    values: list[float]


@dataclass
class Charts:
    """Charts side by side."""

    charts: list[Chart]


@dataclass
class Blank:
    """Ruled lines to write on (the 本月工作小结 when none was typed)."""

    lines: int = 5


@dataclass
class Signature:
    unit: str
    date: str


@dataclass
class Turn:
    """The prose pages end here: what follows is on table pages (their margins and sizes)."""


# -- PDF ---------------------------------------------------------------------------------------
def to_pdf(blocks: list, meta: page.Meta, *, out=None, landscape: bool = False, prose: bool = True) -> bytes:
    return page.build(flowables(blocks, meta, landscape=landscape, prose=prose), meta,
                      landscape=landscape, prose=prose, out=out)


def flowables(blocks: list, meta: page.Meta, *, landscape: bool = False, prose: bool = True) -> list:
    """The blocks as reportlab flowables: on the GB/T 9704 grid while ``prose`` (until a Turn),
    then in the table pages' styles."""
    from reportlab.platypus import NextPageTemplate, PageBreak

    st = page.styles()
    out = page.heading_block(meta, st, prose=prose)
    for b in blocks:
        if isinstance(b, Turn):
            if prose:
                out += [NextPageTemplate("table"), PageBreak()]
                prose = False
        elif prose and isinstance(b, (H1, H2, P, Signature, Blank)):
            out += _prose(b)
        else:
            out += _table_page(b, st, page.frame_width(landscape, prose))
    return out


def _prose(b) -> list:
    from .fonts import font
    from .prose import Prose

    size = page.BODY_PT
    if isinstance(b, H1):
        return [Prose(b.text, font("hei"), size, align="left", keep=True)]
    if isinstance(b, H2):
        return [Prose(b.text, font("kai"), size, align="left", indent=2, keep=True)]
    if isinstance(b, P):
        return [Prose(b.text, font("body"), size, indent=2 if b.indent else 0)]
    if isinstance(b, Blank):
        return [Prose("", font("body"), size) for _ in range(b.lines)]
    # 落款: the unit centred over the date, the date "右空四字" (GB/T 9704 7.3.5)
    return [Prose("", font("body"), size, keep=True),
            Prose(b.unit, font("body"), size, align="right", right=4, keep=True),
            Prose(b.date, font("body"), size, align="right", right=4)]


def _table_page(b, st: dict, width: float) -> list:
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer
    from reportlab.platypus.flowables import HRFlowable

    from . import charts, tables

    out: list = []
    # a heading starts a new page rather than stand alone at the foot of one; a long table
    # after it still begins on the same page (keepWithNext would push the whole table on)
    if isinstance(b, H1):
        out += [CondPageBreak(90), Paragraph(page.rich(b.text, st["h1"].fontName), st["h1"])]
    elif isinstance(b, H2):
        out += [CondPageBreak(70), Paragraph(page.rich(b.text, st["h2"].fontName), st["h2"])]
    elif isinstance(b, P):
        s = st["body" if b.indent else "plain"]
        out.append(Paragraph(page.rich(b.text, s.fontName), s))
    elif isinstance(b, Table):
        if not b.rows:
            out.append(Paragraph(page.rich(b.empty, st["body"].fontName), st["body"]))
            return out
        widths = tables.fit(b.weights, width, b.header, b.rows, tables.measure_pdf(), tables.PAD)
        out.append(tables.grid(b.header, b.rows, widths, align=b.align, marks=b.marks, cells=b.cells,
                               totals=b.totals))
        out.append(Spacer(1, 6))
    elif isinstance(b, (Chart, Charts)):
        out.append(_charts(b.charts if isinstance(b, Charts) else [b], width, charts))
    elif isinstance(b, Blank):
        for _ in range(b.lines):
            out.append(Spacer(1, 20))
            out.append(HRFlowable(width="100%", thickness=0.4, color="#888888"))
    elif isinstance(b, Signature):
        out.append(Spacer(1, 18))
        out.append(Paragraph(page.rich(b.unit, st["sign"].fontName), st["sign"]))
        out.append(Paragraph(page.rich(b.date, st["sign"].fontName), st["sign"]))
    return out


def _charts(items: list[Chart], width: float, charts):
    from reportlab.platypus import Table as RLTable

    each = width / len(items)
    drawings = [getattr(charts, c.kind)(c.labels, c.values, width=each - 6, height=170, title=c.title) for c in items]
    t = RLTable([drawings], colWidths=[each] * len(items))
    from .fonts import font

    t.setStyle([("FONT", (0, 0), (-1, -1), font("song")), ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    return t


# -- Word ---------------------------------------------------------------------------------------
def to_docx(blocks: list, meta: page.Meta, out, *, landscape: bool = False, prose: bool = True,
            table_margins=None) -> None:
    """The same sections as an editable Word file (see reports/docx_out.py)."""
    from . import docx_out

    docx_out.write(blocks, meta, out, landscape=landscape, prose=prose, table_margins=table_margins)
