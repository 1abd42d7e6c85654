"""党外代表人士花名册: landscape, the header row repeated on every page, 按姓氏笔画 or 按排序号."""

from __future__ import annotations

from . import page, tables

TITLE = "党外代表人士花名册"
COLUMNS = (  # (header, key, relative width, alignment)
    ("序号", None, 3, "C"), ("姓名", "name", 5, "C"), ("性别", "gender", 2.6, "C"), ("民族", "ethnicity", 4, "C"),
    ("出生\n年月", "birth", 4.6, "C"), ("政治面貌", "party", 8.2, "C"), ("学历", "education", 8.4, "C"),
    ("工作单位及职务", "work", 14.5, "L"), ("人士类别", "kinds", 11, "L"), ("所属乡镇", "township", 5.6, "C"),
    ("身份证号", "id_number", 10.8, "C"), ("手机", "mobile", 7.2, "C"),
)
# The default: what fits a landscape page at 五号 with no row wrapped (26 people a page after the
# first); 人士类别 (up to 40 characters), 身份证号 and 手机 are printed when asked for (--columns),
# personal data being kept off paper unless needed.
DEFAULT = ("序号", "姓名", "性别", "民族", "出生年月", "政治面貌", "学历", "工作单位及职务", "所属乡镇")
MARGINS = (15 * page.MM, 15 * page.MM, 15 * page.MM, 18 * page.MM)  # top, left, right, bottom
LEADING = 1.22  # 五号 lines, close as a roster's rows are


def label(col) -> str:
    return col[0].replace("\n", "")


def columns(names: list[str] | tuple[str, ...] | None = None) -> tuple:
    """The chosen columns (by their labels: 姓名, 出生年月 …), 序号 always first."""
    from ..domain.errors import UfError

    names = [n.strip() for n in (names or DEFAULT) if n and n.strip()]
    by_label = {label(c): c for c in COLUMNS}
    unknown = [n for n in names if n not in by_label]
    if unknown:
        raise UfError(f"花名册没有“{'、'.join(unknown)}”这一列。可选：" + "、".join(by_label))
    chosen = [by_label[n] for n in names if n != "序号"]
    return (COLUMNS[0], *chosen)


def meta(d: dict) -> page.Meta:
    parts = [d["township"]]
    if d["kind"]:
        parts.append(d["kind"])
    parts.append("按排序号排列" if d["order"] == "sort_no" else "按姓氏笔画排列")
    if d.get("as_of"):
        parts.append(f"截至{d['as_of'].year}年{d['as_of'].month}月{d['as_of'].day}日")
    parts.append(f"共{len(d['rows'])}人")
    return page.Meta(TITLE, d["unit"], d["today"], "（" + "，".join(parts) + "）")


def flowables(d: dict) -> list:
    from reportlab.platypus import Paragraph

    st = page.styles()
    m = meta(d)
    cols = columns(d.get("columns"))
    width = page.frame_width(landscape=True, margins=MARGINS)
    out = page.heading_block(m, st)
    used = sum(f.wrap(width, 1000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in out)
    if not d["rows"]:
        return out + [Paragraph("没有符合条件的代表人士。", st["body"])]
    rows = [[i] + [r[key] for _h, key, _w, _a in cols[1:]] for i, r in enumerate(d["rows"], 1)]
    header = [h for h, _k, _w, _a in cols]
    widths = tables.unwrapped([w for _h, _k, w, _a in cols], width, header, rows, tables.measure_pdf(), tables.PAD)
    free = page.frame_height(landscape=True, margins=MARGINS) - 2  # a little slack against rounding
    out += tables.paged(header, rows, widths, first=free - used, later=free, leading=page.CELL_PT * LEADING,
                        align="".join(a for *_x, a in cols))
    shown = {k for _h, k, _w, _a in cols}
    if not d["full_ids"] and shown & {"id_number", "mobile"}:
        out.append(Paragraph("注：身份证号、手机号码已隐去部分数字。", st["note"]))
    return out


def pdf(d: dict, out=None) -> bytes:
    return page.build(flowables(d), meta(d), landscape=True, prose=False, out=out, margins=MARGINS)


def docx(d: dict) -> bytes:
    """The roster as a Word table: landscape, the header row repeated on every page."""
    import io

    from . import blocks as B

    cols = columns(d.get("columns"))
    rows = [[i] + [r[key] for _h, key, _w, _a in cols[1:]] for i, r in enumerate(d["rows"], 1)]
    bl: list = [B.Table([h for h, _k, _w, _a in cols], rows, [w for _h, _k, w, _a in cols],
                        "".join(a for *_x, a in cols), empty="没有符合条件的代表人士。")]
    if d["rows"] and not d["full_ids"] and {k for _h, k, _w, _a in cols} & {"id_number", "mobile"}:
        bl.append(B.P("注：身份证号、手机号码已隐去部分数字。", indent=False))
    buf = io.BytesIO()
    B.to_docx(bl, meta(d), buf, landscape=True, prose=False, table_margins=MARGINS)
    return buf.getvalue()
