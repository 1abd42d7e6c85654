"""The tabular reports: 宗教活动场所基本情况表 (with 问题整改台账), 提案建议办理情况统计表,
统战干部配备情况表 and 商会社团一览表 — each as blocks laid out on A4."""

from __future__ import annotations

from ..services import stats
from . import blocks as B
from .page import Meta, cn_date, cn_month, dot_date


def _pairs_table(label: str, pairs, total: int | None = None) -> B.Table:
    shown = stats.shares([v for _n, v in pairs], total) if total else ["" for _p in pairs]
    rows = [[n, v, share] for (n, v), share in zip(pairs, shown, strict=True)]
    if rows and total is not None:
        n = sum(v for _n, v in pairs)
        rows.append(["合计", n, stats.shares([n], total)[0] if total else ""])
    return B.Table([label, "件数", "占比"], rows, [4, 2, 2], "LCC", totals=total is not None, empty="无。")


# -- sites ---------------------------------------------------------------------------------------
SITES_TITLE = "宗教活动场所基本情况表"


def sites_meta(d: dict) -> Meta:
    on = d.get("as_of") or d["today"]
    return Meta(SITES_TITLE, d["unit"], d["today"], f"（{d['township']}，共{len(d['sites'])}处，整改台账截至{cn_date(on)}）")


def sites(d: dict) -> list:
    rel = [[n, c, cl, b] for n, c, cl, b in d["religions"]]
    if rel:
        rel.append(["合计", sum(r[1] for r in rel), sum(r[2] for r in rel), sum(r[3] for r in rel)])
    listing = [[i, s["name"], s["religion"], s["type"], s["reg_no"], s["township"], s["leader"], s["phone"],
                s["clergy"], s["believers"], s["rating"], s["model"], s["status"]] for i, s in enumerate(d["sites"], 1)]
    issues = d["issues"]
    n_open = sum(1 for x in issues if x["open"])
    n_over = sum(1 for x in issues if x["overdue"])
    il = [[i, x["site"], x["township"], x["issue"], x["measure"], dot_date(x["found_on"]), dot_date(x["deadline"]),
           ("逾期" if x["overdue"] else x["status"]), dot_date(x["closed_on"])] for i, x in enumerate(issues, 1)]
    return [
        B.H1("一、基本情况"),
        B.Table(["宗教", "场所数", "教职人员", "信教群众（约）"], rel, [3, 2, 2, 2.5], "LCCC", totals=True, empty="无登记场所。"),
        B.H1("二、场所一览"),
        B.Table(["序号", "场所名称", "宗教", "场所类型", "登记证号", "所属乡镇", "负责人", "联系电话", "教职\n人员",
                 "信教\n群众", "评定等级", "示范\n场所", "状态"], listing,
                [1.4, 6, 1.8, 4.6, 6.4, 3.2, 2.2, 3.6, 1.6, 1.8, 2.6, 1.6, 1.8], "CLCCCCCCCCCCC", empty="无登记场所。"),
        B.H1("三、问题整改台账"),
        B.P(f"共{len(issues)}个问题，其中整改中{n_open}个（逾期{n_over}个，以黑体标出），已销号{len(issues) - n_open}个。"),
        B.Table(["序号", "场所", "所属乡镇", "存在问题", "整改措施", "发现日期", "整改时限", "整改状态", "销号日期"], il,
                [1.4, 4.5, 3, 8, 8, 3.4, 3.4, 3.2, 3.4], "CLLLLCCCC",
                marks={i for i, x in enumerate(issues) if x["overdue"]}, empty="无问题记录。"),
    ]


# -- proposals -----------------------------------------------------------------------------------
PROPOSALS_TITLE = "提案建议办理情况统计表"


def proposals_meta(d: dict) -> Meta:
    return Meta(PROPOSALS_TITLE, d["unit"], d["today"], f"（{d['year']}年度，共{d['total']}件）")


def proposals(d: dict) -> list:
    kinds = [[k["kind"], k["count"], k["accepted"], k["replied"], k["closed"], k["adopted"]] for k in d["by_kind"]]
    if kinds:
        kinds.append(["合计", *[sum(r[i] for r in kinds) for i in range(1, 6)]])
    total = d["total"]
    od = [[i, x["title"], x["kind"], x["number"], x["host"], dot_date(x["assigned_on"]), f"{x['months']}个月", x["status"]]
          for i, x in enumerate(d["overdue"], 1)]
    return [
        B.P(f"{d['year']}年共提交提案建议{total}件。政协提案、人大建议自交办之日起3个月内办结，"
            f"截至{cn_date(d['as_of'])}超期未办结{len(od)}件。"),
        B.H1("一、按类别"),
        B.Table(["类别", "件数", "立案", "已答复", "已办结", "被采用"], kinds, [4, 1.6, 1.6, 1.6, 1.6, 1.6], "LCCCCC",
                totals=True, empty="本年度没有提案建议。"),
        B.Charts([B.Chart("bar", "办理状态", [n for n, _v in d["by_status"]], [v for _n, v in d["by_status"]]),
                  B.Chart("pie", "办理结果", [n for n, _v in d["by_result"]], [v for _n, v in d["by_result"]])]),
        B.H1("二、按办理状态"), _pairs_table("办理状态", d["by_status"], total),
        B.H1("三、按办理结果（A 已解决 / B 正在或列入规划 / C 以后解决 / D 留作参考）"),
        _pairs_table("办理结果", d["by_result"], total),
        B.H1("四、满意度"), _pairs_table("满意度", d["by_satisfaction"], total),
        B.H1("五、按领域"), _pairs_table("领域", d["by_domain"], total),
        B.H1(f"六、超期未办结（{len(od)}件）"),
        B.Table(["序号", "案由", "类别", "编号", "主办单位", "交办日期", "已交办", "状态"], od,
                [1.2, 8, 2.4, 1.4, 4, 3.2, 2, 1.6], "CLCCLCCC", marks=set(range(len(od))), empty="无超期未办结的提案建议。"),
    ]


# -- cadres --------------------------------------------------------------------------------------
CADRES_TITLE = "统战干部配备情况表"


def cadres_meta(d: dict) -> Meta:
    return Meta(CADRES_TITLE, d["unit"], d["today"], f"（截至{cn_date(d.get('as_of') or d['today'])}）")


def cadres(d: dict) -> list:
    rows, cells = [], set()
    for i, r in enumerate(d["rows"]):
        if r["no_committee"]:
            cells.add((i, 2))
        if r["missing"]:
            cells.update({(i, 6), (i, 7)})
        county = r.get("county", False)  # 部机关及县直: no 统战委员 or villages to cover
        rows.append([i + 1, r["township"], r["committee"] or ("—" if county else "缺"), "专职" if r["committee_fulltime"] else
                     ("兼职" if r["committee"] else ""), r["officers"], r["liaisons"],
                     "—" if county else f"{r['covered']}/{r['villages']}",
                     "、".join(r["missing"]) or "", r["total"],
                     f"{r['avg_months'] / 12:.1f}年" if r["avg_months"] is not None else "", r["left_year"]])
    rows.append(["", "合计", f"缺{d['without_committee']}个", "", sum(r["officers"] for r in d["rows"]),
                 sum(r["liaisons"] for r in d["rows"]), f"{d['villages'] - d['villages_without']}/{d['villages']}",
                 f"缺{d['villages_without']}个", sum(r["total"] for r in d["rows"]), "", sum(r["left_year"] for r in d["rows"])])
    return [
        B.P(f"全县在岗统战干部{d['serving']}人（部机关及县直{d['county_staff']}人）。{d['townships']}个乡镇（街道）中"
            f"{d['without_committee']}个缺统战委员；{d['villages']}个村（社区）中{d['villages_without']}个缺统战联络员；"
            f"近一年离任{d['left_year']}人。缺口以黑体标出。"),
        B.H1("一、各乡镇（街道）配备情况"),
        B.Table(["序号", "乡镇（街道）", "统战委员", "专兼职", "统战\n干事", "联络员", "村(社区)\n覆盖", "缺联络员的村（社区）",
                 "在岗\n合计", "平均\n任职", "近一年\n离任"], rows,
                [1.3, 3.4, 3.6, 1.8, 1.6, 1.8, 2.2, 9, 1.6, 1.8, 1.8], "CLCCCCCLCCC", cells=cells, totals=True),
        B.H1("二、岗位与任职年限"),
        B.Charts([B.Chart("bar", "在岗统战干部岗位", [n for n, _v in d["by_post"]], [v for _n, v in d["by_post"]]),
                  B.Chart("pie", "任职年限", [n for n, _v in d["tenure"]], [v for _n, v in d["tenure"]])]),
        B.Table(["任职年限", "人数"], [[n, v] for n, v in d["tenure"]], [4, 2], "LC"),
    ]


# -- chambers ------------------------------------------------------------------------------------
CHAMBERS_TITLE = "商会社团一览表"


def chambers_meta(d: dict) -> Meta:
    return Meta(CHAMBERS_TITLE, d["unit"], d["today"], f"（{d['township']}，共{len(d['rows'])}个）")


def chambers(d: dict) -> list:
    types = [[n, c, m] for n, c, m in d["by_type"]]
    if types:
        types.append(["合计", sum(r[1] for r in types), sum(r[2] for r in types)])
    rows = [[i, r["name"], r["type"], r["level"], r["township"], cn_month(r["founded"]), r["leader"], r["secretary"],
             r["members"], r["phone"], r["credit_code"], r["status"]] for i, r in enumerate(d["rows"], 1)]
    return [
        B.H1("一、分类汇总"),
        B.Table(["类型", "个数", "会员数"], types, [4, 2, 2], "LCC", totals=True, empty="无。"),
        B.H1("二、一览表"),
        B.Table(["序号", "名称", "类型", "层级", "所属乡镇", "成立\n时间", "会长/负责人", "秘书长", "会员数", "联系电话",
                 "统一社会信用代码", "状态"], rows, [1.3, 8, 4, 1.6, 3, 2.2, 3, 2.4, 1.8, 3.4, 5.4, 1.8],
                "CLCCCCCCCCCC", empty="没有商会社团记录。"),
    ]
