"""GB/T 9704 type and text block, read back from the PDF with pdfplumber as a printer would."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict

import pdfplumber
import pytest

MM = 72 / 25.4


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from ufdesk.services.demo import build_demo

    path = tmp_path_factory.mktemp("gbt") / "demo.db"
    build_demo(path, size=200).close()
    return path


def report(db, tmp_path, name, *args) -> str:
    out = tmp_path / f"{name}.pdf"
    proc = subprocess.run([sys.executable, "-m", "ufdesk", "report", name, "--db", str(db), "--out", str(out), *args],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return str(out)


def lines(page) -> list[list[dict]]:
    """The page's characters grouped into lines (same top), top to bottom."""
    by_top: dict[float, list[dict]] = defaultdict(list)
    for c in page.chars:
        by_top[round(c["top"], 1)].append(c)
    return [sorted(by_top[t], key=lambda c: c["x0"]) for t in sorted(by_top)]


def text(line) -> str:
    return "".join(c["text"] for c in line)


def cells(line) -> float:
    """Characters counted as 三号 cells: a full-width character one, a digit or letter a half."""
    return sum(0.5 if c["text"].isascii() else 1 for c in line)


def test_monthly_first_page_is_a_gbt9704_prose_page(db, tmp_path):
    with pdfplumber.open(report(db, tmp_path, "monthly", "--month", "2026-10")) as pdf:
        page = pdf.pages[0]
        ls = lines(page)
        title, *rest = ls
        assert text(title) == "统战工作月度汇总"
        assert {round(c["size"], 1) for c in title} == {22}  # 二号
        assert title[0]["top"] == pytest.approx(37 * MM, abs=0.5 * MM)  # the text block's top edge
        head = next(ln for ln in rest if text(ln) == "一、总体情况")
        assert {round(c["size"], 1) for c in head} == {16}  # 黑体 三号
        assert head[0]["fontname"] != title[0]["fontname"] or "Hei" in head[0]["fontname"]
        assert head[0]["x0"] == pytest.approx(28 * MM, abs=0.2)  # no padding inside the margin
        body = [ln for ln in rest[rest.index(head) + 1:] if round(ln[0]["size"], 1) == 16]
        assert len(body) >= 4
        assert {round(c["size"], 1) for ln in body for c in ln} == {16}  # 三号
        assert body[0][0]["x0"] == pytest.approx(28 * MM + 2 * 156 * MM / 28, abs=0.3)  # 空两字
        indent = 28 * MM + 2 * 156 * MM / 28
        starts = [i for i, ln in enumerate(body) if abs(ln[0]["x0"] - indent) < 0.3]
        for a, b in zip(starts, [*starts[1:], len(body)], strict=True):
            for ln in body[a:b - 1]:  # full lines reach both edges of the 156 mm block, 28 cells or just under
                assert ln[-1]["x1"] == pytest.approx(184 * MM, abs=0.5), text(ln)
                assert 26 <= cells(ln) + (2 if ln is body[a] else 0) <= 28, text(ln)
            assert body[b - 1][-1]["x1"] <= 184 * MM + 0.5
        pitch = [b[0]["top"] - a[0]["top"] for a, b in zip(body, body[1:], strict=False)]
        assert pitch == pytest.approx([225 * MM / 22] * len(pitch), abs=0.05)  # 22 lines to the page
        number = ls[-1]
        assert text(number) == "— 1 —" and {round(c["size"], 1) for c in number} == {14}  # 四号
        assert number[0]["top"] == pytest.approx((297 - 35 + 7) * MM, abs=0.5 * MM)  # 7 mm under the block
        assert number[-1]["x1"] == pytest.approx(184 * MM - 14, abs=0.5)  # odd page: right, one character in
        # the tables begin on page 2, a table page: 五号 cells, its own margins
        t = lines(pdf.pages[1])
        header = next(ln for ln in t if text(ln).startswith("活动类型"))
        assert {round(c["size"], 1) for c in header} == {10.5}
        row = next(ln for ln in t if text(ln).startswith("学习教育"))  # the table's row (the legend follows)
        assert {round(c["size"], 1) for c in row} == {10.5}
        assert min(c["x0"] for ln in t for c in ln) >= 18 * MM - 0.5


def test_a_long_prose_text_takes_22_lines_of_28_characters(tmp_path):
    from ufdesk.reports import page
    from ufdesk.reports.fonts import font
    from ufdesk.reports.prose import Prose

    text_ = "统一战线是党的事业取得胜利的重要法宝" * 80  # 1,440 characters, no digits
    out = tmp_path / "p.pdf"
    page.build([Prose(text_, font("body"), 16, indent=2)], page.Meta("标题", "单位"), out=out)
    with pdfplumber.open(out) as pdf:
        first = [ln for ln in lines(pdf.pages[0]) if round(ln[0]["size"], 1) == 16]
        second = [ln for ln in lines(pdf.pages[1]) if round(ln[0]["size"], 1) == 16]
    assert len(first) == 22 and len(second) == 22
    assert [len(ln) for ln in first] == [26] + [28] * 21  # 空两字, then 28 a line
    assert [len(ln) for ln in second] == [28] * 22  # the paragraph goes on without an indent
    assert first[0][0]["top"] == pytest.approx(37 * MM, abs=0.5 * MM)
    assert first[-1][0]["bottom"] <= (297 - 35) * MM + 0.5
    assert "".join(text(ln) for ln in first + second) == text_[:26 + 21 * 28 + 22 * 28]


def test_no_line_starts_with_a_comma_or_splits_a_number(tmp_path):
    from ufdesk.reports import page
    from ufdesk.reports.fonts import font
    from ufdesk.reports.prose import Prose

    text_ = "统战工作" * 6 + "一二三，共有12345678人参加，" + "会议" * 20 + "（见附件）。" * 8
    out = tmp_path / "k.pdf"
    page.build([Prose(text_, font("body"), 16, indent=2)], page.Meta("标题", "单位"), out=out)
    with pdfplumber.open(out) as pdf:
        ls = [text(ln) for ln in lines(pdf.pages[0]) if round(ln[0]["size"], 1) == 16]
    assert "".join(ls) == text_
    assert not any(ln[0] in "，。、；：）" for ln in ls)
    assert not any(ln[-1] in "（《“" for ln in ls)
    assert any("12345678" in ln for ln in ls)
