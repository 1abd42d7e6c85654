"""考核评价 on a township installation: its 按时报送率 is counted from the packages it exported
itself (a township's PC receives none of its own, so it read 0 whatever it sent), by the same
rule and code as at the county."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from package_helpers import PW, T1, enrol, make

from ufdesk.exchange import package_export as E
from ufdesk.services import evaluation as Ev

ON = dt.date(2026, 6, 30)
# the township's history: when its clerk exported each month's package (due day: the 28th)
EXPORTS = [dt.datetime(2026, 1, 20, 9), dt.datetime(2026, 2, 28, 17),  # on time
           dt.datetime(2026, 3, 29, 10),  # a day late
           dt.datetime(2026, 5, 8, 15), dt.datetime(2026, 5, 30, 11),  # on time, and again later
           dt.datetime(2026, 6, 29, 8)]  # late; April none


def export_on(town, when: dt.datetime) -> None:
    """The township exports a package to the county as the clerk does, on day ``when``."""
    data, manifest = E.run(E.build(town.store, passphrase=PW, to="county"))
    manifest = dict(manifest, exported_at=when.isoformat())  # the sending PC's clock that day
    E.record_sent(town.store, manifest, E.reopen(town.store, data, PW).digest)


def sql_on_time(store, township: str, year: int, on: dt.date) -> tuple[int, int]:
    """Months of the year due by ``on`` whose first exported package left by the 28th."""
    with store.connect() as conn:
        firsts = conn.execute(sa.text(
            "select strftime('%m', min(exported_at)), cast(strftime('%d', min(exported_at)) as integer) "
            "from package_log where direction = 'sent' and sender_township = :t and strftime('%Y', exported_at) = :y "
            "group by strftime('%m', exported_at)"), {"t": township, "y": str(year)}).all()
    due = sum(1 for m in range(1, 13) if dt.date(year, m, 28) <= on)
    return sum(1 for _m, day in firsts if day <= 28), due


def test_a_townships_own_reporting_rate_counts_the_packages_it_exported(tmp_path):
    county, town = make(tmp_path, "county"), make(tmp_path, "town", township=T1)
    enrol(tmp_path, county, town)
    town.create("activities", {"held_on": dt.date(2026, 1, 5), "title": "城关学习", "kind": "01"})
    for when in EXPORTS:
        export_on(town, when)

    res = Ev.evaluate(town, 2026, on=ON)
    assert [t["code"] for t in res.townships] == [T1]  # a township sees its own figures
    got = next(i for i in res.townships[0]["indicators"] if i["key"] == "reporting")
    assert (got["numerator"], got["denominator"]) == sql_on_time(town.store, T1, 2026, ON) == (3, 6)
    assert got["points"] > 0
    behind = Ev.behind(town, 2026, None, T1, "reporting", on=ON)["lines"]
    assert behind == ["2026-03：逾期报送", "2026-04：未报送", "2026-06：逾期报送"]
    # the second quarter alone: April none, May on time, June late
    q2 = next(i for i in Ev.evaluate(town, 2026, 2, on=ON).townships[0]["indicators"] if i["key"] == "reporting")
    assert (q2["numerator"], q2["denominator"]) == (1, 3)
    for svc in (county, town):
        svc.store.close()
