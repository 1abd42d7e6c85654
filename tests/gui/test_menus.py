"""Each menu item opens its dialog: the dialogs are wired by import, so a dialog the build lost
is an import error the bundle's analysis finds, not a menu item that silently does nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


def menu_item(window, text: str):
    for top in window.menuBar().actions():
        for a in top.menu().actions():
            if a.text() == text:
                return a
    raise AssertionError(f"no menu item {text}")


def test_every_menu_item_opens_its_dialog(window, qtbot, monkeypatch):
    opened = []

    def shown(dialog):  # instead of the modal loop: note which dialog the clerk would see
        opened.append((type(dialog).__name__, dialog.windowTitle()))
        return 0

    monkeypatch.setattr(QDialog, "exec", shown)
    items = {"导入…": "ImportWizard", "导出…": "ExportDialog", "报表…": "ReportDialog",
             "数据交换…": "ExchangeDialog", "冲突处理…": "ConflictsDialog", "单位与系统设置…": "SettingsDialog",
             "用户管理…": "UsersDialog", "审计日志…": "AuditDialog", "备份与恢复…": "BackupDialog"}
    for text in items:
        menu_item(window, text).trigger()
        qtbot.waitUntil(lambda: window.ctx.worker.busy == 0, timeout=15000)
    assert [name for name, _title in opened] == list(items.values())
    assert all(title for _name, title in opened), "each dialog has a Chinese title"
