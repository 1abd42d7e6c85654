"""The store: migrations, connection settings, search and the orders offices use."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ufdesk.domain.errors import SchemaTooNew, StoreError
from ufdesk.services import Query, Services
from ufdesk.store import Store
from ufdesk.store.check import check
from ufdesk.store.engine import create_engine, current_revision, head_revision, migrate
from ufdesk.store.schema import metadata
from ufdesk.store.sortkeys import pinyin_key, stroke_key


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migrations_build_an_empty_database_that_matches_the_schema(tmp_path):
    engine = create_engine(tmp_path / "empty.db")
    migrate(engine)
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
    # Expression indexes are invisible to autogenerate; everything else must match exactly.
    assert [d for d in diffs if "live_order" not in str(d)] == []


def test_database_made_by_first_migration_upgrades_with_its_data(tmp_path):
    path = tmp_path / "old.db"
    engine = create_engine(path)
    migrate(engine, "0001")
    with engine.begin() as conn:
        conn.execute(sa.text("insert into installation (id, county_code, county_name, counter) values ('abc', '510599', '旧县', 5)"))
        conn.execute(sa.text("insert into townships (code, name, active) values ('510599100', '城关镇', 1)"))
        conn.execute(sa.text(
            "insert into representatives (uuid, township, version, deleted, name, search, sk_stroke) "
            "values ('u-1', '510599100', 1, 0, '王伟', '王伟', :k)"), {"k": stroke_key("王伟")})
        names = {r[0] for r in conn.execute(sa.text("select name from sqlite_master where type='index'"))}
    assert "ix_representatives_live_search" not in names
    engine.dispose()
    store = Store.open(path)  # migrates on open
    assert current_revision(store.engine) == head_revision(store.engine)
    svc = Services(store)
    assert [r["name"] for r in svc.page(Query("representatives", text="伟"))] == ["王伟"]
    with store.connect() as conn:
        names = {r[0] for r in conn.execute(sa.text("select name from sqlite_master where type='index'"))}
    assert {"ix_representatives_live_search", "ix_representatives_live_order"} <= names
    assert check(path)[0]


def test_sqlite_runs_with_wal_and_foreign_keys(store):
    with store.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with pytest.raises(sa.exc.IntegrityError):
        with store.engine.begin() as conn:
            conn.execute(sa.text("insert into villages (code, township, name, active) values ('x', 'nope', 'n', 1)"))


def test_database_from_a_newer_program_is_refused_with_upgrade_advice(store):
    with store.engine.begin() as conn:
        conn.execute(sa.text("update alembic_version set version_num = '9999'"))
    path = store.path
    store.close()
    with pytest.raises(SchemaTooNew, match="请先升级"):
        Store.open(path)


def test_opening_a_missing_or_uninitialised_file_says_so(tmp_path):
    with pytest.raises(StoreError, match="不存在"):
        Store.open(tmp_path / "none.db")
    engine = create_engine(tmp_path / "bare.db")
    migrate(engine)
    engine.dispose()
    with pytest.raises(StoreError, match="ufdesk init"):
        Store.open(tmp_path / "bare.db")


def test_check_finds_a_damaged_file(store, tmp_path):
    path = store.path
    assert check(path)[0]
    store.close()
    data = bytearray(path.read_bytes())
    for i in range(4096, len(data), 997):  # scribble over every page after the first
        data[i] = (data[i] + 1) % 256
    bad = tmp_path / "bad.db"
    bad.write_bytes(bytes(data))
    ok, lines = check(bad)
    assert not ok and lines


SURNAMES = "王李张刘陈杨赵黄周吴伟丁一乙"


@pytest.fixture
def many(services):
    rng = random.Random(7)
    names = {"".join(rng.choice(SURNAMES + "小明华红军国强") for _ in range(rng.choice((2, 3)))) for _ in range(300)}
    with services.store.write("t") as (conn, ctx):
        from ufdesk.store.records import bulk_insert

        bulk_insert(conn, "representatives", [
            {"name": n, "employer": rng.choice(["县医院", "伟业公司", "第一中学", None]), "township": "510599100"}
            for n in names], ctx)
    return services


@pytest.mark.parametrize("text", ["伟", "王", "一", "王伟", "伟业", "华", "中学"])
def test_search_finds_exactly_what_like_finds(many, text):
    with many.store.connect() as conn:
        expected = {r[0] for r in conn.execute(
            sa.text("select id from representatives where deleted = false and "
                    "(name like :p or employer like :p or position like :p)"), {"p": f"%{text}%"})}
    assert expected, "the fixture should hold matches"
    assert set(many.ids(Query("representatives", text=text))) == expected
    assert many.count(Query("representatives", text=text)) == len(expected)


def test_search_treats_percent_and_underscore_literally(many):
    assert many.ids(Query("representatives", text="%")) == []
    assert many.ids(Query("representatives", text="_")) == []


def test_people_are_listed_by_surname_strokes(services):
    for name in ["张三", "王五", "丁一", "王二", "李四", "欧阳明"]:
        services.create("representatives", {"name": name, "township": "510599100"})
    listed = [r["name"] for r in services.page(Query("representatives"))]
    assert listed == ["丁一", "王二", "王五", "李四", "张三", "欧阳明"]
    assert listed.index("丁一") < listed.index("王五") < listed.index("张三")
    desc = [r["name"] for r in services.page(Query("representatives", sort="name", desc=True))]
    assert desc == listed[::-1]


def test_manual_order_number_comes_first_then_strokes(services):
    for name, no in [("张三", None), ("王五", 2), ("丁一", None), ("李四", 1)]:
        services.create("representatives", {"name": name, "sort_no": no})
    assert [r["name"] for r in services.page(Query("representatives", sort="sort_no"))] == ["李四", "王五", "丁一", "张三"]


def test_pinyin_order_is_available():
    assert sorted(["张三", "安娜", "王五"], key=pinyin_key) == ["安娜", "王五", "张三"]
    assert stroke_key("王") < stroke_key("张")


def test_sort_by_any_sortable_column_and_filters(many):
    from ufdesk.domain import LEDGERS
    from ufdesk.store.schema import sortable_columns

    for col in sortable_columns(LEDGERS["representatives"]):
        if col in ("sk_stroke", "sk_pinyin"):
            continue
        ids = many.ids(Query("representatives", sort=col, text="王"))
        assert len(ids) == many.count(Query("representatives", text="王"))
    births = [dt.date(1990, 1, 1), dt.date(1970, 1, 1)]
    a = many.create("representatives", {"name": "甲", "birth_date": births[0], "party": "05", "kinds": ",01,06,"}).uuid
    b = many.create("representatives", {"name": "乙", "birth_date": births[1], "party": "05", "kinds": ",06,"}).uuid
    rows = many.page(Query("representatives", filters={"party": "05"}, sort="birth_date"))
    assert [r["uuid"] for r in rows] == [b, a]
    assert [r["uuid"] for r in many.page(Query("representatives", filters={"kinds": "01"}))] == [a]


def test_bulk_uuids_are_random_version_4_uuids():
    """Imported records get their UUIDs in bulk; each is a well-formed, distinct version 4 UUID,
    as one made by uuid.uuid4() would be (packages and merges rely on that)."""
    import uuid

    from ufdesk.store.records import new_uuids

    made = new_uuids(5000)
    assert len(set(made)) == 5000
    for text in made:
        u = uuid.UUID(text)
        assert (u.version, u.variant, str(u)) == (4, uuid.RFC_4122, text)
