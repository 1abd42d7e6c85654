"""The demo county: reproducible, valid, and with the gaps and backlogs the reports must show."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import sqlalchemy as sa

from ufdesk.domain import LEDGERS, SUBS
from ufdesk.domain.codes import CodeBook, split_multi
from ufdesk.domain.errors import StoreError
from ufdesk.domain.validators import (
    RELIGION_LETTER,
    check_id_number,
    check_mobile,
    check_site_reg,
    check_uscc,
)
from ufdesk.services.demo import COUNTY_CODE, build_demo, townships_lacking_committee

SEED = 4242
SIZE = 300
# Columns that differ between two builds by design: clock times and the installation id.
VOLATILE = {"created_at", "updated_at", "changed_by", "born", "vv", "clock"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = build_demo(tmp_path_factory.mktemp("demo") / "demo.db", size=SIZE, seed=SEED)
    yield s
    s.close()


def rows(store, table: str, where: str = "") -> list[dict]:
    with store.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text(f"SELECT * FROM {table} {where} ORDER BY id")).mappings()]


def digest(store, table: str) -> str:
    h = hashlib.sha256()
    for r in rows(store, table):
        h.update(repr(sorted((k, v) for k, v in r.items() if k not in VOLATILE)).encode())
    return h.hexdigest()


def today() -> dt.date:
    return dt.date.today()


def as_date(v) -> dt.date | None:
    return dt.date.fromisoformat(v) if isinstance(v, str) else v


def test_same_seed_same_records(store, tmp_path):
    other = build_demo(tmp_path / "again.db", size=SIZE, seed=SEED)
    try:
        for table in ("representatives", "rep_arrangements", "proposals", "activity_participants"):
            assert digest(other, table) == digest(store, table), table
    finally:
        other.close()
    third = build_demo(tmp_path / "other.db", size=SIZE, seed=SEED + 1)
    try:
        assert digest(third, "representatives") != digest(store, "representatives")
    finally:
        third.close()


def test_places(store):
    assert store.county_code == COUNTY_CODE
    townships = store.townships()
    assert len(townships) == 20
    assert all(re.fullmatch(COUNTY_CODE + r"\d{3}", c) for c, _ in townships)
    assert all(n.endswith(("镇", "乡", "街道")) for _, n in townships)
    for code, _ in townships:
        villages = store.villages(code)
        assert 5 <= len(villages) <= 15
        assert all(v[0].startswith(code) and len(v[0]) == 12 and v[2].endswith(("村", "社区")) for v in villages)


def test_every_ledger_and_sub_record_filled(store):
    for name in [*LEDGERS, *SUBS]:
        assert rows(store, name), name
    assert len(rows(store, "representatives")) == SIZE


def test_codes_are_valid(store):
    book = store.codebook()  # the shipped tables, and the townships as 责任单位
    assert set(CodeBook.defaults()["task_unit"]._by_code) < set(book["task_unit"]._by_code)
    for name, lg in LEDGERS.items():
        fields = [f for f in lg.fields if f.is_code]
        for r in rows(store, name):
            for f in fields:
                values = split_multi(r[f.name]) if f.type == "codes" else [r[f.name]] if r[f.name] else []
                for v in values:
                    assert v in book[f.code], (name, f.name, v)
    for name, (_, sub) in SUBS.items():
        fields = [f for f in sub.fields if f.is_code]
        for r in rows(store, name):
            for f in fields:
                if r[f.name]:
                    assert r[f.name] in book[f.code], (name, f.name, r[f.name])


def test_representatives_are_plausible(store):
    reps = rows(store, "representatives")
    ids = [r["id_number"] for r in reps]
    assert len(set(ids)) == len(ids)
    for r in reps:
        born = as_date(r["birth_date"])
        assert check_id_number(r["id_number"], born, r["gender"]) is None
        assert r["id_number"][:6] == COUNTY_CODE
        assert 25 <= (today() - born).days / 365.25 <= 80.1
        assert check_mobile(r["mobile"]) is None
        kinds = split_multi(r["kinds"])
        if r["party"] in ("04", "05", "06", "07", "08", "09", "10", "11"):
            assert "01" in kinds
        if r["party"] == "12":
            assert "02" in kinds
        if r["status"] in ("2", "3"):
            assert r["left_on"] and r["left_reason"]
        else:
            assert r["left_on"] is None
    statuses = {r["status"] for r in reps}
    assert statuses == {"1", "2", "3"}
    assert {r["party"] for r in reps} >= {"04", "05", "06", "12", "13"}
    assert any("伟" in r["name"] for r in reps)
    assert any(len(r["name"]) == 2 for r in reps) and any(len(r["name"]) == 3 for r in reps)
    # A few dozen (here: a few) recognised in each of the last twelve months.
    months = {as_date(r["recognized_on"]).strftime("%Y-%m") for r in reps}
    first = today().replace(day=1)
    for back in range(1, 13):
        m = (first.year * 12 + first.month - 1 - back)
        assert f"{m // 12:04d}-{m % 12 + 1:02d}" in months


def test_arrangements_respect_levels(store):
    for r in rows(store, "rep_arrangements"):
        if r["body"] == "2":
            assert r["level"] in ("1", "2", "3", "4")  # 政协 has no township level
        assert r["term"].startswith("第") and r["term"].endswith("届")


def test_credit_codes_and_site_numbers(store):
    chambers = [r for r in rows(store, "chambers") if r["credit_code"]]
    assert len(rows(store, "chambers")) >= 30 and chambers
    for r in chambers:
        assert check_uscc(r["credit_code"], "51") is None
    sites = rows(store, "sites")
    assert len(sites) >= 50
    for r in sites:
        assert check_uscc(r["credit_code"], "71") is None
        assert check_site_reg(r["reg_no"]) is None
        letter = re.search(r"[TJFDY](?=\d{9}$)", r["reg_no"]).group()
        assert RELIGION_LETTER[letter] == r["religion"]
    codes = [r["credit_code"] for r in chambers + sites]
    assert len(codes) == len(set(codes))
    assert {r["religion"] for r in sites} == {"1", "2", "3", "4", "5"}
    members = rows(store, "chamber_members", "WHERE member IS NOT NULL")
    rep_ids = {r["uuid"] for r in rows(store, "representatives")}
    assert members and all(m["member"] in rep_ids for m in members)


def test_some_sites_have_an_open_overdue_issue(store):
    issues = rows(store, "site_issues")
    overdue = [i for i in issues if i["status"] == "1" and as_date(i["deadline"]) < today()]
    assert len({i["parent"] for i in overdue}) >= 3
    assert any(i["status"] == "2" and i["closed_on"] for i in issues)
    assert all(i["closed_on"] is None for i in issues if i["status"] == "1")


def test_proposals_cover_every_status(store):
    props = rows(store, "proposals")
    assert {p["status"] for p in props} == {"10", "20", "21", "30", "40", "50", "60"}
    assert {p["kind"] for p in props} == {"1", "2", "3", "4", "5"}
    for p in props:
        if p["status"] in ("30", "40", "50", "60") and p["kind"] in ("1", "2"):
            assert p["assigned_on"]
        if p["status"] in ("50", "60"):
            assert p["replied_on"]
        if p["status"] == "60":
            assert p["closed_on"]
    limit = today() - dt.timedelta(days=92)
    overdue = [p for p in props if p["kind"] in ("1", "2") and p["status"] != "60"
               and p["assigned_on"] and as_date(p["assigned_on"]) < limit]
    assert len(overdue) >= 3
    names = {r["uuid"]: r["name"] for r in rows(store, "representatives")}
    proposers = rows(store, "proposal_proposers")
    by_parent: dict[str, list[str]] = {}
    for pp in proposers:
        by_parent.setdefault(pp["parent"], []).append(names[pp["person"]])
    for p in props:
        if p["uuid"] in by_parent:
            assert p["proposer_names"] == "、".join(by_parent[p["uuid"]])


def test_exactly_the_intended_townships_lack_a_committee_member(store):
    cadres = rows(store, "cadres")
    covered = {c["township"] for c in cadres if c["post"] == "02" and c["left_on"] is None}
    lacking = sorted(c for c, _ in store.townships() if c not in covered)
    assert lacking == townships_lacking_committee(SEED)
    assert len(lacking) == 3
    villages = {v[0] for v in store.villages()}
    liaised = {c["village"] for c in cadres if c["post"] == "04" and c["left_on"] is None}
    assert liaised < villages  # some villages lack a 联络员, deliberately
    assert any(c["left_on"] for c in cadres)
    assert any(c["township"] is None and c["post"] == "01" for c in cadres)
    for c in cadres:
        assert check_id_number(c["id_number"], as_date(c["birth_date"]), c["gender"]) is None


def test_activities_span_the_last_twelve_months(store):
    acts = rows(store, "activities")
    months = sorted({as_date(a["held_on"]).strftime("%Y-%m") for a in acts})
    assert len(months) == 12
    last = today().replace(day=1) - dt.timedelta(days=1)
    assert months[-1] == last.strftime("%Y-%m")
    assert any(a["township"] is None for a in acts) and any(a["township"] for a in acts)
    assert any(a["funds"] for a in acts)
    counts: dict[str, int] = {}
    for a in acts:
        key = as_date(a["held_on"]).strftime("%Y-%m")
        counts[key] = counts.get(key, 0) + 1
    assert all(15 <= n <= 40 for n in counts.values())


def test_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "x.db"
    path.write_bytes(b"not a database")
    with pytest.raises(StoreError):
        build_demo(path, size=20, seed=1)
    assert path.read_bytes() == b"not a database"
    seen = []
    s = build_demo(path, size=20, seed=1, force=True, progress=lambda d, t, m: seen.append((d, t, m)))
    try:
        assert len(rows(s, "representatives")) == 20
    finally:
        s.close()
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
