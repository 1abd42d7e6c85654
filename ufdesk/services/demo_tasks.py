"""The demo county's 重点任务: a year's 工作要点 (after seeds/003) broken into about forty tasks
across the headings, a third of them owned by townships, with monthly 进展 — some done on
time, some late, some lagging (滞后) — so that the 推进表 and the 考核评价 have something to show.

Kept apart from ``demo.py``: it reads the places and cadres the demo made and adds its rows
the same way, from a random generator of its own (so the other ledgers' rows do not move).
"""

from __future__ import annotations

import calendar
import datetime as dt
import random

# (类别, 任务内容, 完成标准, 责任单位, 配合单位, 完成时限 month)
_COUNTY_TASKS = (
    ("01", "深入学习贯彻习近平总书记关于做好新时代党的统一战线工作的重要思想", "各级党委（党组）理论学习中心组专题学习不少于2次", "01", "县委宣传部", 6),
    ("01", "举办全县统一战线成员专题培训班", "培训党外代表人士不少于100人次", "08", "县委统战部", 9),
    ("01", "加强统一战线意识形态工作，定期分析研判", "每季度研判1次，形成报告", "01", "县委宣传部", 12),
    ("02", "完善党外代表人士信息库", "信息库覆盖全部在册代表人士，信息完整率达95%", "01", "县委组织部", 5),
    ("02", "落实县级领导干部联系党外代表人士制度", "每名县级领导联系党外代表人士不少于3名", "01", "", 12),
    ("02", "做好党外代表人士选拔使用和培养培训", "推荐党外干部参加市级以上培训不少于5人次", "04", "县委统战部", 10),
    ("03", "制定年度政党协商计划并组织实施", "开展政党协商暨调研协商座谈不少于3次", "01", "县政协办公室", 11),
    ("03", "支持民主党派加强自身建设", "指导各民主党派基层组织完成年度学习计划", "01", "", 12),
    ("04", "开展第十七个民族团结进步宣传月活动", "开展“百场万人”宣讲不少于20场", "02", "县委宣传部", 9),
    ("04", "巩固全国民族团结进步示范县创建成果", "打造民族团结一条街和主题公园", "02", "县住房和城乡建设局", 12),
    ("05", "举办宗教界代表人士和宗教工作骨干培训班", "培训宗教界人士和村(社区)宗教工作骨干不少于80人", "02", "县委党校", 7),
    ("05", "指导县佛教协会完成换届选举", "召开代表会议，完成换届", "02", "", 8),
    ("05", "全面落实县、乡、村三级宗教工作网络和责任制", "乡镇、村(社区)宗教工作责任制落实全覆盖", "02", "各乡镇", 10),
    ("06", "开展民营经济人士理想信念教育", "举办企业家专题培训、座谈交流不少于4次", "03", "县委统战部", 11),
    ("06", "完善领导干部联系商协会制度，构建亲清政商关系", "每个商协会确定1名联系领导", "03", "县委统战部", 6),
    ("06", "深化“民企帮村”行动", "结对帮扶村(社区)不少于30个", "03", "县农业农村局", 12),
    ("07", "建立新的社会阶层人士同心社会服务实践基地", "建成实践基地2个", "13", "县委统战部", 9),
    ("07", "推进新联会组织建设，扩大联谊组织覆盖", "新发展会员不少于30名", "13", "", 12),
    ("08", "广泛宣传对台方针政策，扩大对台交流", "组织台属联谊活动不少于2次", "10", "县侨联", 10),
    ("08", "做好侨务工作，掌握侨界代表人士思想动态", "走访归侨侨眷不少于50户", "11", "", 12),
    ("09", "召开基层统战工作实践创新推进会", "印发《重点任务推进表》，召开推进会", "01", "各乡镇", 4),
    ("09", "下发《乡镇统战工作评价办法》并开展年度考核", "完成对全部乡镇的年度考核评价", "01", "县委组织部", 12),
    ("10", "加强统战干部队伍建设，开展业务培训", "全县统战干部轮训一遍", "01", "县委党校", 8),
    ("10", "落实“三个带头”“四个纳入”，发挥领导小组作用", "召开领导小组会议不少于2次", "01", "", 7),
    ("10", "做好统一战线疫情防控和助企复工复产工作", "走访企业不少于100家", "03", "县经济和信息化局", 3),
)
# The county tasks that townships carry out, one sub-task per township: (类别, parent index, 任务内容).
_TOWNSHIP_TASKS = (
    ("09", 20, "{t}建成基层统战工作阵地，做到“有组织、有制度、有阵地、有载体、有活动”", 5),
    ("05", 12, "{t}完成辖区宗教活动场所问题整改销号", 4),
    ("04", 9, "{t}创建县级民族团结进步示范乡镇", 4),
)
_STANDARDS = {
    "09": "阵地挂牌，制度上墙，年内开展活动不少于4次",
    "05": "问题台账全部销号，佐证材料齐全",
    "04": "通过县级验收并命名",
}
_LEADERS = ("王立新（县委常委、统战部部长）", "赵志刚（县委副书记）", "刘红（副县长）", "陈晓梅（县政协主席）")
_PROGRESS = (
    "已制定实施方案，明确责任分工。", "按计划推进，完成阶段性工作。", "召开专题会议研究部署，推进中。",
    "已完成主要工作量的一半。", "收集整理佐证材料。", "组织开展督查，发现问题已整改。",
    "受其他中心工作影响，进度有所滞后。", "与配合单位对接，协调解决存在的问题。",
)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_tasks(demo) -> None:
    """Add the year's tasks and their 进展 to ``demo.rows`` (after places and cadres)."""
    r = random.Random(f"{demo.seed}:tasks")
    as_of = demo.last_month_end  # the month the office last reported on
    year = as_of.year
    committee = {c["township"]: c for c in demo.rows.get("cadres", [])
                 if c["post"] == "02" and c["left_on"] is None}
    dept_staff = [c for c in demo.rows.get("cadres", []) if c["post"] == "01" and c["left_on"] is None]
    demo.task_year = year
    uuids = []
    for i, (cat, content, standard, unit, partners, month) in enumerate(_COUNTY_TASKS, 1):
        staff = r.choice(dept_staff) if dept_staff and unit == "01" else None
        row = {"uuid": demo.uid(), "township": None, "year": year, "seq": str(i), "content": content,
               "standard": standard, "category": cat, "leader": r.choice(_LEADERS), "unit": unit,
               "owner": staff["name"] if staff else None, "owner_ref": staff["uuid"] if staff else None,
               "partners": partners or None, "deadline": _month_end(year, month)}
        uuids.append(row["uuid"])
        _progress(demo, r, row, as_of)
    codes = [c for c, _ in demo.townships]
    for cat, parent, content, n in _TOWNSHIP_TASKS:
        parent_row = next(t for t in demo.rows["tasks"] if t["uuid"] == uuids[parent - 1])
        for j, code in enumerate(sorted(r.sample(codes, n)), 1):
            cadre = committee.get(code)
            row = {"uuid": demo.uid(), "township": code, "year": year, "seq": f"({j})", "parent_task": parent_row["uuid"],
                   "content": content.format(t=demo.tname[code]), "standard": _STANDARDS[cat], "category": cat,
                   "leader": parent_row["leader"], "unit": code,
                   "owner": cadre["name"] if cadre else None, "owner_ref": cadre["uuid"] if cadre else None,
                   "partners": None, "deadline": _month_end(year, r.choice((6, 9, 10, 11, 12)))}
            _progress(demo, r, row, as_of)


def _progress(demo, r: random.Random, row: dict, as_of: dt.date) -> None:
    """Decide the task's fate as at ``as_of`` and write its monthly 进展 up to then."""
    deadline = row["deadline"]
    fate = r.random()
    start = dt.date(row["year"], 1, 1) if row["township"] is None else dt.date(row["year"], 2, 1)
    done = None
    if deadline <= as_of:
        if fate < 0.62:
            done = deadline - dt.timedelta(days=r.randint(0, 40))
        elif fate < 0.75:
            done = min(as_of, deadline + dt.timedelta(days=r.randint(5, 60)))  # done, but late
        elif fate < 0.80:
            row["status"] = "4"  # 取消
    elif fate < 0.15:
        done = as_of - dt.timedelta(days=r.randint(0, 50))
    if done is not None:
        done = min(max(done, start + dt.timedelta(days=20)), as_of)
        row.update(status="3", done_on=done)
    elif "status" not in row:
        row["status"] = "2" if r.random() < 0.9 else "1"
    demo.add("tasks", row)
    if row["status"] in ("1", "4"):
        return
    last = done or as_of
    skip = r.random() < 0.3  # some units forget a month now and then
    m = start
    while m <= last:
        missing_last = m.year == as_of.year and m.month == as_of.month and r.random() < 0.3
        if not ((skip and r.random() < 0.25) or missing_last):
            day = min(calendar.monthrange(m.year, m.month)[1], r.randint(20, 28))
            text = "任务已完成，佐证材料已归档。" if done and m.month == done.month and m.year == done.year \
                else r.choice(_PROGRESS)
            demo.add("task_progress", {
                "uuid": demo.uid(), "parent": row["uuid"], "township": row["township"], "month": m,
                "progress": text, "reporter": row["owner"] or "统战部办公室", "reported_on": dt.date(m.year, m.month, day),
            })
        m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)


def add_history(store, demo, user: str) -> None:
    """What the 考核评价 reads besides the ledgers: the townships' monthly packages as the
    county received them (most on time, some late, a few never), and the county's 加分/扣分 —
    so that the demo's townships score differently for visible reasons."""
    import sqlalchemy as sa

    from ..store.schema import evaluation_adjustments, package_log

    r = random.Random(f"{demo.seed}:packages")
    as_of = demo.last_month_end
    habits = {code: r.choice(("punctual", "punctual", "punctual", "late", "patchy")) for code, _ in demo.townships}
    rows = []
    for code, _name in demo.townships:
        m = dt.date(as_of.year, 1, 1)
        while m <= as_of:
            habit = habits[code]
            if habit == "patchy" and r.random() < 0.4:
                m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
                continue
            last = calendar.monthrange(m.year, m.month)[1]
            day = r.randint(29, last) if (habit == "late" and r.random() < 0.6 and last > 28) else r.randint(15, 28)
            exported = dt.datetime(m.year, m.month, day, r.randint(8, 17), r.randint(0, 59))
            rows.append({"package_id": f"demo-{code}-{m:%Y%m}", "direction": "received", "peer": f"tw{code[-3:]}",
                         "sender": f"tw{code[-3:]}", "sender_township": code, "recipient": "county",
                         "seq": m.month, "months": f"{m:%Y-%m}", "exported_at": exported,
                         "imported_at": exported + dt.timedelta(days=r.randint(1, 3)), "records": r.randint(5, 80),
                         "status": "ok"})
            m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    codes = [c for c, _ in demo.townships]
    plus, minus = r.sample(codes, 2)
    with store.write(user) as (conn, ctx):
        conn.execute(sa.insert(package_log), rows)
        conn.execute(sa.insert(evaluation_adjustments), [
            {"year": as_of.year, "quarter": None, "township": plus, "points": 3,
             "reason": "基层统战工作经验在全市推广", "at": ctx.now, "user": user},
            {"year": as_of.year, "quarter": None, "township": minus, "points": -2,
             "reason": "统战信息报送出现差错，被通报一次", "at": ctx.now, "user": user},
        ])


def thin_records(demo) -> None:
    """Leave gaps in a few townships' representative records (no 工作单位, no 学历) as real
    rosters have them: the 代表人士信息完整率 then differs between townships."""
    r = random.Random(f"{demo.seed}:gaps")
    codes = [c for c, _ in demo.townships]
    sloppy = set(r.sample(codes, 4))
    for p in demo.rows.get("representatives", []):
        if p.get("township") in sloppy and r.random() < 0.25:
            p[r.choice(("employer", "education"))] = None
