"""个人信息登记表: one representative on one page, ruled like an official registration form,
with the photo (or a box marked 照片)."""

from __future__ import annotations

import io

from . import page
from .page import MM, cn_date, esc

TITLE = "党外代表人士信息登记表"
MARGINS = (22 * MM, 20 * MM, 20 * MM, 20 * MM)


def meta(d: dict) -> page.Meta:
    return page.Meta(TITLE, d["unit"], d["today"])


def _ym(d) -> str:
    return f"{d.year}.{d.month:02d}" if d else ""


def _photo(content: bytes | None, w: float, h: float):
    """The photo scaled into the box, or None when there is none or it cannot be read."""
    if not content:
        return None
    try:
        from PIL import Image as PILImage
        from reportlab.platypus import Image

        with PILImage.open(io.BytesIO(content)) as im:
            iw, ih = im.size
        k = min(w / iw, h / ih)
        return Image(io.BytesIO(content), iw * k, ih * k)
    except Exception:  # a damaged or unsupported image: print the placeholder instead
        return None


FLOW = (("简\n\n历", "简历", "resume"), ("培训情况", "培训情况", "trainings"), ("挂职情况", "挂职情况", "secondments"),
        ("获得荣誉", "获得荣誉", "honours"), ("备注", "备注", "notes"))
CONT_TITLE = TITLE + "（续页）"
NEXT = "（转续页）"
CELL_LEADING = 14


def _flow_texts(d: dict) -> list[tuple[str, str, str]]:
    """The form's long rows, which may run on to a 续页: (label, short label, text)."""
    lines = lambda xs: "\n".join(xs) or "无"  # noqa: E731
    out = []
    for label, short, key in FLOW:
        v = d.get(key)
        text = lines(v) if isinstance(v, list) else (v or "")
        out.append((label, short, text))
    return out


def _lines(text: str, width: float, fontname: str, size: float) -> list[tuple[str, bool]]:
    """``text`` as the lines it wraps to at ``width``: (line, ends a paragraph)."""
    from .tables import wrap

    out: list[tuple[str, bool]] = []
    for para in text.split("\n"):
        parts = wrap(para, width, fontname, size).split("\n")
        out += [(ln, i == len(parts) - 1) for i, ln in enumerate(parts)]
    return out


def _join(lines: list[tuple[str, bool]]) -> str:
    """Wrapped lines back to text: paragraph ends kept, soft line ends dropped (the reader
    wraps again, at the same width)."""
    return "".join(ln + ("\n" if end else "") for ln, end in lines).rstrip("\n")


def paginate(flow: list[tuple[str, str, list]], fits, min_rows: int = 2) -> list[list[tuple]]:
    """The long rows spread over page 1 and as many 续页 as they need, cut between lines.
    ``flow``: (label, short label, lines); ``fits(page_no, chunk)`` says whether page
    ``page_no`` holds the chunk, a list of (label, lines, continued, cut). Nothing shrinks."""
    pages: list[list[tuple]] = [[]]
    for label, short, lines in flow:
        rest, cont = list(lines), False
        while True:
            here = pages[-1]
            shown = short + "\n（续）" if cont else label
            if fits(len(pages) - 1, [*here, (shown, rest, cont, False)]):
                here.append((shown, rest, cont, False))
                break
            lo, hi = 0, len(rest) - 1  # the most lines that fit here, with the note under them
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if fits(len(pages) - 1, [*here, (shown, rest[:mid], cont, True)]):
                    lo = mid
                else:
                    hi = mid - 1
            ends = [j for j in range(max(lo - 4, 1), lo + 1) if rest[j - 1][1]]
            if ends and ends[-1] >= min_rows:  # cut between two entries when one ends close by
                lo = ends[-1]
            if lo >= min_rows or (not here and lo >= 1):
                here.append((shown, rest[:lo], cont, True))
                rest, cont = rest[lo:], True
            elif not here:  # not even a line fits an empty 续页: print the rest as it is
                here.append((shown, rest, cont, False))
                break
            pages.append([])
    return pages


def flowables(d: dict) -> list:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import KeepInFrame, PageBreak, Paragraph, Spacer, Table

    from .fonts import font

    st = page.styles()
    width = page.frame_width(margins=MARGINS)
    label = st["head"].clone("label", fontSize=10.5, leading=13)
    val = st["cell"].clone("val", fontSize=10.5, leading=CELL_LEADING)
    val_c = st["cell_c"].clone("valc", fontSize=10.5, leading=CELL_LEADING)

    def L(text):
        return Paragraph(page.rich(text, label.fontName).replace("\n", "<br/>"), label)

    def V(text, centre=True):
        return Paragraph(page.rich(text, val.fontName).replace("\n", "<br/>"), val_c if centre else val)

    photo_w = 32 * MM
    rest = (width - photo_w) / 6
    cols = [rest * 0.9, rest * 1.1, rest * 0.9, rest * 1.1, rest * 0.9, rest * 1.1, photo_w]
    photo = _photo(d.get("photo"), 26 * MM, 36 * MM) or Paragraph("照片", val_c)
    yes = lambda b: "是" if b else "否"  # noqa: E731
    lines = lambda xs: "\n".join(xs) or "无"  # noqa: E731
    fixed = [
        [L("姓名"), V(d["name"]), L("性别"), V(d["gender"]), L("出生年月\n（岁）"), V(_ym(d["birth"]) + (f"\n（{d['age']}岁）" if d.get("age") is not None else "")), photo],
        [L("民族"), V(d["ethnicity"]), L("籍贯"), V(d["native_place"]), L("政治面貌"), V(d["party"]), ""],
        [L("加入党派\n时间"), V(_ym(d["party_joined"])), L("学历"), V(d["education"]), L("学位"), V(d["degree"]), ""],
        [L("职称"), V(d["pro_title"]), L("身份证号"), V(d["id_number"]), "", "", ""],
        [L("工作单位\n及职务"), V(" ".join(x for x in (d["employer"], d["position"]) if x), False), "", "", "", "", ""],
        [L("人士类别"), V(d["kinds"], False), "", "", "", "", ""],
        [L("所属乡镇"), V(d["township"]), L("认定时间"), V(_ym(d["recognized_on"])), L("状态"), V(d["status"]), ""],
        [L("手机"), V(d["mobile"]), L("通讯地址"), V(d["address"], False), "", "", ""],
        [L("政治安排"), V(lines(d["arrangements"]), False), "", "", "", "", ""],
        [L("党外干部"), V(yes(d["nonparty_cadre"])), L("职级"), V(d["cadre_rank"]), L("后备干部"), V(yes(d["reserve"])), ""],
        [L("联系领导"), V(d["contact_leader"], False), "", "", "", "", ""],
    ]
    fixed_style = [
        ("ALIGN", (6, 0), (6, 3), "CENTER"),
        ("SPAN", (6, 0), (6, 3)),  # the photo
        ("SPAN", (3, 3), (5, 3)),  # 身份证号
        ("SPAN", (5, 6), (6, 6)),
        ("SPAN", (5, 9), (6, 9)),
        ("SPAN", (3, 7), (6, 7)),
    ] + [("SPAN", (1, r), (6, r)) for r in (4, 5, 8, 10)]
    text_w = sum(cols[1:]) - 12 - 1  # the value cell, less the table's 6-point paddings
    flow = [(lab, short, _lines(text, text_w, val.fontName, val.fontSize)) for lab, short, text in _flow_texts(d)]
    empty_resume = not d["resume"]

    def table(chunk, with_fixed: bool):
        rows = list(fixed) if with_fixed else []
        heights = ([12 * MM] * 4 + [None] * (len(fixed) - 4)) if with_fixed else []
        style = [
            ("FONT", (0, 0), (-1, -1), font("song"), 10.5),  # cells left empty would otherwise name Helvetica
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ] + (fixed_style if with_fixed else [])
        for lab, part, cont, cut in chunk:
            r = len(rows)
            text = _join(part) + (("\n" if part else "") + NEXT if cut else "")
            rows.append([L(lab), V(text, False), "", "", "", "", ""])
            heights.append(60 * MM if lab == FLOW[0][0] and empty_resume else None)  # room to write one in
            style.append(("SPAN", (1, r), (6, r)))
            if lab.startswith("简") or cont or cut:
                style.append(("VALIGN", (1, r), (1, r), "TOP"))
        return Table(rows, colWidths=cols, rowHeights=heights, style=style)

    sign_style = st["note"].clone("sign", fontName=font("body"), fontSize=10.5, leading=16)
    sign = Paragraph(f"填表单位：{esc(d['unit'])}&nbsp;&nbsp;&nbsp;&nbsp;填表日期：{cn_date(d['today'])}", sign_style)
    cont_head = [Paragraph(esc(CONT_TITLE), st["title"]),
                 Paragraph(f"姓名：{page.rich(d['name'], sign_style.fontName)}", sign_style), Spacer(1, 4)]
    first_head = [Paragraph(esc(TITLE), st["title"]), Spacer(1, 6)]
    avail = A4[1] - MARGINS[0] - MARGINS[3] - 2

    def high(fl) -> float:
        return sum(f.wrap(width, avail)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in fl)

    tail = high([Spacer(1, 6), sign])
    room = [avail - high(first_head) - tail, avail - high(cont_head) - tail]

    def fits(n, chunk) -> bool:
        return table(chunk, n == 0).wrap(width, avail)[1] <= room[min(n, 1)]

    pages = paginate(flow, fits)
    out: list = []
    for n, chunk in enumerate(pages):
        body = (first_head if n == 0 else cont_head) + [table(chunk, n == 0)]
        if n == len(pages) - 1:
            body += [Spacer(1, 6), sign]
        if n == 0 and not fits(0, chunk):  # the fixed rows alone overflow (very long 政治安排): fit them
            body = [KeepInFrame(width, avail, body, mode="shrink")]
        if n:
            out.append(PageBreak())
        out += body
    return out


def pdf(d: dict, out=None) -> bytes:
    return page.build(flowables(d), meta(d), margins=MARGINS, out=out)


WORD_WIDTHS = (19, 26, 19, 26, 19, 29, 32)  # mm, the 登记表's seven columns in Word


def word_pages(d: dict) -> list[list[tuple]]:
    """How the Word form spreads the long rows over page 1 and its 续页: the same cut as the
    PDF's, reckoned with Word's row heights (9 mm rows at least, 14-point lines) and some slack,
    so that Word never pushes a row on to a page of its own before the 续页 begins."""
    from .fonts import font
    from .tables import wrap

    pt = MM
    text_w = (sum(WORD_WIDTHS[1:]) - 3.8) * pt - 10  # value cell less Word's cell margins, and a margin of error
    label_w = (WORD_WIDTHS[0] - 3.8) * pt
    song = font("song")
    flow = [(lab, short, _lines(text, text_w, song, 10.5)) for lab, short, text in _flow_texts(d)]
    fixed_h = 4 * 12 * pt + sum(max(9 * pt, n * CELL_LEADING + 2) for n in _fixed_lines(d, song)) + 12
    avail = (297 - MARGINS[0] / MM - MARGINS[3] / MM) * pt - 24  # less a line of slack
    head = [33 + 6, 33 + 18 + 4]  # the title (and on a 续页 the name line)
    tail = 24  # the 填表单位 line

    def row_h(lab, part, cut):
        n = max(len(part) + (1 if cut else 0), 1)
        labels = sum(len(wrap(x, label_w, font("hei"), 10.5).split("\n")) for x in lab.split("\n"))
        h = max(n, labels) * CELL_LEADING + 2
        if lab == FLOW[0][0] and not d["resume"]:
            h = max(h, 60 * pt)
        return max(h, 9 * pt)

    def fits(n, chunk) -> bool:
        used = head[min(n, 1)] + tail + (fixed_h if n == 0 else 0)
        return used + sum(row_h(lab, part, cut) for lab, part, _c, cut in chunk) <= avail

    return paginate(flow, fits)


def _fixed_lines(d: dict, fontname: str) -> list[int]:
    """Lines in the value cells of the rows under the photo (Word's estimate)."""
    from .tables import wrap

    wide = (sum(WORD_WIDTHS[1:]) - 3.8) * MM - 10
    n = lambda text, w=wide: len(wrap(text or "", w, fontname, 10.5).split("\n"))  # noqa: E731
    work = " ".join(x for x in (d["employer"], d["position"]) if x)
    return [max(n(work), 2), n(d["kinds"]), 1, n(d["address"], (sum(WORD_WIDTHS[3:]) - 3.8) * MM - 10),
            max(len(d["arrangements"]) or 1, 1), 1, n(d["contact_leader"])]


def docx(d: dict) -> bytes:
    """The 登记表 as a Word form: the same rows and merged cells, the photo in its box; a long
    简历 (or other long row) continues on a 续页 with the title repeated, as on paper."""
    from docx import Document
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    from . import docx_out

    doc = Document()
    docx_out._section(doc.sections[0], False, False, MARGINS)
    docx_out._page_number_footer(doc.sections[0])
    docx_out._mark_header(doc.sections[0])
    ids = docx_out._styles(doc)
    yes = lambda b: "是" if b else "否"  # noqa: E731
    lines = lambda xs: "\n".join(xs) or "无"  # noqa: E731
    age = f"\n（{d['age']}岁）" if d.get("age") is not None else ""
    fixed = [  # (label, value) pairs per row; a value spans to the photo column when alone
        [("姓名", d["name"]), ("性别", d["gender"]), ("出生年月\n（岁）", _ym(d["birth"]) + age)],
        [("民族", d["ethnicity"]), ("籍贯", d["native_place"]), ("政治面貌", d["party"])],
        [("加入党派\n时间", _ym(d["party_joined"])), ("学历", d["education"]), ("学位", d["degree"])],
        [("职称", d["pro_title"]), ("身份证号", d["id_number"])],
        [("工作单位\n及职务", " ".join(x for x in (d["employer"], d["position"]) if x))],
        [("人士类别", d["kinds"])],
        [("所属乡镇", d["township"]), ("认定时间", _ym(d["recognized_on"])), ("状态", d["status"])],
        [("手机", d["mobile"]), ("通讯地址", d["address"])],
        [("政治安排", lines(d["arrangements"]))],
        [("党外干部", yes(d["nonparty_cadre"])), ("职级", d["cadre_rank"]), ("后备干部", yes(d["reserve"]))],
        [("联系领导", d["contact_leader"])],
    ]
    widths = [Mm(w) for w in WORD_WIDTHS]

    def put(cell, text, style, centre=True, top=False):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP if top else WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        para._p.style = ids[style]
        para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        para.paragraph_format.line_spacing = Pt(CELL_LEADING)
        if centre:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, part in enumerate(str(text or "").split("\n")):
            run = para.add_run()
            if i:
                run.add_break()
            run.add_text(part)

    def form(grid: list, chunk: list, first: bool):
        t = doc.add_table(rows=len(grid) + len(chunk), cols=7)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.style = "Table Grid"
        for row in t.rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for cell, w in zip(row.cells, widths, strict=True):
                cell.width = w
        for r, pairs in enumerate(grid):
            cells = t.rows[r].cells
            last = 5 if r < 4 else 6  # the photo takes the last column of the first four rows
            for i, (label, value) in enumerate(pairs):
                c = 2 * i
                put(cells[c], label, "UF表头")
                end = last if i == len(pairs) - 1 else c + 1
                target = cells[c + 1].merge(cells[end]) if end > c + 1 else cells[c + 1]
                put(target, value, "UF表格", centre=len(pairs) > 1)
            t.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            t.rows[r].height = Mm(12 if r < 4 else 9)
        for k, (label, part, cont, cut) in enumerate(chunk):
            r = len(grid) + k
            cells = t.rows[r].cells
            put(cells[0], label, "UF表头")
            text = _join(part) + (("\n" if part else "") + NEXT if cut else "")
            put(cells[1].merge(cells[6]), text, "UF表格", centre=False, top=label.startswith("简") or cont or cut)
            t.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            t.rows[r].height = Mm(60 if label == FLOW[0][0] and not d["resume"] else 9)
        if first:
            photo = t.cell(0, 6).merge(t.cell(3, 6))
            photo.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            para = photo.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            content = d.get("photo")
            try:
                if not content:
                    raise ValueError
                para.add_run().add_picture(io.BytesIO(content), width=Mm(26))
            except Exception:  # no photo, or one Word cannot read: the box says 照片
                para._p.style = ids["UF表格"]
                para.add_run("照片")

    pages = word_pages(d)
    for n, chunk in enumerate(pages):
        p = doc.add_paragraph(TITLE if n == 0 else CONT_TITLE)
        p._p.style = ids["UF表页标题"]
        if n:
            p.paragraph_format.page_break_before = True
            who = doc.add_paragraph(f"姓名：{d['name']}")
            who._p.style = ids["UF表页单位日期"]
            who.alignment = WD_ALIGN_PARAGRAPH.LEFT
        form(fixed if n == 0 else [], chunk, n == 0)
    sign = doc.add_paragraph(f"填表单位：{d['unit']}    填表日期：{cn_date(d['today'])}")
    sign._p.style = ids["UF表页单位日期"]
    sign.paragraph_format.space_before = Pt(6)
    sign.alignment = WD_ALIGN_PARAGRAPH.LEFT
    doc.core_properties.title = TITLE
    doc.core_properties.author = d["unit"]
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
