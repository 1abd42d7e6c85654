"""A process killed (SIGKILL) in the middle of a 10,000-row import leaves either none or all of
the rows, and a database that passes ``ufdesk check`` — over at least 20 kill points.

The import is the real one (``ufdesk import-xlsx`` on a CSV roster). Half the kill points fall at
random anywhere in the run; the other half wait until SQLite is writing the import's pages to
the WAL (the commit itself, a few tens of milliseconds) and kill there."""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import sqlalchemy as sa

from ufdesk.store.check import check

ROWS = 10_000
KILLS = 20


def count(db) -> int:
    eng = sa.create_engine(f"sqlite:///{db}")
    try:
        with eng.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM representatives")).scalar()
    finally:
        eng.dispose()


def roster(path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["序号", "姓名", "工作单位", "职务", "备注"])
        for i in range(ROWS):
            w.writerow([i + 1, f"导入{i:05d}", "县某单位", "职员", "批量导入"])


def start(db, csv_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("UFDESK_") or k == "UFDESK_HOME"}
    return subprocess.Popen([sys.executable, "-m", "ufdesk", "import-xlsx", "--db", str(db), "--ledger",
                             "representatives", str(csv_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wal_size(db) -> int:
    try:
        return os.path.getsize(f"{db}-wal")
    except OSError:
        return 0


def test_sigkill_during_a_10000_row_import_leaves_none_or_all_rows(store, tmp_path):
    empty = tmp_path / "empty.db"
    store.close()
    shutil.copy(store.path, empty)
    csv_path = tmp_path / "花名册.csv"
    roster(csv_path)
    db = tmp_path / "work.db"
    rng = random.Random(int(os.environ.get("UFDESK_KILL_SEED", "7")))

    shutil.copy(empty, db)  # one full run: the import works, and how long it takes here
    t0 = time.monotonic()
    p = start(db, csv_path)
    out, err = p.communicate(timeout=300)
    span = time.monotonic() - t0
    assert p.returncode == 0, err
    assert count(db) == ROWS

    landed, outcomes = 0, {0: 0, ROWS: 0}
    for attempt in range(KILLS * 3):
        for suffix in ("-wal", "-shm"):
            (tmp_path / f"work.db{suffix}").unlink(missing_ok=True)
        shutil.copy(empty, db)
        p = start(db, csv_path)
        if attempt % 2:  # during the commit: once the import's pages are going into the WAL
            threshold = rng.uniform(64 * 1024, 4 * 1024 * 1024)
            deadline = time.monotonic() + span * 3
            while p.poll() is None and wal_size(db) < threshold and time.monotonic() < deadline:
                time.sleep(0.0005)
        else:
            time.sleep(rng.uniform(0, span))
        alive = p.poll() is None
        p.send_signal(signal.SIGKILL)  # (a no-op when the import already finished)
        p.communicate(timeout=60)
        n = count(db)
        assert n in outcomes, f"kill {attempt}: half an import is in the database ({n} rows)"
        ok, lines = check(db)
        assert ok, lines
        if alive:
            landed += 1
            outcomes[n] += 1
        if landed >= KILLS:
            break
    assert landed >= KILLS, f"only {landed} kills landed while the import was running"
    r = subprocess.run([sys.executable, "-m", "ufdesk", "check", "--db", str(db)], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and "检查通过" in r.stdout
    print(f"kills during the import: {landed}; left none: {outcomes[0]}, left all: {outcomes[ROWS]}")


def test_sigkill_during_a_package_import_leaves_the_database_as_before(tmp_path, monkeypatch):
    """The same for ``ufdesk package import`` of a township's 5,000 people (10 kill points)."""
    from ufdesk.exchange import package_export as E
    from ufdesk.store import Store
    from ufdesk.store import records as R

    places = [("510599100", "城关镇"), ("510599101", "河东乡")]
    town = Store.create(tmp_path / "town.db", county_code="510599", county_name="测试县", townships=places,
                        township="510599100")
    with town.write("乡镇") as (conn, ctx):
        R.bulk_insert(conn, "representatives", [{"name": f"代表{i:04d}", "township": "510599100", "employer": "某单位"}
                                                for i in range(5000)], ctx)
    env = {k: v for k, v in os.environ.items() if not k.startswith("UFDESK_") or k == "UFDESK_HOME"}
    env.update(UFDESK_PASSPHRASE="县里的交换口令-2026")
    data, _ = E.run(E.build(town, passphrase="县里的交换口令-2026", to="county"))
    town.close()
    pkg = tmp_path / "town.ufpkg"
    pkg.write_bytes(data)
    empty = tmp_path / "county-empty.db"
    Store.create(empty, county_code="510599", county_name="测试县", townships=places).close()
    db = tmp_path / "county.db"
    rng = random.Random(11)

    def run():
        return subprocess.Popen([sys.executable, "-m", "ufdesk", "package", "import", "--db", str(db), str(pkg)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    shutil.copy(empty, db)
    t0 = time.monotonic()
    p = run()
    out, err = p.communicate(timeout=300)
    span = time.monotonic() - t0
    assert p.returncode == 0, err
    assert count(db) == 5000
    landed = 0
    for attempt in range(30):
        for suffix in ("-wal", "-shm"):
            (tmp_path / f"county.db{suffix}").unlink(missing_ok=True)
        shutil.copy(empty, db)
        p = run()
        if attempt % 2:
            threshold = rng.uniform(64 * 1024, 2 * 1024 * 1024)
            deadline = time.monotonic() + span * 3
            while p.poll() is None and wal_size(db) < threshold and time.monotonic() < deadline:
                time.sleep(0.0005)
        else:
            time.sleep(rng.uniform(0, span))
        alive = p.poll() is None
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=60)
        assert count(db) in (0, 5000), f"kill {attempt}: part of a package is in the database"
        ok, lines = check(db)
        assert ok, lines
        landed += alive
        if landed >= 10:
            break
    assert landed >= 10
