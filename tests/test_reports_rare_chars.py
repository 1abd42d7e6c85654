"""No box for a name: characters the main faces lack print in a bundled fallback face, the text
layer reads them back (pdftotext), and those no face has are named in a warning."""

from __future__ import annotations

import subprocess
import sys

from reports_helpers import fonts, text


def test_rare_name_characters_print_and_read_back(services, store, tmp_path):
    # 𬍤 U+2C364 (outside the basic plane), 䶮 U+4DAE (Extension A), 𰀀 U+30000 (Extension G: no face)
    for name in ("王𬍤", "刘䶮", "张𰀀"):
        services.create("representatives", {"name": name, "township": "510599100"})
    db = store.path
    store.close()
    out = tmp_path / "r.pdf"
    proc = subprocess.run([sys.executable, "-m", "ufdesk", "report", "roster", "--db", str(db), "--out", str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    laid = text(out)
    assert "王𬍤" in laid and "刘䶮" in laid  # the ToUnicode entry is a surrogate pair, not U+2C36
    assert "\u2c36" not in laid
    names = [n for n, _t, _e in fonts(out)]
    assert any("HanaMin" in n for n in names)  # the fallback face, embedded
    assert all(e == "yes" for _n, _t, e in fonts(out))
    assert "𰀀" in proc.stderr and "U+30000" in proc.stderr and "空框" in proc.stderr
    assert "𬍤" not in proc.stderr and "䶮" not in proc.stderr  # those printed


def test_rare_characters_in_prose_and_the_person_form(services, store, tmp_path):
    rep = services.create("representatives", {"name": "欧阳𬍤", "township": "510599100", "resume": "2001年至今在𬍤村工作"})
    db = store.path
    store.close()
    out = tmp_path / "p.pdf"
    proc = subprocess.run([sys.executable, "-m", "ufdesk", "report", "person", "--db", str(db), "--out", str(out),
                           "--id", rep.uuid], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    laid = text(out)
    assert "欧阳𬍤" in laid and "𬍤村" in laid and "警告" not in proc.stderr
