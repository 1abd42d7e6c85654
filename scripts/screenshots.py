"""Render every tab of the main window, and the edit form of one representative, offscreen
on the demo county, as PNG files.

    python scripts/screenshots.py OUTDIR [--db DEMO.db] [--size 2000]

Without --db a demo county is built in a temporary folder first.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def wait_until(cond, timeout: float = 20.0) -> bool:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QApplication.processEvents()
        if cond():
            return True
        time.sleep(0.01)
    return False


def settle(seconds: float = 0.3) -> None:
    wait_until(lambda: False, seconds)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("outdir")
    p.add_argument("--db")
    p.add_argument("--size", type=int, default=2000)
    args = p.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="ufdesk-shots-")
    os.environ.setdefault("UFDESK_HOME", tmp)
    db = args.db
    if not db:
        from ufdesk.services.demo import build_demo

        db = str(Path(tmp) / "demo.db")
        build_demo(db, size=args.size).close()

    from ufdesk.gui import settings as S
    from ufdesk.gui.main import make_app, open_window
    from ufdesk.gui.tasks import Worker

    S.use_file(str(Path(tmp) / "settings.ini"))
    app = make_app()
    worker = Worker()
    window = open_window(db, worker)
    window.resize(1366, 728)  # a 1366×768 laptop screen less its taskbar
    names = ["home", "representatives", "chambers", "sites", "proposals", "cadres", "activities"]
    for i, name in enumerate(names):
        window.tabs.setCurrentIndex(i)
        if name == "home":
            wait_until(lambda: window.home.data is not None and window.home._pg_ready
                       and window.home.cards["activities"].chart.__class__.__name__ == "PlotWidget", 30)
        else:
            tab = window.ledger_tabs[name]
            wait_until(lambda tab=tab: tab.model.ids and tab.model.row_record(0) is not None)
        settle(0.4)
        window.grab().save(str(out / f"{i}-{name}.png"))
        print(out / f"{i}-{name}.png")
    window.tabs.setCurrentIndex(1)
    tab = window.ledger_tabs["representatives"]
    services = window.ctx.services

    def rich(r):  # a person with political arrangements and visits: a fuller form to look at
        rec = services.get("representatives", tab.model.uuid_at(r))
        return len(rec["subs"]["rep_arrangements"]) > 0 and len(rec["subs"]["rep_visits"]) > 0

    row = next((r for r in range(min(len(tab.model.ids), 100)) if tab.model.row_record(r) and rich(r)), 0)
    form = tab.open_record(row)
    wait_until(lambda: form._loaded)
    settle(0.4)
    form.grab().save(str(out / "7-form.png"))
    print(out / "7-form.png")
    form.tabs.setCurrentIndex(1)
    settle(0.2)
    form.grab().save(str(out / "8-form-arrangements.png"))
    print(out / "8-form-arrangements.png")
    form.dirty = False
    form.reject()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ufdesk.gui.report_dialog import ReportDialog
    from ufdesk.gui.setup_dialog import SetupDialog

    reports = ReportDialog(window.ctx, window)  # the landscape roster, previewed at 适合宽度
    reports.template.setCurrentIndex(reports.template.findData("roster"))
    reports.show()
    reports.btn_build.click()
    wait_until(lambda: reports.pdf is not None and worker.busy == 0, 60)
    reports.zoom.setCurrentIndex(reports.zoom.findData("fit_width"))
    settle(0.5)
    reports.grab().save(str(out / "11-report-preview.png"))
    print(out / "11-report-preview.png")
    reports.reject()

    first = SetupDialog(worker)  # the first run, as a new PC shows it
    first.show()
    settle(0.3)
    first.grab().save(str(out / "9-first-run.png"))
    print(out / "9-first-run.png")
    first.reject()

    def shoot_question():  # Qt's own 是/否, in Chinese
        box = QApplication.activeModalWidget()
        box.grab().save(str(out / "10-question.png"))
        print(out / "10-question.png")
        box.button(QMessageBox.No).click()

    QTimer.singleShot(300, shoot_question)
    QMessageBox.question(window, "删除", "确定删除所选的 1 条代表人士记录吗？删除后可按 Ctrl+Z 撤销。")
    window.close()
    worker.shutdown()
    app.quit()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # skip interpreter teardown of Qt objects: nothing is left to save
