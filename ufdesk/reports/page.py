"""Page furniture of every report: A4 (portrait or landscape), GB/T 9704 margins for prose
pages, the title centred in the Song face, the unit name and date under it, page numbers
"— 1 —" at the foot, and the paragraph styles of Chinese office documents."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from .fonts import font

MM = 72 / 25.4
# GB/T 9704-2012 党政机关公文格式: top 37 mm, left 28, right 26, bottom 35.
GB_MARGINS = (37 * MM, 28 * MM, 26 * MM, 35 * MM)  # top, left, right, bottom
TABLE_MARGINS = (20 * MM, 18 * MM, 18 * MM, 20 * MM)  # tables and forms: room for columns


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
    """Paragraph styles keyed by role. 三号 = 16 pt, 四号 = 14 pt, 小四 = 12 pt, 五号 = 10.5 pt."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    _kinsoku()

    def s(name, fontname, size, leading=None, **kw):
        return ParagraphStyle(name, fontName=font(fontname), fontSize=size, leading=leading or size * 1.5,
                              wordWrap="CJK", **kw)

    return {
        "title": s("title", "title", 20, 30, alignment=TA_CENTER, spaceAfter=4),
        "subtitle": s("subtitle", "body", 14, 22, alignment=TA_CENTER, spaceAfter=4),
        "meta": s("meta", "body", 11, 16, alignment=TA_CENTER, spaceAfter=10),
        "h1": s("h1", "hei", 14, 24, spaceBefore=8, spaceAfter=4),
        "h2": s("h2", "hei", 12, 20, spaceBefore=4, spaceAfter=2),
        "body": s("body", "body", 12, 22, firstLineIndent=24, alignment=TA_JUSTIFY),
        "plain": s("plain", "body", 12, 20),
        "note": s("note", "song", 9, 13, alignment=TA_LEFT),
        "cell": s("cell", "song", 9, 12),
        "cell_c": s("cell_c", "song", 9, 12, alignment=TA_CENTER),
        "cell_r": s("cell_r", "song", 9, 12, alignment=TA_RIGHT),
        "head": s("head", "hei", 9, 12, alignment=TA_CENTER),
        "sign": s("sign", "body", 12, 20, alignment=TA_RIGHT),
    }


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(font("song"), 11)
    width, _height = doc.pagesize
    canvas.drawCentredString(width / 2, min(doc.bottomMargin / 2, 14 * MM), f"— {canvas.getPageNumber()} —")
    canvas.restoreState()


def build(flowables: list, meta: Meta, *, landscape: bool = False, prose: bool = True,
          out=None, margins=None) -> bytes:
    """Lay out the flowables on A4 with the furniture; returns the PDF (also written to ``out``,
    a path or file object, when given). ``prose`` chooses GB/T 9704 margins."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as rotate
    from reportlab.platypus import SimpleDocTemplate

    top, left, right, bottom = margins or (GB_MARGINS if prose else TABLE_MARGINS)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=rotate(A4) if landscape else A4, topMargin=top, leftMargin=left, rightMargin=right,
        bottomMargin=bottom, title=meta.title, author=meta.unit, subject=meta.subtitle or meta.title,
        creator="ufdesk", initialFontName=font("song"), initialFontSize=10, initialLeading=12,
    )
    doc.build(list(flowables), onFirstPage=_footer, onLaterPages=_footer)
    data = buf.getvalue()
    if out is not None:
        if hasattr(out, "write"):
            out.write(data)
        else:
            with open(out, "wb") as f:
                f.write(data)
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
    return h - top - bottom - 12


def heading_block(meta: Meta, st: dict, *, unit_line: bool = True) -> list:
    """Title (centred, Song face), the optional subtitle, and the "unit  date" line."""
    from reportlab.platypus import Paragraph

    out = [Paragraph(esc(meta.title), st["title"])]
    if meta.subtitle:
        out.append(Paragraph(esc(meta.subtitle), st["subtitle"]))
    if unit_line:
        out.append(Paragraph(f"填报单位：{esc(meta.unit)}&nbsp;&nbsp;&nbsp;&nbsp;日期：{meta.date_text}", st["meta"]))
    return out


def esc(text) -> str:
    """Text made safe for a reportlab Paragraph (which reads a little XML)."""
    if text is None:
        return ""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
