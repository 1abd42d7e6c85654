"""Importing rosters as offices keep them: every format, the exact problems, the exact records."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
import sqlalchemy as sa
from xlsx_office import (
    EXPECTED_RECORDS,
    HEADERS,
    ID1,
    convert,
    expected_problems,
    roster_rows,
    write_gbk_csv,
    write_openpyxl,
)

from ufdesk.exchange.xlsx_import import ImportRefused, import_file, open_source, run_import
from ufdesk.exchange.xlsx_read import SpreadsheetError

FORMATS = ["openpyxl", "lo-xlsx", "xls", "ods", "csv"]


@pytest.fixture(scope="module")
def roster_files(tmp_path_factory):
    """The same roster as openpyxl, LibreOffice (xlsx, xls, ods) and Excel's GBK CSV write it."""
    d = tmp_path_factory.mktemp("roster")
    src = write_openpyxl(d / "花名册.xlsx")
    return {
        "openpyxl": src,
        "lo-xlsx": convert(src, "xlsx", d / "lo"),
        "xls": convert(src, "xls", d / "xls"),
        "ods": convert(src, "ods", d / "ods"),
        "csv": write_gbk_csv(d / "花名册.csv"),
    }


def _records(services) -> dict[str, dict]:
    return {r["name"]: r for r in services.find_by("representatives")}


@pytest.mark.parametrize("fmt", FORMATS)
def test_dry_run_reports_every_problem_by_spreadsheet_row(services, roster_files, fmt):
    report = import_file(services, "representatives", roster_files[fmt], dry_run=True)
    got = [(p.row, p.column, p.value, p.message) for p in report.problems]
    assert got == expected_problems("csv" if fmt == "csv" else "xlsx")
    assert report.total == 12  # blank row, 合计 and 填表人 lines are not data
    assert (report.new, report.rejected) == (4, 8)
    assert _records(services) == {}


@pytest.mark.parametrize("fmt", FORMATS)
def test_skip_invalid_lands_exactly_the_good_rows(services, roster_files, fmt, tmp_path):
    rejects = tmp_path / "rejects.xlsx"
    report = import_file(services, "representatives", roster_files[fmt], skip_invalid=True, rejects=rejects)
    assert report.written and (report.new, report.existing, report.rejected) == (4, 0, 8)
    got = _records(services)
    assert set(got) == set(EXPECTED_RECORDS)
    for name, expected in EXPECTED_RECORDS.items():
        assert {k: got[name][k] for k in expected} == expected, name
    # the rejected rows come back in a workbook with 错误原因, ready to fix and import again
    again = open_source(rejects, "representatives", store=services.store)
    assert again.headers == [*[h.replace("　", "") for h in HEADERS], "错误原因"]
    names = [row[1] for _, row in again.data_rows()]
    assert names == ["钱七", "孙八", "周九", "吴十", "郑一", "冯二", "", "陈三"]
    assert "身份证号码：与第4行的身份证号相同" in again.data_rows()[-1][1][-1]


def test_all_or_nothing_writes_nothing_when_any_row_is_wrong(services, roster_files):
    report = import_file(services, "representatives", roster_files["openpyxl"])
    assert not report.written and len(report.problems) == 8
    assert (report.new, report.rejected) == (0, 12)
    assert _records(services) == {}
    with services.store.connect() as conn:
        assert conn.execute(sa.text("select count(*) from audit where action='import'")).scalar() == 0


def _clean_roster(tmp_path, rows=None):
    rows = rows or roster_rows()[:8]  # title, 填报 row, header, rows 4–8 (all valid)
    return write_openpyxl(tmp_path / "clean.xlsx", rows)


def test_existing_records_are_left_alone_unless_update(services, tmp_path):
    path = _clean_roster(tmp_path)
    first = import_file(services, "representatives", path)
    assert first.written and first.new == 4
    again = import_file(services, "representatives", path)
    assert (again.new, again.existing, again.updated) == (0, 4, 0)
    rows = roster_rows()[:8]
    rows[3][8] = "县人民医院院长"  # 张三 promoted
    changed = write_openpyxl(tmp_path / "changed.xlsx", rows)
    left = import_file(services, "representatives", changed)
    assert (left.existing, left.updated) == (4, 0)
    assert _records(services)["张三"]["position"] == "副院长"
    upd = import_file(services, "representatives", changed, update=True)
    assert (upd.existing, upd.updated) == (4, 1)
    rec = _records(services)["张三"]
    assert rec["position"] == "院长" and rec["version"] == 2
    with services.store.connect() as conn:
        audit = conn.execute(sa.text("select action, summary, details from audit where record=:u"),
                             {"u": rec["uuid"]}).all()
    assert [a.action for a in audit] == ["update"]
    assert "院长" in audit[0].details and ID1 not in audit[0].details


def test_update_from_a_file_without_township_keeps_the_township(services, tmp_path):
    path = _clean_roster(tmp_path)
    assert import_file(services, "representatives", path).new == 4
    rows = [[c for i, c in enumerate(r) if i != HEADERS.index("所属乡镇")] for r in roster_rows()[:8]]
    rows[3][-2] = "13812340000"  # 张三's new mobile, in a roster without 所属乡镇
    report = import_file(services, "representatives", write_openpyxl(tmp_path / "no_town.xlsx", rows), update=True)
    assert (report.existing, report.updated) == (4, 1)
    rec = _records(services)["张三"]
    assert (rec["mobile"], rec["township"]) == ("13812340000", "510599100")


def test_name_and_birth_date_match_when_there_is_no_id(services, tmp_path):
    rows = roster_rows()[:4]
    rows[3][5] = None
    path = write_openpyxl(tmp_path / "noid.xlsx", rows)
    assert import_file(services, "representatives", path).new == 1
    assert import_file(services, "representatives", path).existing == 1


def test_a_failure_midway_leaves_the_database_as_it_was(services, tmp_path, monkeypatch):
    import ufdesk.exchange.parallel_check as P
    import ufdesk.store.records as R

    rows = roster_rows()[:3] + [[i, f"人员{i}", "男", "汉", "1975.03", None, "民盟", "本科", "单位", "城关", "党外知识分子",
                                 None, None] for i in range(1, 26)]
    path = write_openpyxl(tmp_path / "many.xlsx", rows)
    monkeypatch.setattr(P, "CHUNK_ROWS", 10)
    real = R.bulk_insert
    calls = []

    def failing(conn, table, batch, ctx, **options):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("磁盘已满")
        return real(conn, table, batch, ctx, **options)

    monkeypatch.setattr(R, "bulk_insert", failing)
    with pytest.raises(OSError):
        import_file(services, "representatives", path)
    assert _records(services) == {}
    monkeypatch.setattr(R, "bulk_insert", real)
    # Cancel (closing the generator while it writes) rolls back too
    source = open_source(path, "representatives", store=services.store)
    gen = run_import(services, source)
    for done, _total, _ in gen:
        if done >= 20:  # two chunks checked and written
            gen.close()
            break
    assert _records(services) == {}
    assert import_file(services, "representatives", path).new == 25


def _indexes(store) -> set[str]:
    sql = ("select name from sqlite_master where type='index' and tbl_name='representatives'" if store.is_sqlite
           else "select indexname from pg_indexes where tablename='representatives'")
    with store.connect() as conn:
        return set(conn.exec_driver_sql(sql).scalars())


def test_large_imports_rebuild_indexes_and_a_cancel_keeps_them(services, tmp_path, monkeypatch):
    import ufdesk.exchange.parallel_check as P
    import ufdesk.exchange.xlsx_import as X

    rows = roster_rows()[:3] + [[i, f"人员{i}", "男", "汉", "1975.03", None, "民盟", "本科", "单位", "城关", "党外知识分子",
                                 None, None] for i in range(1, 31)]
    path = write_openpyxl(tmp_path / "many.xlsx", rows)
    monkeypatch.setattr(P, "CHUNK_ROWS", 10)
    monkeypatch.setattr(X, "DEFER_INDEXES_FROM", 20)
    before = _indexes(services.store)
    assert len(before) > 10
    gen = run_import(services, open_source(path, "representatives", store=services.store))
    for done, _total, _ in gen:
        if done >= 20:  # indexes dropped, two chunks checked and written
            gen.close()
            break
    assert _indexes(services.store) == before and _records(services) == {}
    assert import_file(services, "representatives", path).new == 30
    assert _indexes(services.store) == before
    from ufdesk.store.check import check

    assert check(services.store.location)[0]


def test_missing_required_column_is_refused_before_reading_rows(services, tmp_path):
    rows = [[c for i, c in enumerate(r) if i != 1] for r in roster_rows()[:6]]
    with pytest.raises(ImportRefused, match="姓名"):
        import_file(services, "representatives", write_openpyxl(tmp_path / "noname.xlsx", rows))


def test_sheet_chosen_by_name_or_the_first_with_a_header(services, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表由各乡镇填报"])
    ws = wb.create_sheet("名册")
    for row in roster_rows()[:4]:
        ws.append(row)
    wb.save(tmp_path / "two.xlsx")
    assert open_source(tmp_path / "two.xlsx", "representatives").sheet == "名册"
    with pytest.raises(SpreadsheetError, match="说明"):
        open_source(tmp_path / "two.xlsx", "representatives", sheet="说明")
    with pytest.raises(SpreadsheetError, match="没有名为“其他”的工作表"):
        open_source(tmp_path / "two.xlsx", "representatives", sheet="其他")


def test_mapping_is_remembered_per_header_layout(services, tmp_path):
    from ufdesk.exchange.mapping import remember

    path = _clean_roster(tmp_path)
    source = open_source(path, "representatives", store=services.store)
    assert not source.remembered and source.mapping[HEADERS.index("备注")] == "notes"
    mapping = list(source.mapping)
    mapping[HEADERS.index("备注")] = "resume"  # this office keeps the résumé in 备注
    remember(services.store, source.ledger, source.headers, mapping)
    again = open_source(path, "representatives", store=services.store)
    assert again.remembered and again.mapping[HEADERS.index("备注")] == "resume"
    report = import_file(services, "representatives", path)
    assert _records(services)["李四"]["resume"] == "区政协委员"
    assert report.written


def test_a_dimension_claiming_the_whole_sheet_does_not_refuse_a_small_file(services, tmp_path):
    """The used range comes from the cells themselves, never from ``<dimension>``."""
    path = _clean_roster(tmp_path)
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:M8"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in data
            zout.writestr(item, data)
    report = import_file(services, "representatives", big)
    assert report.written and report.new == 4
    assert set(_records(services)) == set(EXPECTED_RECORDS)


@pytest.mark.parametrize("text,expected", [
    ("1975.03", dt.date(1975, 3, 1)), ("1975.3", dt.date(1975, 3, 1)), ("1975年3月", dt.date(1975, 3, 1)),
    ("197503", dt.date(1975, 3, 1)), ("1975-03-15", dt.date(1975, 3, 15)), ("1975/3/15", dt.date(1975, 3, 15)),
    ("１９７５．０３", dt.date(1975, 3, 1)), ("1975年3月15日", dt.date(1975, 3, 15)), (1975.03, dt.date(1975, 3, 1)),
    (197503.0, dt.date(1975, 3, 1)), (27468.0, dt.date(1975, 3, 15)), (dt.datetime(1975, 3, 15, 0, 0), dt.date(1975, 3, 15)),
])
def test_date_forms(text, expected):
    from ufdesk.exchange.normalize import date

    assert date(text) == (expected, None)


def test_bad_dates_say_what_is_wrong():
    from ufdesk.exchange.normalize import date

    assert date("1975.13")[1] == "日期不存在"
    assert date("去年")[1].startswith("无法识别的日期")


@pytest.mark.parametrize("cell,codes", [
    ("民主党派成员、党外知识分子", ",01,03,"), ("民主党派成员，党外知识分子", ",01,03,"),
    ("民主党派成员,党外知识分子", ",01,03,"), ("民主党派成员；党外知识分子", ",01,03,"),
    ("民主党派成员;党外知识分子", ",01,03,"), ("民主党派成员 党外知识分子", ",01,03,"),
    ("民主党派成员　党外知识分子", ",01,03,"), ("港澳同胞、华侨、归侨及侨眷", ",09,11,"),
])
def test_several_kinds_in_one_cell(store, cell, codes):
    from ufdesk.exchange.normalize import codes_multi

    assert codes_multi(cell, store.codebook(), "object_kind") == (codes, None)


@pytest.mark.parametrize("cell,code", [
    ("民盟", "05"), ("中国民主同盟", "05"), ("民盟盟员", "05"), ("中国民主同盟盟员", "05"), ("无党派", "12"),
    ("无党派人士", "12"), ("九三", "10"), ("群众", "13"),
])
def test_party_names_short_long_and_everyday(store, cell, code):
    from ufdesk.exchange.normalize import code as to_code

    assert to_code(cell, store.codebook(), "party") == (code, None)


def test_cli_prints_each_problem_then_a_summary(roster_files, store, capsys, tmp_path):
    from ufdesk.cli import main

    db = store.location
    assert main(["import-xlsx", "--db", db, "--ledger", "representatives", str(roster_files["xls"]), "--dry-run"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    notes = [line for line in lines if line.startswith("说明：")]
    assert notes == ["说明：第17行是合计行，未作为数据导入", "说明：第18行是表尾（填表人、审核人、说明等），未作为数据导入"]
    lines = [line for line in lines if line not in notes]
    assert [line.split(" ")[0] for line in lines[:-1]] == [f"第{p[0]}行" for p in expected_problems("xls")]
    assert lines[-1] == "检查完毕（未写入）：共12行，新增4，已存在0，更新0，拒收8，发现问题8处"
    assert main(["import-xlsx", "--db", db, "--ledger", "代表人士", str(roster_files["xls"])]) == 1
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("未导入（数据库未作任何修改）")
    src = roster_files["csv"]
    assert main(["import-xlsx", "--db", db, "--ledger", "representatives", str(src), "--skip-invalid"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    rejects = src.with_name(f"{src.stem}_rejects.xlsx")
    assert last == f"导入完成：共12行，新增4，已存在0，更新0，拒收8，发现问题8处；被拒收的行已写入 {rejects}"
    assert rejects.exists()
    assert main(["import-xlsx", "--db", db, "--ledger", "representatives", str(src), "--dry-run"]) == 1
    assert "已存在4" in capsys.readouterr().out


def test_loaded_sheet_size_is_checked_too(services, roster_files, monkeypatch):
    """xls and ods declare no cheap size: the range calamine loaded is checked before rows are built."""
    import ufdesk.exchange.xlsx_read as XR

    monkeypatch.setattr(XR, "MAX_CELLS", 100)
    for fmt in ("xls", "ods"):
        with pytest.raises(SpreadsheetError, match="范围过大（18 行 × 13 列）"):
            open_source(roster_files[fmt], "representatives")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030(services, tmp_path, encoding):
    path = write_gbk_csv(tmp_path / "名册.csv", encoding)
    report = import_file(services, "representatives", path, dry_run=True)
    assert [(p.row, p.column, p.value, p.message) for p in report.problems] == expected_problems("csv")


@pytest.mark.parametrize("target", ["xlsx", "xls", "ods"])
def test_row_numbers_count_the_empty_rows_above_the_table(services, tmp_path, target):
    """A roster pasted at B3 of a sheet (two empty rows and an empty column before it): each
    problem still names the row Excel shows, two further down than the same roster at A1."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(roster_rows(), start=3):
        for c, value in enumerate(row, start=2):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    src = tmp_path / "下移.xlsx"
    wb.save(src)
    path = src if target == "xlsx" else convert(src, target, tmp_path / target)
    report = import_file(services, "representatives", path, dry_run=True)
    got = [(p.row, p.column, p.value, p.message) for p in report.problems]
    import re

    def moved(message):  # “与第4行的身份证号相同” names a row too
        return re.sub(r"第(\d+)行", lambda m: f"第{int(m.group(1)) + 2}行", message)

    assert got == [(row + 2, column, value, moved(message)) for row, column, value, message in expected_problems("xlsx")]


@pytest.mark.parametrize("fmt", ["openpyxl", "csv"])
def test_two_processes_find_exactly_what_one_finds(services, roster_files, fmt, monkeypatch, tmp_path):
    """A large roster is checked by this process and a helper process together (from the top
    and from the bottom). Made to split this small one into chunks of 3 rows, it must report
    the same problems in the same order — the same ID number twice across chunks included —
    and land the same records as one process checking alone."""
    import ufdesk.exchange.parallel_check as P

    monkeypatch.setattr(P, "PARALLEL_FROM", 1)
    monkeypatch.setattr(P, "CHUNK_ROWS", 3)
    monkeypatch.setattr(P, "AHEAD", 1)
    alone_env = {"UFDESK_IMPORT_PROCESSES": "1"}
    reports = {}
    for mode in ("alone", "two"):
        with monkeypatch.context() as m:
            if mode == "alone":
                for k, v in alone_env.items():
                    m.setenv(k, v)
            reports[mode] = import_file(services, "representatives", roster_files[fmt], dry_run=True)
    alone, two = reports["alone"], reports["two"]
    assert alone.helper_rows == 0 and two.helper_rows >= 3  # the helper really checked some rows
    assert [p.line() for p in two.problems] == [p.line() for p in alone.problems]
    assert (two.total, two.new, two.rejected) == (alone.total, alone.new, alone.rejected)

    report = import_file(services, "representatives", roster_files[fmt], skip_invalid=True,
                         rejects=tmp_path / "rejects.xlsx")
    assert report.helper_rows >= 3 and report.new == alone.new
    got = _records(services)
    for name, want in EXPECTED_RECORDS.items():
        assert {k: got[name][k] for k in want} == want


def test_the_quick_path_for_clean_rows_finds_what_the_full_check_finds(services, monkeypatch, tmp_path):
    """Rows whose cells convert and pass the checks made while converting skip the field-by-field
    validation. Forced through the full validation, every row of the office roster (with a
    plain 工作单位 column, and names too long) must give the same problems in the same order,
    and the same values."""
    import ufdesk.exchange.xlsx_import as X

    rows = [list(r) for r in roster_rows()]
    rows[2][8] = "工作单位"
    rows[-2:-2] = [[90 + i, "欧阳" * (15 + i), "男", "汉", "1975.03", None, "民盟", "本科", "县第一中学", "城关",
                    "党外知识分子", None, None] for i in range(3)]
    path = write_openpyxl(tmp_path / "plain.xlsx", rows)

    def run():
        source = open_source(path, "representatives", store=services.store)
        checker = X.Checker.for_source(services, source)
        return [(r.number, r.values, [p.line() for p in r.problems])
                for r in (checker.check(n, c) for n, c in source.data_rows())]

    quick = run()
    monkeypatch.setattr(X.Checker, "_clean", lambda self, values: False)
    assert run() == quick
    lines = [line for _, _, problems in quick for line in problems]
    assert sum("不能超过30个字" in line for line in lines) == 2  # 32 and 34 characters; 30 is allowed
    assert sum(not problems for _, _, problems in quick) >= 4


def test_a_source_dropped_before_importing_stops_its_helper(services, tmp_path, monkeypatch):
    """Opening a large file starts the helper process at once; a wizard that is closed (or
    given another file) before importing drops the source, and the helper ends with it."""
    import gc

    import ufdesk.exchange.parallel_check as P

    monkeypatch.setattr(P, "HELPER_FILE_BYTES", 1)
    source = open_source(write_openpyxl(tmp_path / "roster.xlsx"), "representatives", store=services.store)
    helper = source.helper.get()
    assert helper is not None
    process = helper.process
    assert process.is_alive()
    del source, helper
    gc.collect()
    process.join(timeout=10)
    assert process.exitcode is not None, "the helper still runs"
