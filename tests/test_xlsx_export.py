"""Exporting ledgers to Excel as offices print and edit them, and importing them back."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
import sqlalchemy as sa
from xlsx_office import convert

from ufdesk.domain import LEDGERS
from ufdesk.domain.codes import CodeBook
from ufdesk.domain.errors import PermissionDenied
from ufdesk.exchange.xlsx_export import export_xlsx, write_template
from ufdesk.exchange.xlsx_import import drain, import_file
from ufdesk.services import Query, Services
from ufdesk.store import Store
from ufdesk.store.records import data_columns


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from ufdesk.services.demo import build_demo

    store = build_demo(tmp_path_factory.mktemp("demo") / "demo.db", size=80)
    yield store
    store.close()


@pytest.fixture(scope="module")
def full_export(demo, tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "全县.xlsx"
    count = drain(export_xlsx(Services(demo, user="管理员"), "all", path, full_ids=True))
    return path, count


def _fresh_county(demo, tmp_path) -> Services:
    store = Store.create(tmp_path / "new.db", county_code=demo.county_code, county_name=demo.county_name,
                         townships=demo.townships(), villages=[(c, n) for c, _, n in demo.villages()])
    return Services(store, user="导入员")


def test_full_export_imports_back_field_for_field(demo, full_export, tmp_path):
    path, count = full_export
    assert count == sum(Services(demo).count(Query(n)) for n in LEDGERS)
    target = _fresh_county(demo, tmp_path)
    for name, lg in LEDGERS.items():
        report = import_file(target, name, path, sheet=lg.label)
        assert report.ok and report.written, [p.line() for p in report.problems[:3]]
        before = {r["uuid"]: r for r in Services(demo).find_by(name)}
        after = {r["uuid"]: r for r in target.find_by(name)}
        assert report.new == len(before) > 0
        assert set(after) == set(before)
        cols = ["township", *data_columns(name)]
        for uuid, old in before.items():
            new = after[uuid]
            assert {c: old[c] or None for c in cols} == {c: new[c] or None for c in cols}, (name, uuid)
        for sub in lg.subs:  # trainings, arrangements … come back from their own sheets
            assert _sub_rows(demo, sub.name) == _sub_rows(target.store, sub.name), sub.name
        assert report.subs == sum(len(_sub_rows(demo, sub.name)) for sub in lg.subs)
    assert sum(len(_sub_rows(demo, s.name)) for lg in LEDGERS.values() for s in lg.subs) > 100


def _sub_rows(store, table: str) -> list[tuple]:
    cols = ["township", *data_columns(table)]
    with store.connect() as conn:
        rows = conn.execute(sa.text(f"select {', '.join(cols)} from {table} where deleted = false")).all()
    return sorted(tuple("" if v is None else str(v) for v in r) for r in rows)


def test_export_is_what_a_clerk_expects(demo, full_export):
    from openpyxl import load_workbook

    path, _ = full_export
    wb = load_workbook(path)
    assert wb.sheetnames[:len(LEDGERS)] == [lg.label for lg in LEDGERS.values()]
    assert "代表人士-培训" in wb.sheetnames  # sub-records travel as extra sheets
    ws = wb["代表人士"]
    headers = [c.value for c in ws[1]]
    lg = LEDGERS["representatives"]
    assert headers[:3] == ["姓名", "所属乡镇", "性别"] and headers[-1] == "记录编号"
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width > 10
    col = {h: i for i, h in enumerate(headers)}
    first = next(r for r in ws.iter_rows(min_row=2) if r[col["身份证号"]].value)
    idc = first[col["身份证号"]]
    assert idc.data_type == "s" and len(idc.value) == 18  # text, never a rounded number
    born = first[col["出生年月"]]
    assert isinstance(born.value, dt.datetime) and born.number_format == "yyyy-mm-dd"
    rec = Services(demo).find_by("representatives", uuid=first[col["记录编号"]].value)[0]
    assert first[col["性别"]].value == demo.codebook().name_of("gender", rec["gender"])
    assert first[col["姓名"]].value == rec["name"] and idc.value == rec["id_number"]
    assert lg.field("kinds").label in headers


def test_ids_and_phones_are_masked_unless_full_ids(demo, tmp_path):
    from openpyxl import load_workbook

    svc = Services(demo, user="编辑员")
    path = tmp_path / "masked.xlsx"
    drain(export_xlsx(svc, "representatives", path))
    ws = load_workbook(path)["代表人士"]
    headers = [c.value for c in ws[1]]
    ids = [r[headers.index("身份证号")].value for r in ws.iter_rows(min_row=2) if r[headers.index("身份证号")].value]
    phones = [r[headers.index("手机")].value for r in ws.iter_rows(min_row=2) if r[headers.index("手机")].value]
    assert ids and all(v[4:14] == "*" * 10 for v in ids)
    assert phones and all(v[3:7] == "****" for v in phones)
    with demo.connect() as conn:
        before = conn.execute(sa.text("select count(*) from audit where action='export_full_ids'")).scalar()
    editor = Services(demo, user="编辑员", role="editor")
    with pytest.raises(PermissionDenied):
        drain(export_xlsx(editor, "representatives", tmp_path / "full.xlsx", full_ids=True))
    assert not (tmp_path / "full.xlsx").exists()
    drain(export_xlsx(Services(demo, user="管理员", role="admin"), "cadres", tmp_path / "full.xlsx", full_ids=True))
    with demo.connect() as conn:
        rows = conn.execute(sa.text('select "user", summary from audit where action=\'export_full_ids\' order by id')).all()
    assert len(rows) == before + 1 and rows[-1].user == "管理员" and "统战干部" in rows[-1].summary


def test_export_of_a_filtered_view(demo, tmp_path):
    from openpyxl import load_workbook

    svc = Services(demo)
    code, name = demo.townships()[0]
    q = Query("representatives", township=code)
    drain(export_xlsx(svc, "representatives", tmp_path / "view.xlsx", query=q))
    ws = load_workbook(tmp_path / "view.xlsx")["代表人士"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == svc.count(q) > 0
    assert {r[1] for r in rows} == {name}


def test_libreoffice_reads_the_export_with_chinese_intact(demo, full_export, tmp_path):
    path, _ = full_export
    out = convert(path, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    headers = rows[0]
    assert headers[:3] == ["姓名", "所属乡镇", "性别"]
    svc = Services(demo)
    expected = svc.page(Query("representatives"), 0, 5)
    for row, rec in zip(rows[1:6], expected, strict=True):
        assert row[0] == rec["name"]
        assert row[headers.index("身份证号")] == (rec["id_number"] or "")
        assert row[headers.index("政治面貌")] == demo.codebook().name_of("party", rec["party"])


def test_blank_template_has_headers_and_drop_down_lists(tmp_path, capsys):
    from openpyxl import load_workbook

    from ufdesk.cli import main

    out = tmp_path / "模板.xlsx"
    assert main(["template-xlsx", "--ledger", "代表人士", "--out", str(out)]) == 0
    assert "代表人士导入模板" in capsys.readouterr().out
    wb = load_workbook(out)
    ws = wb["代表人士"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["姓名", "所属乡镇", "性别"] and "记录编号" not in headers
    assert wb["代码表"].sheet_state == "hidden"
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv for dv in ws.data_validations.dataValidation}
    letter = {h: ws.cell(row=1, column=i + 1).column_letter for i, h in enumerate(headers)}
    party = lists[letter["政治面貌"]]
    first, last = party.formula1.split("!")[1].replace("$", "").split(":")
    names = [c.value for c in wb["代码表"][first[0]]][1:]
    assert [n for n in names if n] == [n for _, n in CodeBook.defaults()["party"].items()]
    assert letter["性别"] in lists and letter["人士类别"] in lists and letter["姓名"] not in lists
    assert ws.column_dimensions[letter["身份证号"]].number_format == "@"


def test_template_filled_in_imports(services, tmp_path):
    from openpyxl import load_workbook
    from xlsx_office import make_id

    path = write_template("cadres", tmp_path / "t.xlsx", codes=services.store.codebook(),
                          townships=services.store.townships())
    wb = load_workbook(path)
    ws = wb["统战干部"]
    headers = [c.value for c in ws[1]]
    row = {"姓名": "刘洋", "所属乡镇": "河东乡", "性别": "女", "出生年月": "1988.09", "身份证号": make_id("19880912", 3, False),
           "岗位类型": services.store.codebook()["cadre_post"].items()[0][1], "电话": "13700001234"}
    ws.append([row.get(h) for h in headers])
    wb.save(path)
    report = import_file(services, "cadres", path)
    assert report.written and report.new == 1, [p.line() for p in report.problems]
    rec = services.find_by("cadres")[0]
    assert (rec["name"], rec["township"], rec["birth_date"]) == ("刘洋", "510599101", dt.date(1988, 9, 1))


def test_cli_export_masks_by_default_and_audits_full_ids(demo, tmp_path, capsys):
    from openpyxl import load_workbook

    from ufdesk.cli import main

    out = tmp_path / "干部.xlsx"
    assert main(["export-xlsx", "--db", demo.location, "--ledger", "统战干部", "--out", str(out)]) == 0
    n = Services(demo).count(Query("cadres"))
    assert capsys.readouterr().out.strip() == f"已导出 {n} 条记录到 {out}（身份证号、电话已部分隐藏）"
    ws = load_workbook(out)["统战干部"]
    headers = [c.value for c in ws[1]]
    phones = [r[headers.index("电话")] for r in ws.iter_rows(min_row=2, values_only=True) if r[headers.index("电话")]]
    assert phones and all("****" in p for p in phones)
    with demo.connect() as conn:
        before = conn.execute(sa.text("select count(*) from audit where action='export_full_ids'")).scalar()
    assert main(["export-xlsx", "--db", demo.location, "--ledger", "all", "--out", str(out), "--full-ids"]) == 0
    assert "完整号码" in capsys.readouterr().out
    with demo.connect() as conn:
        assert conn.execute(sa.text("select count(*) from audit where action='export_full_ids'")).scalar() == before + 1
    assert main(["export-xlsx", "--db", demo.location, "--ledger", "nothing", "--out", str(out)]) == 1
    assert "没有名为“nothing”的台账" in capsys.readouterr().err
