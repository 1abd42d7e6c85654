"""A name with a character of CJK Extension A or B (刘䶮, 欧阳𬍤) shows in the GUI in the bundled
花园明朝, not as a box, on a PC whose fonts lack it (issue 15 item 4)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QLabel


@pytest.fixture
def app(qapp):
    from ufdesk.gui.main import apply_look

    apply_look(qapp)
    return qapp


def faces_of(widget) -> dict[str, list[int]]:
    """The faces Qt lays the widget's text out in, with the glyphs it takes from each."""
    lay = QTextLayout(widget.text(), widget.font())
    lay.beginLayout()
    lay.createLine()
    lay.endLayout()
    out: dict[str, list[int]] = {}
    for run in lay.glyphRuns():
        out.setdefault(run.rawFont().familyName(), []).extend(run.glyphIndexes())
    return out


def test_extension_names_are_drawn_in_the_bundled_fallback_face(app, qtbot):
    label = QLabel("刘䶮")
    qtbot.addWidget(label)
    faces = faces_of(label)
    assert faces.get("HanaMinA") and 0 not in faces["HanaMinA"]  # 䶮, Extension A
    label.setText("欧阳𬍤")
    faces = faces_of(label)
    assert faces.get("HanaMinB") and 0 not in faces["HanaMinB"]  # 𬍤, Extension B
    assert all(0 not in glyphs for glyphs in faces.values())  # no box anywhere
    label.resize(300, 60)
    assert not label.grab().isNull()
