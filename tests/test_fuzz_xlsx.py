"""Bad spreadsheets never crash the importer or half-write the database.

Every case — a real office roster cut short, with flipped bits, a zip bomb, enormous cells,
formulas, a million empty rows, files that are not spreadsheets at all, and random CSV text from
hypothesis — ends either in a clear message (a ``UfError``) with the database unchanged, or in
an import report, with the database sound and holding exactly what the report says."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from fuzz_helpers import bit_flips, fingerprint, live_rows, sound, truncations, zip_bomb_member
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.iso7064 import mod_11_2

from ufdesk.domain.errors import UfError
from ufdesk.exchange.xlsx_import import import_file
from ufdesk.services import Services
from ufdesk.store import Store

HEADERS = ["序号", "姓名", "性别", "民族", "出生年月", "身份证号", "政治面貌", "工作单位及职务", "手机", "备注"]


def idno(i: int) -> str:
    """A valid ID number born in 197x.0y (matching ``roster_rows``), female for even ``i``."""
    body = f"510599197{i % 10}0{i % 9 + 1}15{i % 50:02d}{1 if i % 2 else 2}"
    return body + mod_11_2.calc_check_digit(body)


def roster_rows(n: int = 40) -> list[list]:
    rows = []
    for i in range(n):
        rows.append([i + 1, f"王{'伟芳娜敏静丽强磊军洋'[i % 10]}{i}", "男" if i % 2 else "女", "汉族", f"197{i % 10}.0{i % 9 + 1}",
                     idno(i), "民盟" if i % 3 else "无党派人士", f"县第{i % 5 + 1}中学 教师", f"138{i:08d}", ""])
    return rows


class Work(dict):
    """The fixture's parts (a short repr keeps hypothesis' reports readable)."""

    def __repr__(self) -> str:
        return "<fuzz work>"


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A county database with a few people, and the real files the mutations start from."""
    d = tmp_path_factory.mktemp("fuzz_xlsx")
    store = Store.create(d / "county.db", county_code="510599", county_name="测试县",
                         townships=[("510599100", "城关镇"), ("510599101", "河东乡")])
    svc = Services(store, user="录入员")
    for i in range(5):
        svc.create("representatives", {"name": f"已有{i}", "gender": "1"})
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "代表人士"
    ws.append(["测试县党外代表人士花名册"])
    ws.merge_cells("A1:J1")
    ws.append(["填报单位：测试县委统战部", None, None, None, None, None, None, "填报日期：2026年11月"])
    ws.append(HEADERS)
    for r in roster_rows():
        ws.append(r)
    ws.append(["合计：40人"])
    buf = io.BytesIO()
    wb.save(buf)
    csv_text = "\n".join(",".join(str(c) for c in row) for row in [HEADERS, *roster_rows()]) + "\n"
    yield Work(dir=d, svc=svc, xlsx=buf.getvalue(), csv=csv_text.encode("utf-8"))
    store.close()


def attempt(work, name: str, data: bytes | None = None, *, path: Path | None = None) -> str:
    """Import one file; check the outcome is a message or a report, and the database agrees."""
    svc, db = work["svc"], work["svc"].store.path
    if path is None:
        path = work["dir"] / name
        path.write_bytes(data)
    before, rows_before = fingerprint(db), live_rows(db)
    try:
        report = import_file(svc, "representatives", path)
    except UfError as exc:
        assert str(exc).strip(), f"{name}: an empty message"
        assert fingerprint(db) == before, f"{name}: refused, yet the database changed"
        return "refused"
    assert report.summary()
    if report.written:
        assert live_rows(db) == rows_before + report.new, f"{name}: the report and the database disagree"
        sound(db)
        return "imported"
    assert fingerprint(db) == before, f"{name}: nothing written, yet the database changed"
    return "reported"


# -- mutated real files --------------------------------------------------------------------------
def test_the_unmutated_roster_imports(work):
    assert attempt(work, "原件.xlsx", work["xlsx"]) == "imported"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_truncated_rosters(work, kind):
    for label, data in truncations(work[kind]):
        attempt(work, f"{label}.{kind}", data)


def test_bit_flipped_rosters(work):
    outcomes = [attempt(work, f"{label}.xlsx", data) for label, data in bit_flips(work["xlsx"], 40, seed=7)]
    assert "refused" in outcomes, "some flips must break the file and be refused"


def test_zip_bomb_is_refused_quickly(work):
    """A 1 MB .xlsx whose sheet unpacks to 1 GiB: refused before it is unpacked."""
    src = zipfile.ZipFile(io.BytesIO(work["xlsx"]))
    path = work["dir"] / "炸弹.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main"><dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1" '
                        b't="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is></c></row><row r="2"><c r="A2" '
                        b't="inlineStr"><is><t>')
                zip_bomb_member(z, item.filename, 1 << 30, head, b"</t></is></c></row></sheetData></worksheet>")
            else:
                z.writestr(item, src.read(item.filename))
    t0 = time.monotonic()
    assert attempt(work, "炸弹.xlsx", path=path) == "refused"
    assert time.monotonic() - t0 < 15


def _workbook(rows: list[list], far: tuple[int, int] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    if far:
        ws.cell(row=far[0], column=far[1], value=" ")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_enormous_cells(work):
    rows = roster_rows(3)
    rows[0][1] = "王" * 2_000_000  # a name two million characters long
    rows[1][7] = "单位" * 40_000
    rows[2][9] = "备注\n" * 100_000
    assert attempt(work, "超长.xlsx", _workbook([HEADERS, *rows])) in ("reported", "refused", "imported")
    big = ",".join(HEADERS) + "\n" + "1,张三,男,汉族,1980.01,," + "x" * 5_000_000 + ",,,\n"
    attempt(work, "超长.csv", big.encode("utf-8"))


def test_formulas_are_values_not_commands(work):
    rows = roster_rows(4)
    rows[0][1] = "=1+1"
    rows[1][1] = '=HYPERLINK("http://example.com","王伟")'
    rows[2][5] = "=cmd|' /C calc'!A0"
    rows[3][8] = "@SUM(1,2)"
    attempt(work, "公式.xlsx", _workbook([HEADERS, *rows]))
    attempt(work, "公式.csv", ("\n".join(",".join(str(c) for c in r) for r in [HEADERS, *rows]) + "\n").encode())


def test_a_million_empty_rows(work):
    csv_data = (",".join(HEADERS) + "\n1,张一,男,汉族,1980.01,,,,,\n" + ",,,,,,,,,\n" * 1_000_000).encode()
    t0 = time.monotonic()
    attempt(work, "百万空行.csv", csv_data)
    attempt(work, "最后一行.xlsx", _workbook([HEADERS, roster_rows(1)[0]], far=(1_048_576, 10)))
    assert time.monotonic() - t0 < 60


def test_files_that_are_not_spreadsheets(work):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    html = "<html><body><table><tr><td>姓名</td></tr><tr><td>王伟</td></tr></table></body></html>".encode()
    empty_zip = io.BytesIO()
    with zipfile.ZipFile(empty_zip, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    for name, data in [("空.xlsx", b""), ("空.csv", b""), ("图片.xlsx", png), ("网页.xls", html),
                       ("压缩包.xlsx", empty_zip.getvalue()), ("乱码.csv", bytes(range(128, 256)) * 50),
                       ("旧格式.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
                       ("表格.ods", b"PK\x03\x04" + b"\x00" * 100)]:
        assert attempt(work, name, data) in ("refused", "reported"), name


# -- hypothesis ----------------------------------------------------------------------------------
CELL = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="王李张刘陈杨赵黄周吴伟芳娜男女汉族民盟县镇中学教师0123456789.-/年月日Xx ，,\"'\n\t=+@", max_size=25),
    st.sampled_from(["", "男", "女", "汉族", "民盟", "中共党员", "1975.03", "1975年3月", "197503", "合计：3人",
                     idno(1), idno(2).lower(), "13812345678", "＝1+1", "\x00", "\ufeff姓名"]),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
ROWS = st.lists(st.lists(CELL, min_size=0, max_size=12), min_size=0, max_size=25)


def _csv(rows: list[list[str]], header: list[str] | None) -> bytes:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    if header:
        w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8", "surrogatepass")


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow], database=None)


@FUZZ
@given(rows=ROWS, header=st.one_of(st.none(), st.just(HEADERS), st.lists(CELL, max_size=12),
                                   st.permutations(HEADERS)))
def test_random_csv_text(work, rows, header):
    attempt(work, "随机.csv", _csv(rows, header))


@FUZZ
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".ods"]))
def test_random_bytes(work, data, suffix):
    attempt(work, "随机" + suffix, data)


@FUZZ
@given(rows=st.lists(st.lists(CELL, max_size=10), max_size=15))
def test_random_xlsx_cells(work, rows):
    clean = [[c.replace("\x00", "") if isinstance(c, str) else c for c in r] for r in rows]
    try:
        data = _workbook([HEADERS, *clean])
    except Exception:  # openpyxl refuses some control characters itself: not a file Excel would make
        return
    attempt(work, "随机.xlsx", data)


def test_database_is_sound_after_all_of_it(work):
    sound(work["svc"].store.path)
