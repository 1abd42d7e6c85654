"""Benchmark of transfer packages at county scale (issue 6): export 100,000 representatives
(< 10 s), import that package into an empty county (< 20 s), re-import with no changes (< 5 s).

    python scripts/bench_package.py [--db /tmp/big.db] [--runs 3]

The database is made with ``ufdesk demo --db /tmp/big.db --size 100000`` when missing. A copy
is turned into a township installation holding every record (a township sends everything it
holds to the county), so the package carries all 100,000 representatives and their
sub-records. Each figure is the median of ``--runs`` runs, with its ratio to a baseline
measured in the same run: a plain ``json.dumps`` of the representatives' rows (what any export
must at least do), so a slower or faster machine shows in both.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ufdesk.exchange import package_export as E  # noqa: E402
from ufdesk.exchange import package_import as I  # noqa: E402
from ufdesk.exchange.package import open_bytes  # noqa: E402
from ufdesk.store import Store  # noqa: E402
from ufdesk.store import schema as S  # noqa: E402

PASSPHRASE = "bench-passphrase"


def median_time(fn, runs: int, setup=None) -> tuple[float, object]:
    times, value = [], None
    for _ in range(runs):
        arg = setup() if setup else None
        t = time.perf_counter()
        value = fn(arg) if setup else fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


def baseline(store) -> float:
    def dump():
        with store.connect() as conn:
            rows = [dict(r) for r in conn.execute(sa.select(S.LEDGER_TABLES["representatives"])).mappings()]
        return len(json.dumps(rows, default=str, ensure_ascii=False))

    return median_time(dump, 3)[0]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/big.db")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not Path(args.db).exists():
        from ufdesk.services.demo import build_demo

        print(f"building {args.db} (100,000 representatives)…", flush=True)
        build_demo(args.db, size=100_000).close()
    work = Path(tempfile.mkdtemp(prefix="ufdesk-bench-"))
    try:
        src_path = work / "township.db"
        shutil.copyfile(args.db, src_path)
        src = Store.open(src_path)
        county_code, county_name = src.county_code, src.county_name
        places = src.townships()
        villages = [(c, n) for c, _t, n in src.villages()]
        with src.engine.begin() as conn:
            conn.execute(sa.update(S.installation).values(township=places[0][0]))
        src.invalidate()
        with src.connect() as conn:
            n_reps = conn.execute(sa.select(sa.func.count()).select_from(S.LEDGER_TABLES["representatives"])).scalar()
        base = baseline(src)
        print(f"representatives: {n_reps}; baseline json.dumps of their rows: {base:.2f} s")

        t_export, (sealed, manifest) = median_time(
            lambda: E.run(E.build(src, passphrase=PASSPHRASE, everything=True)), args.runs)
        print(f"export   : {t_export:6.2f} s  ({t_export / base:5.1f}× baseline)  package {len(sealed) / 1e6:.1f} MB, "
              f"{sum(manifest['counts'].values())} rows   [target < 10 s]")

        counter = iter(range(1000))

        def empty_county():
            path = work / f"county{next(counter)}.db"
            county = Store.create(path, county_code=county_code, county_name=county_name,
                                  townships=places, villages=villages)
            return county

        def do_import(county):
            pkg = open_bytes(sealed, PASSPHRASE)
            result = I.run(I.import_package(county, pkg))
            assert result.counts["representatives"]["new"] == n_reps, result.counts["representatives"]
            return county

        t_import, county = median_time(do_import, args.runs, setup=empty_county)
        print(f"import   : {t_import:6.2f} s  ({t_import / base:5.1f}× baseline)  into an empty county   [target < 20 s]")

        again, _m = E.run(E.build(src, passphrase=PASSPHRASE, everything=True))

        def do_reimport():
            pkg = open_bytes(again, PASSPHRASE)
            result = I.run(I.import_package(county, pkg, dry_run=True))
            assert result.counts["representatives"]["unchanged"] == n_reps, result.counts["representatives"]
            return result

        t_re, _ = median_time(do_reimport, args.runs)
        print(f"re-import: {t_re:6.2f} s  ({t_re / base:5.1f}× baseline)  a new full package, nothing changed   "
              "[target < 5 s]")
        t_same, _ = median_time(lambda: I.run(I.import_package(county, open_bytes(sealed, PASSPHRASE))), args.runs)
        print(f"same file: {t_same:6.2f} s  the identical package again (recognised, nothing done)")
        src.close()
        county.close()
        ok = t_export < 10 and t_import < 20 and t_re < 5
        print("all targets met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
