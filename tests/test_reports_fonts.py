"""Which faces a report uses: the PC's own office fonts when it has them, the bundled free ones
otherwise, and never a font reportlab cannot embed."""

from __future__ import annotations

import shutil

import pytest
from reports_helpers import fonts

from ufdesk.paths import resource
from ufdesk.reports import fonts as F


@pytest.fixture
def pc_fonts(tmp_path, monkeypatch):
    """A fake Windows font folder; the registrations are restored afterwards."""
    folder = tmp_path / "Fonts"
    folder.mkdir()
    monkeypatch.setattr(F, "font_dirs", lambda: [folder])
    F._installed.cache_clear()
    F.register.cache_clear()
    yield folder
    monkeypatch.undo()
    F._installed.cache_clear()
    F.register.cache_clear()
    F.register()


def test_the_pcs_own_heiti_is_preferred_and_embedded(pc_fonts, tmp_path):
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from ufdesk.reports.page import styles

    shutil.copyfile(resource("fonts", "wqy-microhei.ttc"), pc_fonts / "SimHei.ttf")  # case as Windows writes it
    F.register()
    assert F.register.labels["hei"] == "黑体" and F.register.labels["body"] == "AR PL UMing CN"
    pdf = tmp_path / "x.pdf"
    SimpleDocTemplate(str(pdf), initialFontName=F.font("song")).build([Paragraph("一、标题", styles()["h1"])])
    assert [(t, emb) for _n, t, emb in fonts(pdf)] == [("TrueType", "yes")]


def test_an_unusable_font_file_falls_back_to_the_bundled_face(pc_fonts):
    (pc_fonts / "simfang.ttf").write_bytes(b"OTTO" + b"\0" * 400)  # CFF outlines / damaged: reportlab refuses
    names = F.register()
    from reportlab.pdfbase.pdfmetrics import getFont

    assert F.register.labels["body"] == "AR PL UMing CN"
    assert "UMing" in getFont(names["body"]).face.name.decode()
