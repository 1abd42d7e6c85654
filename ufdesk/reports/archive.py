"""The archive of issued (定稿) reports: a month's summary as it was issued, kept byte for byte.

Issuing stores the PDF, the Word file and the figures themselves as the next edition (第1版,
第2版 …). Late data is normal: once issued, printing that month gives the newest edition as
issued, unless ``fresh`` asks for today's figures. Editions stay with this installation (the
table is no record table: packages never carry it) and a purge keeps them as official
records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import sqlalchemy as sa

from ..domain.errors import NotFound, UfError
from ..store.schema import issued_reports as T

ISSUABLE = ("monthly",)


def monthly_figures(d: dict) -> dict[str, object]:
    """The figures of a monthly summary, by the label the page gives them (what two editions
    are compared by)."""
    a, p, s, cov = d["activities"], d["proposals"], d["sites"], d["coverage"]
    return {
        "活动次数": a["count"], "参加人次": a["headcount"], "捐资(万元)": a["funds"],
        "新认定人数": len(d["reps_added"]), "退出人数": len(d["reps_left"]), "月末在册": d["reps_present"],
        "提交提案建议": p["submitted"], "答复": p["replied"], "办结": p["closed"], "超期未办结": len(p["overdue"]),
        "检查场所处次": s["inspections"], "发现问题": s["found"], "销号": s["closed"], "整改中的问题": s["open"],
        "其中逾期": s["open_overdue"], "干部新任": len(d["cadres_appointed"]), "干部离任": len(d["cadres_left"]),
        "缺统战委员的乡镇": len(cov["townships_without_committee"]),
        "缺联络员的村(社区)": len(cov["villages_without_liaison"]),
        "已报送的乡镇": sum(1 for r in d["reporting"] if r["reported"]),
    }


def _named(d: dict) -> list[str]:
    return sorted({r["uuid"] for key in ("reps_added", "reps_left", "cadres_appointed", "cadres_left")
                   for r in d.get(key, []) if r.get("uuid")})


def editions(store, report: str | None = None, period: str | None = None) -> list[dict]:
    """Issued editions (without their files), oldest first."""
    cols = [T.c.id, T.c.report, T.c.period, T.c.edition, T.c.issued_at, T.c.issued_by, T.c.sha256, T.c.figures,
            T.c.named, (T.c.pdf.is_not(None)).label("has_pdf"), (T.c.docx.is_not(None)).label("has_docx")]
    q = sa.select(*cols).order_by(T.c.report, T.c.period, T.c.edition)
    if report:
        q = q.where(T.c.report == report)
    if period:
        q = q.where(T.c.period == period)
    with store.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    for r in rows:
        r["figures"] = json.loads(r["figures"]) if r["figures"] else {}
        r["named"] = json.loads(r["named"]) if r["named"] else []
        r["formats"] = [f for f in ("pdf", "docx") if r.pop(f"has_{f}")]
    return rows


def listing(store) -> list[dict]:
    """``ufdesk report archive --json``: one object per edition."""
    return [{"report": r["report"], "month": r["period"], "edition": r["edition"],
             "issued_at": r["issued_at"].isoformat(sep=" "), "issued_by": r["issued_by"], "sha256": r["sha256"],
             "formats": r["formats"]} for r in editions(store)]


def content(store, report: str, period: str, fmt: str, edition: int | None = None) -> tuple[bytes, dict] | None:
    """The file of an issued edition (the newest when ``edition`` is None); None: never issued."""
    q = sa.select(T).where(T.c.report == report, T.c.period == period)
    q = q.where(T.c.edition == edition) if edition else q.order_by(T.c.edition.desc()).limit(1)
    with store.connect() as conn:
        row = conn.execute(q).mappings().first()
    if row is None:
        if edition:
            raise NotFound(f"{period}没有第{edition}版定稿。" + _which(store, report, period))
        return None
    data = row[fmt]
    if data is None:
        raise UfError(f"{period}第{row['edition']}版定稿没有 .{fmt} 文件。")
    return data, dict(row)


def issued_file(svc, report: str, params: dict, fmt: str = "pdf", edition: int | None = None) -> tuple[bytes, dict] | None:
    """What printing ``report`` for ``params`` gives when its period has been issued: the newest
    (or the ``edition``) issued file and its edition row; None when it was never issued (or the
    report is not one that is issued) — then it is made fresh."""
    if report not in ISSUABLE:
        return None
    from .data import resolve_month

    svc.require("reports")
    return content(svc.store, report, resolve_month(params.get("month")), fmt, edition)


def _which(store, report, period) -> str:
    eds = [e["edition"] for e in editions(store, report, period)]
    return ("已有：" + "、".join(f"第{n}版" for n in eds) + "。") if eds else "这个月还没有定稿。"


def issue(svc, report: str, params: dict, *, at: dt.datetime | None = None) -> dict:
    """Issue (定稿) a report: its PDF, Word file and figures kept as the next edition; audited.
    Editors and administrators only. Returns the edition with ``changed`` = [(label, old, new)]
    against the previous edition."""
    from ..services import audit
    from . import gather, lay_out, template

    t = template(report)
    if t.name not in ISSUABLE:
        raise UfError(f"只有月度汇总可以定稿，{t.label}不能定稿。")
    svc.require("reports")
    svc.require("edit")
    if svc.store.readonly:
        raise UfError("数据库以只读方式打开，不能定稿。")
    d = gather(svc, t.name, params)
    pdf = lay_out(t.name, d, params, "pdf")
    docx = lay_out(t.name, d, params, "docx")
    figures = monthly_figures(d)
    period = d["month"]
    previous = editions(svc.store, t.name, period)
    edition = (previous[-1]["edition"] if previous else 0) + 1
    sha = hashlib.sha256(pdf).hexdigest()
    with svc.store.write(svc.user) as (conn, ctx):
        when = at or ctx.now
        conn.execute(sa.insert(T).values(report=t.name, period=period, edition=edition, issued_at=when,
                                         issued_by=svc.user, pdf=pdf, docx=docx, sha256=sha,
                                         figures=json.dumps(figures, ensure_ascii=False),
                                         named=json.dumps(_named(d))))
        audit.write(conn, user=svc.user, installation=ctx.installation, action="report_issue",
                    summary=f"定稿：{t.label}（{period}）第{edition}版", at=when)
    old = previous[-1]["figures"] if previous else {}
    changed = [(k, old.get(k), v) for k, v in figures.items() if previous and old.get(k) != v]
    return {"report": t.name, "period": period, "edition": edition, "issued_at": when, "sha256": sha,
            "figures": figures, "changed": changed}


def naming(store, uuids) -> int:
    """How many issued editions name any of these people."""
    wanted = set(uuids)
    return sum(1 for e in editions(store) if wanted.intersection(e["named"]))
