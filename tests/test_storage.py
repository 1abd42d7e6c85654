"""Read-only and full disks, as offices meet them: a write-protected stick or a read-only share,
and a disk with no space left. Run as root (CI) on a real read-only tmpfs and a small tmpfs filled
to the brim; otherwise with a folder chmod'ed read-only and SQLite's max_page_count for "full".

What the user must see: a database that cannot be written opens read-only with one notice (stdout,
e.g. ``stats --json``, stays clean, exit 0); changes are refused saying why; a full disk says 磁盘已满
and what was not saved; ``ufdesk check`` tells damaged (exit 1), unwritable and full (exit 0, a
notice) apart; nothing half-made is left behind."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_tree import run

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def _mount(folder: Path, size: str) -> None:
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("storage") / "demo.db"
    assert run(["demo", "--db", db, "--size", "40"]).returncode == 0
    return db


@pytest.fixture
def readonly_db(demo_db, tmp_path):
    """The demo county on a read-only medium (a WAL database, so SQLite needs immutable=1)."""
    folder = tmp_path / "写保护U盘"
    if ROOT:
        _mount(folder, "16m")
        shutil.copy(demo_db, folder / "county.db")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder / "county.db"
        _umount(folder)
    else:
        folder.mkdir()
        shutil.copy(demo_db, folder / "county.db")
        (folder / "county.db").chmod(0o444)
        folder.chmod(0o555)
        yield folder / "county.db"
        folder.chmod(0o755)


@pytest.fixture
def full_db(demo_db, tmp_path):
    """The demo county on a disk with no space left."""
    if not ROOT:
        pytest.fail("a full filesystem needs root (mount -t tmpfs): run the suite as root, as CI does")
    folder = tmp_path / "满的磁盘"
    _mount(folder, "8m")
    shutil.copy(demo_db, folder / "county.db")
    with open(folder / "填满.bin", "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError:
            pass
    yield folder / "county.db"
    _umount(folder)


def test_readonly_medium_opens_for_reading_with_one_notice(readonly_db, tmp_path):
    r = run(["stats", "--db", readonly_db, "--json"])
    assert r.returncode == 0, r.stderr.decode()
    assert json.loads(r.stdout.decode("utf-8"))["representatives"] == 40  # stdout is the JSON, nothing else
    notice = r.stderr.decode().strip().splitlines()
    assert len(notice) == 1 and notice[0].startswith("注意：") and "不能写入" in notice[0]
    r = run(["report", "roster", "--db", readonly_db, "--out", tmp_path / "花名册.pdf"])
    assert r.returncode == 0 and (tmp_path / "花名册.pdf").stat().st_size > 1000


def test_readonly_medium_refuses_changes_saying_why(readonly_db, tmp_path):
    before = readonly_db.read_bytes()
    roster = tmp_path / "名单.csv"
    roster.write_text("姓名,性别\n张三,男\n", encoding="utf-8")
    r = run(["import-xlsx", "--db", readonly_db, "--ledger", "代表人士", roster])
    stderr = r.stderr.decode()
    assert r.returncode == 1 and "Traceback" not in stderr
    assert stderr.splitlines()[-1].startswith("错误：") and "不能写入" in stderr
    assert readonly_db.read_bytes() == before


def test_check_tells_unwritable_from_damaged(readonly_db, tmp_path):
    r = run(["check", "--db", readonly_db])
    assert r.returncode == 0 and "检查通过" in r.stdout.decode()
    assert "不能写入" in r.stderr.decode() and "文件本身完好" in r.stderr.decode()
    damaged = tmp_path / "坏的.db"
    damaged.write_bytes(readonly_db.read_bytes()[:4096] + b"\x13" * 40960)
    r = run(["check", "--db", damaged])
    assert r.returncode == 1 and "检查未通过" in r.stderr.decode() and "不能写入" not in r.stderr.decode()


def test_full_disk_reads_says_full_and_leaves_nothing_half_made(full_db):
    r = run(["stats", "--db", full_db, "--json"])
    assert r.returncode == 0 and json.loads(r.stdout.decode("utf-8"))["representatives"] == 40
    assert "磁盘已满" in r.stderr.decode()
    r = run(["check", "--db", full_db])
    assert r.returncode == 0 and "磁盘已满" in r.stderr.decode() and "文件本身完好" in r.stderr.decode()
    r = run(["user", "add", "--db", full_db, "小王", "--role", "editor"], env={"UFDESK_PASSWORD": "很长的口令 abc 123"})
    assert r.returncode == 1 and "磁盘已满" in r.stderr.decode() and "Traceback" not in r.stderr.decode()
    new = full_db.parent / "新的.db"
    r = run(["demo", "--db", new, "--size", "30"])
    assert r.returncode == 1 and "磁盘已满" in r.stderr.decode() and "修改没有保存" in r.stderr.decode()
    assert not list(full_db.parent.glob("新的.db*"))  # no half-made county


def test_disk_filling_up_during_a_save_says_what_was_not_saved(demo_db, tmp_path):
    """The disk fills while the program runs (SQLite's max_page_count stands in for it)."""
    import sqlalchemy as sa

    from ufdesk.services import Services
    from ufdesk.store import Store

    db = tmp_path / "county.db"
    shutil.copy(demo_db, db)
    store = Store.open(db)

    @sa.event.listens_for(store.engine, "connect")
    def _cap(dbapi_conn, _rec):
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    store.engine.dispose()
    svc = Services(store, user="测试员")
    from ufdesk.domain.errors import UfError

    with pytest.raises(UfError, match="磁盘已满，本次修改未能保存"):
        svc.create("representatives", {"name": "王" * 3, "gender": "1", "resume": "很长的简历。" * 20000})
    store.close()
    r = run(["stats", "--db", db, "--json"])
    assert json.loads(r.stdout.decode("utf-8"))["representatives"] == 40  # nothing half-saved


def test_gui_shows_a_banner_and_disables_edits(readonly_db, qtbot, tmp_path, monkeypatch):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: told.append(title))

    from ufdesk.gui import settings as S
    from ufdesk.gui.main import apply_look, open_window
    from ufdesk.gui.tasks import Worker

    S.use_file(str(tmp_path / "settings.ini"))
    worker = Worker()
    try:
        apply_look(QApplication.instance() or QApplication([]))
        win = open_window(str(readonly_db), worker)
        assert win, "a read-only database opens"
        assert told == ["只读数据库"]  # said once on opening, then the banner stays
        qtbot.addWidget(win)
        win.resize(1280, 800)
        qtbot.waitExposed(win)
        banner = win.findChild(QLabel, "readonlyBannerText")
        assert banner is not None and banner.isVisible() and "不能写入" in banner.text()
        assert not win.act_new.isEnabled() and not win.act_import.isEnabled()
        win.tabs.setCurrentIndex(1)  # 代表人士
        tab = win.tabs.currentWidget()
        assert not tab.new_button.isEnabled() and not tab.delete_button.isEnabled()
        qtbot.waitUntil(lambda: tab.model.rowCount() == 40, timeout=10000)  # the people are there to read
        win.grab().save(str(tmp_path / "readonly.png"))
        win.close()
        qtbot.waitUntil(lambda: worker.busy == 0, timeout=10000)
    finally:
        worker.shutdown()
        S._override = None


def test_this_runs_as_root_in_ci():
    assert ROOT or os.environ.get("CI") != "true", "CI must run the real read-only and full filesystem tests"
    assert sys.platform.startswith("linux") or not ROOT
