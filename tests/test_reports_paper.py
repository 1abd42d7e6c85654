"""Papers as printed (issue 15, print habits): nothing runs into the margins — a pie's legend
stays inside the text block — and a long 简历 continues on a 续页 instead of shrinking the
登记表."""

from __future__ import annotations

import subprocess
import sys

import pdfplumber
import pytest

from ufdesk.reports import page as P


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from ufdesk.services.demo import build_demo

    path = tmp_path_factory.mktemp("paper") / "demo.db"
    build_demo(path, size=300).close()
    return path


def report(db, out, name, *args):
    proc = subprocess.run([sys.executable, "-m", "ufdesk", "report", name, "--db", str(db), "--out", str(out), *args],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.mark.parametrize("name", ["monthly", "proposals", "cadres", "structure"])
def test_chart_legends_stay_inside_the_text_block(db, tmp_path, name):
    out = report(db, tmp_path / f"{name}.pdf", name)
    seen_legend = False
    with pdfplumber.open(out) as pdf:
        for n, pg in enumerate(pdf.pages):
            prose = name == "monthly" and n == 0
            _top, left, right, _bottom = P.GB_MARGINS if prose else P.TABLE_MARGINS
            for c in (c for c in pg.chars if c["size"] < 9):  # the charts' labels and legends
                assert c["x0"] >= left - 0.5 and c["x1"] <= pg.width - right + 0.5, (n + 1, c["text"], c["x1"])
            seen_legend |= any(c["text"] == "%" for c in pg.chars if c["size"] < 9)
    assert seen_legend  # the pies' legends (8 pt and under, with their shares) were on the pages


ENTRIES = [f"{y}.03—{y + 1}.02 在青岚湖县白鹤镇第{y - 1979}村民委员会工作，任村委会副主任、主任，兼任村集体经济"
           f"合作社理事长，负责乡村振兴项目的统筹协调。" for y in range(1980, 2026)]


@pytest.fixture
def long_resume(tmp_path):
    """A county database with one person whose 简历 runs to 46 entries (about 90 lines)."""
    from ufdesk.services import Services
    from ufdesk.services.demo import build_demo

    path = tmp_path / "long.db"
    store = build_demo(path, size=20)
    svc = Services(store, user="测试员")
    values = {"name": "王长简", "resume": "\n".join(ENTRIES), "notes": "另附材料三页。",
              "township": store.townships()[0][0]}
    rep = svc.create("representatives", values)
    store.close()
    return path, rep.uuid


def squash(s: str) -> str:
    return "".join(s.split())


def test_long_resume_continues_on_a_continuation_page_at_full_size(long_resume, tmp_path):
    db, uuid = long_resume
    out = report(db, tmp_path / "p.pdf", "person", "--id", uuid)
    with pdfplumber.open(out) as pdf:
        pages = [squash(pg.extract_text() or "") for pg in pdf.pages]
        sizes = {round(c["size"], 1) for pg in pdf.pages for c in pg.chars}
        face = next(c["fontname"] for c in pdf.pages[0].chars if c["text"] == "王")  # the values' face
        values = "".join(squash(pg.filter(lambda o: o.get("fontname", face) == face).extract_text() or "")
                         for pg in pdf.pages)  # the labels, in 黑体, left out
    assert len(pages) >= 2
    assert min(sizes) >= 10.5  # nothing shrunk: the table stays 五号 (the title larger)
    assert "党外代表人士信息登记表" in pages[0] and "续页" not in pages[0].replace("（转续页）", "")
    assert "（转续页）" in pages[0]
    for later in pages[1:]:
        assert later.startswith("党外代表人士信息登记表（续页）姓名：王长简"), later[:40]  # the heading repeated
        assert "（续）" in later
    for e in ENTRIES:  # every entry printed, once, in order
        assert values.count(squash(e)) == 1, e
    assert [values.index(squash(e)) for e in ENTRIES] == sorted(values.index(squash(e)) for e in ENTRIES)
    assert "另附材料三页。" in pages[-1] and "填表单位" in pages[-1] and "填表单位" not in "".join(pages[:-1])


def test_short_resume_keeps_the_form_on_one_page(db, tmp_path):
    import sqlite3

    with sqlite3.connect(db) as conn:
        uuid = conn.execute("select uuid from representatives where resume != '' limit 1").fetchone()[0]
    out = report(db, tmp_path / "one.pdf", "person", "--id", uuid)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 1
        assert "续页" not in (pdf.pages[0].extract_text() or "")


def test_long_resume_in_word_continues_on_a_continuation_page(long_resume, tmp_path):
    import zipfile

    db, uuid = long_resume
    out = report(db, tmp_path / "p.docx", "person", "--id", uuid)
    body = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert body.count("党外代表人士信息登记表（续页）") >= 1 and "w:pageBreakBefore" in body
    home = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{home}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "lo_out"), str(out)], check=True, capture_output=True, timeout=240)
    laid = subprocess.run(["pdftotext", "-layout", str(tmp_path / "lo_out" / "p.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [p for p in laid.split("\f") if p.strip()]
    assert len(pages) == body.count("党外代表人士信息登记表（续页）") + 1  # no page pushed on by Word itself
    for later in pages[1:]:  # each 续页 begins with the heading
        assert squash(next(ln for ln in later.splitlines() if ln.strip())) == "党外代表人士信息登记表（续页）"
    for e in ENTRIES:  # every entry once (each begins with its years)
        assert laid.count(e[:15]) == 1, e[:15]
    assert "（转续页）" in pages[0] and "另附材料三页。" in pages[-1]
