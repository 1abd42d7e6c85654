"""Printed reports: ten templates built from plain data the services return.

``build(services, name, params, fmt)`` is a generator yielding ``(done, total, message)`` and
returning the file's bytes (PDF, or Word for any of them); ``render`` runs it to the
end. Parameters: month ("YYYY-MM"), year, township (code or name), kind (code or name),
id (a representative's UUID or name), summary (本月工作小结), order ("stroke"/"sort_no"),
date ("YYYY-MM-DD": the day the figures describe, default today).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from ..domain.errors import UfError


@dataclass(frozen=True)
class Template:
    name: str
    label: str
    params: tuple[str, ...]  # which parameters it uses; the others are ignored
    formats: tuple[str, ...] = ("pdf", "docx")


TEMPLATES: dict[str, Template] = {t.name: t for t in (
    Template("monthly", "统战工作月度汇总", ("month", "summary")),
    Template("roster", "党外代表人士花名册", ("township", "kind", "order", "columns", "date")),
    Template("structure", "党外代表人士结构分析", ("township", "date")),
    Template("person", "党外代表人士信息登记表", ("id",)),
    Template("sites", "宗教活动场所基本情况表", ("township", "date")),
    Template("proposals", "提案建议办理情况统计表", ("year", "date")),
    Template("cadres", "统战干部配备情况表", ("date",)),
    Template("chambers", "商会社团一览表", ("township",)),
    Template("tasks", "重点任务推进表", ("year", "month")),
    Template("evaluation", "乡镇统战工作考核评价表", ("year", "quarter")),
)}


def template(name: str) -> Template:
    t = TEMPLATES.get(name) or next((t for t in TEMPLATES.values() if t.label == name), None)
    if t is None:
        raise UfError(f"没有名为“{name}”的报表。可用：" + "、".join(f"{t.name}（{t.label}）" for t in TEMPLATES.values()))
    return t


def gather(svc, name: str, params: dict):
    """The template's plain data (dicts and lists) — the only step that reads the database."""
    from . import data as D

    store = svc.store
    p = params or {}
    on = D.resolve_date(p.get("date"))
    if name == "monthly":
        return D.monthly(svc, D.resolve_month(p.get("month")))
    if name == "roster":
        return D.roster(svc, D.resolve_township(store, p.get("township")), D.resolve_kind(store, p.get("kind")),
                        p.get("order") or "stroke", on=on)
    if name == "structure":
        return D.structure(svc, D.resolve_township(store, p.get("township")), on=on)
    if name == "person":
        return D.person(svc, p.get("id") or "")
    if name == "sites":
        return D.sites(svc, D.resolve_township(store, p.get("township")), on=on)
    if name == "proposals":
        return D.proposals(svc, D.resolve_year(p.get("year") or (on.year if on else None)), on=on)
    if name == "cadres":
        return D.cadres(svc, on=on)
    if name == "chambers":
        return D.chambers(svc, D.resolve_township(store, p.get("township")))
    if name in ("tasks", "evaluation"):
        from . import task_board

        year = D.resolve_year(p.get("year"))
        if name == "tasks":
            return task_board.tasks_data(svc, year, D.resolve_month(p["month"]) if p.get("month") else None)
        return task_board.evaluation_data(svc, year, _quarter(p.get("quarter")))
    raise UfError(f"没有名为“{name}”的报表")


def _quarter(text) -> int | None:
    if text in (None, ""):
        return None
    s = str(text).strip().removeprefix("第").removesuffix("季度").removeprefix("Q").removeprefix("q")
    q = {"一": 1, "二": 2, "三": 3, "四": 4}.get(s, s)
    if str(q) not in ("1", "2", "3", "4"):
        raise UfError(f"季度“{text}”不对，应为 1、2、3 或 4。")
    return int(q)


def lay_out(name: str, d, params: dict | None = None, fmt: str = "pdf") -> bytes:
    """Plain data → the file's bytes (PDF, or Word for ``fmt="docx"``). No database access here."""
    import io

    from . import blocks, lists, monthly, person, roster, structure

    p = params or {}
    docx = fmt == "docx"
    if name == "roster":
        return roster.docx(d) if docx else roster.pdf(d)
    if name == "person":
        return person.docx(d) if docx else person.pdf(d)
    if name == "monthly":
        bl, meta, kw = monthly.make(d, p.get("summary") or ""), monthly.meta(d), {}
    elif name == "structure":
        bl, meta, kw = structure.make(d), structure.meta(d), {"prose": False}
    elif name in ("tasks", "evaluation"):
        from . import task_board

        bl, meta = getattr(task_board, f"{name}_blocks")(d), getattr(task_board, f"{name}_meta")(d)
        kw = {"landscape": True, "prose": False}
    else:
        make, meta_of = getattr(lists, name), getattr(lists, f"{name}_meta")
        bl, meta = make(d), meta_of(d)
        kw = {"landscape": name in ("sites", "cadres", "chambers"), "prose": False}
    if docx:
        buf = io.BytesIO()
        blocks.to_docx(bl, meta, buf, **kw)
        return buf.getvalue()
    return blocks.to_pdf(bl, meta, **kw)


def build(svc, name: str, params: dict | None = None, fmt: str = "pdf") -> Generator[tuple[int, int, str], None, bytes]:
    """Make a report: yields progress, returns the bytes of the PDF (or .docx)."""
    t = template(name)
    if fmt not in t.formats:
        raise UfError(f"{t.label}只能保存为 " + "、".join(f".{f}" for f in t.formats) + " 文件。")
    svc.require("reports")
    yield 0, 3, f"正在汇总{t.label}的数据…"
    p = params or {}
    if p.get("full_ids"):  # full numbers on paper: only for someone allowed to see them, and audited
        svc.require("view_full_ids")
    d = gather(svc, t.name, p)
    if isinstance(d, dict):
        if t.name == "roster":
            d["columns"] = _columns(p.get("columns"))
        if d.get("full_ids") and not p.get("full_ids"):
            _mask_numbers(d)  # masked unless asked for — also when no users are set up
            d["full_ids"] = False
        d["mark"] = p.get("mark") or ""
    yield 1, 3, f"正在排版{t.label}…"
    from .fonts import take_missing

    take_missing()
    from .page import MARK

    token = MARK.set(d.get("mark", "") if isinstance(d, dict) and t.name in SHOWS_NUMBERS else "")
    try:
        content = lay_out(t.name, d, params, fmt)
    finally:
        MARK.reset(token)
    missing = take_missing() if fmt == "pdf" else []
    if missing:  # printed as an empty box: say which, so the clerk can write them in by hand
        yield 2, 3, (f"警告：本机字体和程序附带的字体都没有“{'、'.join(missing)}”"
                     f"（{'、'.join(f'U+{ord(c):04X}' for c in missing)}），PDF 中这些字显示为空框。")
    if t.name in SHOWS_NUMBERS and d.get("full_ids"):
        _audit_full(svc, t, d)
    yield 3, 3, "完成"
    return content


NUMBER_FIELDS = {"id_number": "idcard", "mobile": "mobile", "phone": "phone"}


def _mask_numbers(d) -> None:
    """Mask every ID, mobile and phone number in the report's data, in place."""
    from ..services.audit import mask

    if isinstance(d, dict):
        for k, v in d.items():
            if k in NUMBER_FIELDS and isinstance(v, str):
                d[k] = mask(v, NUMBER_FIELDS[k])
            elif isinstance(v, (dict, list)):
                _mask_numbers(v)
    elif isinstance(d, list):
        for x in d:
            if isinstance(x, (dict, list)):  # a 2,000-row roster: no call per plain value
                _mask_numbers(x)


def _columns(text) -> tuple[str, ...] | None:
    from .roster import columns, label

    if not text:
        return None
    names = [n for n in (text.split(",") if isinstance(text, str) else text)]
    names = [n.strip() for part in names for n in part.replace("，", ",").split(",")]
    return tuple(label(c) for c in columns(names))


# Reports that print ID or phone numbers in full for a user allowed to see them (view_full_ids).
SHOWS_NUMBERS = ("roster", "person", "sites")


def _audit_full(svc, t: Template, d: dict) -> None:
    """A paper with full ID and phone numbers leaves the program: the audit log says who made it
    (as exporting a spreadsheet with full numbers does). Not on a read-only database."""
    if svc.store.readonly:
        return
    from ..services import audit

    what = d.get("name") or (f"{len(d['rows'])}人" if "rows" in d else f"{len(d.get('sites', []))}处")
    with svc.store.write(svc.user) as (conn, ctx):
        audit.write(conn, user=svc.user, installation=ctx.installation, action="report_full_ids",
                    summary=f"生成含完整身份证号、电话的报表：{t.label}（{what}）", at=ctx.now)


def render(svc, name: str, params: dict | None = None, fmt: str = "pdf") -> bytes:
    gen = build(svc, name, params, fmt)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value
