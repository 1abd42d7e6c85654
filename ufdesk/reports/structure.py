"""代表人士结构分析: the present representatives by kind, party, age band, education, gender,
ethnicity and political arrangements — tables with charts."""

from __future__ import annotations

from ..services import stats
from . import blocks as B
from .page import Meta

TITLE = "党外代表人士结构分析"
NUMS = "一二三四五六七八九十"


def meta(d: dict) -> Meta:
    on = d.get("as_of") or d["today"]
    return Meta(TITLE, d["unit"], d["today"], f"（{d['township']}，截至{on.year}年{on.month}月{on.day}日）")


def _share(pairs, total):
    """Rows with their share of the total (largest remainder: the shares add up to the 合计's)."""
    shown = stats.shares([n for _x, n in pairs], total)
    rows = [[name, n, share] for (name, n), share in zip(pairs, shown, strict=True)]
    if rows:
        n = sum(n for _x, n in pairs)
        rows.append(["合计", n, stats.shares([n], total)[0]])
    return rows


def make(d: dict) -> list:
    total = d["total"]
    out: list = [B.P(f"{d['township']}在册党外代表人士共{total}人，其中党外干部{d['nonparty_cadres']}人、"
                     f"后备干部{d['reserve']}人，有政治安排的{d['arrangements']['persons']}人。"),
                 B.P("在册人数按截至日计算；政治面貌、人士类别、学历等属性为当前登记的情况，年龄按截至日计算。")]
    sections = [
        ("人士类别", "kinds", "bar", "一人可属多个类别，各类别人数之和可大于总人数。"),
        ("政治面貌", "party", "bar", ""),
        ("年龄结构", "age", "pie", ""),
        ("学历结构", "education", "pie", ""),
        ("性别结构", "gender", "pie", ""),
        ("民族结构", "han_minority", "pie", ""),
    ]
    for i, (label, key, chart, note) in enumerate(sections):
        pairs = d[key]
        out.append(B.H1(f"{NUMS[i]}、{label}"))
        if note:
            out.append(B.P(note))
        rows = _share(pairs, total)
        if key == "kinds":
            rows = rows[:-1]  # no 合计 for a multi-valued field
        out.append(B.Table([label.removesuffix("结构"), "人数", "占总人数"], rows, [5, 2, 2], "LCC",
                           totals=key != "kinds", empty="无数据。"))
        if total and pairs:
            out.append(B.Chart(chart, f"{label}", [n for n, _v in pairs], [v for _n, v in pairs]))
        if key == "han_minority":
            minorities = [(n, v) for n, v in d["ethnicity"] if n not in ("汉族", "未填")]
            if minorities:
                out.append(B.P("少数民族中：" + "，".join(f"{n}{v}人" for n, v in minorities) + "。"))
    n = len(sections)
    arr = d["arrangements"]
    out.append(B.H1(f"{NUMS[n]}、政治安排"))
    rows = [[r["body"], *[c for _l, c in r["levels"]], r["total"], r["standing"]] for r in arr["rows"]]
    out.append(B.Table(["类别", *[f"{lv}级" for lv in arr["levels"]], "合计", "其中常委"], rows,
                       [3] + [1.5] * len(arr["levels"]) + [1.5, 1.8], "L" + "C" * (len(arr["levels"]) + 2)))
    out.append(B.P("按截至日仍在任期内的政治安排统计（当选时间不晚于截至日、到届时间晚于截至日或未填）；"
                   "同一人在同一类别、同一层级只计一次，在不同层级各计一次，合计为各层级人数之和；政协不设乡级。"))
    if d["by_township"]:
        out.append(B.H1(f"{NUMS[n + 1]}、分布（按乡镇、街道）"))
        tw = d["by_township"]
        half = (len(tw) + 1) // 2
        paired = [[a, b] + (list(tw[i + half]) if i + half < len(tw) else ["", ""]) for i, (a, b) in enumerate(tw[:half])]
        out.append(B.Table(["乡镇（街道）", "人数", "乡镇（街道）", "人数"], paired, [4, 2, 4, 2], "LCLC"))
    return out
