"""考核评价: each township scored from its own ledgers, every figure traceable to its records.

A year's **rubric** is a list of indicators (key, 名称, rule, 分值, parameter) kept in the
database (``evaluation_rubrics``). The defaults ship in ``data/evaluation_rubric.csv``; the first
time a year is scored or edited they are copied to that year, so editing next year's rubric (or
a newer program's defaults) never changes a past year's scores.

Each indicator's rule is one of ``RULES`` — a fixed, documented list. A rule gives a township
``numerator / denominator`` over the period (the year, or one quarter) as at its last day (or
today, while the period is running); the points are ``分值 × min(1, numerator / denominator)``,
rounded to 0.01. A township with nothing to count (denominator 0: no villages, no issues due,
no tasks due, no proposals due) gets the full points: it has nothing to put right.

The county's manual 加分/扣分 (``adjust``) are added to the total: a year's evaluation counts
all of that year's adjustments, a quarter's those made for that quarter. Ranks: by total, ties
share a rank (1, 1, 3).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..domain.errors import UfError
from ..paths import data_file
from ..store.schema import LEDGER_TABLES, SUB_TABLES, evaluation_adjustments, evaluation_rubrics
from . import stats
from .tasks import CANCELLED, DONE


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    sentence: str  # what the rule counts, in one sentence (README, GUI, rubric sheet)
    param: str = ""  # what the rubric's 参数 column means for this rule ("" : none)
    default: object = None


REP_FIELD_LABELS = {"id_number": "身份证号", "party": "政治面貌", "education": "学历", "employer": "工作单位",
                    "mobile": "手机", "gender": "性别", "ethnicity": "民族", "birth_date": "出生年月",
                    "position": "职务", "kinds": "人士类别", "address": "地址", "recognized_on": "认定时间"}

RULES: dict[str, Rule] = {r.key: r for r in (
    Rule("reporting", "按时报送率",
         "本期内已到报送截止日的月份中，该乡镇当月数据包在截止日（每月报送截止日设置，默认28日）前导出并已导入县里的月数。"),
    Rule("committee", "统战委员配备", "期末该乡镇有在任的乡镇统战委员记1/1，否则0/1。"),
    Rule("liaison_coverage", "联络员覆盖率", "期末有在任村(社区)统战联络员的村(社区)数 / 该乡镇村(社区)总数。"),
    Rule("activities", "活动开展",
         "本期内该乡镇活动台账的活动次数 / 目标次数（参数：每季度目标次数 × 已开始的季度数），超过目标按满分计。",
         "每季度目标次数", 3),
    Rule("issues_on_time", "问题整改按期销号率",
         "该乡镇宗教场所问题台账中整改时限在本期内且已到期的问题里，在整改时限内销号的个数 / 到期问题数。"),
    Rule("tasks_on_time", "重点任务按期完成率",
         "该乡镇负责的本年度重点任务中完成时限在本期内且已到期（取消的除外）的，在完成时限内完成的项数 / 到期项数。"),
    Rule("rep_completeness", "代表人士信息完整率",
         "该乡镇在册代表人士中，参数所列各项信息（如身份证号、政治面貌、学历、工作单位、手机）都已填写的人数 / 在册人数。",
         "必填信息（用顿号分隔）", "身份证号、政治面貌、学历、工作单位、手机"),
    Rule("proposals_on_time", "提案按期办结率",
         "该乡镇的政协提案、人大建议中交办满办结时限（参数，默认3个月）的到期日在本期内且已到的，按期办结的件数 / 到期件数；"
         "没有提案的乡镇按满分计。", "办结时限（月）", 3),
)}


@dataclass
class Indicator:
    key: str
    label: str
    rule: str
    points: float
    param: object = None

    def value(self):
        rule = RULES[self.rule]
        return rule.default if self.param in (None, "") else self.param


@dataclass
class Score:
    key: str
    label: str
    points: float
    max: float
    numerator: int
    denominator: int

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "points": self.points, "max": self.max,
                "numerator": self.numerator, "denominator": self.denominator}


@dataclass
class Period:
    year: int
    quarter: int | None
    start: dt.date
    end: dt.date
    as_of: dt.date  # the period's last day, or the day asked for while it runs

    @property
    def label(self) -> str:
        return f"{self.year}年" + (f"第{'一二三四'[self.quarter - 1]}季度" if self.quarter else "度")


def period(year: int, quarter: int | None = None, on: dt.date | None = None) -> Period:
    if not 2000 <= int(year) <= 2100:
        raise UfError(f"年度“{year}”不对，应为四位年份，如 2026。")
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise UfError(f"季度“{quarter}”不对，应为 1、2、3 或 4。")
    if quarter:
        start = dt.date(year, 3 * quarter - 2, 1)
        end = stats.add_months(start, 3) - dt.timedelta(days=1)
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    today = on or dt.date.today()
    return Period(year, quarter, start, end, min(end, max(today, start)))


# -- the rubric ----------------------------------------------------------------------------------
def default_rubric() -> list[Indicator]:
    with open(data_file("evaluation_rubric.csv"), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [Indicator(r["key"], r["label"], r["rule"], float(r["points"]), _param(r["rule"], r.get("param")))
            for r in rows]


def _param(rule: str, raw):
    """A rubric's 参数 cell as the rule wants it (a number, or a list of field names)."""
    if raw is None or str(raw).strip() == "":
        return None
    if rule == "rep_completeness":
        names = {v: k for k, v in REP_FIELD_LABELS.items()}
        parts = [p.strip() for p in str(raw).replace(",", "、").replace("，", "、").split("、") if p.strip()]
        bad = [p for p in parts if p not in names and p not in REP_FIELD_LABELS]
        if bad:
            raise UfError(f"代表人士信息完整率的参数中“{'、'.join(bad)}”不是可检查的信息项（可用："
                          f"{'、'.join(REP_FIELD_LABELS.values())}）。")
        return [names.get(p, p) for p in parts]
    if rule in ("activities", "proposals_on_time"):
        try:
            n = int(float(str(raw).strip()))
        except ValueError:
            raise UfError(f"{RULES[rule].label}的参数“{raw}”应为整数（{RULES[rule].param}）。") from None
        if not 1 <= n <= 100:
            raise UfError(f"{RULES[rule].label}的参数“{raw}”应在 1 到 100 之间。")
        return n
    return None


def rubric(store, year: int, *, keep: bool = True) -> list[Indicator]:
    """The year's rubric: as saved for that year, else the defaults (saved for the year when
    ``keep`` and the database is writable, so later edits of the defaults leave it alone)."""
    t = evaluation_rubrics
    with store.connect() as conn:
        rows = conn.execute(sa.select(t).where(t.c.year == year).order_by(t.c.sort_no)).mappings().all()
    if rows:
        return [Indicator(r["key"], r["label"], r["rule"], float(r["points"]),
                          json.loads(r["params"]).get("param") if r["params"] else None) for r in rows]
    items = default_rubric()
    if keep and not store.readonly:
        save_rubric(store, year, items, user=None, audit_it=False)
    return items


def save_rubric(store, year: int, items: list[Indicator], *, user: str | None, audit_it: bool = True) -> None:
    keys = [i.key for i in items]
    dup = [k for k, n in Counter(keys).items() if n > 1]
    if dup:
        raise UfError(f"考核指标代码“{dup[0]}”重复，每个指标的代码应不同。")
    if not items:
        raise UfError("考核细则中没有任何指标。")
    with store.write(user) as (conn, ctx):
        conn.execute(sa.delete(evaluation_rubrics).where(evaluation_rubrics.c.year == year))
        conn.execute(sa.insert(evaluation_rubrics), [
            {"year": year, "key": i.key, "sort_no": n, "label": i.label, "rule": i.rule, "points": i.points,
             "params": json.dumps({"param": i.param}, ensure_ascii=False), "updated_at": ctx.now}
            for n, i in enumerate(items, 1)])
        if audit_it:
            from . import audit

            audit.write(conn, user=user, installation=ctx.installation, action="evaluation_rubric",
                        summary=f"修改{year}年度考核细则：{len(items)}项指标，共{sum(i.points for i in items):g}分",
                        at=ctx.now)


# -- adjustments ---------------------------------------------------------------------------------
def adjust(svc, year: int, township: str, points: float, reason: str, quarter: int | None = None) -> dict:
    """Record the county's 加分 (points > 0) or 扣分 (< 0) for a township, with its reason (audited)."""
    svc.require("edit")
    period(year, quarter)
    if svc.store.township is not None:
        raise UfError("加分、扣分由县委统战部评定，乡镇不能录入。")
    code = resolve_township(svc.store, township)
    reason = (reason or "").strip()
    if not reason:
        raise UfError("请填写加分或扣分的理由（--reason）。")
    if len(reason) > 400:
        raise UfError("理由最多400个字。")
    if not points or abs(points) > 100:
        raise UfError(f"分值“{points:g}”不对：加分为正数、扣分为负数，绝对值不超过100。")
    with svc.store.write(svc.user) as (conn, ctx):
        conn.execute(sa.insert(evaluation_adjustments).values(
            year=year, quarter=quarter, township=code, points=points, reason=reason, at=ctx.now, user=svc.user))
        from . import audit

        audit.write(conn, user=svc.user, installation=ctx.installation, action="evaluation_adjust",
                    summary=f"{year}年度{'第' + str(quarter) + '季度' if quarter else ''}考核"
                            f"{'加分' if points > 0 else '扣分'}：{svc.store.township_name(code)} {points:+g}分，理由：{reason}",
                    at=ctx.now)
    return {"township": code, "points": points, "reason": reason}


def resolve_township(store, text: str) -> str:
    text = (text or "").strip()
    for code, name in store.townships():
        if text in (code, name):
            return code
    raise UfError(f"“{text}”不是本县的乡镇（请用9位乡镇代码或乡镇名称）。")


def adjustments(store, p: Period) -> dict[str, list[dict]]:
    t = evaluation_adjustments
    conds = [t.c.year == p.year]
    if p.quarter:
        conds.append(t.c.quarter == p.quarter)
    out: dict[str, list[dict]] = defaultdict(list)
    with store.connect() as conn:
        for r in conn.execute(sa.select(t).where(*conds).order_by(t.c.id)).mappings():
            out[r["township"]].append({"points": r["points"], "reason": r["reason"]})
    return out


# -- the rules: {township: (numerator, denominator)} ----------------------------------------------
def _alive(t):
    return t.c.deleted.is_(False)


def _reporting(store, p: Period, _param) -> dict[str, tuple[int, int]]:
    from ..exchange.completeness import completeness, due_day

    day = due_day(store)
    months = []
    m = p.start
    while m <= p.end:
        last = stats.add_months(m, 1) - dt.timedelta(days=1)
        if dt.date(m.year, m.month, min(day, last.day)) <= p.as_of:
            months.append(f"{m.year}-{m.month:02d}")
        m = stats.add_months(m, 1)
    on_time: Counter = Counter()
    for month in months:
        for r in completeness(store, month):
            on_time[r["code"]] += bool(r["on_time"])
    return {code: (on_time[code], len(months)) for code, _ in store.townships()}


def _committee(store, p: Period, _param):
    t = LEDGER_TABLES["cadres"]
    with store.connect() as conn:
        have = set(conn.execute(sa.select(t.c.township).where(
            *stats._serving(t, p.as_of), t.c.post == stats.COMMITTEE_POST)).scalars())
    return {code: (int(code in have), 1) for code, _ in store.townships()}


def _liaison(store, p: Period, _param):
    t = LEDGER_TABLES["cadres"]
    with store.connect() as conn:
        covered = set(conn.execute(sa.select(t.c.village).where(
            *stats._serving(t, p.as_of), t.c.post == stats.LIAISON_POST)).scalars())
    out = {code: [0, 0] for code, _ in store.townships()}
    for vcode, township, _name in store.villages():
        if township in out:
            out[township][1] += 1
            out[township][0] += vcode in covered
    return {k: tuple(v) for k, v in out.items()}


def _quarters_begun(p: Period) -> int:
    if p.quarter:
        return 1
    return sum(1 for q in range(4) if dt.date(p.year, 3 * q + 1, 1) <= p.as_of)


def _activities(store, p: Period, target):
    t = LEDGER_TABLES["activities"]
    with store.connect() as conn:
        counts = dict(conn.execute(sa.select(t.c.township, sa.func.count()).where(
            _alive(t), t.c.held_on.between(p.start, p.as_of), t.c.township.is_not(None)).group_by(t.c.township)).all())
    goal = int(target) * _quarters_begun(p)
    return {code: (counts.get(code, 0), goal) for code, _ in store.townships()}


def _issue_rows(store, p: Period):
    it, st = SUB_TABLES["site_issues"], LEDGER_TABLES["sites"]
    with store.connect() as conn:
        return conn.execute(
            sa.select(st.c.township, st.c.uuid.label("site"), st.c.name, it.c.issue, it.c.deadline, it.c.status,
                      it.c.closed_on)
            .join(st, st.c.uuid == it.c.parent)
            .where(_alive(it), _alive(st), it.c.deadline.is_not(None), it.c.deadline.between(p.start, p.as_of))
        ).mappings().all()


def _issue_on_time(r) -> bool:
    return r["status"] == "2" and r["closed_on"] is not None and r["closed_on"] <= r["deadline"]


def _issues(store, p: Period, _param):
    out = {code: [0, 0] for code, _ in store.townships()}
    for r in _issue_rows(store, p):
        if r["township"] in out:
            out[r["township"]][1] += 1
            out[r["township"]][0] += _issue_on_time(r)
    return {k: tuple(v) for k, v in out.items()}


def _task_rows(store, p: Period):
    t = LEDGER_TABLES["tasks"]
    with store.connect() as conn:
        return conn.execute(
            sa.select(t.c.uuid, t.c.township, t.c.seq, t.c.content, t.c.deadline, t.c.status, t.c.done_on)
            .where(_alive(t), t.c.year == p.year, t.c.township.is_not(None), t.c.deadline.between(p.start, p.as_of),
                   sa.or_(t.c.status.is_(None), t.c.status != CANCELLED))
        ).mappings().all()


def _task_on_time(r) -> bool:
    return r["status"] == DONE and r["done_on"] is not None and r["done_on"] <= r["deadline"]


def _tasks(store, p: Period, _param):
    out = {code: [0, 0] for code, _ in store.townships()}
    for r in _task_rows(store, p):
        if r["township"] in out:
            out[r["township"]][1] += 1
            out[r["township"]][0] += _task_on_time(r)
    return {k: tuple(v) for k, v in out.items()}


def _rep_complete(t, fields):
    return sa.and_(*[sa.and_(t.c[f].is_not(None), sa.func.trim(t.c[f]) != "") if f not in ("birth_date", "recognized_on")
                     else t.c[f].is_not(None) for f in fields])


def _reps(store, p: Period, fields):
    t = LEDGER_TABLES["representatives"]
    complete = _rep_complete(t, fields)
    with store.connect() as conn:
        rows = conn.execute(sa.select(t.c.township, sa.func.count(), sa.func.sum(sa.case((complete, 1), else_=0)))
                            .where(_alive(t), t.c.status == stats.PRESENT_STATUS, t.c.township.is_not(None))
                            .group_by(t.c.township)).all()
    got = {tw: (int(ok or 0), n) for tw, n, ok in rows}
    return {code: got.get(code, (0, 0)) for code, _ in store.townships()}


def _proposal_rows(store, p: Period, months: int):
    t = LEDGER_TABLES["proposals"]
    earliest = stats.add_months(p.start, -int(months)) - dt.timedelta(days=31)
    with store.connect() as conn:
        rows = conn.execute(
            sa.select(t.c.uuid, t.c.township, t.c.title, t.c.assigned_on, t.c.closed_on, t.c.status)
            .where(_alive(t), t.c.kind.in_(("1", "2")), t.c.township.is_not(None), t.c.assigned_on.is_not(None),
                   t.c.assigned_on >= earliest, t.c.assigned_on <= p.as_of)).mappings().all()
    out = []
    for r in rows:
        due = stats.add_months(r["assigned_on"], int(months))
        if p.start <= due <= p.as_of:
            out.append({**r, "due": due})
    return out


def _proposal_on_time(r) -> bool:
    return r["status"] == "60" and r["closed_on"] is not None and r["closed_on"] <= r["due"]


def _proposals(store, p: Period, months):
    out = {code: [0, 0] for code, _ in store.townships()}
    for r in _proposal_rows(store, p, months):
        if r["township"] in out:
            out[r["township"]][1] += 1
            out[r["township"]][0] += _proposal_on_time(r)
    return {k: tuple(v) for k, v in out.items()}


COMPUTE = {"reporting": _reporting, "committee": _committee, "liaison_coverage": _liaison,
           "activities": _activities, "issues_on_time": _issues, "tasks_on_time": _tasks,
           "rep_completeness": _reps, "proposals_on_time": _proposals}


# -- scoring ---------------------------------------------------------------------------------------
def points_of(max_points: float, numerator: int, denominator: int) -> float:
    if denominator <= 0:
        return round(max_points, 2)
    return round(max_points * min(1.0, numerator / denominator), 2)


def rank(totals: list[float]) -> list[int]:
    """Competition ranks, highest first: ties share a rank (1, 1, 3)."""
    return [1 + sum(1 for other in totals if other > t) for t in totals]


@dataclass
class Result:
    period: Period
    townships: list[dict] = field(default_factory=list)
    rubric: list[Indicator] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"year": self.period.year, "quarter": self.period.quarter, "townships": self.townships}


def evaluate(svc, year: int, quarter: int | None = None, *, on: dt.date | None = None,
             township: str | None = None) -> Result:
    """Every township's points per indicator, adjustments, total and rank. On a township
    installation, only its own figures are given (computed by the same code)."""
    store = svc.store
    p = period(int(year), quarter, on)
    items = rubric(store, p.year)
    values = {i.key: COMPUTE[i.rule](store, p, i.value()) for i in items}
    adj = adjustments(store, p)
    rows = []
    for code, name in store.townships():
        scores = []
        for i in items:
            num, den = values[i.key].get(code, (0, 0))
            scores.append(Score(i.key, i.label, points_of(i.points, num, den), i.points, num, den).as_dict())
        extra = adj.get(code, [])
        total = round(sum(s["points"] for s in scores) + sum(a["points"] for a in extra), 2)
        rows.append({"code": code, "name": name, "indicators": scores, "adjustments": extra, "total": total})
    for r, k in zip(rows, rank([r["total"] for r in rows]), strict=True):
        r["rank"] = k
    own = township or store.township
    if own:
        rows = [r for r in rows if r["code"] == own]
    return Result(p, rows, items)


# -- what lies behind a figure ---------------------------------------------------------------------
def behind(svc, year: int, quarter: int | None, township: str, key: str, *, on: dt.date | None = None) -> dict:
    """The records behind one township's figure, so that it can see what to fix:
    ``{title, rule, ledger, uuids, lines}`` — ``uuids`` open in the ledger's table (None when
    the figure is not made of records, e.g. villages or months), ``lines`` say each item."""
    store = svc.store
    p = period(int(year), quarter, on)
    item = next((i for i in rubric(store, p.year) if i.key == key), None)
    if item is None:
        raise UfError(f"{p.year}年度考核细则中没有指标“{key}”。")
    code = resolve_township(store, township)
    name = store.township_name(code)
    rule = item.rule
    out = {"title": f"{name} · {item.label}", "rule": RULES[rule].sentence, "ledger": None, "uuids": None, "lines": []}
    if rule == "liaison_coverage":
        cov = stats.coverage(store, p.as_of)
        out["lines"] = [f"{v}（缺联络员）" for c, tn, v in cov["villages_without_liaison"] if c.startswith(code)]
    elif rule == "committee":
        has = COMPUTE[rule](store, p, None)[code][0]
        out["lines"] = ["已配备统战委员"] if has else [f"截至{p.as_of:%Y-%m-%d}没有在任的乡镇统战委员"]
        out["ledger"] = "cadres"
        t = LEDGER_TABLES["cadres"]
        with store.connect() as conn:
            out["uuids"] = list(conn.execute(sa.select(t.c.uuid).where(_alive(t), t.c.township == code,
                                                                       t.c.post == stats.COMMITTEE_POST)).scalars())
    elif rule == "reporting":
        from ..exchange.completeness import completeness

        m = p.start
        while m <= p.as_of:
            month = f"{m.year}-{m.month:02d}"
            r = next(x for x in completeness(store, month) if x["code"] == code)
            if not r["on_time"]:
                out["lines"].append(f"{month}：" + ("逾期报送" if r["reported"] else "未报送"))
            m = stats.add_months(m, 1)
    elif rule == "activities":
        t = LEDGER_TABLES["activities"]
        with store.connect() as conn:
            rows = conn.execute(sa.select(t.c.uuid, t.c.held_on, t.c.title).where(
                _alive(t), t.c.township == code, t.c.held_on.between(p.start, p.as_of)).order_by(t.c.held_on)).all()
        out.update(ledger="activities", uuids=[r.uuid for r in rows],
                   lines=[f"{r.held_on:%Y-%m-%d} {r.title}" for r in rows])
    elif rule == "issues_on_time":
        rows = [r for r in _issue_rows(store, p) if r["township"] == code and not _issue_on_time(r)]
        out.update(ledger="sites", uuids=sorted({r["site"] for r in rows}),
                   lines=[f"{r['name']}：{r['issue']}（整改时限{r['deadline']:%Y-%m-%d}，"
                          + (f"{r['closed_on']:%Y-%m-%d}销号）" if r["closed_on"] else "未销号）") for r in rows])
    elif rule == "tasks_on_time":
        rows = [r for r in _task_rows(store, p) if r["township"] == code and not _task_on_time(r)]
        out.update(ledger="tasks", uuids=[r["uuid"] for r in rows],
                   lines=[f"{r['seq'] or ''} {r['content']}（完成时限{r['deadline']:%Y-%m-%d}，"
                          + (f"{r['done_on']:%Y-%m-%d}完成）" if r["status"] == DONE and r["done_on"] else "未完成）")
                          for r in rows])
    elif rule == "rep_completeness":
        fields = item.value()
        t = LEDGER_TABLES["representatives"]
        with store.connect() as conn:
            rows = conn.execute(sa.select(t.c.uuid, t.c.name, *[t.c[f] for f in fields]).where(
                _alive(t), t.c.status == stats.PRESENT_STATUS, t.c.township == code,
                sa.not_(_rep_complete(t, fields))).order_by(t.c.sk_stroke)).mappings().all()
        out.update(ledger="representatives", uuids=[r["uuid"] for r in rows],
                   lines=[f"{r['name']}：缺" + "、".join(REP_FIELD_LABELS.get(f, f) for f in fields
                                                        if r[f] is None or str(r[f]).strip() == "") for r in rows])
    elif rule == "proposals_on_time":
        rows = [r for r in _proposal_rows(store, p, item.value()) if r["township"] == code and not _proposal_on_time(r)]
        out.update(ledger="proposals", uuids=[r["uuid"] for r in rows],
                   lines=[f"{r['title']}（交办{r['assigned_on']:%Y-%m-%d}，应于{r['due']:%Y-%m-%d}前办结）" for r in rows])
    return out
