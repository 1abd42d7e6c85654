"""Reports as editable Word files (python-docx), the same blocks as the PDF.

What an office needs when it edits the file into a 公文: named paragraph styles in the faces
the PDF found on this PC; a first section on the GB/T 9704 text block (三号, 22 lines of 28)
and, after a Turn, a section with the table pages' margins; table header rows repeated on
every page (``w:tblHeader``), rows never split across pages (``w:cantSplit``), headings kept
with what follows, columns at least as wide as their longest word or number (so 「2026.11.01」
and 「政协提案」 never break); charts as pictures, rendered from the PDF's own drawing.

Tables are written as XML text and parsed once: python-docx's cell objects cost about a
millisecond a cell, too slow for a 2,000-person roster.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from . import blocks as B
from . import page

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIP = 20  # twentieths of a point
CELL_PAD = 5.4  # Word's default cell margin, points (0.19 cm)
PROSE_SPACING = -5  # twips: 16 pt characters condensed by 0.25 pt, so 28 fill the 156 mm line
LINE_PT = 225 * page.MM / 22  # the GB/T 9704 line pitch

# (name, role, size pt, alignment, first-line indent in characters, keep with next, exact line pitch)
STYLES = (
    ("UF标题", "title", page.TITLE_PT, "center", 0, True, True),
    ("UF副标题", "body", page.BODY_PT, "center", 0, True, True),
    ("UF单位日期", "body", page.BODY_PT, "center", 0, True, True),
    ("UF一级标题", "hei", page.BODY_PT, None, 0, True, True),
    ("UF二级标题", "kai", page.BODY_PT, None, 2, True, True),
    ("UF正文", "body", page.BODY_PT, "justify", 2, False, True),
    ("UF落款", "body", page.BODY_PT, "right", 0, True, True),
    ("UF表页标题", "title", page.TITLE_PT, "center", 0, True, False),
    ("UF表页副标题", "body", 14, "center", 0, True, False),
    ("UF表页单位日期", "body", 12, "center", 0, True, False),
    ("UF表页一级标题", "hei", 14, None, 0, True, False),
    ("UF表页二级标题", "hei", 12, None, 0, True, False),
    ("UF表页正文", "body", 12, "justify", 2, False, False),
    ("UF表页落款", "body", 12, "right", 0, True, False),
    ("UF表头", "hei", page.CELL_PT, "center", 0, False, False),
    ("UF表格", "song", page.CELL_PT, None, 0, False, False),
    ("UF表格强调", "hei", page.CELL_PT, None, 0, False, False),
    ("UF图", "body", 12, "center", 0, False, False),
)


def write(blocks: list, meta: page.Meta, out, *, landscape: bool = False, prose: bool = True,
          table_margins=None) -> None:
    from docx import Document

    doc = Document()
    _section(doc.sections[0], prose, landscape, table_margins)
    _page_number_footer(doc.sections[0])
    _mark_header(doc.sections[0])
    ids = _styles(doc)
    body = doc.element.body
    w = Writer(doc, ids, prose, landscape, table_margins)
    w.heading(meta)
    for b in blocks:
        w.block(b)
    w.draw_charts()
    sect = body[-1]  # python-docx keeps the last section's properties last: content goes before it
    for el in w.elements:
        sect.addprevious(el)
    if w.turned:  # the last section holds the table pages; the prose section ended at the Turn
        _section(doc.sections[-1], False, landscape, table_margins)
        from copy import deepcopy

        refs = [el for el in sect if el.tag.endswith("}footerReference")]
        for inner in body.iter(f"{{{W_NS}}}sectPr"):
            if inner is not sect:
                for ref in refs:
                    inner.insert(0, deepcopy(ref))  # the prose pages show the same page numbers
    doc.core_properties.title = meta.title
    doc.core_properties.author = meta.unit
    if not w.raw:
        if not hasattr(out, "write"):
            from ..paths import create_private

            create_private(out)  # a report names people: only its owner may read the file
        doc.save(out)
        return
    buf = io.BytesIO()
    doc.save(buf)
    data = _splice(buf.getvalue(), w.raw)
    if hasattr(out, "write"):
        out.write(data)
    else:
        from ..paths import write_private

        write_private(out, data)


RAW = "UFDESK-RAW-"


def _splice(docx: bytes, raw: list[str]) -> bytes:
    """The saved file with each placeholder paragraph replaced by its table's XML text: a
    2,000-row table is written as text once, never parsed into (and serialised back out of)
    python-docx's element tree."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    pattern = re.compile(r"<w:p>(?:(?!</w:p>).)*?" + RAW + r"(\d+)(?:(?!</w:p>).)*?</w:p>", re.S)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == "word/document.xml":
                text = content.decode("utf-8")
                text = pattern.sub(lambda m: raw[int(m.group(1))], text)
                content = text.encode("utf-8")
            dst.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


class Writer:
    """Turns blocks into body elements (paragraphs, tables, section breaks)."""

    def __init__(self, doc, ids: dict, prose: bool, landscape: bool, table_margins):
        self.doc, self.ids, self.prose, self.landscape = doc, ids, prose, landscape
        self.table_margins = table_margins
        self.elements: list = []
        self.turned = False
        self.pending: list = []  # (paragraph, charts, width): drawn together at the end
        self.raw: list[str] = []  # tables' XML, spliced into the saved file (see _splice)

    @property
    def width_pt(self) -> float:
        if self.prose:
            return 156 * page.MM
        top, left, right, bottom = self.table_margins or page.TABLE_MARGINS
        return (297 if self.landscape else 210) * page.MM - left - right

    def style(self, role: str) -> str:
        names = {"title": "UF标题", "subtitle": "UF副标题", "meta": "UF单位日期", "h1": "UF一级标题",
                 "h2": "UF二级标题", "body": "UF正文", "sign": "UF落款"}
        name = names[role]
        if not self.prose:
            name = name.replace("UF", "UF表页", 1)
        return self.ids[name]

    def para(self, text: str, style_id: str, *, indent: bool | None = None, right_chars: int = 0) -> None:
        ppr = f'<w:pStyle w:val="{style_id}"/>'
        if indent is False:
            ppr += '<w:ind w:firstLine="0"/>'
        if right_chars:
            ppr += f'<w:ind w:right="{right_chars * 320}"/>'
        runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n"))
        self.add(f"<w:p {_ns()}><w:pPr>{ppr}</w:pPr><w:r>{runs}</w:r></w:p>")

    def add(self, xml: str) -> None:
        from docx.oxml import parse_xml

        self.elements.append(parse_xml(xml))

    def heading(self, meta: page.Meta) -> None:
        self.para(meta.title, self.style("title"))
        if meta.subtitle:
            self.para(meta.subtitle, self.style("subtitle"))
        self.para(f"填报单位：{meta.unit}  日期：{meta.date_text}", self.style("meta"))
        if self.prose:
            self.para("", self.style("body"))  # one empty line before the text (GB/T 9704)

    def block(self, b) -> None:
        if isinstance(b, B.Turn):
            if self.prose:
                self.turn()
        elif isinstance(b, B.H1):
            self.para(b.text, self.style("h1"))
        elif isinstance(b, B.H2):
            self.para(b.text, self.style("h2"))
        elif isinstance(b, B.P):
            self.para(b.text, self.style("body"), indent=None if b.indent else False)
        elif isinstance(b, B.Table):
            if not b.rows:
                self.para(b.empty, self.style("body"))
            else:
                self.table(b)
        elif isinstance(b, (B.Chart, B.Charts)):
            self.charts(b.charts if isinstance(b, B.Charts) else [b])
        elif isinstance(b, B.Blank):
            for _ in range(b.lines):
                self.para("", self.style("body"))
        elif isinstance(b, B.Signature):
            self.para("", self.style("body"))
            self.para(b.unit, self.style("sign"), right_chars=4 if self.prose else 0)
            self.para(b.date, self.style("sign"), right_chars=4 if self.prose else 0)

    def turn(self) -> None:
        """End the prose section: a paragraph carrying its properties; the table pages follow."""
        top, left, right, bottom = page.GB_MARGINS
        w, h = (210, 297)
        self.add(f"<w:p {_ns()}><w:pPr><w:sectPr>{_sect_xml(w, h, (top, left, right, bottom))}"
                 f"</w:sectPr></w:pPr></w:p>")
        self.prose = False
        self.turned = True

    def table(self, b: B.Table) -> None:
        from . import tables

        widths = tables.fit(b.weights, self.width_pt, b.header, b.rows, _measure, CELL_PAD)
        self.raw.append(table_xml(b.header, b.rows, widths, b.align, b.marks, b.cells, b.totals, self.ids))
        self.add(f'<w:p {_ns()}><w:r><w:t>{RAW}{len(self.raw) - 1}</w:t></w:r></w:p>')
        self.para("", self.ids["UF表格"])

    def charts(self, items: list) -> None:
        p = self.doc.add_paragraph()  # python-docx adds the picture parts; the paragraph is moved
        p._p.style = self.ids["UF图"]
        p._p.getparent().remove(p._p)
        self.elements.append(p._p)
        self.pending.append((p, items, self.width_pt / len(items) - 16))

    def draw_charts(self) -> None:
        """Every chart of the document rendered in one go (one PDF, a page each), then put in
        its paragraph."""
        from docx.shared import Pt

        wanted = [(c, width) for _p, items, width in self.pending for c in items]
        if not wanted:
            return
        pics = iter(charts_png(wanted))
        for p, items, _w in self.pending:
            for _c in items:
                png, (wpt, hpt) = next(pics)
                p.add_run().add_picture(io.BytesIO(png), width=Pt(wpt), height=Pt(hpt))
        self.pending = []


def _measure(text: str) -> float:
    wide = sum(1 for ch in text if ord(ch) > 0x2E7F)
    return page.CELL_PT * (wide + 0.55 * (len(text) - wide))


def _ns() -> str:
    return f'xmlns:w="{W_NS}"'


def table_xml(header, rows, widths, align, marks, cells, totals, ids) -> str:
    """One <w:tbl>: fixed layout, a black grid, the header row repeated (w:tblHeader), no row
    split across pages (w:cantSplit)."""
    tw = [round(w * TWIP) for w in widths]
    align = align or "C" * len(tw)
    jc = {"L": "left", "C": "center", "R": "right"}
    border = "".join(f'<w:{e} w:val="single" w:sz="{8 if e in ("top", "left", "bottom", "right") else 4}" '
                     f'w:space="0" w:color="000000"/>' for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f'<w:tbl {_ns()}><w:tblPr><w:tblW w:w="{sum(tw)}" w:type="dxa"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
           f'</w:tblPr><w:tblGrid>' + "".join(f'<w:gridCol w:w="{w}"/>' for w in tw) + "</w:tblGrid>"]
    head_id, cell_id, strong_id = ids["UF表头"], ids["UF表格"], ids["UF表格强调"]

    memo: dict[tuple, str] = {}  # a roster repeats most of its cells (男, 汉族, 群众 …)

    def tc(text, w, style, j, shade=False):
        key = (text, w, style, j, shade)
        got = memo.get(key)
        if got is None:
            runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in text.split("\n"))
            fill = '<w:shd w:val="clear" w:color="auto" w:fill="EBEBEB"/>' if shade else ""
            got = memo[key] = (f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{fill}<w:vAlign w:val="center"/>'
                               f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{j}"/></w:pPr>'
                               f'<w:r>{runs}</w:r></w:p></w:tc>')
        return got

    out.append('<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>'
               + "".join(tc(str(h), w, head_id, "center", True) for h, w in zip(header, tw, strict=False)) + "</w:tr>")
    last = len(rows) - 1
    for r, row in enumerate(rows):
        bold = r in marks or (totals and r == last)
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for c, (v, w) in enumerate(zip(row, tw, strict=False)):
            st = strong_id if bold or (r, c) in cells else cell_id
            out.append(tc("" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)), w, st,
                          jc[align[c] if c < len(align) else "C"]))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def chart_png(c: B.Chart, width: float, height: float = 170, dpi: int = 200) -> tuple[bytes, tuple[float, float]]:
    """The chart as the PDF draws it (reportlab), rasterised by pdfium: the picture in Word is
    the PDF's chart, not a second drawing of the figures."""
    return charts_png([(c, width)], height, dpi)[0]


def charts_png(wanted: list, height: float = 170, dpi: int = 200) -> list[tuple[bytes, tuple[float, float]]]:
    """Several charts, each (chart, width), drawn into one PDF a page each (the font embedded
    once) and rasterised page by page; PNG written at a low compression level (fast)."""
    import pypdfium2 as pdfium
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    from . import charts
    from .fonts import font

    buf = io.BytesIO()
    cv = Canvas(buf, initialFontName=font("song"))
    for c, width in wanted:
        drawing = getattr(charts, c.kind)(c.labels, c.values, width=width, height=height, title=c.title)
        cv.setPageSize((width, height))
        renderPDF.draw(drawing, cv, 0, 0)
        cv.showPage()
    cv.save()
    pdf = pdfium.PdfDocument(buf.getvalue())
    out = []
    try:
        for i, (_c, width) in enumerate(wanted):
            img = pdf[i].render(scale=dpi / 72).to_pil()
            png = io.BytesIO()
            img.save(png, format="PNG", compress_level=1)
            out.append((png.getvalue(), (width, height)))
    finally:
        pdf.close()
    return out


def _sect_xml(w_mm: float, h_mm: float, margins, landscape: bool = False) -> str:
    top, left, right, bottom = (round(m * TWIP) for m in margins)
    ww, hh = round(w_mm * page.MM * TWIP), round(h_mm * page.MM * TWIP)
    orient = ' w:orient="landscape"' if landscape else ""
    footer = round((bottom / TWIP - 7 * page.MM - page.PAGE_NO_PT) * TWIP)
    return (f'<w:pgSz w:w="{ww}" w:h="{hh}"{orient}/><w:pgMar w:top="{top}" w:right="{right}" '
            f'w:bottom="{bottom}" w:left="{left}" w:header="851" w:footer="{max(footer, 200)}" w:gutter="0"/>')


def _section(sec, prose: bool, landscape: bool, table_margins) -> None:
    """The first section's page: the GB/T 9704 block, or the table pages' margins."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    top, left, right, bottom = page.GB_MARGINS if prose else (table_margins or page.TABLE_MARGINS)
    w, h = (297, 210) if landscape else (210, 297)
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Pt(w * page.MM), Pt(h * page.MM)
    sec.top_margin, sec.left_margin, sec.right_margin, sec.bottom_margin = Pt(top), Pt(left), Pt(right), Pt(bottom)
    sec.footer_distance = Pt(max(bottom - 7 * page.MM - page.PAGE_NO_PT, 10))


_STYLES_MADE: dict[tuple, tuple[bytes, dict[str, str]]] = {}


def _styles(doc) -> dict[str, str]:
    """Named paragraph styles (an office restyles the document in one place); name → style id.
    Made once for the faces this PC has; later documents take a copy of that styles part
    (python-docx looks each new style's name up among all the others, slowly)."""
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml import parse_xml

    from .fonts import word_fonts

    key = tuple(sorted(word_fonts().items()))
    part = doc.part._styles_part
    made = _STYLES_MADE.get(key)
    if made is not None:
        part._element = parse_xml(made[0])
        return dict(made[1])
    ids = _make_styles(doc)
    _STYLES_MADE[key] = (serialize_part_xml(part._element), dict(ids))
    return ids


def _make_styles(doc) -> dict[str, str]:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from .fonts import word_fonts

    wf = word_fonts()
    align = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
             "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
    ids = {}
    for name, role, size, al, indent, keep, grid in STYLES:
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        st.font.name = wf[role]
        st.font.size = Pt(size)
        fonts = st.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
            fonts.set(qn(attr), wf[role])
        pf = st.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        if al:
            pf.alignment = align[al]
        if indent:
            pf.first_line_indent = Pt(size * indent)
        pf.keep_with_next = keep
        pf.widow_control = True
        ppr = st.element.get_or_add_pPr()
        for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra space between 汉字 and digits, as in the PDF
            el = OxmlElement(tag)
            el.set(qn("w:val"), "0")
            ppr.append(el)
        if grid:  # the prose section: 22 lines to the 225 mm page, 28 characters to the line
            pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            pf.line_spacing = Pt(LINE_PT)
            sp = OxmlElement("w:spacing")
            sp.set(qn("w:val"), str(PROSE_SPACING))
            st.element.get_or_add_rPr().append(sp)
        ids[name] = st.style_id
    return ids


def _page_number_footer(section) -> None:
    """"— PAGE —" in 四号 宋体, centred, as a Word field so it counts itself."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from .fonts import word_fonts

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run(text=None):
        r = p.add_run(text)
        r.font.size = Pt(page.PAGE_NO_PT)
        r.font.name = word_fonts()["song"]
        r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), word_fonts()["song"])
        return r

    run("— ")
    r = run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        r._element.append(el)
    run(" —")


def _mark_header(section) -> None:
    """"内部资料 注意保存" at the top left of every page, when the report was asked for one."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from .fonts import word_fonts
    from .page import MARK, mark_text

    mark = mark_text(MARK.get())
    if not mark:
        return
    r = section.header.paragraphs[0].add_run(mark)
    r.font.size = Pt(12)
    r.font.name = word_fonts()["hei"]
    r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), word_fonts()["hei"])
