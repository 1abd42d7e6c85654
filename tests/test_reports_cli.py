"""``ufdesk report``: what a clerk or IT person sees on the command line."""

from __future__ import annotations

import pytest
from reports_helpers import flat, fonts, text

from ufdesk.cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from ufdesk.services.demo import build_demo

    path = tmp_path_factory.mktemp("cli") / "demo.db"
    build_demo(path, size=200).close()
    return path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_unknown_township_is_a_clear_error(db, tmp_path, capsys):
    code, _out, err = run(capsys, "report", "roster", "--db", db, "--out", tmp_path / "r.pdf", "--township", "510599999")
    assert code == 1
    assert "找不到乡镇“510599999”" in err and "乡镇代码" in err
    assert not (tmp_path / "r.pdf").exists()


def test_missing_person_is_a_clear_error(db, tmp_path, capsys):
    code, _out, err = run(capsys, "report", "person", "--db", db, "--out", tmp_path / "p.pdf",
                          "--id", "00000000-0000-0000-0000-000000000000")
    assert code == 1
    assert "找不到代表人士" in err
    code, _out, err = run(capsys, "report", "person", "--db", db, "--out", tmp_path / "p.pdf")
    assert code == 1 and "--id" in err


def test_unknown_kind_lists_the_kinds(db, tmp_path, capsys):
    code, _out, err = run(capsys, "report", "roster", "--db", db, "--out", tmp_path / "r.pdf", "--kind", "外星人")
    assert code == 1 and "不是人士类别" in err and "宗教界人士" in err


def test_a_month_without_data_gives_an_empty_report(db, tmp_path, capsys):
    out_file = tmp_path / "m.pdf"
    code, out, _err = run(capsys, "report", "monthly", "--db", db, "--out", out_file, "--month", "1999-03")
    assert code == 0 and "已生成" in out
    txt = flat(out_file)
    assert "（1999年3月）" in txt
    assert "全县共开展统战活动0次，参加0人次" in txt and "本月没有登记活动" in txt
    assert "本月无新认定人员" in txt and "本月统战干部无变动" in txt
    lay = text(out_file)
    assert lay.count("未报送") >= 20  # every township of the demo county, truthfully
    assert all(emb == "yes" for _n, _t, emb in fonts(out_file))


def test_word_output_and_kind_by_code(db, tmp_path, capsys):
    from docx import Document

    code, _out, _err = run(capsys, "report", "monthly", "--db", db, "--out", tmp_path / "m.docx", "--summary", "小结一段。")
    assert code == 0
    doc = Document(tmp_path / "m.docx")
    assert any(p.text == "小结一段。" for p in doc.paragraphs)
    code, _out, err = run(capsys, "report", "roster", "--db", db, "--out", tmp_path / "r.odt")
    assert code == 1 and ".pdf" in err and ".docx" in err and not (tmp_path / "r.odt").exists()
    code, _out, _err = run(capsys, "report", "roster", "--db", db, "--out", tmp_path / "r.pdf", "--kind", "05")
    assert code == 0 and "宗教界人士" in flat(tmp_path / "r.pdf")


def test_bad_month_and_template(db, tmp_path, capsys):
    code, _out, err = run(capsys, "report", "monthly", "--db", db, "--out", tmp_path / "m.pdf", "--month", "2026-13")
    assert code == 1 and "YYYY-MM" in err
    with pytest.raises(SystemExit) as exc:
        main(["report", "nonsense", "--db", str(db), "--out", str(tmp_path / "x.pdf")])
    assert exc.value.code == 2
