"""The data layer of the reports: plain dicts and lists gathered from the services and the
statistics, so that no template touches the database. Codes are turned into names here, and
ID and phone numbers masked unless the user may see them in full."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import sqlalchemy as sa

from ..domain import COUNTY_KEY
from ..domain.codes import split_multi
from ..domain.errors import NotFound, UfError
from ..services import Services, asat, stats
from ..services import query as Q
from ..services.audit import mask
from ..store.fastpath import stored_rows
from ..store.schema import LEDGER_TABLES, SUB_TABLES
from .page import unit_name


def _alive(t):
    return t.c.deleted == sa.false()


def common(svc: Services, today: dt.date | None = None) -> dict:
    store = svc.store
    return {"unit": unit_name(store), "county": store.county_name, "today": today or dt.date.today(),
            "full_ids": svc.allowed("view_full_ids")}


# -- parameters --------------------------------------------------------------------------------
def resolve_township(store, text: str | None) -> str | None:
    """A township given by code or name → its code ("county" for 县直); None for all."""
    if text is None or str(text).strip() == "":
        return None
    text = str(text).strip()
    if text in (COUNTY_KEY, "县直", store.county_name):
        return COUNTY_KEY
    for code, name in store.townships():
        if text in (code, name):
            return code
    raise UfError(f"找不到乡镇“{text}”：本县没有这个乡镇代码或名称。请用9位乡镇代码（如 "
                  f"{store.townships()[0][0] if store.townships() else '510599100'}）或乡镇名称，"
                  f"县直单位用“县直”。")


def resolve_kind(store, text: str | None) -> str | None:
    """A kind of 工作对象 given by code or Chinese name → its code; None for all."""
    if text is None or str(text).strip() == "":
        return None
    code = store.codebook()["object_kind"].find(str(text).strip())
    if code is None:
        names = "、".join(n for _c, n in store.codebook()["object_kind"].items())
        raise UfError(f"“{text}”不是人士类别。可用的类别：{names}（也可用代码01–12）。")
    return code


def resolve_month(text: str | None, today: dt.date | None = None) -> str:
    """"2026-10" (also 2026.10, 202610, 2026年10月); default last month."""
    if not text:
        return stats.last_months(1, today)[0]
    digits = "".join(ch if ch.isdigit() else " " for ch in str(text)).split()
    if len(digits) == 1 and len(digits[0]) == 6:
        digits = [digits[0][:4], digits[0][4:]]
    if len(digits) != 2 or len(digits[0]) != 4 or not 1 <= int(digits[1]) <= 12:
        raise UfError(f"月份“{text}”格式不对，请写成 YYYY-MM，例如 2026-10。")
    return f"{int(digits[0]):04d}-{int(digits[1]):02d}"


def resolve_date(text) -> dt.date | None:
    """The day a report describes (``--date``), as any date an office writes; None: today."""
    if text in (None, ""):
        return None
    if isinstance(text, dt.date):
        return text
    from ..domain.dates import date_result

    day, problem = date_result(str(text).strip())
    if day is None:
        raise UfError(f"日期“{text}”不对（{problem or '无法识别'}），请写成 YYYY-MM-DD，例如 2026-06-30。")
    if day > dt.date.today():
        raise UfError(f"日期“{text}”晚于今天：报表只能反映今天及以前的情况。")
    return day


def resolve_year(text, today: dt.date | None = None) -> int:
    if text in (None, ""):
        return (today or dt.date.today()).year
    s = str(text).strip().removesuffix("年")
    if not (s.isdigit() and len(s) == 4):
        raise UfError(f"年份“{text}”格式不对，请写成四位数字，例如 2026。")
    return int(s)


def township_where(t, township: str | None) -> tuple:
    if township == COUNTY_KEY:
        return (t.c.township.is_(None),)
    if township:
        return (t.c.township == township,)
    return ()


def township_label(store, township: str | None) -> str:
    return "全县" if township is None else store.township_name(township)


# -- the township reporting table ----------------------------------------------------------------
def completeness(store, month: str) -> list[dict]:
    """Per township: reported, exported_at, imported_at, records, on_time (from the package log)."""
    from ..exchange.completeness import completeness as exchange_completeness

    return exchange_completeness(store, month)


def due_date(store, month: str) -> dt.date:
    from ..exchange.completeness import due_day

    start, end = stats.month_range(month)
    return start.replace(day=min(due_day(store), end.day))


# -- monthly summary ---------------------------------------------------------------------------
def _between(col, start, end):
    return col.between(start, end)


def monthly(svc: Services, month: str, today: dt.date | None = None) -> dict:
    store = svc.store
    today = today or dt.date.today()
    start, end = stats.month_range(month)
    as_of = min(end, today)
    codes = store.codebook()
    out = common(svc, today)
    out.update(month=month, start=start, end=end, as_of=as_of)
    out["activities"] = _activities(store, start, end)
    out["trend"] = stats.per_month(store, "activities", _months_ending(month, 6))
    with store.connect() as conn:  # who left without a date: looked up once for all three figures
        undated = asat.undated_left(conn)
        added, left = asat.register_changes(conn, start, end, undated)
        out["reps_present"] = asat.register_count(conn, as_of, undated)
    reps = {"added": added, "left": left}
    line = _rep_liner(store)
    out["reps_added"] = [line(r) for r in reps["added"]]
    out["reps_left"] = [line(r) | {"reason": r.get("left_reason") or ""} for r in reps["left"]]
    out["proposals"] = _proposals_month(store, start, end, as_of)
    out["sites"] = _sites_month(store, start, end, as_of)
    cc = stats.cadre_changes(store, month)
    post = codes["cadre_post"]
    out["cadres_appointed"] = [_cadre_line(store, post, r) for r in cc["appointed"]]
    out["cadres_left"] = [_cadre_line(store, post, r) for r in cc["left"]]
    out["coverage"] = stats.coverage(store, as_of)
    out["reporting"] = completeness(store, month)
    out["due"] = due_date(store, month)
    from ..services.tasks import month_figures

    out["tasks"] = month_figures(store, month)  # 重点任务 as at the month's end (services.tasks)
    return out


def _months_ending(month: str, n: int) -> list[str]:
    start, _ = stats.month_range(month)
    return [stats.add_months(start, -i).strftime("%Y-%m") for i in range(n - 1, -1, -1)]


def _activities(store, start, end) -> dict:
    t = LEDGER_TABLES["activities"]
    cond = (_alive(t), _between(t.c.held_on, start, end))
    with store.connect() as conn:
        rows = conn.execute(sa.select(t.c.kind, sa.func.count(), sa.func.coalesce(sa.func.sum(t.c.headcount), 0),
                                      sa.func.coalesce(sa.func.sum(t.c.funds), 0))
                            .where(*cond).group_by(t.c.kind)).all()
        listing = conn.execute(sa.select(t.c.held_on, t.c.title, t.c.kind, t.c.township, t.c.headcount)
                               .where(*cond).order_by(t.c.held_on, t.c.id)).all()
    by = {k: (n, hc, funds) for k, n, hc, funds in rows}
    table = store.codebook()["activity_type"]
    by_type = [(c.name, *by.pop(c.code)) for c in table if c.code in by]
    by_type += [(table.name_of(k) or "未填", *v) for k, v in by.items()]
    return {
        "by_type": [{"name": n, "count": c, "headcount": int(h or 0), "funds": float(f or 0)} for n, c, h, f in by_type],
        "by_township": [(name, n) for _c, name, n in stats.township_count(store, "activities", where=cond[1:])],
        "count": sum(r[1] for r in rows),
        "headcount": int(sum(r[2] or 0 for r in rows)),
        "funds": float(sum(r[3] or 0 for r in rows)),
        "list": [{"date": d, "title": ti, "kind": table.name_of(k), "township": store.township_name(tw), "headcount": h}
                 for d, ti, k, tw, h in listing],
    }


def _rep_liner(store):
    """``_rep_line`` with the code tables and township names looked up once (a month of a
    100,000-person county has over a thousand lines)."""
    cb = store.codebook()
    kinds, gender = cb["object_kind"], cb["gender"]
    places = {code: name for code, name in store.townships()}

    def line(r: dict) -> dict:
        tw = r.get("township")
        return {"uuid": r.get("uuid"), "name": r["name"], "gender": gender.name_of(r.get("gender")),
                "township": places.get(tw, tw) if tw not in (None, "county") else store.township_name(tw),
                "kinds": "、".join(kinds.name_of(c) for c in split_multi(r.get("kinds"))),
                "employer": " ".join(x for x in (r.get("employer"), r.get("position")) if x),
                "recognized_on": r.get("recognized_on"), "left_on": r.get("left_on")}
    return line


def _cadre_line(store, post, r: dict) -> dict:
    return {"uuid": r.get("uuid"), "name": r["name"], "post": post.name_of(r.get("post")), "township": store.township_name(r.get("township")),
            "employer": r.get("employer") or "", "appointed_on": r.get("appointed_on"), "left_on": r.get("left_on")}


def _proposals_month(store, start, end, as_of) -> dict:
    """Submitted, replied and closed in the month by the days of those steps (see ``asat``),
    and the proposals overdue on ``as_of`` by their status that day."""
    kind = store.codebook()["proposal_kind"]
    with store.connect() as conn:
        rows = asat.proposal_steps(conn)
    counts: dict[str, Counter] = {"submitted": Counter(), "replied": Counter(), "closed": Counter()}
    for p in rows:
        for key, code in (("submitted", "10"), ("replied", "50"), ("closed", "60")):
            day = asat.step_day(p, code)
            if day is not None and start <= day <= end:
                counts[key][p["kind"]] += 1
    out_rows = []
    for c in kind:
        s, r, cl = (counts[k].get(c.code, 0) for k in ("submitted", "replied", "closed"))
        if s or r or cl:
            out_rows.append({"kind": c.name, "submitted": s, "replied": r, "closed": cl})
    overdue = [_overdue_line(store, p, as_of) for p in stats.overdue_proposals(store, as_of)]
    return {"by_kind": out_rows, "submitted": sum(x["submitted"] for x in out_rows),
            "replied": sum(x["replied"] for x in out_rows), "closed": sum(x["closed"] for x in out_rows),
            "overdue": overdue}


def _overdue_line(store, p: dict, as_of: dt.date) -> dict:
    months = (as_of.year - p["assigned_on"].year) * 12 + as_of.month - p["assigned_on"].month
    return {"title": p["title"], "kind": store.codebook()["proposal_kind"].name_of(p["kind"]),
            "number": p.get("number") or "", "host": p.get("host_unit") or "", "assigned_on": p["assigned_on"],
            "status": store.codebook()["proposal_status"].name_of(p.get("status")), "months": months}


def _sites_month(store, start, end, as_of) -> dict:
    """Inspections and issues found and closed in the month; the issues open on ``as_of``."""
    ins, iss, st = SUB_TABLES["site_inspections"], SUB_TABLES["site_issues"], LEDGER_TABLES["sites"]
    with store.connect() as conn:
        inspections = conn.execute(
            sa.select(ins.c.inspected_on, st.c.name, st.c.township).join(st, st.c.uuid == ins.c.parent)
            .where(_alive(ins), _alive(st), _between(ins.c.inspected_on, start, end)).order_by(ins.c.inspected_on)).all()
        found = conn.execute(sa.select(sa.func.count()).select_from(iss.join(st, st.c.uuid == iss.c.parent)).where(
            _alive(iss), _alive(st), _between(iss.c.found_on, start, end))).scalar_one()
        closed = conn.execute(sa.select(sa.func.count()).select_from(iss.join(st, st.c.uuid == iss.c.parent)).where(
            _alive(iss), _alive(st), iss.c.found_on <= end, asat.issue_closed_between(iss, start, end))).scalar_one()
        open_rows = asat.open_issue_rows(conn, as_of)
    return {
        "inspections": len(inspections),
        "inspected_sites": len({n for _d, n, _t in inspections}),
        "found": found, "closed": closed, "open": len(open_rows),
        "open_overdue": sum(1 for r in open_rows if r["overdue"]),
        "open_list": [_issue_line(store, r) for r in open_rows],
    }


def _issue_line(store, r: dict) -> dict:
    return {"site": r.get("site_name") or "", "township": store.township_name(r.get("site_township") or r.get("township")),
            "issue": r.get("issue") or "", "measure": r.get("measure") or "", "found_on": r.get("found_on"),
            "deadline": r.get("deadline"), "closed_on": r.get("closed_on"),
            "status": store.codebook()["issue_status"].name_of(r.get("status")), "overdue": bool(r.get("overdue"))}


# -- roster --------------------------------------------------------------------------------------
ROSTER_COLUMNS = ("name", "gender", "ethnicity", "birth_date", "party", "education", "employer", "position",
                  "kinds", "township", "id_number", "mobile", "sort_no")


def roster(svc: Services, township: str | None = None, kind: str | None = None, order: str = "stroke",
           status: str | None = None, on: dt.date | None = None) -> dict:
    """The 花名册: the people in the register on day ``on`` (default today; or, given ``status``,
    those of that status today), 按姓氏笔画 (order "stroke") or 按排序号 ("sort_no")."""
    store = svc.store
    on = on or dt.date.today()
    filters: dict = {}
    if kind:
        filters["kinds"] = kind
    if status:
        filters["status"] = status
    q = Q.Query("representatives", township=township, filters=filters, sort="sort_no" if order == "sort_no" else None)
    rows = svc.page(q, 0, 10**9, columns=["uuid", *ROSTER_COLUMNS])
    if not status:
        t = LEDGER_TABLES["representatives"]
        with store.connect() as conn:
            present = set(conn.execute(sa.select(t.c.uuid).where(*asat.register_on(conn, on),
                                                                 *township_where(t, township))).scalars())
        rows = [r for r in rows if r["uuid"] in present]
    cb = store.codebook()
    full = svc.allowed("view_full_ids")
    names = {c: cb[c] for c in ("gender", "ethnicity", "party", "education", "object_kind")}
    tw = dict(store.townships())
    out_rows = []
    for r in rows:
        out_rows.append({
            "name": r["name"], "gender": names["gender"].name_of(r["gender"]),
            "ethnicity": names["ethnicity"].name_of(r["ethnicity"]),
            "birth": f"{r['birth_date'].year}.{r['birth_date'].month:02d}" if r["birth_date"] else "",
            "party": names["party"].name_of(r["party"]), "education": names["education"].name_of(r["education"]),
            "work": " ".join(x for x in (r["employer"], r["position"]) if x),
            "kinds": "、".join(names["object_kind"].name_of(c) for c in split_multi(r["kinds"])),
            "township": tw.get(r["township"]) if r["township"] else "县直",
            "id_number": (r["id_number"] or "") if full else mask(r["id_number"], "idcard"),
            "mobile": (r["mobile"] or "") if full else mask(r["mobile"], "mobile"),
        })
    return common(svc) | {"rows": out_rows, "township": township_label(store, township),
                          "kind": cb["object_kind"].name_of(kind) if kind else "", "order": order, "as_of": on}


# -- structure -----------------------------------------------------------------------------------
EDUCATION_BANDS = (("1", "研究生"), ("2", "大学本科"), ("3", "大学专科"), ("4", "中等职业教育"), ("6", "普通高中"),
                   ("7", "初中及以下"), ("8", "初中及以下"), ("9", "其他"))


STRUCTURE_FIELDS = ("uuid", "township", "party", "gender", "ethnicity", "education", "kinds", "birth_date",
                    "nonparty_cadre", "reserve")


def structure(svc: Services, township: str | None = None, today: dt.date | None = None,
              on: dt.date | None = None) -> dict:
    """The register on day ``on`` (default: today) by kind, party, age that day, education, gender,
    ethnicity and the political arrangements whose term is current that day. The register is
    read once (one pass over the table, the few columns counted) and counted here: a
    100,000-person county in well under a second."""
    store = svc.store
    on = on or today or dt.date.today()
    t = LEDGER_TABLES["representatives"]
    cols = [t.c[c] for c in STRUCTURE_FIELDS]
    with store.connect() as conn:
        where = (*asat.register_on(conn, on), *township_where(t, township))
        people = stored_rows(conn, sa.select(*cols).where(*where))
        held = _arrangements(store, conn, {p[0] for p in people}, on)
    out = common(svc, today) | {"township": township_label(store, township), "as_of": on}
    ix = {c: i for i, c in enumerate(STRUCTURE_FIELDS)}

    def tally(field):
        return [(name or "未填", n) for _c, name, n in
                stats.counted(store, "representatives", field, Counter(p[ix[field]] for p in people).items())]

    out["total"] = len(people)
    out["nonparty_cadres"] = sum(1 for p in people if p[ix["nonparty_cadre"]])
    out["reserve"] = sum(1 for p in people if p[ix["reserve"]])
    for key in ("kinds", "party", "gender", "ethnicity"):
        out[key] = tally(key)
    edu = Counter()
    for p in people:
        edu[dict(EDUCATION_BANDS).get((p[ix["education"]] or "")[:1], "未填")] += 1
    order = [b for _c, b in EDUCATION_BANDS] + ["未填"]
    out["education"] = [(b, edu[b]) for b in dict.fromkeys(order) if edu[b]]
    out["age"] = stats.ages_of([p[ix["birth_date"]] for p in people], on)
    han = sum(n for name, n in out["ethnicity"] if name == "汉族")
    hm = [("汉族", han), ("少数民族", sum(n for name, n in out["ethnicity"] if name not in ("汉族", "未填"))),
          ("未填", sum(n for name, n in out["ethnicity"] if name == "未填"))]
    out["han_minority"] = [(name, n) for name, n in hm if n]
    out["arrangements"] = held
    if township is None:
        per = Counter(p[ix["township"]] for p in people)
        out["by_township"] = [(name, per.get(code, 0)) for code, name in store.townships()]
        if per.get(None):
            out["by_township"].append((store.township_name(None), per[None]))
    else:
        out["by_township"] = []
    return out


def current_term(a, on: dt.date) -> tuple:
    """An arrangement held on day ``on``: 当选 ≤ D < 到届 (an empty date does not limit it)."""
    return (sa.or_(a.c.elected_on.is_(None), a.c.elected_on <= on), sa.or_(a.c.term_end.is_(None), a.c.term_end > on))


def _arrangements(store, conn, present: set[str], on: dt.date) -> dict:
    """People holding a current term, once per body and level however many rows say so (an
    expired term, or the same term entered twice, adds nothing); ``present``: the register."""
    a = SUB_TABLES["rep_arrangements"]
    rows = [r for r in conn.execute(sa.select(a.c.parent, a.c.body, a.c.level, a.c.standing).where(
        _alive(a), *current_term(a, on))) if r[0] in present]
    by: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    standing: dict[str, set] = defaultdict(set)
    for parent, body, level, std in rows:
        by[body][level].add(parent)
        if std:
            standing[body].add(parent)
    cb = store.codebook()
    levels = cb["arrangement_level"]
    table = []
    for c in cb["arrangement_body"]:
        cells = [(lv.name, len(by[c.code][lv.code])) for lv in levels]
        table.append({"body": c.name, "levels": cells, "total": sum(n for _l, n in cells),
                      "standing": len(standing[c.code])})
    return {"rows": table, "levels": [lv.name for lv in levels], "persons": len({p for p, *_r in rows})}


# -- one person ----------------------------------------------------------------------------------
def person(svc: Services, ident: str) -> dict:
    """A representative by UUID (or by name, when exactly one has it) for the 登记表."""
    store = svc.store
    ident = (ident or "").strip()
    if not ident:
        raise UfError("请用 --id 指定代表人士（UUID 或姓名）。")
    try:
        rec = svc.get("representatives", ident)
    except NotFound:
        found = svc.find_by("representatives", name=ident)
        if len(found) != 1:
            raise NotFound(f"找不到代表人士“{ident}”：没有这个 UUID 的记录"
                           + ("，同名的有多人，请改用 UUID。" if found else "，也没有叫这个名字的人。")) from None
        rec = svc.get("representatives", found[0]["uuid"])
    if rec.get("deleted"):
        raise NotFound(f"代表人士“{ident}”已被删除。")
    cb = store.codebook()
    full = svc.allowed("view_full_ids")
    photos = svc.attachments(rec["uuid"], "photo")
    n = cb.name_of
    arr = [f"{n('arrangement_body', a['body'])}（{n('arrangement_level', a['level'])}级"
           f"{'，' + a['term'] if a.get('term') else ''}{'，常委' if a.get('standing') else ''}）"
           for a in rec["subs"].get("rep_arrangements", [])]
    base = common(svc)
    birth = rec.get("birth_date")
    today = base["today"]
    return base | {
        "name": rec["name"], "gender": n("gender", rec.get("gender")), "ethnicity": n("ethnicity", rec.get("ethnicity")),
        "birth": birth, "age": today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if birth else None, "native_place": rec.get("native_place") or "",
        "party": n("party", rec.get("party")), "party_joined": rec.get("party_joined"),
        "education": n("education", rec.get("education")), "degree": n("degree", rec.get("degree")),
        "pro_title": rec.get("pro_title") or "", "employer": rec.get("employer") or "", "position": rec.get("position") or "",
        "kinds": "、".join(n("object_kind", c) for c in split_multi(rec.get("kinds"))),
        "id_number": (rec.get("id_number") or "") if full else mask(rec.get("id_number"), "idcard"),
        "mobile": (rec.get("mobile") or "") if full else mask(rec.get("mobile"), "mobile"),
        "address": rec.get("address") or "", "township": store.township_name(rec.get("township")),
        "status": n("rep_status", rec.get("status")), "recognized_on": rec.get("recognized_on"),
        "nonparty_cadre": bool(rec.get("nonparty_cadre")), "cadre_rank": n("cadre_rank", rec.get("cadre_rank")),
        "reserve": bool(rec.get("reserve")), "contact_leader": rec.get("contact_leader") or "",
        "resume": rec.get("resume") or "", "notes": rec.get("notes") or "", "arrangements": arr,
        "trainings": [f"{_ym(r.get('start_on'))} {r.get('course') or ''}" for r in rec["subs"].get("rep_trainings", [])],
        "honours": [f"{_ym(r.get('award_on'))} {r.get('honour') or ''}" for r in rec["subs"].get("rep_honours", [])],
        "secondments": [f"{_ym(r.get('start_on'))} {r.get('unit') or ''}{r.get('post') or ''}"
                        for r in rec["subs"].get("rep_secondments", [])],
        "photo": photos[-1]["content"] if photos else None,
    }


def _ym(d) -> str:
    return f"{d.year}.{d.month:02d}" if d else ""


# -- sites ---------------------------------------------------------------------------------------
def sites(svc: Services, township: str | None = None, today: dt.date | None = None,
          on: dt.date | None = None) -> dict:
    """The sites (today's particulars) and the 问题整改台账 as at day ``on`` (default today): the
    issues found by then, open or closed as they stood that day."""
    store = svc.store
    today = today or dt.date.today()
    on = on or today
    cb = store.codebook()
    t, iss = LEDGER_TABLES["sites"], SUB_TABLES["site_issues"]
    order = {c: i for i, (c, _n) in enumerate(store.townships())}
    rows = [dict(r) for r in svc.find_by("sites")]
    rows = [r for r in rows if _in_township(r.get("township"), township)]
    rows.sort(key=lambda r: (order.get(r["township"], -1), r["religion"] or "", r["name"]))
    full = svc.allowed("view_full_ids")
    listing = [{"name": r["name"], "religion": cb.name_of("religion", r["religion"]),
                "type": cb.name_of("site_type", r["site_type"]), "reg_no": r["reg_no"] or "",
                "township": store.township_name(r["township"]), "leader": r["leader"] or "",
                "phone": (r["leader_phone"] or "") if full else mask(r["leader_phone"], "phone"),
                "clergy": r["clergy_count"], "believers": r["believers"], "rating": cb.name_of("site_rating", r["rating"]),
                "model": "是" if r["model_site"] else "", "status": cb.name_of("site_status", r["status"])} for r in rows]
    by_rel: dict[str, list[int]] = {}
    for r in rows:
        v = by_rel.setdefault(r["religion"], [0, 0, 0])
        v[0] += 1
        v[1] += r["clergy_count"] or 0
        v[2] += r["believers"] or 0
    religions = [(c.name, *by_rel[c.code]) for c in cb["religion"] if c.code in by_rel]
    with store.connect() as conn:
        issues = conn.execute(
            sa.select(iss, t.c.name.label("site_name"), t.c.township.label("site_township"))
            .join(t, t.c.uuid == iss.c.parent).where(_alive(iss), _alive(t), iss.c.found_on <= on,
                                                      *township_where(t, township))
        ).mappings().all()
        still_open = {r[0] for r in conn.execute(sa.select(iss.c.id).where(*asat.issue_open_on(iss, on)))}
    lines = []
    for r in issues:
        r = dict(r)
        is_open = r["id"] in still_open
        r["overdue"] = is_open and bool(r["deadline"] and r["deadline"] < on)
        if is_open:  # as it stood that day: not yet closed
            r["status"], r["closed_on"] = stats.OPEN_ISSUE, None
        lines.append(_issue_line(store, r) | {"open": is_open})
    far = dt.date(9999, 12, 31).toordinal()

    def key(x):  # open first, overdue first among them, by deadline; then the closed, latest first
        if x["open"]:
            return (0, not x["overdue"], x["deadline"].toordinal() if x["deadline"] else far)
        return (1, False, -(x["closed_on"].toordinal() if x["closed_on"] else 0))

    lines.sort(key=key)
    return common(svc, today) | {"sites": listing, "religions": religions, "issues": lines,
                                 "township": township_label(store, township), "as_of": on}


def _in_township(value, township) -> bool:
    if township is None:
        return True
    if township == COUNTY_KEY:
        return value is None
    return value == township


# -- proposals -----------------------------------------------------------------------------------
def proposals(svc: Services, year: int, today: dt.date | None = None, on: dt.date | None = None) -> dict:
    """The year's proposals as at day ``on`` (default: today, at most the year's last day): those
    submitted by then, each with its status that day (its last dated step)."""
    store = svc.store
    today = today or dt.date.today()
    cb = store.codebook()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    as_of = min(end, on or today)
    with store.connect() as conn:
        rows = []
        for r in asat.proposal_steps(conn):
            sub = asat.step_day(r, "10")
            status = asat.status_on(r, as_of)
            if sub is not None and start <= sub <= end and status is not None:
                rows.append(r | {"status": status, "replied": status in ("50", "60")})
    kinds = []
    for c in cb["proposal_kind"]:
        mine = [r for r in rows if r["kind"] == c.code]
        if not mine:
            continue
        kinds.append({"kind": c.name, "count": len(mine),
                      "accepted": sum(1 for r in mine if r["status"] not in ("10", "21", None)),
                      "replied": sum(1 for r in mine if r["replied"]),
                      "closed": sum(1 for r in mine if r["status"] == "60"),
                      "adopted": sum(1 for r in mine if r["adoption"] not in (None, "", "0"))})

    def tally(field, table):
        counts = Counter(r[field] or None for r in rows)
        out = [(c.name, counts.pop(c.code)) for c in cb[table] if counts.get(c.code)]
        if counts.get(None):
            out.append(("未填", counts.pop(None)))
        return out + [(str(k), v) for k, v in counts.items() if v]

    overdue = [_overdue_line(store, p, as_of) for p in stats.overdue_proposals(store, as_of)
               if p["submitted_on"] and start <= p["submitted_on"] <= end]
    return common(svc, today) | {"year": year, "total": len(rows), "by_kind": kinds,
                                 "by_status": tally("status", "proposal_status"),
                                 "by_result": tally("result", "proposal_result"),
                                 "by_satisfaction": tally("satisfaction", "satisfaction"),
                                 "by_domain": tally("domain", "proposal_domain"), "overdue": overdue, "as_of": as_of}


# -- cadres --------------------------------------------------------------------------------------
TENURE_BANDS = (("不满半年", 0, 6), ("半年至1年", 6, 12), ("1至3年", 12, 36), ("3年以上", 36, 10**6))


def cadres(svc: Services, today: dt.date | None = None, on: dt.date | None = None) -> dict:
    """Cadres serving on day ``on`` (default today), coverage that day, departures in the year to it."""
    store = svc.store
    printed = today
    today = on or today or dt.date.today()
    t = LEDGER_TABLES["cadres"]
    with store.connect() as conn:
        serving = [dict(r) for r in conn.execute(sa.select(t).where(
            _alive(t), sa.or_(t.c.left_on.is_(None), t.c.left_on > today),
            sa.or_(t.c.appointed_on.is_(None), t.c.appointed_on <= today))).mappings()]
        year_ago = stats.add_months(today, -12)
        left = Counter(conn.execute(sa.select(t.c.township).where(
            _alive(t), t.c.left_on.between(year_ago, today))).scalars())
    cov = stats.coverage(store, today)
    no_committee = {c for c, _n in cov["townships_without_committee"]}
    villages_missing: dict[str, list[str]] = defaultdict(list)
    for code, _twname, vname in cov["villages_without_liaison"]:
        villages_missing[code[:9]].append(vname)
    by_tw: dict = defaultdict(list)
    for r in serving:
        by_tw[r["township"]].append(r)
    rows = []
    for code, name in store.townships():
        mine = by_tw.get(code, [])
        committee = [r["name"] for r in mine if r["post"] == stats.COMMITTEE_POST]
        villages = len(store.villages(code))
        missing = villages_missing.get(code, [])
        rows.append({"code": code, "township": name, "committee": "、".join(committee),
                     "committee_fulltime": any(r["post"] == stats.COMMITTEE_POST and r["fulltime"] == "1" for r in mine),
                     "officers": sum(1 for r in mine if r["post"] == "03"),
                     "liaisons": sum(1 for r in mine if r["post"] == stats.LIAISON_POST),
                     "villages": villages, "covered": villages - len(missing), "missing": missing,
                     "no_committee": code in no_committee, "total": len(mine), "left_year": left.get(code, 0),
                     "avg_months": _avg_months(mine, today)})
    county = by_tw.get(None, [])
    if county or left.get(None):  # 部机关及县直: in the 合计 as in the text above the table
        rows.append({"code": None, "township": "部机关及县直", "county": True, "committee": "", "committee_fulltime": False,
                     "officers": sum(1 for r in county if r["post"] == "03"),
                     "liaisons": sum(1 for r in county if r["post"] == stats.LIAISON_POST), "villages": 0, "covered": 0,
                     "missing": [], "no_committee": False, "total": len(county), "left_year": left.get(None, 0),
                     "avg_months": _avg_months(county, today)})
    tenure = Counter()
    for r in serving:
        if r["appointed_on"]:
            m = _months(r["appointed_on"], today)
            tenure[next(label for label, lo, hi in TENURE_BANDS if lo <= m < hi)] += 1
    by_post = [(name, n) for _c, name, n in stats.group_count(store, "cadres", "post", (
        sa.or_(t.c.left_on.is_(None), t.c.left_on > today), sa.or_(t.c.appointed_on.is_(None), t.c.appointed_on <= today)))]
    return common(svc, printed) | {
        "rows": rows, "county_staff": len(by_tw.get(None, [])), "serving": len(serving), "by_post": by_post,
        "tenure": [(label, tenure[label]) for label, _lo, _hi in TENURE_BANDS],
        "without_committee": len(no_committee), "villages": cov["villages"],
        "villages_without": len(cov["villages_without_liaison"]), "townships": cov["townships"],
        "left_year": sum(left.values()), "as_of": today,
    }


def _months(since: dt.date, today: dt.date) -> int:
    return (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day)


def _avg_months(rows, today) -> float | None:
    ms = [_months(r["appointed_on"], today) for r in rows if r["appointed_on"]]
    return sum(ms) / len(ms) if ms else None


# -- chambers ------------------------------------------------------------------------------------
def chambers(svc: Services, township: str | None = None) -> dict:
    store = svc.store
    cb = store.codebook()
    rows = [r for r in svc.find_by("chambers") if _in_township(r.get("township"), township)]
    type_order = {c.code: i for i, c in enumerate(cb["chamber_type"])}
    tw_order = {code: i for i, (code, _n) in enumerate(store.townships())}  # 县直 first, then in the county's order
    from ..store.sortkeys import pinyin_key

    rows.sort(key=lambda r: (type_order.get(r["kind"], 99), tw_order.get(r["township"], -1) if r["township"] else -1,
                             pinyin_key(r["name"])))  # within a type: by township, then name (拼音)
    listing = [{"name": r["name"], "type": cb.name_of("chamber_type", r["kind"]), "level": cb.name_of("org_level", r["level"]),
                "township": store.township_name(r["township"]) if r["township"] else "县直",
                "founded": r["founded_on"], "leader": r["leader"] or "", "secretary": r["secretary"] or "",
                "members": r["member_count"], "phone": r["phone"] or "", "credit_code": r["credit_code"] or "",
                "status": cb.name_of("org_status", r["status"])} for r in rows]
    by_type = Counter(x["type"] for x in listing)
    members = Counter()
    for x in listing:
        members[x["type"]] += x["members"] or 0
    types = [(c.name, by_type[c.name], members[c.name]) for c in cb["chamber_type"] if by_type[c.name]]
    return common(svc) | {"rows": listing, "by_type": types, "township": township_label(store, township)}
