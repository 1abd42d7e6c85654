"""A workbook with one sheet per township (issue 16): every township's sheet read, the township
of each person taken from the sheet's name when no column gives it, problems named with their
sheet. Built with openpyxl, saved by LibreOffice as a clerk's Excel would have it."""

from __future__ import annotations

import pytest
from xlsx_office import convert, make_id

from ufdesk.exchange.xlsx_import import import_file
from ufdesk.services.audit import mask

IDS = [make_id(f"1981060{i}", 50 + i, True) for i in range(1, 8)]


def _workbook(path, sheets):
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, people in sheets:
        ws = wb.create_sheet(name)
        ws.append([f"{name}党外代表人士花名册", None, None, None])
        ws.merge_cells("A1:D1")
        ws.append(["序号", "姓名", "性别", "身份证号码"])
        for n, (person, id_no) in enumerate(people, 1):
            ws.append([n, person, "男", id_no])
        ws.append([f"合计：{len(people)}人", None, None, None])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def by_township(tmp_path_factory):
    d = tmp_path_factory.mktemp("towns")
    src = _workbook(d / "各乡镇.xlsx", [
        ("城关镇", [("甲一", IDS[0]), ("甲二", IDS[1])]),
        ("河东", [("乙一", IDS[2])]),  # the sheet named without 乡
        ("北城街道", [("丙一", IDS[3]), ("丙二", IDS[4]), ("丙三", IDS[5])]),
    ])
    return {"xlsx": convert(src, "xlsx", d / "lo"), "xls": convert(src, "xls", d / "xls")}


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_every_township_sheet_is_read_and_each_person_gets_the_sheets_township(services, by_township, fmt):
    dry = import_file(services, "representatives", by_township[fmt], dry_run=True)
    assert dry.ok, [p.line() for p in dry.problems]
    assert "按乡镇分的工作表一并读取：城关镇、河东、北城街道（表头相同）" in dry.notes
    assert "表中没有所属乡镇列：每行的所属乡镇按其工作表名计入" in dry.notes
    assert "工作表“北城街道”第6行是合计行，未作为数据导入" in dry.notes
    report = import_file(services, "representatives", by_township[fmt])
    assert report.written and report.new == 6
    got = {r["name"]: r["township"] for r in services.find_by("representatives")}
    assert got == {"甲一": "510599100", "甲二": "510599100", "乙一": "510599101",
                   "丙一": "510599102", "丙二": "510599102", "丙三": "510599102"}


def test_a_problem_names_its_sheet_and_row(services, tmp_path):
    bad = IDS[6][:17] + ("1" if IDS[6][17] != "1" else "2")
    path = convert(_workbook(tmp_path / "各乡镇.xlsx", [
        ("城关镇", [("甲一", IDS[0])]),
        ("河东乡", [("乙一", IDS[1]), ("乙二", bad), ("乙三", IDS[0])]),
    ]), "xlsx", tmp_path / "lo")
    report = import_file(services, "representatives", path)
    assert not report.written and services.find_by("representatives") == []
    assert [p.line() for p in report.problems] == [
        f"工作表“河东乡”第4行 身份证号码“{mask(bad)}”：身份证号校验位不正确（可能有数字录错）",
        f"工作表“河东乡”第5行 身份证号码“{mask(IDS[0])}”：与工作表“城关镇”第3行的身份证号相同（同一人重复录入？）",
    ]


def test_a_workbook_whose_first_sheet_is_a_summary_is_read_from_that_sheet_alone(services, tmp_path):
    path = convert(_workbook(tmp_path / "汇总.xlsx", [
        ("全县汇总", [("甲一", IDS[0]), ("乙一", IDS[2])]),
        ("城关镇", [("甲一", IDS[0])]),
        ("河东乡", [("乙一", IDS[2])]),
    ]), "xlsx", tmp_path / "lo")
    report = import_file(services, "representatives", path)
    assert report.written and report.new == 2  # the township sheets repeat the summary: not read twice
    assert not any("按乡镇分的工作表" in n for n in report.notes)
