"""代表人士结构分析: the present representatives by kind, party, age band, education, gender,
ethnicity and political arrangements — tables with charts."""

from __future__ import annotations

from . import blocks as B
from .page import Meta

TITLE = "党外代表人士结构分析"
NUMS = "一二三四五六七八九十"


def meta(d: dict) -> Meta:
    return Meta(TITLE, d["unit"], d["today"], f"（{d['township']}，截至{d['today'].year}年{d['today'].month}月"
                                                f"{d['today'].day}日）")


def _share(pairs, total):
    rows = [[name, n, f"{n * 100 / total:.1f}%" if total else "—"] for name, n in pairs]
    if rows:
        rows.append(["合计", sum(n for _x, n in pairs), "100.0%" if total else "—"])
    return rows


def make(d: dict) -> list:
    total = d["total"]
    out: list = [B.P(f"{d['township']}在册党外代表人士共{total}人，其中党外干部{d['nonparty_cadres']}人、"
                     f"后备干部{d['reserve']}人，有政治安排的{d['arrangements']['persons']}人。")]
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
    out.append(B.P("政协不设乡级；同一人可有多项政治安排。"))
    if d["by_township"]:
        out.append(B.H1(f"{NUMS[n + 1]}、分布（按乡镇、街道）"))
        tw = d["by_township"]
        half = (len(tw) + 1) // 2
        paired = [[a, b] + (list(tw[i + half]) if i + half < len(tw) else ["", ""]) for i, (a, b) in enumerate(tw[:half])]
        out.append(B.Table(["乡镇（街道）", "人数", "乡镇（街道）", "人数"], paired, [4, 2, 4, 2], "LCLC"))
    return out
