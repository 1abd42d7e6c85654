"""Packages that must be refused — or change nothing — and leave the receiving database as it was."""

from __future__ import annotations

import json
import random
import struct

import pytest
from package_helpers import PW, T1, T2, build, make, receive, record_state, rep, reseal, seal, snapshot

from ufdesk.domain.errors import UfError
from ufdesk.exchange import pkgcrypt
from ufdesk.exchange.package import open_bytes
from ufdesk.store.check import check


@pytest.fixture
def sites(tmp_path):
    county = make(tmp_path, "county")
    town = make(tmp_path, "t1", T1)
    yield county, town
    county.store.close()
    town.store.close()


@pytest.fixture
def attached(sites):
    """A township package big enough for several encrypted chunks (a photo of 200 KB)."""
    county, town = sites
    uuid = rep(town, "李娜", employer="城关镇中学")
    town.add_attachment("representatives", uuid, "photo", "李娜.jpg", random.Random(7).randbytes(200_000))
    data, _ = build(town)
    return county, town, data


def test_same_package_twice_changes_nothing(sites):
    county, town = sites
    rep(town, "王伟")
    data, _ = build(town)
    first = receive(county, data)
    assert first.counts["representatives"]["new"] == 1
    before = snapshot(county.store)
    again = receive(county, data)
    assert again.already
    assert "导入过" in again.warnings[0] and "没有做任何修改" in again.warnings[0]
    assert snapshot(county.store) == before


def test_same_id_with_different_bytes_is_refused(sites):
    county, town = sites
    rep(town, "王伟")
    data, _ = build(town)
    receive(county, data)
    before = snapshot(county.store)

    def forge(manifest, members):
        name = "records/representatives.json"
        members[name] = members[name].replace("王伟".encode(), "王伪".encode())

    with pytest.raises(UfError, match="内容与那次不同"):
        receive(county, reseal(data, forge))
    assert snapshot(county.store) == before


@pytest.mark.parametrize("cut", [1, 17, 5000, "chunk"])
def test_truncated_package_is_detected(attached, cut):
    county, _town, data = attached
    before = snapshot(county.store)
    short = data[:pkgcrypt.HEADER + pkgcrypt.CHUNK + pkgcrypt.TAG] if cut == "chunk" else data[:-cut]
    with pytest.raises(UfError, match="截断|不完整"):
        receive(county, short)
    assert snapshot(county.store) == before


def test_one_flipped_bit_anywhere_is_detected(attached):
    county, _town, data = attached
    assert len(data) > 3 * pkgcrypt.CHUNK  # several chunks, so the middle ones are tested too
    before = snapshot(county.store)
    positions = [0, 9, 13, 30, 59, 60, 61, pkgcrypt.HEADER + pkgcrypt.CHUNK + 5, len(data) // 2,
                 len(data) - pkgcrypt.TAG - 1, len(data) - 1]
    for pos in positions:
        for bit in (0, 7):
            bad = bytearray(data)
            bad[pos] ^= 1 << bit
            with pytest.raises(UfError) as exc:
                receive(county, bytes(bad))
            assert any(w in str(exc.value) for w in ("损坏", "口令不正确", "参数异常", "文件头")), (pos, str(exc.value))
    assert snapshot(county.store) == before


def test_wrong_passphrase(attached):
    county, _town, data = attached
    before = snapshot(county.store)
    with pytest.raises(UfError, match="口令不正确"):
        open_bytes(data, PW + "x")
    assert snapshot(county.store) == before


@pytest.mark.parametrize("log_n,r,p", [(40, 8, 1), (21, 8, 1), (19, 8, 1), (18, 0, 1), (18, 8, 200), (18, 16, 1),
                                       (17, 8, 4), (20, 32, 4)])
def test_absurd_kdf_parameters_are_refused_before_deriving(attached, log_n, r, p):
    county, _town, data = attached
    bad = data[:9] + struct.pack(">BBB", log_n, r, p) + data[12:]
    with pytest.raises(UfError, match="密钥派生参数异常"):
        open_bytes(bad, PW)


def test_kdf_work_factor_is_written_in_the_package_and_no_environment_weakens_it(attached, monkeypatch):
    _county, _town, data = attached
    assert data[9] == 10  # the test suite's work factor (tests/conftest.py patches pkgcrypt.LOG_N)
    monkeypatch.setattr(pkgcrypt, "LOG_N", pkgcrypt.DEFAULT_LOG_N)
    monkeypatch.setenv("UFDESK_KDF_LOG_N", "10")  # the variable of older versions: ignored now
    assert pkgcrypt.encrypt(b"x", PW)[9] == pkgcrypt.DEFAULT_LOG_N == 18


def test_forged_header_is_refused_at_no_more_than_the_default_cost(attached):
    """A header written without the passphrase, asking for the most the reader allows: refused
    after one scrypt at the default 256 MiB, not the 1 GiB and 7 s the old limit allowed."""
    import time

    _county, _town, data = attached
    forged = data[:9] + struct.pack(">BBB", pkgcrypt.MAX_LOG_N, 8, 1) + data[12:]
    t0 = time.monotonic()
    with pytest.raises(UfError, match="口令不正确"):
        open_bytes(forged, PW)
    assert time.monotonic() - t0 < 5 and pkgcrypt.MAX_MEMORY == 256 << 20


def test_package_from_a_newer_schema_asks_to_upgrade(sites):
    county, town = sites
    rep(town)
    data, _ = build(town)
    before = snapshot(county.store)
    newer = reseal(data, lambda m, _members: m.update(schema="0999_future"))
    with pytest.raises(UfError, match="请先升级"):
        receive(county, newer)
    newer_format = reseal(data, lambda m, _members: m.update(format=99))
    with pytest.raises(UfError, match="请先升级"):
        receive(county, newer_format)

    def new_column(m, members):
        name = "records/representatives.json"
        doc = json.loads(members[name])
        doc["columns"].append("shoe_size")
        for row in doc["rows"]:
            row.append(42)
        members[name] = json.dumps(doc, ensure_ascii=False).encode()

    with pytest.raises(UfError, match="请先升级"):
        receive(county, reseal(data, new_column))
    assert snapshot(county.store) == before


def test_package_from_another_county_is_refused(tmp_path, sites):
    county, _town = sites
    other = make(tmp_path, "other", "511111100", county=("511111", "别的县"))
    rep(other, "张三", township="511111100")
    data, _ = build(other)
    before = snapshot(county.store)
    with pytest.raises(UfError, match="来自其他县（别的县"):
        receive(county, data)
    assert snapshot(county.store) == before
    other.store.close()


def test_package_for_another_installation_is_refused(tmp_path, sites):
    county, town = sites
    t2 = make(tmp_path, "t2", T2)
    rep(county, "赵六", township=T1)
    data, _ = build(county, to=T1)
    before = snapshot(t2.store)
    with pytest.raises(UfError, match="是发给城关镇的，不是发给本机的"):
        receive(t2, data)
    assert snapshot(t2.store) == before
    with pytest.raises(UfError, match="本机自己导出"):
        receive(county, data)
    t2.store.close()


def test_crash_in_the_middle_of_an_import_leaves_the_database_as_before(sites, monkeypatch):
    county, town = sites
    rep(county, "旧人", township=T1)
    send_first, _ = build(county, to=T1)
    receive(town, send_first)
    for i in range(5):
        rep(town, f"新人{i}")
    data, _ = build(town)
    before = snapshot(county.store)
    from ufdesk.exchange import package_apply

    calls = {"n": 0}
    real = package_apply.apply_table

    def crash(*a, **k):
        calls["n"] += 1
        if calls["n"] == 3:  # after the representatives were written inside the transaction
            raise OSError(5, "模拟断电")
        return real(*a, **k)

    monkeypatch.setattr(package_apply, "apply_table", crash)
    with pytest.raises(OSError):
        receive(county, data)
    assert calls["n"] == 3
    assert snapshot(county.store) == before
    ok, lines = check(county.store.location)
    assert ok, lines
    monkeypatch.setattr(package_apply, "apply_table", real)
    assert receive(county, data).counts["representatives"]["new"] == 5  # and it imports afterwards


def test_dry_run_counts_and_changes_nothing(sites):
    county, town = sites
    for i in range(3):
        rep(town, f"人{i}")
    data, _ = build(town)
    before = snapshot(county.store)
    dry = receive(county, data, dry_run=True)
    assert dry.lines()[0] == "representatives: 新增 3 更新 0 未变 0 冲突 0 重复 0 拒收 0"
    assert snapshot(county.store) == before
    real = receive(county, data)
    assert real.counts == dry.counts


def test_undo_reverses_the_whole_batch_and_allows_reimport(sites):
    county, town = sites
    uuid = rep(town, "王伟", employer="甲单位")
    receive(county, build(town)[0])
    before, records_before = snapshot(county.store), record_state(county.store)
    town.update("representatives", uuid, {"employer": "乙单位"})
    rep(town, "新人")
    data, manifest = build(town)
    result = receive(county, data)
    assert result.counts["representatives"]["new"] == 1 and result.counts["representatives"]["updated"] == 1
    from ufdesk.exchange import package_import as I

    assert I.undo(county.store, manifest["package_id"]) == 2
    after = snapshot(county.store)
    assert record_state(county.store) == records_before  # (the version counter moved on)
    for table in ("peers", "conflicts", "duplicates"):
        assert after[table] == before[table], table
    assert county.get("representatives", uuid)["employer"] == "甲单位"
    with pytest.raises(UfError, match="已经撤销过"):
        I.undo(county.store, manifest["package_id"])
    again = receive(county, data)
    assert not again.already and again.counts["representatives"]["new"] == 1
    assert I.undo(county.store, manifest["package_id"]) == 2  # and the second import undoes as well
    assert record_state(county.store) == records_before


def test_first_big_import_rebuilds_indexes_and_a_crash_leaves_them_intact(sites, monkeypatch):
    county, town = sites
    from ufdesk.exchange import package_apply
    from ufdesk.store import records as R

    with town.store.write("批量") as (conn, ctx):
        R.bulk_insert(conn, "representatives",
                      ({"name": f"代表{i}", "gender": "1", "township": T1} for i in range(6000)), ctx)
    data, _ = build(town)

    def indexes():
        sql = ("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='representatives'"
               if county.store.is_sqlite else "SELECT indexname FROM pg_indexes WHERE tablename='representatives'")
        with county.store.connect() as conn:
            return sorted(r[0] for r in conn.exec_driver_sql(sql))

    before, index_names = snapshot(county.store), indexes()
    assert len(index_names) > 5
    real = package_apply.apply_table
    calls = {"n": 0}

    def crash(*a, **k):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("模拟程序崩溃")
        return real(*a, **k)

    monkeypatch.setattr(package_apply, "apply_table", crash)
    with pytest.raises(RuntimeError):
        receive(county, data)
    assert indexes() == index_names and snapshot(county.store) == before
    monkeypatch.setattr(package_apply, "apply_table", real)
    assert receive(county, data).counts["representatives"]["new"] == 6000
    assert indexes() == index_names
    ok, lines = check(county.store.location)
    assert ok, lines
    assert len(county.find_by("representatives", name="代表5999")) == 1


def test_undo_is_refused_once_the_records_were_changed_here(sites):
    county, town = sites
    uuid = rep(town, "王伟")
    data, manifest = build(town)
    receive(county, data)
    county.update("representatives", uuid, {"employer": "县里后来改的"})
    from ufdesk.exchange import package_import as I

    before = snapshot(county.store)
    with pytest.raises(UfError, match="已有 1 条记录在本机又被修改过"):
        I.undo(county.store, manifest["package_id"])
    assert snapshot(county.store) == before


def test_package_from_an_older_program_without_a_column_still_merges(sites):
    county, town = sites
    uuid = rep(town, "王伟", employer="甲")
    receive(county, build(town)[0])
    town.update("representatives", uuid, {"position": "主任"})
    data, _ = build(town)

    def drop_notes(m, members):
        for name in ("records/representatives.json", "records/representatives.keys.json"):
            doc = json.loads(members[name])
            if "notes" in doc["columns"]:
                i = doc["columns"].index("notes")
                doc["columns"].pop(i)
                for row in doc["rows"]:
                    row.pop(i)
            members[name] = json.dumps(doc, ensure_ascii=False).encode()

    r = receive(county, reseal(data, drop_notes))
    assert r.counts["representatives"]["updated"] == 1
    assert county.get("representatives", uuid)["position"] == "主任"


def _spread_bomb(members: int, size: int) -> bytes:
    """A zip of many members each ``size`` bytes of one letter (about 1000 to 1): none is big
    enough alone to look like a bomb; together they are gigabytes."""
    import io
    import zipfile

    buf = io.BytesIO()
    block = b"A" * size
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("manifest.json", json.dumps({"format": 1, "members": {}}))
        for i in range(members):
            z.writestr(f"records/part{i}.json", block)
    return buf.getvalue()


def test_zip_bomb_spread_over_members_is_refused_within_bounded_memory(sites):
    import time
    import tracemalloc

    county, _ = sites
    sealed = seal(_spread_bomb(64, 16 << 20), PW)  # one gigabyte
    assert len(sealed) < 2 << 20
    before = snapshot(county.store)
    tracemalloc.start()
    t0 = time.monotonic()
    try:
        with pytest.raises(UfError, match="极不相称"):
            receive(county, sealed)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 << 20, f"peak {peak >> 20} MB"
    assert time.monotonic() - t0 < 10
    assert snapshot(county.store) == before


def test_a_short_passphrase_is_refused_for_every_sealed_file(tmp_path, monkeypatch, capsys):
    from ufdesk.cli import main

    town = make(tmp_path, "t1", T1)
    rep(town)
    path = tmp_path / "t1.db"  # the file the clerk names (on the PostgreSQL leg it maps to a server database)
    town.store.close()
    short = tmp_path / "短.txt"
    short.write_text("1234567\n", encoding="utf-8")  # seven characters
    monkeypatch.delenv("UFDESK_PASSPHRASE", raising=False)
    sealed = [["package", "export", "--out", tmp_path / "p.ufpkg"], ["enrol", "request", "--out", tmp_path / "r.ufenrol"]]
    if town.store.is_sqlite:  # on PostgreSQL ufdesk makes no backups at all (pg_dump does), and says so first
        sealed.append(["backup", "--out", tmp_path / "b.ufbak", "--encrypt"])
    for argv in sealed:
        code = main([str(a) for a in [*argv, "--db", path, "--passphrase-file", short]])
        err = capsys.readouterr().err
        assert code == 1 and "至少 8 个字符" in err, argv
    assert not any((tmp_path / n).exists() for n in ("p.ufpkg", "b.ufbak", "r.ufenrol"))
