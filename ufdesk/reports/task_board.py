"""《重点任务推进表》: the year's tasks as at a month's last day — 序号, 任务内容, 牵头领导, 责任单位,
完成时限, 本月进展, 状态 — one table per 类别, landscape, late (滞后) rows in 黑体; and the
乡镇统战工作考核评价表 with the counts behind each figure. New templates of their own, laid
out by the shared blocks (``reports.blocks``)."""

from __future__ import annotations

import datetime as dt

from . import blocks as B
from .page import Meta, cn_date, dot_date, unit_name

CN_NUM = "一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return CN_NUM[n - 1]
    return ("" if n < 20 else CN_NUM[n // 10 - 1]) + "十" + (CN_NUM[n % 10 - 1] if n % 10 else "")


def default_month(year: int, today: dt.date | None = None) -> str:
    """The month a 推进表 of ``year`` reports on by default: last month for the running year
    (its first month in January), December for a past year."""
    today = today or dt.date.today()
    if year < today.year:
        return f"{year}-12"
    if year > today.year or today.month == 1:
        return f"{year}-01"
    return f"{year}-{today.month - 1:02d}"


# -- 重点任务推进表 ----------------------------------------------------------------------------------
TASKS_TITLE = "重点任务推进表"


def tasks_data(svc, year: int, month: str | None) -> dict:
    from ..services import tasks as T
    from ..services.stats import month_range

    store = svc.store
    month = month or default_month(year)
    start, end = month_range(month)
    if start.year != year:
        from ..domain.errors import UfError

        raise UfError(f"月份 {month} 不在 {year} 年度内。")
    codes = store.codebook()
    units, cats, status_names = codes["task_unit"], codes["task_category"], T.STATE_LABELS
    rows = T.load(store, year)
    figures = T.month_figures(store, month, tasks=rows)
    groups: dict[str, list[dict]] = {}
    top_cat: dict[str, str] = {}
    for r in rows:
        cat = r.get("category") if r["depth"] == 0 else top_cat.get(r.get("parent_task"), r.get("category"))
        top_cat[r["uuid"]] = cat
        state = T.state_on(r, end)
        p = T.progress_in(r, month)
        groups.setdefault(cat or "", []).append({
            "seq": r.get("seq") or "", "depth": r["depth"], "content": r["content"], "leader": r.get("leader") or "",
            "unit": units.name_of(r.get("unit")), "deadline": r["deadline"], "state": state,
            "status": status_names[state] + (f"\n{dot_date(r['done_on'])}" if state == "done" and r.get("done_on") else ""),
            "progress": p["progress"] if p else ("" if not T.expects_progress(r, start, end) else "（本月未填报）"),
            "late": state == "late",
        })
    order = [c.code for c in cats] + [k for k in groups if k not in {c.code for c in cats}]
    return {"unit": unit_name(store), "today": dt.date.today(), "year": year, "month": month, "as_of": end,
            "groups": [(cats.name_of(k) if k else "其他", groups[k]) for k in order if k in groups],
            "figures": figures}


def tasks_meta(d: dict) -> Meta:
    y, m = d["month"].split("-")
    return Meta(f"{d['year']}年{TASKS_TITLE}", d["unit"], d["today"], f"（截至{int(y)}年{int(m)}月底）")


def tasks_blocks(d: dict) -> list:
    f = d["figures"]
    silent = "；".join(f"{x['unit']}{x['count']}项" for x in f["not_reported"]) or "无"
    out = [B.P(f"{d['year']}年度共{f['total']}项重点任务，截至{cn_date(d['as_of'])}：已完成{f['done']}项，"
               f"推进中{f['in_progress']}项，滞后{f['late_count']}项（以黑体标出），取消{f['cancelled']}项。"
               f"本月未填报进展：{silent}。")]
    for n, (cat, rows) in enumerate(d["groups"], 1):
        out.append(B.H2(f"{_cn(n)}、{cat}"))
        table = [[r["seq"], "　" * r["depth"] + r["content"], r["leader"], r["unit"], dot_date(r["deadline"]),
                  r["progress"], r["status"]] for r in rows]
        out.append(B.Table(["序号", "任务内容", "牵头领导", "责任单位", "完成时限", "本月进展", "状态"], table,
                           [1.4, 9, 3.2, 3.4, 2.4, 9, 2], "CLCCCLC", marks={i for i, r in enumerate(rows) if r["late"]}))
    if not d["groups"]:
        out.append(B.P(f"{d['year']}年度还没有重点任务。"))
    return out


# -- 乡镇统战工作考核评价表 -----------------------------------------------------------------------------
EVALUATION_TITLE = "乡镇统战工作考核评价表"
# What each rule counts, for the "18/21村" under each figure.
COUNT_UNITS = {"reporting": "月", "committee": "", "liaison_coverage": "村", "activities": "次",
               "issues_on_time": "个", "tasks_on_time": "项", "rep_completeness": "人", "proposals_on_time": "件"}


def evaluation_data(svc, year: int, quarter: int | None) -> dict:
    from ..services.evaluation import RULES, evaluate

    res = evaluate(svc, year, quarter)
    return {"unit": unit_name(svc.store), "today": dt.date.today(), "period": res.period.label,
            "as_of": res.period.as_of, "townships": res.townships,
            "rubric": [(i.key, i.label, i.rule, i.points, RULES[i.rule].sentence) for i in res.rubric]}


def evaluation_meta(d: dict) -> Meta:
    return Meta(EVALUATION_TITLE, d["unit"], d["today"], f"（{d['period']}，截至{cn_date(d['as_of'])}）")


def _figure(i: dict, rule: str) -> str:
    if i["denominator"] == 0:
        return f"{i['points']:g}\n（无此项）"
    return f"{i['points']:g}\n{i['numerator']}/{i['denominator']}{COUNT_UNITS.get(rule, '')}"


def evaluation_blocks(d: dict) -> list:
    rules = {k: r for k, _l, r, _p, _s in d["rubric"]}
    header = ["名次", "乡镇（街道）", *[f"{label}\n（{points:g}分）" for _k, label, _r, points, _s in d["rubric"]],
              "加减分", "总分"]
    rows = []
    for t in sorted(d["townships"], key=lambda t: (t["rank"], t["code"])):
        adj = sum(a["points"] for a in t["adjustments"])
        rows.append([t["rank"], t["name"], *[_figure(i, rules[i["key"]]) for i in t["indicators"]],
                     f"{adj:+g}" if adj else "", f"{t['total']:g}"])
    n = len(d["rubric"])
    adjustments = [[t["name"], f"{a['points']:+g}", a["reason"]] for t in d["townships"] for a in t["adjustments"]]
    return [
        B.P(f"按{d['period']}考核细则，依据各乡镇（街道）台账数据自动计算；每项得分下方为计算依据"
            f"（如“18/21村”即21个村（社区）中18个配有联络员）。总分相同者名次并列。"),
        B.H1("一、考核得分"),
        B.Table(header, rows, [1.2, 3, *([2.2] * n), 1.6, 1.6], "CL" + "C" * (n + 2)),
        B.H1("二、加分和扣分"),
        B.Table(["乡镇（街道）", "分值", "理由"], adjustments, [4, 2, 16], "LCL", empty="本期没有加分或扣分。"),
        B.H1("三、考核指标及计分办法"),
        B.Table(["指标", "分值", "计分办法"], [[label, f"{points:g}", s] for _k, label, _r, points, s in d["rubric"]],
                [4, 1.6, 18], "LCL"),
        B.P("得分 = 分值 × 完成比例（超过目标按满分计）；没有可计之项（如没有到期的整改问题）的按满分计。"),
    ]
