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
        out += [CondPageBreak(90), Paragraph(page.esc(b.text), st["h1"])]
    elif isinstance(b, H2):
        out += [CondPageBreak(70), Paragraph(page.esc(b.text), st["h2"])]
    elif isinstance(b, P):
        out.append(Paragraph(page.esc(b.text), st["body" if b.indent else "plain"]))
    elif isinstance(b, Table):
        if not b.rows:
            out.append(Paragraph(page.esc(b.empty), st["body"]))
            return out
        out.append(tables.grid(b.header, b.rows, tables.scale(b.weights, width), align=b.align,
                               marks=b.marks, cells=b.cells, totals=b.totals))
        out.append(Spacer(1, 6))
    elif isinstance(b, (Chart, Charts)):
        out.append(_charts(b.charts if isinstance(b, Charts) else [b], width, charts))
    elif isinstance(b, Blank):
        for _ in range(b.lines):
            out.append(Spacer(1, 20))
            out.append(HRFlowable(width="100%", thickness=0.4, color="#888888"))
    elif isinstance(b, Signature):
        out.append(Spacer(1, 18))
        out.append(Paragraph(page.esc(b.unit), st["sign"]))
        out.append(Paragraph(page.esc(b.date), st["sign"]))
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
# Paragraph styles of the Word version: (name, role, size in pt, bold, alignment, first-line indent).
# Named styles (not per-run fonts) let the office restyle the document in one place, and are fast.
WORD_STYLES = (
    ("UF标题", "title", 22, False, "center", False),
    ("UF副标题", "body", 16, False, "center", False),
    ("UF单位日期", "body", 12, False, "center", False),
    ("UF一级标题", "hei", 16, False, None, False),
    ("UF二级标题", "hei", 14, False, None, False),
    ("UF正文", "body", 16, False, "justify", True),
    ("UF落款", "body", 16, False, "right", False),
    ("UF表头", "hei", 10.5, False, "center", False),
    ("UF表格", "song", 10.5, False, None, False),
    ("UF表格强调", "hei", 10.5, True, None, False),
)


def to_docx(blocks: list, meta: page.Meta, out) -> None:
    """The same sections as an editable Word file: 小标宋 title, 黑体 headings, 仿宋 body,
    GB/T 9704 margins; charts are given by their tables (Word users redraw them as they like)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    centre = WD_ALIGN_PARAGRAPH.CENTER
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    _page_number_footer(sec)
    styles = _word_styles(doc)

    def para(text, style):
        p = doc.add_paragraph(text)
        p._p.style = styles[style].style_id  # by id: python-docx's style lookup scans every style
        return p

    para(meta.title, "UF标题")
    if meta.subtitle:
        para(meta.subtitle, "UF副标题")
    para(f"填报单位：{meta.unit}    日期：{meta.date_text}", "UF单位日期")
    for b in blocks:
        if isinstance(b, H1):
            para(b.text, "UF一级标题")
        elif isinstance(b, H2):
            para(b.text, "UF二级标题")
        elif isinstance(b, P):
            para(b.text, "UF正文")
        elif isinstance(b, Table):
            if not b.rows:
                para(b.empty, "UF正文")
                continue
            t = doc.add_table(rows=1, cols=len(b.header))
            t.style = "Table Grid"
            t.alignment = WD_TABLE_ALIGNMENT.CENTER
            t.autofit = False
            widths = [Mm(w) for w in _scale(b.weights, 156)]  # 210 mm less the GB/T 9704 margins
            for col, w in zip(t.columns, widths, strict=False):
                col.width = w
            aligns = [centre if a == "C" else None for a in (b.align or "C" * len(b.header))]
            for cell, h, w in zip(t.rows[0].cells, b.header, widths, strict=False):
                _cell(cell, h, styles["UF表头"], w)
            for r, row in enumerate(b.rows, start=1):  # add_row: t.cell(r, c) is slow on long tables
                bold = (r - 1) in b.marks or (b.totals and r == len(b.rows))
                st = styles["UF表格强调" if bold else "UF表格"]
                for c, (cell, v, w, a) in enumerate(zip(t.add_row().cells, row, widths, aligns, strict=False)):
                    strong = styles["UF表格强调"] if (r - 1, c) in b.cells else st
                    _cell(cell, "" if v is None else str(v), strong, w, a)
            doc.add_paragraph()
        elif isinstance(b, (Chart, Charts)):
            continue  # the same figures are in the tables beside them
        elif isinstance(b, Blank):
            for _ in range(b.lines):
                para("", "UF正文")
        elif isinstance(b, Signature):
            para(b.unit, "UF落款")
            para(b.date, "UF落款")
    doc.core_properties.title = meta.title
    doc.core_properties.author = meta.unit
    doc.save(out)


def _word_styles(doc) -> dict:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from .fonts import word_fonts

    wf = word_fonts()
    align = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
             "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, None: None}
    out = {}
    for name, role, size, bold, al, indent in WORD_STYLES:
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        st.font.name = wf[role]
        st.font.size = Pt(size)
        st.font.bold = bold
        st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), wf[role])
        pf = st.paragraph_format
        pf.space_after = Pt(2)
        if align[al] is not None:
            pf.alignment = align[al]
        if indent:
            pf.first_line_indent = Pt(size * 2)
        out[name] = st
    return out


def _cell(cell, text: str, style, width=None, align=None) -> None:
    if width is not None:
        cell.width = width  # Word lays out by the cells' widths, LibreOffice by the grid's
    p = cell.paragraphs[0]
    p._p.style = style.style_id
    if align is not None:
        p.alignment = align
    p.add_run(text)


def _scale(weights, total: float) -> list[float]:
    s = sum(weights)
    return [total * w / s for w in weights]


def _page_number_footer(section) -> None:
    """"— PAGE —" centred in the footer, as a Word field so it counts itself."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("— ")
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    p.add_run(" —")
