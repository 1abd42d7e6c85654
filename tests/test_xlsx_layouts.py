"""Rosters as townships really send them (issue 16): merged township cells, page titles and
unit lines repeated inside the sheet, footers over several cells, stray far cells, invisible
characters. Each layout is built with openpyxl and saved again by LibreOffice (xlsx, xls, ods)
where merged cells matter, and the test asserts what a clerk would check afterwards."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from xlsx_office import convert, make_id

from ufdesk.exchange.xlsx_import import import_file
from ufdesk.services.query import Query

ID_A, ID_B, ID_C, ID_D, ID_E = (make_id(f"1975031{i}", 20 + i, True) for i in range(5))


def _people(services) -> dict[str, dict]:
    return {r["name"]: r for r in services.find_by("representatives")}


def _save(rows, path, merges=()):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def _formats(src, tmp_path, formats):
    out = {}
    for fmt in formats:
        out[fmt] = src if fmt == "openpyxl" else convert(src, "xlsx" if fmt == "lo-xlsx" else fmt, tmp_path / fmt)
    return out


@pytest.fixture(scope="module")
def merged_files(tmp_path_factory):
    """所属乡镇 and 工作单位 merged down over each township's people, as clerks format them;
    a 备注 merged over two people (a column whose field does not fill)."""
    d = tmp_path_factory.mktemp("merged")
    rows = [
        ["测试县党外代表人士花名册", None, None, None, None, None],
        ["所属乡镇", "姓名", "性别", "身份证号", "工作单位", "备注"],
        ["城关镇", "甲一", "男", ID_A, "县人民医院", "同一科室"],
        [None, "甲二", "男", ID_B, None, None],
        [None, "甲三", "男", ID_C, "县中学", None],
        ["河东乡", "乙一", "男", ID_D, "乡卫生院", None],
        [None, "乙二", "男", ID_E, None, None],
    ]
    src = _save(rows, d / "合并.xlsx", ["A1:F1", "A3:A5", "E3:E4", "F3:F4", "A6:A7", "E6:E7"])
    return _formats(src, d, ["openpyxl", "lo-xlsx", "xls", "ods"])


@pytest.mark.parametrize("fmt", ["openpyxl", "lo-xlsx", "xls", "ods"])
def test_a_township_merged_over_its_people_goes_to_every_one_of_them(services, merged_files, fmt):
    dry = import_file(services, "representatives", merged_files[fmt], dry_run=True)
    assert dry.ok and dry.total == 5
    # the check report says what was filled, and what counts for one row only
    assert "第3–5行的“所属乡镇”是合并单元格，已把“城关镇”填入其中2行" in dry.notes
    assert "第6–7行的“所属乡镇”是合并单元格，已把“河东乡”填入其中1行" in dry.notes
    assert "第3–4行的“工作单位”是合并单元格，已把“县人民医院”填入其中1行" in dry.notes
    assert "第3–4行的“备注”是合并单元格，只计入第3行" in dry.notes
    report = import_file(services, "representatives", merged_files[fmt])
    assert report.written and report.new == 5
    got = {n: (r["township"], r["employer"], r["notes"]) for n, r in _people(services).items()}
    assert got == {
        "甲一": ("510599100", "县人民医院", "同一科室"),
        "甲二": ("510599100", "县人民医院", None),
        "甲三": ("510599100", "县中学", None),
        "乙一": ("510599101", "乡卫生院", None),
        "乙二": ("510599101", "乡卫生院", None),
    }


def _paged_rows():
    """A roster printed as two pages, no 序号 column: the title, unit and date lines and the
    header come again before the second page; a footer in three cells, a note line."""
    title = "测试县党外代表人士花名册"
    unit = ["填报单位：城关镇统战办", None, None, "填报日期：2026年11月20日"]
    header = ["姓名", "性别", "身份证号", "所属乡镇"]
    return [
        [title, None, None, None],
        unit,
        header,
        ["甲一", "男", ID_A, "城关镇"],
        ["甲二", "男", ID_B, "城关镇"],
        [None, None, None, None],
        [title, None, None, None],
        ["（续表）", None, None, "第2页"],
        unit,
        ["单位：城关镇统战办", None, None, None],
        ["2026年11月20日", None, None, None],
        header,
        ["甲三", "男", ID_C, "城关镇"],
        ["填表人：张科员", "审核人：李部长", "联系电话：0830-1234567", "填报日期：2026年11月20日"],
        ["说明：1. 本表由乡镇统战委员填写；2. 身份证号须填18位。", None, None, None],
    ]


@pytest.mark.parametrize("fmt", ["openpyxl", "xls", "csv"])
def test_titles_units_dates_and_headers_repeated_inside_the_sheet_are_not_people(services, tmp_path, fmt):
    src = _save(_paged_rows(), tmp_path / "分页.xlsx", ["A1:D1", "A7:D7"])
    if fmt == "csv":
        import csv

        path = tmp_path / "分页.csv"
        with open(path, "w", encoding="gbk", newline="") as fh:
            csv.writer(fh).writerows([["" if v is None else v for v in r] for r in _paged_rows()])
    else:
        path = _formats(src, tmp_path, [fmt])[fmt]
    dry = import_file(services, "representatives", path, dry_run=True)
    assert dry.ok, [p.line() for p in dry.problems]
    assert dry.total == 3
    assert "第7、10、11行是重复的标题、填报单位/日期、页码行，未作为数据导入" not in dry.notes  # one line per kind
    assert "第7行是重复的标题行，未作为数据导入" in dry.notes
    assert "第9–11行是重复的填报单位/日期行，未作为数据导入" in dry.notes
    assert "第8行是重复的页码行，未作为数据导入" in dry.notes
    assert "第12行是重复的表头，未作为数据导入" in dry.notes
    assert "第14–15行是表尾（填表人、审核人、说明等），未作为数据导入" in dry.notes
    report = import_file(services, "representatives", path)
    assert report.written
    assert sorted(_people(services)) == ["甲一", "甲三", "甲二"]


def test_a_stray_far_cell_in_a_file_without_dimension_is_left_out_not_fatal(tmp_path, store):
    """calamine would ask for 512 GB and abort the process: the import runs in a child process
    so that an abort would show as exit 134 here instead of taking pytest with it."""
    src = _save([["姓名", "性别", "身份证号"], ["甲一", "男", ID_A]], tmp_path / "src.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(src)
    wb.active["XFD1048576"] = "x"
    wb.save(src)
    far = tmp_path / "远处.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(far, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                import re

                data = re.sub(rb"<dimension[^>]*/>", b"", data)
                assert b"XFD1048576" in data and b"<dimension" not in data
            zout.writestr(item, data)
    db = store.location
    store.close()
    res = subprocess.run([sys.executable, "-m", "ufdesk", "import-xlsx", "--db", str(db), "--ledger",
                          "representatives", str(far)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "说明：工作表“花名册”中远离表格的单元格 XFD1048576 未读取（表格止于第2行）" in res.stdout
    assert "导入完成：共1行，新增1" in res.stdout
    from ufdesk.services import Services
    from ufdesk.store import Store

    again = Store.open(db)
    try:
        assert [r["name"] for r in Services(again, user="t").find_by("representatives")] == ["甲一"]
    finally:
        again.close()


def test_control_and_invisible_characters_are_removed_and_quotes_unwrapped(services, tmp_path):
    path = tmp_path / "粘贴.csv"
    lines = ["姓名,性别,身份证号,手机号码,工作单位",
             f"张\x01三,男,\u200b{ID_A},'13812345678,县\x00医院",
             f'李四,男,"=""{ID_B}""",="13900001111",县中学\u200d',
             f"王五,男,'{ID_C},13700001111,县\u00a0税务局"]
    path.write_text("\r\n".join(lines), encoding="utf-8")
    report = import_file(services, "representatives", path)
    assert report.written and report.new == 3, [p.line() for p in report.problems]
    from ufdesk.services.audit import mask

    assert f"第2行 身份证号“{mask(ID_A)}”中有不可见的字符，已删除" in report.notes
    got = {n: (r["id_number"], r["mobile"], r["employer"]) for n, r in _people(services).items()}
    assert got == {"张三": (ID_A, "13812345678", "县医院"), "李四": (ID_B, "13900001111", "县中学"),
                   "王五": (ID_C, "13700001111", "县 税务局")}
    assert [r["name"] for r in services.page(Query("representatives", text="张三"))] == ["张三"]
    # and the export that used to fail on a control character now writes
    from ufdesk.exchange.xlsx_export import export_xlsx
    from ufdesk.exchange.xlsx_import import drain

    assert drain(export_xlsx(services, "representatives", tmp_path / "out.xlsx")) == 3


def _two_row_header():
    return [
        ["测试县党外代表人士花名册", None, None, None, None, None],
        ["序号", "姓名", "性别", "政治安排", None, "手机号码"],
        [None, None, None, "人大", "政协", None],
        [1, "甲一", "男", "县人大代表", None, "13800000001"],
        [2, "甲二", "男", None, "县政协委员", "13800000002"],
        [None, None, None, None, None, None],
        ["序号", "姓名", "性别", "政治安排", None, "手机号码"],  # page 2 repeats both header rows
        [None, None, None, "人大", "政协", None],
        [3, "甲三", "男", None, None, "13800000003"],
    ]


@pytest.mark.parametrize("fmt", ["openpyxl", "ods", "csv"])
def test_a_header_over_two_rows_is_joined_not_read_as_a_person(services, tmp_path, fmt):
    merges = ["A1:F1", "D2:E2", "A2:A3", "B2:B3", "C2:C3", "F2:F3", "D7:E7"]
    src = _save(_two_row_header(), tmp_path / "两行表头.xlsx", merges)
    if fmt == "csv":
        import csv

        path = tmp_path / "两行表头.csv"
        with open(path, "w", encoding="gbk", newline="") as fh:
            csv.writer(fh).writerows([["" if v is None else v for v in r] for r in _two_row_header()])
    else:
        path = _formats(src, tmp_path, [fmt])[fmt]
    dry = import_file(services, "representatives", path, dry_run=True)
    assert dry.ok, [p.line() for p in dry.problems]
    assert dry.total == 3
    assert "表头占两行（第2、3行），已合并为：政治安排人大、政治安排政协" in dry.notes
    assert "第7–8行是重复的表头，未作为数据导入" in dry.notes
    assert import_file(services, "representatives", path).written
    got = {n: r["mobile"] for n, r in _people(services).items()}
    assert got == {"甲一": "13800000001", "甲二": "13800000002", "甲三": "13800000003"}


def test_religions_and_site_types_by_their_everyday_names_and_a_wrong_one_shown_as_typed(services, tmp_path):
    """藏传/汉传/南传佛教 are 佛教, 寺院 is a 寺观教堂 — aliases kept in the code tables (data);
    a value that is no religion is shown as the clerk typed it (their own file)."""
    rows = [["场所名称", "宗教", "场所类型", "所属乡镇"],
            ["甘丹寺", "藏传佛教", "寺院", "城关镇"],
            ["白云观", "道教", "道观", "河东乡"],
            ["福音堂", "基督教", "聚会点", "城关镇"],
            ["某某堂", "拜火教", "寺院", "城关镇"]]
    path = _save(rows, tmp_path / "场所.xlsx")
    report = import_file(services, "sites", path, dry_run=True)
    assert [(p.row, p.column, p.value, p.message) for p in report.problems] == [
        (5, "宗教", "拜火教", "不是宗教中的值")]
    report = import_file(services, "sites", path, skip_invalid=True, rejects=tmp_path / "r.xlsx")
    got = {r["name"]: (r["religion"], r["site_type"]) for r in services.find_by("sites")}
    assert got == {"甘丹寺": ("1", "1"), "白云观": ("2", "1"), "福音堂": ("5", "2")}


def test_place_names_exactly_then_by_a_unique_match_without_suffix_else_refused_naming_candidates():
    from ufdesk.exchange.normalize import Townships, Villages

    towns = Townships([("150121100", "城关镇"), ("150121101", "城关乡"), ("150121102", "白音苏木"),
                       ("150121103", "红星民族乡"), ("150121104", "北城街道")], "测试旗")
    assert towns.find("城关镇") == ("150121100", None) and towns.find("城关乡") == ("150121101", None)
    assert towns.find("白音") == ("150121102", None) and towns.find("红星") == ("150121103", None)
    assert towns.find("北城") == ("150121104", None)
    assert towns.find("城关") == (None, "“城关”不能确定是哪一个乡镇（街道）（可能是城关乡、城关镇），请写全称")
    for county in ("旗直", "测试旗直", "县直", "市直", "区直"):
        assert towns.find(county) == (None, None), county
    villages = Villages([("150121100001", "150121100", "东街社区"), ("150121100002", "150121100", "桂花村"),
                         ("150121102001", "150121102", "巴彦嘎查"), ("150121101001", "150121101", "桂花村委会")])
    assert villages.find("东街", "150121100") == ("150121100001", None)
    assert villages.find("巴彦", None) == ("150121102001", None)
    assert villages.find("桂花", "150121101") == ("150121101001", None)  # within its township
    assert villages.find("桂花", None)[1] == "“桂花”不能确定是哪一个村(社区)（可能是桂花村、桂花村委会），请写全称"
