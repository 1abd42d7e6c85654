"""Every dialog (found by walking ufdesk.gui) and the main window, opened as a clerk opens them on
a 1366×768 laptop at 100 % and on a 1920×1080 screen at 150 %: Chinese only, nothing lying over
anything, no cut-off message, and small enough for the screen with its taskbar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SCREENS = {  # (physical screen, QT_SCALE_FACTOR)
    "100%": ((1366, 768), "1"),
    "150%": ((1920, 1080), "1.5"),
}


@pytest.fixture(scope="module")
def swept(demo_master, tmp_path_factory):
    """The sweep run once per scaling, each in a process of its own with its own screen."""
    out = {}
    root = tmp_path_factory.mktemp("sweep")
    for name, ((w, h), factor) in SCREENS.items():
        import shutil

        db = root / f"{name[:-1]}.db"
        shutil.copyfile(demo_master, db)
        screen = root / f"screen{name[:-1]}.json"
        screen.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": w, "height": h,
                                                   "logicalDpi": 96}]}))
        env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "QT_SCALE_FACTOR": factor,
               "HOME": str(root / f"home{name[:-1]}")}
        report = root / f"sweep{name[:-1]}.json"
        res = subprocess.run([sys.executable, str(HERE / "gui_sweep.py"), str(db), str(report)], env=env,
                             capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stderr[-3000:]
        out[name] = json.loads(report.read_text(encoding="utf-8"))
    return out


@pytest.mark.parametrize("scale", SCREENS)
def test_every_dialog_class_is_opened(swept, scale):
    from gui_sweep import dialog_classes

    found = swept[scale]
    assert found["unbuilt"] == [], "a dialog the sweep cannot open: give it a recipe in tests/gui/gui_sweep.py"
    classes = {c.__name__ for c in dialog_classes()}
    assert {"PasswordDialog", "AdminDialog", "SecretDialog", "ReportDialog", "MainWindow", "SetupDialog"} <= classes
    opened = {w["class"] for w in found["windows"]}
    assert classes <= opened


@pytest.mark.parametrize("scale", SCREENS)
def test_every_window_fits_a_laptop_screen(swept, scale):
    too_big = [f"{w['label']} {w['size'][0]}×{w['size'][1]}" for w in swept[scale]["windows"]
               if w["size"][0] > 1280 or w["size"][1] > 680]
    assert too_big == []
    needs = [f"{w['label']} 至少 {w['min'][0]}×{w['min'][1]}" for w in swept[scale]["windows"]
             if w["min"][0] > 1280 or w["min"][1] > 680]
    assert needs == []


@pytest.mark.parametrize("scale", SCREENS)
def test_no_visible_widget_lies_over_another_and_no_message_is_cut(swept, scale):
    over = {w["label"]: w["overlaps"] for w in swept[scale]["windows"] if w["overlaps"]}
    assert over == {}
    cut = {w["label"]: w["cut"] for w in swept[scale]["windows"] if w["cut"]}
    assert cut == {}


def test_every_visible_word_is_chinese(swept):
    latin = {w["label"]: w["latin"] for w in swept["100%"]["windows"] if w["latin"]}
    assert latin == {}


def test_the_latin_word_check_catches_english_and_lets_keys_formats_and_paths_through():
    from gui_sweep import latin_words

    assert latin_words("Look in:") == ["Look", "in"]
    assert latin_words("<b>OK</b> Cancel") == ["OK", "Cancel"]
    assert latin_words("撤消(&U)\tCtrl+Z　另存为 PDF、Word 或 Excel　F1") == []
    assert latin_words("数据库：/home/clerk/.local/share/ufdesk/demo.db　花名册.xlsx") == []
