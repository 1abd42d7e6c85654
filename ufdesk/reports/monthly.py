"""月度工作汇总: the month's work for the county leadership, as blocks that become a PDF or an
editable Word file with the same sections."""

from __future__ import annotations

from . import blocks as B
from .page import Meta, cn_date, dot_date

TITLE = "统战工作月度汇总"
NUMS = "一二三四五六七八九十"


def meta(d: dict) -> Meta:
    s = d["start"]
    return Meta(TITLE, d["unit"], d["today"], f"（{s.year}年{s.month}月）")


def make(d: dict, summary: str = "") -> list:
    sections = [_overview, _activities, _reps, _proposals, _sites, _cadres, _reporting, _tasks]
    out: list = []
    for i, section in enumerate(sections):
        title, body = section(d)
        out.append(B.H1(f"{NUMS[i]}、{title}"))
        out.extend(body)
        if i == 0:
            out.append(B.Turn())  # the first page is prose (总体情况); the tables follow
    out.append(B.H1(f"{NUMS[len(sections)]}、本月工作小结"))
    if summary.strip():
        out.extend(B.P(p.strip()) for p in summary.strip().splitlines() if p.strip())
    else:
        out.append(B.Blank(5))
    out.append(B.Signature(d["unit"], cn_date(d["today"])))
    return out


def _tasks(d: dict):
    """重点任务 as at the month's end: done, in progress, late (with 责任单位), 未填报进展."""
    f = d["tasks"]
    if not f["total"]:
        return "重点任务推进情况", [B.P(f"{f['year']}年度尚未录入重点任务。")]
    body = [B.P(f"{f['year']}年度共{f['total']}项重点任务，截至{cn_date(f['as_of'])}：已完成{f['done']}项，"
                f"推进中{f['in_progress']}项，滞后{f['late_count']}项，取消{f['cancelled']}项。")]
    body.append(B.Table(["序号", "滞后的任务", "责任单位", "完成时限", "已超期"],
                        [[x["seq"], x["content"], x["unit"], dot_date(x["deadline"]), f"{x['days']}天"] for x in f["late"]],
                        [1.4, 9, 3.6, 2.6, 2], "CLCCC", empty="没有滞后的任务。"))
    body.append(B.Table(["责任单位", "本月未填报进展的任务"], [[x["unit"], f"{x['count']}项"] for x in f["not_reported"]],
                        [6, 4], "LC", empty="各责任单位本月均已填报进展。"))
    return "重点任务推进情况", body


def _overview(d: dict):
    a, p, s, cov = d["activities"], d["proposals"], d["sites"], d["coverage"]
    reported = sum(1 for r in d["reporting"] if r["reported"])
    m = d["start"]
    text = (
        f"{m.year}年{m.month}月，全县共开展统战活动{a['count']}次，参加{a['headcount']}人次"
        + (f"，捐资{a['funds']:g}万元" if a["funds"] else "")
        + f"；新认定党外代表人士{len(d['reps_added'])}人，退出{len(d['reps_left'])}人，月末在册{d['reps_present']}人；"
        f"提交提案建议{p['submitted']}件，答复{p['replied']}件，办结{p['closed']}件，"
        f"超期未办结{len(p['overdue'])}件；检查宗教活动场所{s['inspections']}处次，发现问题{s['found']}个，"
        f"销号{s['closed']}个，尚有{s['open']}个问题整改中（其中逾期{s['open_overdue']}个）；"
        f"统战干部新任{len(d['cadres_appointed'])}人、离任{len(d['cadres_left'])}人，"
        f"{len(cov['townships_without_committee'])}个乡镇（街道）缺统战委员，"
        f"{len(cov['villages_without_liaison'])}个村（社区）缺统战联络员；"
        f"{len(d['reporting'])}个乡镇（街道）中{reported}个已报送本月数据。"
    )
    return "总体情况", [B.P(text), B.P(as_at_note(d["as_of"]))]


def as_at_note(day) -> str:
    """What every as-at page says: the day its figures describe, and that attributes are today's."""
    return (f"本汇总各项数字截至{cn_date(day)}（在册人数、整改中的问题、提案办理状态均为当日情况）；"
            "人员的政治面貌、人士类别、学历等属性为当前登记的情况。")


def _activities(d: dict):
    a = d["activities"]
    rows = [[x["name"], x["count"], x["headcount"], f"{x['funds']:g}" if x["funds"] else ""] for x in a["by_type"]]
    if rows:
        rows.append(["合计", a["count"], a["headcount"], f"{a['funds']:g}" if a["funds"] else ""])
    tw = [[name, n] for name, n in a["by_township"]]
    half = (len(tw) + 1) // 2
    paired = [left + (tw[i + half] if i + half < len(tw) else ["", ""]) for i, left in enumerate(tw[:half])]
    listing = [[i, dot_date(x["date"]), x["title"], x["kind"], x["township"], x["headcount"]]
               for i, x in enumerate(a["list"], 1)]
    body = [
        B.H2("（一）按活动类型"),
        B.Table(["活动类型", "次数", "参加人次", "捐资(万元)"], rows, [4, 2, 2, 2], "LCCC", totals=True,
                empty="本月没有登记活动。"),
        B.H2("（二）按乡镇（街道）"),
        B.Table(["乡镇（街道）", "活动次数", "乡镇（街道）", "活动次数"], paired, [4, 2, 4, 2], "LCLC"),
        B.Charts([
            B.Chart("bar", "近六个月活动次数", [m[5:].lstrip("0") + "月" for m, _n in d["trend"]], [n for _m, n in d["trend"]]),
            B.Chart("pie", "本月活动类型构成", [x["name"] for x in a["by_type"]], [x["count"] for x in a["by_type"]]),
        ]),
        B.H2(f"（三）活动一览（{len(listing)}次）"),
        B.Table(["序号", "日期", "活动名称", "类型", "乡镇（街道）", "人数"], listing, [1.2, 2.4, 8, 2.6, 3.4, 1.4],
                "CCLCLC", empty="本月没有登记活动。"),
    ]
    return "活动开展情况", body


# A summary for the leadership names the month's new and departed people while they fit on about
# a page; beyond that it counts them by township (a 40-page name list is no summary), and says
# where the names are.
NAME_LIMIT = 50


def _reps(d: dict):
    added_rows, left_rows = d["reps_added"], d["reps_left"]
    body = [B.P(f"本月新认定{len(added_rows)}人，退出{len(left_rows)}人，月末在册{d['reps_present']}人。")]
    body.append(B.H2(f"（一）新认定（{len(added_rows)}人）"))
    if len(added_rows) > NAME_LIMIT:
        body += _by_township(added_rows, "认定时间", "新认定人数", d)
    else:
        added = [[i, r["name"], r["gender"], r["township"], r["kinds"], r["employer"]] for i, r in enumerate(added_rows, 1)]
        body.append(B.Table(["序号", "姓名", "性别", "乡镇（街道）", "人士类别", "工作单位及职务"], added,
                            [1.2, 2, 1.2, 3, 4, 6], "CCCLLL", empty="本月无新认定人员。"))
    body.append(B.H2(f"（二）退出（{len(left_rows)}人）"))
    if len(left_rows) > NAME_LIMIT:
        body += _by_township(left_rows, "退出时间", "退出人数", d)
    else:
        left = [[i, r["name"], r["township"], r["kinds"], r.get("reason", "")] for i, r in enumerate(left_rows, 1)]
        body.append(B.Table(["序号", "姓名", "乡镇（街道）", "人士类别", "退出原因"], left, [1.2, 2, 3, 4, 5], "CCLLL",
                            empty="本月无退出人员。"))
    return "党外代表人士变动", body


def _by_township(rows: list[dict], date_label: str, count_label: str, d: dict) -> list:
    """A long list counted by township, in the county's order of townships, 县直 last."""
    counts: dict[str, int] = {}
    for r in rows:
        key = r["township"] or "县直"
        counts[key] = counts.get(key, 0) + 1
    rank = {r["name"]: i for i, r in enumerate(d["reporting"])}  # every township, in the county's order
    order = sorted(counts, key=lambda k: (k == "县直", rank.get(k, len(rank)), k))
    table = [[k, counts[k]] for k in order] + [["合计", len(rows)]]
    return [B.P(f"人数超过{NAME_LIMIT}人，本汇总按乡镇（街道）列出人数；名单可在“代表人士”中按{date_label}排序查看，"
                "或导出为 Excel。"),
            B.Table(["乡镇（街道）", count_label], table, [6, 3], "LC", totals=True)]


def _proposals(d: dict):
    p = d["proposals"]
    rows = [[x["kind"], x["submitted"], x["replied"], x["closed"]] for x in p["by_kind"]]
    if rows:
        rows.append(["合计", p["submitted"], p["replied"], p["closed"]])
    od = [[i, x["title"], x["kind"], x["host"], dot_date(x["assigned_on"]), f"{x['months']}个月", x["status"]]
          for i, x in enumerate(p["overdue"], 1)]
    return "提案建议办理情况", [
        B.Table(["类别", "本月提交", "本月答复", "本月办结"], rows, [4, 2, 2, 2], "LCCC", totals=True,
                empty="本月没有提交、答复或办结的提案建议。"),
        B.H2(f"超期未办结（交办满3个月未办结，截至{cn_date(d['as_of'])}，共{len(od)}件）"),
        B.Table(["序号", "案由", "类别", "主办单位", "交办日期", "已交办", "状态"], od, [1.2, 8, 2.4, 4, 3.2, 2, 1.6],
                "CLCLCCC", marks=set(range(len(od))), empty="无超期未办结的提案建议。"),
    ]


def _sites(d: dict):
    s = d["sites"]
    rows = [[i, x["site"], x["township"], x["issue"], dot_date(x["deadline"]), "逾期" if x["overdue"] else x["status"]]
            for i, x in enumerate(s["open_list"], 1)]
    marks = {i for i, x in enumerate(s["open_list"]) if x["overdue"]}
    return "宗教活动场所管理", [
        B.P(f"本月检查宗教活动场所{s['inspected_sites']}处、{s['inspections']}处次；新发现问题{s['found']}个，"
            f"整改销号{s['closed']}个。截至{cn_date(d['as_of'])}，尚有{s['open']}个问题整改中，"
            f"其中{s['open_overdue']}个已超过整改时限。"),
        B.H2("问题整改台账（整改中）"),
        B.Table(["序号", "场所", "乡镇（街道）", "存在问题", "整改时限", "状态"], rows, [1.2, 4, 3, 8, 3.2, 1.6],
                "CLLLCC", marks=marks, empty="无整改中的问题。"),
    ]


def _cadres(d: dict):
    cov = d["coverage"]
    moves = [[i, r["name"], r["post"], r["township"], "任职", dot_date(r["appointed_on"])]
             for i, r in enumerate(d["cadres_appointed"], 1)]
    moves += [[len(moves) + i, r["name"], r["post"], r["township"], "离任", dot_date(r["left_on"])]
              for i, r in enumerate(d["cadres_left"], 1)]
    gaps: dict[str, list[str]] = {}
    for _c, tw, v in cov["villages_without_liaison"]:
        gaps.setdefault(tw, []).append(v)
    no_committee = "、".join(n for _c, n in cov["townships_without_committee"]) or "无"
    return "统战干部队伍", [
        B.H2("（一）本月任职、离任"),
        B.Table(["序号", "姓名", "岗位", "乡镇（街道）", "变动", "日期"], moves, [1.2, 2, 4, 3, 1.5, 3], "CCLLCC",
                empty="本月统战干部无变动。"),
        B.H2("（二）配备缺口"),
        B.P(f"缺统战委员的乡镇（街道）{len(cov['townships_without_committee'])}个：{no_committee}。"
            f"全县{cov['villages']}个村（社区）中，{len(cov['villages_without_liaison'])}个缺统战联络员。"),
        B.Table(["乡镇（街道）", "缺联络员的村（社区）", "个数"], [[tw, "、".join(vs), len(vs)] for tw, vs in gaps.items()],
                [3, 9, 1.5], "LLC", empty="各村（社区）均已配备统战联络员。"),
    ]


def _reporting(d: dict):
    rows, cells = [], set()
    for i, r in enumerate(d["reporting"]):
        exported = r.get("exported_at")
        imported = r.get("imported_at")
        if not r["reported"]:
            cells.add((i, 2))
        elif not r.get("on_time"):
            cells.add((i, 6))
        rows.append([i + 1, r["name"], "已报送" if r["reported"] else "未报送",
                     exported.strftime("%m-%d %H:%M") if exported else "", imported.strftime("%m-%d %H:%M") if imported else "",
                     r.get("records") or "" if r["reported"] else "",
                     ("按时" if r.get("on_time") else "逾期") if r["reported"] else ""])
    done = sum(1 for r in d["reporting"] if r["reported"])
    due = d["due"]
    return "各乡镇（街道）数据报送情况", [
        B.P(f"本月数据应于{due.month}月{due.day}日前报送。{len(rows)}个乡镇（街道）中，已报送{done}个，"
            f"未报送{len(rows) - done}个。"),
        B.Table(["序号", "乡镇（街道）", "报送情况", "导出时间", "收到时间", "记录数", "是否按时"], rows,
                [1.2, 3.5, 2, 2.6, 2.6, 1.6, 1.8], "CLCCCCC", cells=cells),
    ]
