"""帮助 → 导出诊断信息: the clerk picks a file, gets the zip and a message saying what is in it."""

from __future__ import annotations

import zipfile


def test_help_menu_exports_diagnostics(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    target = tmp_path / "诊断.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "zip 文件 (*.zip)"))
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append((title, text)))
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("帮助"))
    item = next(a for a in help_menu.actions() if a.text() == "导出诊断信息…")
    item.trigger()
    assert shown and shown[0][0] == "导出诊断信息" and str(target) in shown[0][1] and "不含个人信息" in shown[0][1]
    with zipfile.ZipFile(target) as z:
        names = set(z.namelist())
        assert {"versions.json", "database.json"} <= names
        assert '"representatives": 300' in z.read("database.json").decode("utf-8")
