"""Page furniture of every report: A4 (portrait or landscape), GB/T 9704 margins for prose
pages, the title centred in the Song face, the unit name and date under it, page numbers
"— 1 —" at the foot, and the paragraph styles of Chinese office documents."""

from __future__ import annotations

import contextvars
import datetime as dt
import io
from dataclasses import dataclass, field

from .fonts import font

MM = 72 / 25.4
# GB/T 9704-2012 党政机关公文格式: top 37 mm, left 28, right 26, bottom 35.
GB_MARGINS = (37 * MM, 28 * MM, 26 * MM, 35 * MM)  # top, left, right, bottom
TABLE_MARGINS = (20 * MM, 18 * MM, 18 * MM, 20 * MM)  # tables and forms: room for columns
TITLE_PT = 22  # 二号: the title, on every page type
BODY_PT = 16  # 三号: prose body and its headings
PAGE_NO_PT = 14  # 四号: "— 1 —"
CELL_PT = 10.5  # 五号: table text


@dataclass
class Meta:
    """What the furniture shows: the report's title, the unit that issues it, its date."""

    title: str
    unit: str
    date: dt.date = field(default_factory=dt.date.today)
    subtitle: str = ""  # e.g. "（2026年10月）"

    @property
    def date_text(self) -> str:
        return cn_date(self.date)


def cn_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def dot_date(d: dt.date | None) -> str:
    """2026.03.05 — the short form that fits a table cell."""
    return f"{d.year}.{d.month:02d}.{d.day:02d}" if d else ""


def cn_month(d: dt.date | None) -> str:
    return f"{d.year}.{d.month:02d}" if d else ""


def unit_name(store) -> str:
    """"中共青岚湖县委统战部" — or the name set in the database (setting "unit_name")."""
    from ..services.settings import value

    return value(store, "unit_name")


# Full-width punctuation that must not begin a line (避头点). reportlab's list lacks the comma,
# semicolon, colon, ! and ?, so a line could start with "，".
NO_LINE_START = "，；：！？、。）》」』】〕〉”’"


def _kinsoku() -> None:
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    missing = "".join(ch for ch in NO_LINE_START if ch not in paragraph.ALL_CANNOT_START)
    if missing:
        paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START = paragraph.ALL_CANNOT_START + missing


def styles() -> dict:
    """Paragraph styles of table pages, keyed by role: tables in 五号 (10.5 pt), their captions,
    notes and text in 小四 (12 pt), headings 黑体 四号 (14 pt), the title 二号 (22 pt).
    (Prose pages are laid on the GB/T 9704 grid by reports/prose.py instead.)"""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    _kinsoku()

    def s(name, fontname, size, leading=None, **kw):
        return ParagraphStyle(name, fontName=font(fontname), fontSize=size, leading=leading or size * 1.5,
                              wordWrap="CJK", **kw)

    return {
        "title": s("title", "title", TITLE_PT, 32, alignment=TA_CENTER, spaceAfter=4),
        "subtitle": s("subtitle", "body", 14, 22, alignment=TA_CENTER, spaceAfter=2),
        "meta": s("meta", "body", 12, 18, alignment=TA_CENTER, spaceAfter=8),
        "h1": s("h1", "hei", 14, 24, spaceBefore=8, spaceAfter=4),
        "h2": s("h2", "hei", 12, 20, spaceBefore=4, spaceAfter=2),
        "body": s("body", "body", 12, 21, firstLineIndent=24, alignment=TA_JUSTIFY),
        "plain": s("plain", "body", 12, 20),
        "note": s("note", "song", CELL_PT, 14, alignment=TA_LEFT),
        "cell": s("cell", "song", CELL_PT, 13.5),
        "cell_c": s("cell_c", "song", CELL_PT, 13.5, alignment=TA_CENTER),
        "cell_r": s("cell_r", "song", CELL_PT, 13.5, alignment=TA_RIGHT),
        "head": s("head", "hei", CELL_PT, 13.5, alignment=TA_CENTER),
        "sign": s("sign", "body", 12, 20, alignment=TA_RIGHT),
    }


MARK: contextvars.ContextVar[str] = contextvars.ContextVar("report_mark", default="")


def mark_text(mark: str) -> str:
    """"内部资料" → "内部资料 注意保存" (the words an office prints on papers with personal data)."""
    mark = (mark or "").strip()
    return mark if not mark or "注意保存" in mark else f"{mark} 注意保存"


def _footer(canvas, doc) -> None:
    """"— 1 —" in 四号, its top 7 mm under the text block. On prose pages as GB/T 9704 places
    it (odd pages at the right, even at the left, one character in); on table pages centred."""
    from .prose import descent

    canvas.saveState()
    name = font("song")
    canvas.setFont(name, PAGE_NO_PT)
    width, _height = doc.pagesize
    frame = doc.pageTemplate.frames[0]
    y = frame._y1 - 7 * MM - PAGE_NO_PT * (1 + descent(name))
    n = canvas.getPageNumber()
    text = f"— {n} —"
    if getattr(doc.pageTemplate, "prose", False):
        if n % 2:
            canvas.drawRightString(frame._x2 - PAGE_NO_PT, y, text)
        else:
            canvas.drawString(frame._x1 + PAGE_NO_PT, y, text)
    else:
        canvas.drawCentredString(width / 2, y, text)
    mark = mark_text(MARK.get())
    if mark:  # top left, above the text block, on every page
        canvas.setFont(font("hei"), 12)
        canvas.drawString(frame._x1, doc.pagesize[1] - 11 * MM, mark)
    canvas.restoreState()


def build(flowables: list, meta: Meta, *, landscape: bool = False, prose: bool = True,
          out=None, margins=None) -> bytes:
    """Lay out the flowables on A4 with the furniture; returns the PDF (also written to ``out``,
    a path or file object, when given). ``prose`` starts on a GB/T 9704 prose page (its text
    block exactly at 37/28/26/35 mm, no frame padding); ``NextPageTemplate("table")`` in the
    flowables turns to table pages (their own margins) from the next page on."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as rotate
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    size = rotate(A4) if landscape else A4
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=size, title=meta.title, author=meta.unit, subject=meta.subtitle or meta.title,
        creator="ufdesk", initialFontName=font("song"), initialFontSize=10, initialLeading=12,
    )

    def template(tid: str, m, is_prose: bool) -> PageTemplate:
        top, left, right, bottom = m
        frame = Frame(left, bottom, size[0] - left - right, size[1] - top - bottom, id=tid,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        t = PageTemplate(id=tid, frames=[frame], onPage=_footer, pagesize=size)
        t.prose = is_prose
        return t

    tables_m = margins or TABLE_MARGINS
    templates = [template("table", tables_m, False)]
    if prose and margins is None:
        templates.insert(0, template("prose", GB_MARGINS, True))
    doc.addPageTemplates(templates)
    doc.build(list(flowables))
    data = buf.getvalue()
    if out is not None:
        if hasattr(out, "write"):
            out.write(data)
        else:
            from ..paths import write_private

            write_private(out, data)  # a report names people: only its owner may read the file
    return data


def frame_width(landscape: bool = False, prose: bool = True, margins=None) -> float:
    from reportlab.lib.pagesizes import A4

    _top, left, right, _bottom = margins or (GB_MARGINS if prose else TABLE_MARGINS)
    w = A4[1] if landscape else A4[0]
    return w - left - right


def frame_height(landscape: bool = False, prose: bool = True, margins=None) -> float:
    """The height a flowable may take on a page (the frame's 6-point paddings deducted)."""
    from reportlab.lib.pagesizes import A4

    top, _left, _right, bottom = margins or (GB_MARGINS if prose else TABLE_MARGINS)
    h = A4[0] if landscape else A4[1]
    return h - top - bottom


def heading_block(meta: Meta, st: dict, *, unit_line: bool = True, prose: bool = False) -> list:
    """Title (centred, 小标宋 二号), the optional subtitle, and the "unit  date" line. On a prose
    page they sit on the grid, with one empty line before the text (GB/T 9704)."""
    from reportlab.platypus import Paragraph

    if prose:
        from .prose import Prose

        out = [Prose(meta.title, font("title"), TITLE_PT, align="center", keep=True)]
        if meta.subtitle:
            out.append(Prose(meta.subtitle, font("body"), BODY_PT, align="center", keep=True))
        if unit_line:
            out.append(Prose(f"填报单位：{meta.unit}  日期：{meta.date_text}", font("body"), BODY_PT,
                             align="center", keep=True))
        return out + [Prose("", font("body"), BODY_PT, keep=True)]
    out = [Paragraph(rich(meta.title, st["title"].fontName), st["title"])]
    if meta.subtitle:
        out.append(Paragraph(rich(meta.subtitle, st["subtitle"].fontName), st["subtitle"]))
    if unit_line:
        out.append(Paragraph(f"填报单位：{rich(meta.unit, st['meta'].fontName)}&nbsp;&nbsp;&nbsp;&nbsp;日期：{meta.date_text}",
                             st["meta"]))
    return out


def rich(text, fontname: str) -> str:
    """``esc(text)`` with the characters ``fontname`` lacks set in a fallback face (<font>)."""
    from .fonts import markup, runs

    return markup(runs(esc(text), fontname), fontname)


def esc(text) -> str:
    """Text made safe for a reportlab Paragraph (which reads a little XML)."""
    if text is None:
        return ""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
