"""The shipped code tables and the lookups an import or a form makes against them."""

from __future__ import annotations

import csv

import pytest

from ufdesk.domain.codes import CodeBook, _norm, default_tables, join_multi, split_multi
from ufdesk.domain.errors import UnknownCode
from ufdesk.domain.ledgers import LEDGERS
from ufdesk.paths import data_file


def referenced_tables() -> set[str]:
    names = set()
    for lg in LEDGERS.values():
        fields = list(lg.fields) + [f for s in lg.subs for f in s.fields]
        names |= {f.code for f in fields if f.is_code}
    return names


@pytest.fixture(scope="module")
def book() -> CodeBook:
    return CodeBook.defaults()


def test_every_table_a_ledger_names_loads(book):
    missing = referenced_tables() - set(book.tables)
    assert not missing
    for name in referenced_tables():
        table = book[name]
        assert table.label, name
        assert len(table.items()) >= 2, name


def test_tables_index_lists_every_shipped_file():
    with open(data_file("codes", "tables.csv"), encoding="utf-8") as fh:
        listed = {r["table"] for r in csv.DictReader(fh)}
    on_disk = {p.stem for p in data_file("codes").glob("*.csv")} - {"tables"}
    assert listed == on_disk


def test_no_form_means_two_codes(book):
    """A code, name or alias must lead to one code only, else an import would guess."""
    for name, table in book.tables.items():
        seen: dict[str, str] = {}
        for c in table:
            assert c.code and c.name, (name, c)
            for form in {c.code, c.name, *c.aliases}:
                key = _norm(form)
                assert key, (name, c.code)
                assert seen.setdefault(key, c.code) == c.code, (name, form, seen[key], c.code)


def test_codes_unique_within_table(book):
    for name, table in book.tables.items():
        codes = [c.code for c in table]
        assert len(codes) == len(set(codes)), name


def test_ethnicities(book):
    eth = book["ethnicity"]
    codes = [c.code for c in eth]
    assert len(codes) == 58
    assert codes[:56] == [f"{i:02d}" for i in range(1, 57)]
    assert eth.name_of("01") == "汉族"
    assert eth.name_of("56") == "基诺族"
    assert "97" in eth and "98" in eth
    assert eth.name_of("98") == "外国血统中国籍人士"
    # every ethnicity is also found by its short form without 族
    for c in codes[:56]:
        name = eth.name_of(c)
        assert eth.find(name.removesuffix("族")) == c, name


@pytest.mark.parametrize(
    ("table", "text", "code"),
    [
        ("party", "民盟", "05"),
        ("party", "中国民主同盟", "05"),
        ("party", "民盟盟员", "05"),
        ("party", "中国民主同盟盟员", "05"),
        ("party", "05", "05"),
        ("party", "无党派", "12"),
        ("party", "无党派人士", "12"),
        ("party", "无党派民主人士", "12"),
        ("party", "中共党员", "01"),
        ("party", "中国共产党党员", "01"),
        ("party", "党员", "01"),
        ("party", "民革", "04"),
        ("party", "中国国民党革命委员会", "04"),
        ("party", "九三学社", "10"),
        ("party", "群众", "13"),
        ("ethnicity", "汉", "01"),
        ("ethnicity", "汉族", "01"),
        ("ethnicity", "维族", "05"),
        ("ethnicity", "维吾尔", "05"),
        ("ethnicity", "藏", "04"),
        ("ethnicity", "土", "30"),
        ("ethnicity", "土家", "15"),
        ("education", "本科", "21"),
        ("education", "大学本科", "21"),
        ("education", "大学", "21"),
        ("education", "大专", "31"),
        ("education", "专科", "31"),
        ("education", "研究生", "10"),
        ("education", "研究生毕业", "10"),
        ("education", "博士", "11"),
        ("education", "硕士研究生", "14"),
        ("education", "中专", "40"),
        ("education", "高中", "60"),
        ("gender", "男", "1"),
        ("gender", "女性", "2"),
        ("object_kind", "知识分子", "03"),
        ("object_kind", "民营企业家", "06"),
        ("object_kind", "新阶层", "07"),
        ("object_kind", "港澳同胞", "09"),
        ("object_kind", "台胞", "10"),
        ("object_kind", "侨眷", "11"),
        ("arrangement_level", "县级", "4"),
        ("arrangement_level", "乡镇", "5"),
        ("proposal_result", "A类", "A"),
        ("proposal_result", "B", "B"),
        ("proposal_status", "办结", "60"),
        ("cadre_post", "统战委员", "02"),
        ("cadre_post", "联络员", "04"),
        ("chamber_type", "工商联", "01"),
        ("chamber_type", "工商联（总商会）", "01"),
    ],
)
def test_lookup_by_code_name_or_alias(book, table, text, code):
    assert book[table].find(text) == code
    assert book[table].code_of(text) == code


@pytest.mark.parametrize(
    ("table", "text", "code"),
    [
        ("party", "０５", "05"),  # full-width digits
        ("party", " 民盟 ", "05"),
        ("party", "民\u3000盟", "05"),  # full-width space inside
        ("party", "中国民主同盟 盟员", "05"),
        ("education", "本　科", "21"),
        ("proposal_result", "Ａ类", "A"),
        ("cadre_post", "村（社区）统战联络员", "04"),
    ],
)
def test_full_width_and_spaces_normalised(book, table, text, code):
    assert book[table].find(text) == code


def test_unknown_value(book):
    assert book["party"].find("共产主义者同盟") is None
    assert book["party"].find(None) is None
    with pytest.raises(UnknownCode) as err:
        book["party"].code_of("共产主义者同盟")
    assert "政治面貌" in str(err.value)


def test_name_of(book):
    assert book.name_of("party", "05") == "民盟盟员"
    assert book.name_of("party", None) == ""
    assert book.name_of("party", "") == ""
    assert book.name_of("party", "77") == "77"  # an unknown code shows as itself, never vanishes


def test_defaults_read_once():
    assert default_tables() is default_tables()


class TestOverrides:
    ROWS = [
        ("site_rating", "6", "五好场所(县评)", "县五好", True),  # renamed
        ("site_rating", "8", "和谐寺观教堂", "和谐场所|和谐", True),  # new, county-only
        ("site_rating", "7", "“六好”场所", "六好", False),  # deactivated
        ("local_list", "1", "本县自设", "", True),  # a table the defaults lack
    ]

    def test_county_edits_laid_over_defaults(self, book):
        county = book.with_overrides(self.ROWS)
        rating = county["site_rating"]
        assert rating.name_of("6") == "五好场所(县评)"
        assert rating.find("县五好") == "6"
        assert rating.find("和谐") == "8"
        assert rating.name_of("8") == "和谐寺观教堂"
        # untouched codes keep their defaults and aliases
        assert rating.name_of("1") == "一星"
        assert rating.find("三星级") == "3"
        assert rating.label == book["site_rating"].label

    def test_deactivated_code_not_offered_but_still_named(self, book):
        rating = book.with_overrides(self.ROWS)["site_rating"]
        offered = [code for code, _ in rating.items()]
        assert "7" not in offered
        assert "8" in offered and "6" in offered
        # old records still display it
        assert rating.name_of("7") == "“六好”场所"

    def test_new_table_from_database(self, book):
        county = book.with_overrides(self.ROWS)
        assert county["local_list"].find("本县自设") == "1"

    def test_defaults_untouched(self, book):
        book.with_overrides(self.ROWS)
        assert book["site_rating"].name_of("6") == "“五好”场所"
        assert "8" not in book["site_rating"]
        assert CodeBook.defaults()["site_rating"].name_of("6") == "“五好”场所"

    def test_no_overrides(self, book):
        assert book.with_overrides([]) is book


def test_multi_codes_roundtrip():
    assert join_multi(["01", "05"]) == ",01,05,"
    assert split_multi(",01,05,") == ["01", "05"]
    assert join_multi([]) is None
    assert split_multi(None) == []
