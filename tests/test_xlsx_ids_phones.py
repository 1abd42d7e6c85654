"""ID numbers and telephone numbers as township rosters hold them (issue 16): 台湾居民居住证 (83…)
and 外国人永久居留身份证 (9…) accepted with their 证件类型, an old 15-digit number upgraded to 18
digits (said in the check report), the check digit still checked; a 联系电话 column sorted by its
content into 手机 and 固定电话, and the headings offices give a landline column. Each file is
built with openpyxl and saved again by LibreOffice, as a clerk's Excel would have it."""

from __future__ import annotations

import pytest
from stdnum.iso7064 import mod_11_2
from xlsx_office import convert, make_id

from ufdesk.exchange.xlsx_import import import_file
from ufdesk.services.audit import mask


def _with_check(body17: str) -> str:
    return body17 + mod_11_2.calc_check_digit(body17)


TAIWAN = _with_check("83000019800102123")  # 台湾居民居住证: 830000 + birth date + sequence
FOREIGN = _with_check("95115619751203457")  # 外国人永久居留身份证: 9 + 51 (四川) + 156 + birth date
HK = _with_check("81000019660606789")
OLD15 = "510599680720051"  # 1968-07-20, sequence 051 (odd: male)
OLD15_NUMBER = "510599710304062"  # the same kind of number kept in a number cell (exact below 10^15)
NEW_A = make_id("19820515", 8, True)
NEW_B = make_id("19790415", 9, False)
BAD_CHECK = NEW_A[:17] + ("0" if NEW_A[17] != "0" else "1")


def _save(rows, path, title="花名册"):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[1]))
    wb.save(path)
    return path


def _roster():
    return [
        ["测试县党外代表人士花名册", None, None, None, None, None, None],
        ["序号", "姓名", "性别", "出生年月", "身份证号码", "证件类型", "联系电话"],
        [1, "林台生", "男", "1980.01", TAIWAN, None, "0830-1234567"],
        [2, "安德森", "男", "1975.12", FOREIGN, "外国人永久居留证", "13812345678／0830-7654321（办）"],
        [3, "何港华", "男", "1966.06", HK, "港澳居民居住证", "(0830)2233445"],
        [4, "王老五", "男", "1968.07", OLD15, None, "139 1234 5678"],
        [5, "钱七", "男", "1982.05", NEW_A, "居民身份证", None],
        [6, "孙八", "女", "1971.03", float(OLD15_NUMBER), None, None],
        ["合计：6人", None, None, None, None, None, None],
    ]


@pytest.fixture(scope="module")
def roster_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("ids")
    src = _save(_roster(), d / "证件.xlsx")
    return {"xlsx": convert(src, "xlsx", d / "lo-xlsx"), "xls": convert(src, "xls", d / "xls")}


def _people(services, ledger="representatives"):
    return {r["name"]: r for r in services.find_by(ledger)}


def _upgraded(old15: str) -> str:
    body = old15[:6] + "19" + old15[6:]
    return body + mod_11_2.calc_check_digit(body)


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_residence_permits_old_numbers_and_landlines_land_where_a_clerk_expects(services, roster_files, fmt):
    dry = import_file(services, "representatives", roster_files[fmt], dry_run=True)
    assert dry.ok, [p.line() for p in dry.problems]
    new15, new15b = _upgraded(OLD15), _upgraded(OLD15_NUMBER)
    assert (f"第6行 身份证号码是15位旧号码，已按规则升为18位“{mask(new15)}”（出生年份前补19，末位补校验码）"
            in dry.notes)
    assert (f"第8行 身份证号码是15位旧号码，已按规则升为18位“{mask(new15b)}”（出生年份前补19，末位补校验码）"
            in dry.notes)
    assert "“联系电话”中的固定电话号码已存入“固定电话”（共3行）" in dry.notes
    assert not any(OLD15 in n or new15 in n for n in dry.notes)  # the check report masks the number

    report = import_file(services, "representatives", roster_files[fmt])
    assert report.written and report.new == 6
    got = {n: (r["id_number"], r["id_kind"], r["mobile"], r["landline"]) for n, r in _people(services).items()}
    assert got == {
        "林台生": (TAIWAN, "3", None, "0830-1234567"),
        "安德森": (FOREIGN, "4", "13812345678", "0830-7654321"),
        "何港华": (HK, "2", None, "08302233445"),
        "王老五": (new15, "1", "13912345678", None),
        "钱七": (NEW_A, "1", None, None),
        "孙八": (new15b, "1", None, None),
    }


def test_a_wrong_check_digit_and_a_number_of_another_kind_are_refused_and_nothing_is_written(services, tmp_path):
    rows = [
        ["测试县党外代表人士花名册", None, None, None, None],
        ["姓名", "性别", "身份证号", "证件类型", "手机"],
        ["甲一", "男", BAD_CHECK, None, None],
        ["甲二", "男", TAIWAN, "居民身份证", None],
        ["甲三", "男", "990101198001021234", None, None],
        ["甲四", "女", NEW_B, None, "13800000001、13900000002"],
        ["甲五", "女", "510599791304062", None, None],  # 15 digits, month 13
    ]
    path = convert(_save(rows, tmp_path / "错号.xlsx"), "xlsx", tmp_path / "lo")
    report = import_file(services, "representatives", path)
    assert not report.written and services.find_by("representatives") == []
    lines = [p.line() for p in report.problems]
    assert lines == [
        f"第3行 身份证号“{mask(BAD_CHECK)}”：身份证号校验位不正确（可能有数字录错）",
        f"第4行 身份证号“{mask(TAIWAN)}”：号码是台湾居民居住证的号码，与证件类型“居民身份证”不一致",
        f"第5行 身份证号“{mask('990101198001021234')}”：身份证号前两位不是省级行政区代码（港澳台居民居住证以81、82、83开头，"
        "外国人永久居留身份证以9开头）",
        f"第6行 手机“{mask('13800000001、13900000002', 'mobile')}”：一格中有多个手机号码或多个固定电话号码，"
        "请只留一个（另一个可填入“固定电话”或“备注”）",
        f"第7行 身份证号“{mask('510599791304062')}”：身份证号中的出生日期不存在",  # as the clerk typed it
    ]


def test_a_cadre_roster_with_an_office_phone_column(services, tmp_path):
    rows = [
        ["测试县统战干部花名册", None, None, None, None],
        ["姓名", "岗位类型", "所属乡镇", "手机号码", "办公电话"],
        ["赵统", "乡镇统战委员", "城关镇", "13800000003", "0830-5550001"],
        ["钱联", "村(社区)统战联络员", "河东乡", "0830-5550002", None],
    ]
    path = convert(_save(rows, tmp_path / "干部.xlsx"), "xls", tmp_path / "xls")
    report = import_file(services, "cadres", path)
    assert report.written, [p.line() for p in report.problems]
    got = {n: (r["phone"], r["landline"]) for n, r in _people(services, "cadres").items()}
    assert got == {"赵统": ("13800000003", "0830-5550001"), "钱联": (None, "0830-5550002")}


def test_a_masked_export_with_landlines_imports_back_as_a_no_op(services, tmp_path):
    from ufdesk.exchange.xlsx_export import export_xlsx
    from ufdesk.exchange.xlsx_import import drain

    services.create("representatives", {"name": "林台生", "gender": "1", "id_number": TAIWAN,
                                         "landline": "0830-1234567", "mobile": "13812345678"})
    [before] = services.find_by("representatives")
    assert before["id_kind"] == "3"  # the form leaves 证件类型 empty: the number says what it is
    out = tmp_path / "导出.xlsx"
    drain(export_xlsx(services, "representatives", out))
    saved = convert(out, "xls", tmp_path / "xls")
    report = import_file(services, "representatives", saved, update=True)
    assert report.written and (report.new, report.existing, report.updated) == (0, 1, 0)
    [after] = services.find_by("representatives")
    assert (after["landline"], after["mobile"], after["id_number"]) == ("0830-1234567", "13812345678", TAIWAN)


def test_the_migration_gives_old_records_the_kind_their_number_says_without_making_changes(store):
    from alembic import command
    from reports_helpers import sql

    from ufdesk.services import Services
    from ufdesk.store import Store
    from ufdesk.store.engine import alembic_config

    svc = Services(store, user="测试员")
    people = {n: svc.create("representatives", {"name": n, "id_number": i}).uuid
              for n, i in (("甲一", NEW_A), ("乙二", TAIWAN), ("丙三", FOREIGN), ("丁四", HK))}
    nobody = svc.create("representatives", {"name": "戊五"}).uuid
    cadre = svc.create("cadres", {"name": "己六", "post": "01", "id_number": NEW_B}).uuid
    db = store.location
    command.downgrade(alembic_config(store.engine), "0011")  # as a database written before 证件类型
    store.close()
    cols = "uuid, version, vv, clock, updated_at"
    before = {r[0]: r for r in sql(db, f"SELECT {cols} FROM representatives")}
    Store.open(db).close()
    kinds = dict(sql(db, "SELECT uuid, id_kind FROM representatives"))
    assert [kinds[people[n]] for n in ("甲一", "乙二", "丙三", "丁四")] == ["1", "3", "4", "2"]
    assert kinds[nobody] is None
    assert dict(sql(db, "SELECT uuid, id_kind FROM cadres"))[cadre] == "1"
    after = {r[0]: r for r in sql(db, f"SELECT {cols} FROM representatives")}
    assert after == before  # version, vector, clocks, updated_at: not a change to send in a package
