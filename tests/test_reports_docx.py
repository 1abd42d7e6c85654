"""Word for every report: what an office sees when it opens the .docx (read from the document
XML), and the same file laid out by LibreOffice Writer."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest

from ufdesk.cli import main
from ufdesk.paths import resource

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REPORTS = ["monthly", "roster", "structure", "person", "sites", "proposals", "cadres", "chambers"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from ufdesk.services.demo import build_demo

    path = tmp_path_factory.mktemp("docx") / "demo.db"
    build_demo(path, size=200).close()
    return path


@pytest.fixture(scope="module")
def person_id(db):
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("select uuid from representatives where deleted = 0 and resume is not null "
                            "order by name limit 1").fetchone()[0]


def make(db, tmp_path, capsys, name, *extra):
    out = tmp_path / f"{name}.docx"
    code = main(["report", name, "--db", str(db), "--out", str(out), *extra])
    _o, err = capsys.readouterr()
    assert code == 0, err
    return out


def xml(path, part="word/document.xml"):
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


@pytest.mark.parametrize("name", REPORTS)
def test_every_report_saves_as_word(db, person_id, tmp_path, capsys, name):
    extra = ["--id", person_id] if name == "person" else []
    path = make(db, tmp_path, capsys, name, *extra)
    doc = xml(path)
    rows = doc.iter(f"{W}tr")
    first = True
    for tr in rows:  # no row of any table splits across a page
        assert tr.find(f"{W}trPr/{W}cantSplit") is not None
        first = False
    assert not first, "a table"
    text = "".join(t.text or "" for t in doc.iter(f"{W}t"))
    titles = {"monthly": "统战工作月度汇总", "roster": "党外代表人士花名册", "structure": "党外代表人士结构分析",
              "person": "党外代表人士信息登记表", "sites": "宗教活动场所基本情况表",
              "proposals": "提案建议办理情况统计表", "cadres": "统战干部配备情况表", "chambers": "商会社团一览表"}
    assert text.startswith(titles[name])


def test_monthly_word_keeps_headers_headings_and_charts(db, tmp_path, capsys):
    from ufdesk.reports.fonts import word_fonts

    path = make(db, tmp_path, capsys, "monthly", "--month", "2026-10")
    doc = xml(path)
    styles = xml(path, "word/styles.xml")
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}

    def style_of(p):
        ps = p.find(f"{W}pPr/{W}pStyle")
        return by_id[ps.get(f"{W}val")] if ps is not None else None

    for tbl in doc.iter(f"{W}tbl"):  # the header row repeats on every page
        assert tbl.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    heads = [p for p in doc.iter(f"{W}p") if "".join(t.text or "" for t in p.iter(f"{W}t")).startswith(("一、", "五、"))]
    assert len(heads) == 2
    for p, size in zip(heads, ("32", "28"), strict=True):  # 三号 on the prose page, 四号 on table pages
        st = style_of(p)  # a heading stays with what follows (「五、宗教活动场所管理」 no longer ends a page)
        assert st.find(f"{W}pPr/{W}keepNext") is not None
        assert st.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == word_fonts()["hei"]
        assert st.find(f"{W}rPr/{W}sz").get(f"{W}val") == size
    body = next(p for p in doc.iter(f"{W}p") if "".join(t.text or "" for t in p.iter(f"{W}t")).startswith("2026年10月，全县"))
    st = style_of(body)
    assert st.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == word_fonts()["body"]
    assert st.find(f"{W}rPr/{W}sz").get(f"{W}val") == "32"
    sections = list(doc.iter(f"{W}sectPr"))
    assert len(sections) == 2  # the prose page, then the table pages
    mar = sections[0].find(f"{W}pgMar")
    assert [round(int(mar.get(f"{W}{k}")) / 56.69) for k in ("top", "left", "right", "bottom")] == [37, 28, 26, 35]
    assert all(s.find(f"{W}footerReference") is not None for s in sections)  # "— 1 —" on every page
    with zipfile.ZipFile(path) as z:
        pngs = [n for n in z.namelist() if n.startswith("word/media/") and n.endswith(".png")]
        assert len(pngs) == 2  # the bar and the pie chart, as pictures
        from PIL import Image

        with Image.open(z.open(pngs[0])) as im:
            lo, hi = im.convert("L").getextrema()
            assert im.size[0] > 400 and hi - lo > 100  # a drawing, not a blank


def test_word_names_the_fonts_the_pc_has(tmp_path, monkeypatch):
    from ufdesk.reports import blocks as B
    from ufdesk.reports import fonts as F
    from ufdesk.reports.page import Meta

    folder = tmp_path / "Fonts"
    folder.mkdir()
    shutil.copyfile(resource("fonts", "uming.ttc"), folder / "FS_GB2312.ttf")  # stands in for 仿宋_GB2312
    shutil.copyfile(resource("fonts", "uming.ttc"), folder / "simsun.ttc")
    monkeypatch.setattr(F, "font_dirs", lambda: [folder])
    F._installed.cache_clear()
    F.register.cache_clear()
    try:
        out = tmp_path / "f.docx"
        B.to_docx([B.H1("一、总体情况"), B.P("正文")], Meta("标题", "单位"), out)
        styles = xml(out, "word/styles.xml")
        faces = {s.get(f"{W}styleId"): s.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")
                 for s in styles.iter(f"{W}style") if s.find(f"{W}rPr/{W}rFonts") is not None}
        names = {n.get(f"{W}val"): faces.get(s.get(f"{W}styleId"))
                 for s in styles.iter(f"{W}style") for n in s.iter(f"{W}name")}
        assert names["UF正文"] == "仿宋_GB2312"  # detected, as the PDF detects it
        assert names["UF标题"] == "宋体"  # no 方正小标宋 on this PC
    finally:
        monkeypatch.undo()
        F._installed.cache_clear()
        F.register.cache_clear()
        F.register()


def test_libreoffice_lays_out_the_word_file_without_breaking_dates_or_words(db, tmp_path, capsys):
    path = make(db, tmp_path, capsys, "monthly", "--month", "2026-10")
    doc = xml(path)
    cells = ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in doc.iter(f"{W}tc")]
    dates = [c for c in cells if re.fullmatch(r"\d{4}\.\d{2}\.\d{2}", c)]
    words = [c for c in cells if c in ("学习教育", "政协提案", "人大建议", "社情民意信息", "整改中", "逾期")]
    assert dates and words
    home = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{home}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "monthly.pdf"
    laid = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for d in set(dates):  # every date printed whole on one line, as many times as the tables hold it
        assert laid.count(d) == dates.count(d), d
    for w in set(words):
        assert laid.count(w) >= words.count(w), w
    first = laid.split("\f")[0]
    assert "统战工作月度汇总" in first and "总体情况" in first and "活动开展情况" not in first  # page 1 is prose
