"""Spreadsheets made the way county offices make them, for the Excel import tests.

One roster (花名册) with every quirk: merged title row, 填报单位/填报日期 row, 序号 column, a
blank row, full-width digits and spaces, 张　三, dates in many forms and real Excel dates,
ID numbers as text and as a number, lower-case x, short and long party names, townships
without their suffix, several 人士类别 in one cell, a closing 合计 row and a 填表人 line.
Written by openpyxl, then by LibreOffice (xlsx, xls, ods), and as a GBK CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

from stdnum.iso7064 import mod_11_2


def make_id(born: str, seq: int, male: bool, area: str = "510599") -> str:
    """A valid 18-digit ID number: area, birth date YYYYMMDD, sequence with the gender digit."""
    order = f"{seq:02d}{(1 if male else 2) + 2 * (seq % 4)}"
    body = area + born + order
    return body + mod_11_2.calc_check_digit(body)


ID1 = next(i for i in (make_id("19750315", s, True) for s in range(100)) if i.endswith("X"))
ID2 = make_id("19800102", 34, False)
ID3 = make_id("19680720", 5, True)
ID4 = make_id("19750301", 7, False)
ID5 = make_id("19820515", 8, True)
ROUNDED5 = float(ID5[:15] + "000")  # what Excel keeps of an ID typed into a number cell: 15 digits
ID6 = make_id("19790415", 9, True)  # born April: 出生年月 says March
ID7 = make_id("19900105", 10, True)  # male: 性别 says 女
ID8_BAD = make_id("19850601", 11, True)[:17] + ("0" if make_id("19850601", 11, True)[17] != "0" else "1")
ID9 = make_id("19700101", 13, False)
ID10 = make_id("19710101", 14, True)
ID11 = make_id("19720101", 15, True)

HEADERS = ["序号", "姓　名", "性别", "民族", "出生年月", "身份证号码", "政治面貌", "文化程度", "工作单位及职务",
           "所属乡镇", "人士类别", "手机号码", "备注"]


def roster_rows() -> list[list]:
    """The sheet as a list of rows (row 1 first). Floats stand where Excel keeps numbers."""
    lower_x = ID1.lower()
    return [
        ["测试县党外代表人士花名册"] + [None] * 12,
        ["填报单位：（盖章）测试县委统战部", None, None, None, None, None, None, None, None, "填报日期：2026年11月20日"]
        + [None] * 3,
        HEADERS,
        [1, "张　三", "男", "汉", "1975.03", lower_x, "民盟", "本科", "县人民医院副院长", "城关",
         "民主党派成员、党外知识分子", "１３８１２３４５６７８", None],
        [None] * 13,
        [2, "李四", "女", "汉族", dt.date(1980, 1, 2), ID2, "中国民主同盟盟员", "大学本科", "县第一中学 教师", "河东乡",
         "无党派人士;党外知识分子", "13900001111", "区政协委员"],
        [3, " 王五 ", "男", "回族", "1968年7月", ID3, "无党派", "研究生", "城关镇个体工商户", "北城街道",
         "非公有制经济人士，少数民族人士", None, None],
        [4, "赵六", "女", "汉", "197503", ID4, "民建", "大专", "北城街道社区卫生服务中心", "河东",
         "党外知识分子 新的社会阶层人士", None, None],
        [5, "钱七", "男", "汉", "1982-05-15", ROUNDED5, "民进", "本科", "县税务局", "城关镇", "党外知识分子", None, None],
        [6, "孙八", "男", "汉", "1979/3/15", ID6, "九三学社", "硕士", "县农业农村局", "城关镇", "党外知识分子", None, None],
        [7, "周九", "女", "汉", "1990.1", ID7, "无党派人士", "本科", "县职业中学", "城关镇", "无党派人士", None, None],
        [8, "吴十", "男", "汉", "1985.06", ID8_BAD, "农工党", "本科", "县中医院", "城关镇", "民主党派成员", None, None],
        [9, "郑一", "女", "汉", "1970.01", ID9, "民革", "本科", "县文化馆", "火星镇", "民主党派成员", None, None],
        [10, "冯二", "男", "汉", "1971.01", ID10, "民主党", "本科", "县档案馆", "城关镇", "民主党派成员", None, None],
        [11, None, "男", "汉", "1972.01", ID11, "群众", "本科", "县科协", "城关镇", "党外知识分子", None, None],
        [12, "陈三", "男", "汉", "1975.03", ID1, "民盟", "本科", "县人民医院", "城关镇", "民主党派成员", None, None],
        ["合计：12人"] + [None] * 12,
        ["填表人：张科员", None, None, None, None, None, "审核人：李部长"] + [None] * 6,
    ]


def expected_problems(fmt: str) -> list[tuple[int, str, str, str]]:
    """(row, column, shown value, message) the import must report, in row order."""
    from ufdesk.services.audit import mask

    if fmt == "csv":
        rounded = (9, "身份证号码", mask("5.10522E+17"),
                   "身份证号被保存为科学计数法，末几位已经丢失：请把该列设置为“文本”格式后重新录入完整号码")
    else:
        shown = mask(ID5[:15] + "000", "idcard")
        rounded = (9, "身份证号码", shown, "身份证号以数字格式保存，Excel 已把末几位舍入：请把该列设置为“文本”格式后重新录入完整号码")
    return [
        rounded,
        (10, "身份证号码", mask(ID6), "身份证号中的出生日期与出生年月不一致"),
        (11, "身份证号码", mask(ID7), "身份证号中的性别与填写的性别不一致"),
        (12, "身份证号码", mask(ID8_BAD), "身份证号校验位不正确（可能有数字录错）"),
        (13, "所属乡镇", "火星镇", "不是本县的乡镇（街道）"),
        (14, "政治面貌", "民主党", "不是政治面貌中的值"),
        (15, "姓名", "", "必填"),
        (16, "身份证号码", mask(ID1), "与第4行的身份证号相同（同一人重复录入？）"),
    ]


# The records that land from rows 4, 6, 7 and 8 (field → value), by name.
EXPECTED_RECORDS = {
    "张三": dict(gender="1", ethnicity="01", birth_date=dt.date(1975, 3, 1), id_number=ID1, party="05",
                 education="21", employer="县人民医院", position="副院长", township="510599100", kinds=",01,03,",
                 mobile="13812345678", notes=None),
    "李四": dict(gender="2", ethnicity="01", birth_date=dt.date(1980, 1, 2), id_number=ID2, party="05",
                 education="21", employer="县第一中学", position="教师", township="510599101", kinds=",02,03,",
                 mobile="13900001111", notes="区政协委员"),
    "王五": dict(gender="1", ethnicity="03", birth_date=dt.date(1968, 7, 1), id_number=ID3, party="12",
                 education="10", employer="城关镇个体工商户", position=None, township="510599102", kinds=",06,04,",
                 mobile=None, notes=None),
    "赵六": dict(gender="2", ethnicity="01", birth_date=dt.date(1975, 3, 1), id_number=ID4, party="06",
                 education="31", employer="北城街道社区卫生服务中心", position=None, township="510599101",
                 kinds=",03,07,", mobile=None, notes=None),
}


def write_openpyxl(path: Path, rows: list[list] | None = None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    for row in rows or roster_rows():
        ws.append(row)
    ws.merge_cells("A1:M1")
    ws.merge_cells("A2:E2")
    ws["E6"].number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


def write_gbk_csv(path: Path, encoding: str = "gbk") -> Path:
    """What Excel's “CSV (逗号分隔)” writes on a Chinese Windows: GBK, dates as 1980/1/2,
    numbers in scientific notation when the column is too narrow."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        for row in roster_rows():
            out = []
            for v in row:
                if isinstance(v, dt.date):
                    v = f"{v.year}/{v.month}/{v.day}"
                elif isinstance(v, float):
                    v = f"{v:.5E}"  # 5.10522E+17
                out.append("" if v is None else v)
            w.writerow(out)
    return path


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice (soffice) is needed: apt-get install -y libreoffice-calc-nogui"
    return found


def content_key(src: Path, target: str) -> str:
    """The same for the same cells, whenever and wherever the source was written: a workbook's
    parts without docProps (timestamps), or the file's bytes."""
    import hashlib
    import zipfile

    h = hashlib.sha256(target.encode())
    try:
        with zipfile.ZipFile(src) as z:
            for name in sorted(n for n in z.namelist() if not n.startswith("docProps/")):
                h.update(name.encode() + z.read(name))
    except zipfile.BadZipFile:
        h.update(src.read_bytes())
    return f"{h.hexdigest()[:32]}.{target.split(':')[0]}"


def convert(src: Path, target: str, outdir: Path) -> Path:
    """LibreOffice headless conversion (own profile, so parallel runs do not collide).

    The Windows leg cannot run LibreOffice (wine's Python cannot capture a Linux program): there,
    UFDESK_TEST_FIXTURES names a folder of LibreOffice's output made by the same tests on Linux
    with UFDESK_RECORD_FIXTURES, found by the source's content."""
    outdir.mkdir(parents=True, exist_ok=True)
    ext = target.split(":")[0]
    out = outdir / f"{src.stem}.{ext}"
    made_on_linux = os.environ.get("UFDESK_TEST_FIXTURES")
    if made_on_linux:
        saved = Path(made_on_linux) / content_key(src, target)
        assert saved.is_file(), f"no LibreOffice output recorded on Linux for {src.name} → {target}"
        shutil.copyfile(saved, out)
        return out
    profile = outdir / ".lo-profile"
    subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=300)
    assert out.exists(), f"LibreOffice did not write {out}"
    record = os.environ.get("UFDESK_RECORD_FIXTURES")
    if record:
        Path(record).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, Path(record) / content_key(src, target))
    return out
