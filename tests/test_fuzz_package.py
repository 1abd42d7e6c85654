"""Bad packages never crash the package importer or half-write the database.

Outside the encryption: a real package cut short, with flipped bits, a wrong passphrase, absurd
work factors, random bytes. Inside it (a package sealed with the right passphrase by a careless
or hostile sender): a broken zip, a zip bomb, manifests and rows from hypothesis. Every case ends
in a clear message (``UfError``) with the receiving database unchanged, or in an import that
leaves it sound."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import time
import zipfile

import pytest
from fuzz_helpers import bit_flips, fingerprint, sound, truncations, zip_bomb_member
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ufdesk.domain.errors import UfError
from ufdesk.exchange import package_export as E
from ufdesk.exchange import package_import as I
from ufdesk.exchange.package import build_zip, open_bytes, seal
from ufdesk.services import Services
from ufdesk.store import Store

PW = "县里的交换口令-2026"
T1 = "510599100"
PLACES = [(T1, "城关镇"), ("510599101", "河东乡")]


class Work(dict):
    """The fixture's parts (a short repr keeps hypothesis' reports readable)."""

    def __repr__(self) -> str:
        return "<fuzz work>"


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    d = tmp_path_factory.mktemp("fuzz_pkg")
    town = Services(Store.create(d / "town.db", county_code="510599", county_name="测试县", townships=PLACES,
                                 township=T1), user="乡镇")
    county = Services(Store.create(d / "county.db", county_code="510599", county_name="测试县", townships=PLACES),
                      user="县里")
    for i in range(6):
        uuid = town.create("representatives", {"name": f"代表{i}", "gender": "1", "mobile": "13812345678",
                                                "resume": "简历" * i},
                           subs={"rep_trainings": [{"course": "培训班", "start_on": dt.date(2025, 3, 1)}]} if i % 2 else None).uuid
        if i == 5:
            town.update("representatives", uuid, {"name": "代表五"})
    town.create("chambers", {"name": "县工商联", "kind": "01"})
    data, manifest = E.run(E.build(town.store, passphrase=PW, to="county"))
    pkg = open_bytes(data, PW)
    yield Work(dir=d, county=county, data=data, manifest=dict(pkg.manifest), members=dict(pkg.members))
    town.store.close()
    county.store.close()


def attempt(work, name: str, data: bytes, passphrase: str = PW) -> str:
    county = work["county"]
    db = county.store.path
    path = work["dir"] / name
    path.write_bytes(data)
    before = fingerprint(db)
    try:
        pkg = I.read_file(path, passphrase)
        result = I.run(I.import_package(county.store, pkg, user=county.user))
    except UfError as exc:
        assert str(exc).strip(), f"{name}: an empty message"
        assert fingerprint(db) == before, f"{name}: refused, yet the database changed"
        return "refused"
    assert result.lines() is not None
    sound(db)
    return "imported"


def resealed(work, manifest=None, members=None, *, keep_hashes: bool = False) -> bytes:
    manifest = dict(work["manifest"] if manifest is None else manifest)
    members = dict(work["members"] if members is None else members)
    if not keep_hashes:
        manifest.pop("members", None)
        return seal(build_zip(manifest, members), PW)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
        for n, b in members.items():
            z.writestr(n, b)
    return seal(buf.getvalue(), PW)


def test_the_real_package_imports_and_a_second_time_changes_nothing(work):
    assert attempt(work, "real.ufpkg", work["data"]) == "imported"
    before = fingerprint(work["county"].store.path)
    assert attempt(work, "again.ufpkg", work["data"]) == "imported"
    assert fingerprint(work["county"].store.path) == before


# -- outside the encryption ----------------------------------------------------------------------
def test_cut_flipped_and_wrongly_locked_packages_are_refused(work):
    data = work["data"]
    for label, bad in truncations(data) + bit_flips(data, 40, seed=11):
        assert attempt(work, f"{label}.ufpkg", bad) == "refused", label
    assert attempt(work, "wrong.ufpkg", data, passphrase="不是这个口令") == "refused"
    absurd = bytearray(data)
    absurd[9] = 40  # ask for 2**40 scrypt work
    t0 = time.monotonic()
    assert attempt(work, "absurd.ufpkg", bytes(absurd)) == "refused"
    assert time.monotonic() - t0 < 5
    for label, junk in (("empty", b""), ("random", os.urandom(5000)), ("zip", work["members"].get(
            "records/representatives.jsonl", b"PK"))):
        assert attempt(work, f"{label}.ufpkg", junk) == "refused", label


# -- inside the encryption -----------------------------------------------------------------------
def test_broken_zip_inside_is_refused(work):
    """Cuts are refused. A flip in the zip's own bookkeeping (a time stamp, a version field)
    may leave every member intact — its hash checks out — and then the package is the same
    package; a flip in a member is refused."""
    zipped = build_zip({k: v for k, v in work["manifest"].items() if k != "members"}, work["members"])
    for label, bad in truncations(zipped):
        assert attempt(work, f"inner-{label}.ufpkg", seal(bad, PW)) == "refused", label
    outcomes = [attempt(work, f"inner-{label}.ufpkg", seal(bad, PW)) for label, bad in bit_flips(zipped, 20, seed=5)]
    assert outcomes.count("refused") >= 10


def test_zip_bomb_inside_is_refused_quickly(work):
    buf = io.BytesIO()
    manifest = dict(work["manifest"])
    members = dict(work["members"])
    manifest["members"] = {n: {"sha256": "0" * 64, "bytes": len(b)} for n, b in members.items()}
    manifest["members"]["records/activities.jsonl"] = {"sha256": "0" * 64, "bytes": 1 << 30}
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("manifest.json", json.dumps(manifest))
        for n, b in members.items():
            z.writestr(n, b)
        zip_bomb_member(z, "records/activities.jsonl", 1 << 30)
    t0 = time.monotonic()
    assert attempt(work, "bomb.ufpkg", seal(buf.getvalue(), PW)) == "refused"
    assert time.monotonic() - t0 < 15


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
              st.floats(allow_nan=False), st.text(max_size=30),
              st.sampled_from(["", "county", T1, "510599", "1", "0", "x:1", "{}", "[]", "2026-11-23",
                               "2026-11-23T10:00:00", "a" * 5000])),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12,
)
FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(["format", "schema", "package_id", "seq", "sender", "sender_township",
                                                 "sender_name", "county_code", "recipient", "counter", "since",
                                                 "all", "exported_at", "months", "counts", "records", "acks",
                                                 "app", "extra"]), JSON, min_size=1, max_size=4),
       fresh_id=st.booleans())
def test_manifests_from_hypothesis(work, changes, fresh_id):
    manifest = {**work["manifest"], **changes}
    if fresh_id and "package_id" not in changes:
        manifest["package_id"] = os.urandom(16).hex()
    attempt(work, "manifest.ufpkg", resealed(work, manifest))


@FUZZ
@given(data=st.data())
def test_rows_from_hypothesis(work, data):
    """A records member ``{"columns": [...], "rows": [[...], ...]}`` with cells, rows or the
    document itself replaced by values from hypothesis; member hashes made to match."""
    members = dict(work["members"])
    name = data.draw(st.sampled_from(sorted(n for n in members if n.startswith("records/"))))
    doc = json.loads(members[name])
    columns, rows = doc["columns"], doc["rows"]
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(["cell", "cell", "cell", "drop", "extra", "row", "column", "document"]))
        lists = [r for r in rows if isinstance(r, list) and r]
        if kind == "cell" and lists:
            row = data.draw(st.sampled_from(lists))
            row[data.draw(st.integers(0, len(row) - 1))] = data.draw(JSON)
        elif kind == "drop" and lists:
            data.draw(st.sampled_from(lists)).pop()
        elif kind == "extra" and lists:
            data.draw(st.sampled_from(lists)).append(data.draw(JSON))
        elif kind == "row":
            rows.append(data.draw(JSON))
        elif kind == "column":
            columns[data.draw(st.integers(0, len(columns) - 1))] = data.draw(st.sampled_from(
                ["uuid", "name", "born", "vv", "clock", "deleted", "version", "", "no_such_field"]))
        else:
            doc = data.draw(JSON)
            break
    members[name] = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    manifest = {**work["manifest"], "package_id": os.urandom(16).hex()}
    attempt(work, "rows.ufpkg", resealed(work, manifest, members))


def test_the_county_database_is_sound_after_all_of_it(work):
    sound(work["county"].store.path)
