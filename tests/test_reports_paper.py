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
