"""Files named wrong (issue 16): an HTML table saved as .xls (what many web systems export), Excel
2003's XML as .xls, a WPS .et, an xlsx named .xls — each read by its content, with the check
report saying what the file really was; a PDF, a Word file, a zip sent as "the roster" refused
with one sentence saying what it is and what to do, the database untouched. The workbooks are
the office roster saved by LibreOffice, then renamed as clerks and web systems name them."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from xlsx_office import EXPECTED_RECORDS, convert, make_id, write_openpyxl

from ufdesk.exchange.xlsx_import import import_file
from ufdesk.exchange.xlsx_read import SpreadsheetError

ID_A, ID_B, ID_C = (make_id(f"1976041{i}", 30 + i, True) for i in range(3))


def _records(services) -> dict[str, dict]:
    return {r["name"]: r for r in services.find_by("representatives")}


def _renamed(path, new_name):
    out = path.parent / "renamed" / new_name
    out.parent.mkdir(exist_ok=True)
    shutil.copyfile(path, out)
    return out


@pytest.fixture(scope="module")
def misnamed(tmp_path_factory):
    d = tmp_path_factory.mktemp("kinds")
    src = write_openpyxl(d / "花名册.xlsx")
    return {
        "xlsx-as-xls": _renamed(convert(src, "xlsx", d / "lo"), "花名册.xls"),
        "html-as-xls": _renamed(convert(src, "html", d / "html"), "花名册.xls"),
        "wps-et": _renamed(convert(src, "xls", d / "xls"), "花名册.et"),
        "pdf-as-xls": _renamed(convert(src, "pdf", d / "pdf"), "花名册.xls"),
    }


@pytest.mark.parametrize("kind, said", [
    ("xlsx-as-xls", "花名册.xls 的文件名是 .xls，内容其实是 xlsx 工作簿，已按其实际格式读取"),
    ("html-as-xls", "花名册.xls 其实是网页（HTML）表格，不是真正的 Excel 文件（很多网上系统这样导出），已按网页中的表格读取，"
                    "数字和日期以网页上显示的文字为准；如有不对，请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入"),
    ("wps-et", "花名册.et 是 WPS 表格文件（.et），已按 Excel 97-2003 格式读取；如有不对，请在 WPS 中另存为 .xlsx 再导入"),
])
def test_a_misnamed_roster_is_read_by_its_content_and_the_report_says_what_it_was(services, misnamed, kind, said):
    report = import_file(services, "representatives", misnamed[kind], skip_invalid=True,
                         rejects=misnamed[kind].parent / f"{kind}_rejects.xlsx")
    assert said in report.notes
    assert report.written and report.new == 4, [p.line() for p in report.problems]
    got = _records(services)
    assert set(got) == set(EXPECTED_RECORDS)
    for name, expected in EXPECTED_RECORDS.items():  # a web page holds the text shown: the same values
        assert {k: got[name][k] for k in expected} == expected, name


def _web_system_html(path):
    """What a provincial web system exports as .xls: GBK, no <html> head of note, th headers,
    a township merged down over its people with rowspan, a <br> inside a cell."""
    html = f"""<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<table border="1">
<tr><th colspan="5">城关镇、河东乡党外代表人士名单</th></tr>
<tr><th>所属乡镇</th><th>姓名</th><th>性别</th><th>身份证号</th><th>工作单位</th></tr>
<tr><td rowspan="2">城关镇</td><td>甲一</td><td>男</td><td style="mso-number-format:'\\@'">{ID_A}</td><td>县人民<br>医院</td></tr>
<tr><td>甲二</td><td>男</td><td>{ID_B}</td><td>县中学</td></tr>
<tr><td>河东乡</td><td>乙一</td><td>男</td><td>{ID_C}</td><td>&nbsp;</td></tr>
</table>"""
    path.write_bytes(html.encode("gbk"))
    return path


def test_a_web_systems_gbk_html_xls_with_a_merged_township(services, tmp_path):
    path = _web_system_html(tmp_path / "名单导出.xls")
    dry = import_file(services, "representatives", path, dry_run=True)
    assert dry.ok, [p.line() for p in dry.problems]
    assert "第3–4行的“所属乡镇”是合并单元格，已把“城关镇”填入其中1行" in dry.notes
    report = import_file(services, "representatives", path)
    assert report.written and report.new == 3
    got = {n: (r["township"], r["id_number"], r["employer"]) for n, r in _records(services).items()}
    assert got == {"甲一": ("510599100", ID_A, "县人民\n医院"), "甲二": ("510599100", ID_B, "县中学"),
                   "乙一": ("510599101", ID_C, None)}


def _spreadsheetml(path):
    """Excel 2003's “XML 电子表格” as Excel writes it: styles, ss:Index skipping cells, a township
    merged down (ss:MergeDown), numbers and dates typed."""
    path.write_text(f"""<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">
 <DocumentProperties xmlns="urn:schemas-microsoft-com:office:office"><Author>统战部</Author></DocumentProperties>
 <Styles><Style ss:ID="Default" ss:Name="Normal"><Font ss:FontName="宋体" x:CharSet="134" ss:Size="12"/></Style>
  <Style ss:ID="s21"><NumberFormat ss:Format="yyyy\\.mm"/></Style></Styles>
 <Worksheet ss:Name="花名册">
  <Table ss:ExpandedColumnCount="6" ss:ExpandedRowCount="6" x:FullColumns="1" x:FullRows="1">
   <Row><Cell ss:MergeAcross="5"><Data ss:Type="String">测试县党外代表人士花名册</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">序号</Data></Cell><Cell><Data ss:Type="String">所属乡镇</Data></Cell>
    <Cell><Data ss:Type="String">姓名</Data></Cell><Cell><Data ss:Type="String">性别</Data></Cell>
    <Cell><Data ss:Type="String">出生年月</Data></Cell><Cell><Data ss:Type="String">身份证号</Data></Cell></Row>
   <Row><Cell><Data ss:Type="Number">1</Data></Cell><Cell ss:MergeDown="1"><Data ss:Type="String">城关镇</Data></Cell>
    <Cell><Data ss:Type="String">甲一</Data></Cell><Cell><Data ss:Type="String">男</Data></Cell>
    <Cell ss:StyleID="s21"><Data ss:Type="DateTime">1976-04-10T00:00:00.000</Data></Cell>
    <Cell><Data ss:Type="String">{ID_A}</Data></Cell></Row>
   <Row><Cell><Data ss:Type="Number">2</Data></Cell><Cell ss:Index="3"><Data ss:Type="String">甲二</Data></Cell>
    <Cell ss:Index="6"><Data ss:Type="String">{ID_B}</Data></Cell></Row>
   <Row><Cell><Data ss:Type="Number">3</Data></Cell><Cell><Data ss:Type="String">河东</Data></Cell>
    <Cell><Data ss:Type="String">乙一</Data></Cell><Cell><Data ss:Type="String">男</Data></Cell>
    <Cell ss:Index="6"><Data ss:Type="String">{ID_C}</Data></Cell></Row>
   <Row><Cell ss:MergeAcross="5"><Data ss:Type="String">合计：3人</Data></Cell></Row>
  </Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Selected/></WorksheetOptions>
 </Worksheet>
</Workbook>
""", encoding="utf-8")
    return path


def test_excel_2003_xml_saved_as_xls_is_read(services, tmp_path):
    path = _spreadsheetml(tmp_path / "花名册2003.xls")
    report = import_file(services, "representatives", path)
    assert "花名册2003.xls 的文件名是 .xls，内容其实是 Excel 2003 XML 表格（SpreadsheetML），已按其实际格式读取" \
        in report.notes
    assert report.written and report.new == 3, [p.line() for p in report.problems]
    got = {n: (r["township"], r["id_number"], r["birth_date"]) for n, r in _records(services).items()}
    assert got["甲一"][0] == got["甲二"][0] == "510599100" and got["乙一"][0] == "510599101"
    assert str(got["甲一"][2]) == "1976-04-10"
    assert {n: v[1] for n, v in got.items()} == {"甲一": ID_A, "甲二": ID_B, "乙一": ID_C}


def _docx(path):
    import docx

    doc = docx.Document()
    doc.add_paragraph("党外代表人士名单")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "性别"
    table.cell(1, 0).text, table.cell(1, 1).text = "甲一", "男"
    doc.save(path)
    return path


def _zip(path):
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("花名册/城关镇.xlsx", b"PK")
    return path


@pytest.mark.parametrize("make, message", [
    ("pdf", "花名册.xls 其实是 PDF 文件，不是电子表格：请要来原来的 Excel 表（.xlsx 或 .xls）再导入"),
    ("docx", "名单.xls 其实是 Word 文档，不是电子表格：请把其中的表格复制到 Excel 或 WPS 表格，另存为 .xlsx 后再导入"),
    ("zip", "各乡镇.xlsx 其实是压缩包（zip），不是电子表格：请先解压，再导入其中的表格文件"),
    ("xml", "数据.xml 其实是 XML 数据文件，不是电子表格：请在 Excel 或 WPS 中打开后另存为 .xlsx 再导入"),
    ("no-table", "网页.xls 是网页（HTML）表格，但其中没有表格：请确认选择了正确的文件"),
])
def test_a_file_that_is_no_spreadsheet_is_refused_saying_what_it_is(store, misnamed, tmp_path, make, message):
    if make == "pdf":
        path = misnamed["pdf-as-xls"]
    elif make == "docx":
        path = _renamed(_docx(tmp_path / "名单.docx"), "名单.xls")
    elif make == "zip":
        path = _zip(tmp_path / "各乡镇.xlsx")
    elif make == "xml":
        path = tmp_path / "数据.xml"
        path.write_text('<?xml version="1.0"?><rows><row name="甲一"/></rows>', encoding="utf-8")
    else:
        path = tmp_path / "网页.xls"
        path.write_text("<html><body><p>登录已过期，请重新登录</p></body></html>", encoding="utf-8")
    from reports_helpers import sql

    db = store.location
    before = sql(db, "SELECT count(*) FROM representatives")
    store.close()
    res = subprocess.run([sys.executable, "-m", "ufdesk", "import-xlsx", "--db", str(db), "--ledger",
                          "representatives", str(path)], capture_output=True, text=True, timeout=120)
    assert res.returncode != 0
    assert message in res.stdout + res.stderr
    assert "Traceback" not in res.stderr
    assert sql(db, "SELECT count(*) FROM representatives") == before


def test_an_xlsx_named_xls_is_still_read_bounded(tmp_path):
    """A misnamed xlsx goes through the same bounded reading as any xlsx (no 512 GB abort)."""
    import re
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "性别"])
    ws.append(["甲一", "男"])
    ws["XFD1048576"] = "x"
    src = tmp_path / "src.xlsx"
    wb.save(src)
    far = tmp_path / "远处.xls"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(far, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            zout.writestr(item, data)
    code = ("from ufdesk.exchange.xlsx_read import read_sheet; import sys; s = read_sheet(sys.argv[1]); "
            "print(len(s.rows), s.notes)")
    res = subprocess.run([sys.executable, "-c", code, str(far)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("2 ") and "XFD1048576 未读取" in res.stdout


def test_reading_a_missing_sheet_of_an_html_file_names_the_tables(tmp_path):
    from ufdesk.exchange.xlsx_read import read_sheet

    path = _web_system_html(tmp_path / "名单导出.xls")
    with pytest.raises(SpreadsheetError, match="中没有名为“城关镇”的工作表（有：名单导出）"):
        read_sheet(path, "城关镇")
