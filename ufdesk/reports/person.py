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


def flowables(d: dict) -> list:
    from reportlab.lib import colors
    from reportlab.platypus import KeepInFrame, Paragraph, Spacer, Table

    from .fonts import font

    st = page.styles()
    width = page.frame_width(margins=MARGINS)
    label = st["head"].clone("label", fontSize=10.5, leading=13)
    val = st["cell"].clone("val", fontSize=10.5, leading=14)
    val_c = st["cell_c"].clone("valc", fontSize=10.5, leading=14)

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
    rows = [
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
        [L("简\n\n历"), V(d["resume"] or "", False), "", "", "", "", ""],
        [L("培训情况"), V(lines(d["trainings"]), False), "", "", "", "", ""],
        [L("挂职情况"), V(lines(d["secondments"]), False), "", "", "", "", ""],
        [L("获得荣誉"), V(lines(d["honours"]), False), "", "", "", "", ""],
        [L("备注"), V(d["notes"], False), "", "", "", "", ""],
    ]
    heights = [12 * MM] * 4 + [None] * (len(rows) - 4)
    if not d["resume"]:
        heights[11] = 60 * MM  # room to write one in
    style = [
        ("FONT", (0, 0), (-1, -1), font("song"), 10.5),  # cells left empty would otherwise name Helvetica
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (6, 0), (6, 3), "CENTER"),
        ("SPAN", (6, 0), (6, 3)),  # the photo
        ("SPAN", (3, 3), (5, 3)),  # 身份证号
        ("SPAN", (5, 6), (6, 6)),
        ("SPAN", (5, 9), (6, 9)),
        ("SPAN", (3, 7), (6, 7)),
    ]
    for r in (4, 5, 8, 10, 11, 12, 13, 14, 15):
        style.append(("SPAN", (1, r), (6, r)))
    style.append(("VALIGN", (1, 11), (1, 11), "TOP"))
    table = Table(rows, colWidths=cols, rowHeights=heights, style=style)
    sign = Paragraph(f"填表单位：{esc(d['unit'])}&nbsp;&nbsp;&nbsp;&nbsp;填表日期：{cn_date(d['today'])}",
                     st["note"].clone("sign", fontName=font("body"), fontSize=10.5, leading=16))
    body = [Paragraph(esc(TITLE), st["title"]), Spacer(1, 6), table, Spacer(1, 6), sign]
    from reportlab.lib.pagesizes import A4

    return [KeepInFrame(width, A4[1] - MARGINS[0] - MARGINS[3] - 2, body, mode="shrink")]


def pdf(d: dict, out=None) -> bytes:
    return page.build(flowables(d), meta(d), margins=MARGINS, out=out)


def docx(d: dict) -> bytes:
    """The 登记表 as a Word form: the same rows and merged cells, the photo in its box."""
    from docx import Document
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    from . import docx_out

    doc = Document()
    docx_out._section(doc.sections[0], False, False, MARGINS)
    docx_out._page_number_footer(doc.sections[0])
    docx_out._mark_header(doc.sections[0])
    ids = docx_out._styles(doc)
    p = doc.add_paragraph(TITLE)
    p._p.style = ids["UF表页标题"]
    yes = lambda b: "是" if b else "否"  # noqa: E731
    lines = lambda xs: "\n".join(xs) or "无"  # noqa: E731
    age = f"\n（{d['age']}岁）" if d.get("age") is not None else ""
    grid = [  # (label, value) pairs per row; a value spans to the photo column when alone
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
        [("简历", d["resume"] or "")],
        [("培训情况", lines(d["trainings"]))],
        [("挂职情况", lines(d["secondments"]))],
        [("获得荣誉", lines(d["honours"]))],
        [("备注", d["notes"])],
    ]
    t = doc.add_table(rows=len(grid), cols=7)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.style = "Table Grid"
    widths = [Mm(w) for w in (19, 26, 19, 26, 19, 29, 32)]
    for row in t.rows:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w

    def put(cell, text, style, centre=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = cell.paragraphs[0]
        para._p.style = ids[style]
        if centre:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, part in enumerate(str(text or "").split("\n")):
            run = para.add_run()
            if i:
                run.add_break()
            run.add_text(part)

    for r, pairs in enumerate(grid):
        cells = t.rows[r].cells
        last = 5 if r < 4 else 6  # the photo takes the last column of the first four rows
        for i, (label, value) in enumerate(pairs):
            c = 2 * i
            put(cells[c], label, "UF表头")
            end = last if i == len(pairs) - 1 else c + 1
            target = cells[c + 1].merge(cells[end]) if end > c + 1 else cells[c + 1]
            put(target, value, "UF表格", centre=len(pairs) > 1)
        if r >= 4:
            t.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
            t.rows[r].height = Mm(9 if r != 11 else (60 if not d["resume"] else 9))
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
    for r in range(4):
        t.rows[r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        t.rows[r].height = Mm(12)
    sign = doc.add_paragraph(f"填表单位：{d['unit']}    填表日期：{cn_date(d['today'])}")
    sign._p.style = ids["UF表页单位日期"]
    sign.paragraph_format.space_before = Pt(6)
    sign.alignment = WD_ALIGN_PARAGRAPH.LEFT
    doc.core_properties.title = TITLE
    doc.core_properties.author = d["unit"]
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
