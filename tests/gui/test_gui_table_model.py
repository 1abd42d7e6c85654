"""The ledger table model, called directly as a view would: codes shown by name, dates as on
rosters, sensitive numbers masked for roles without the right, sorting done in SQL."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ufdesk.domain import LEDGERS
from ufdesk.services import Query, Services
from ufdesk.services.audit import mask

TIMEOUT = 15000


def loaded_model(qtbot, ctx, ledger, query=None):
    from ufdesk.gui.table_model import LedgerTableModel

    model = LedgerTableModel(ctx, ledger)
    with qtbot.waitSignal(model.loaded, timeout=TIMEOUT):
        model.set_query(query or Query(ledger))
    return model


def cell(model, row, key):
    return model.data(model.index(row, model.column_of(key)))


def test_codes_dates_and_places_are_shown_as_a_clerk_reads_them(qtbot, ctx):
    model = loaded_model(qtbot, ctx, "representatives")
    services = ctx.services
    assert model.rowCount() == services.count(Query("representatives"))
    labels = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    lg = LEDGERS["representatives"]
    assert labels[:2] == ["姓名", "所属乡镇"]
    assert set(labels) == {f.label for f in lg.fields if f.in_table} | {"所属乡镇"}
    codes = ctx.services.store.codebook()
    towns = dict(ctx.services.store.townships())
    for r in range(50):
        raw = services.get("representatives", model.uuid_at(r), with_subs=False)
        assert cell(model, r, "name") == raw["name"]
        assert cell(model, r, "party") == codes["party"].name_of(raw["party"])
        assert cell(model, r, "gender") == codes["gender"].name_of(raw["gender"])
        assert cell(model, r, "township") == towns.get(raw["township"], "县直")
        if raw["birth_date"]:
            assert cell(model, r, "birth_date") == raw["birth_date"].strftime("%Y.%m")
        kinds = cell(model, r, "kinds")
        assert all(codes["object_kind"].name_of(k) in kinds for k in (raw["kinds"] or "").split(",") if k)
        assert cell(model, r, "id_number") == (raw["id_number"] or "")  # no users yet: shown in full


def test_default_order_is_by_surname_strokes(qtbot, ctx):
    from ufdesk.store.sortkeys import stroke_key

    model = loaded_model(qtbot, ctx, "representatives")
    names = [cell(model, r, "name") for r in range(100)]
    assert names == sorted(names, key=stroke_key)
    assert names != sorted(names)  # not code-point order


def test_sensitive_numbers_are_masked_for_a_viewer(qtbot, ctx):
    from ufdesk.gui.context import AppContext

    viewer = AppContext(Services(ctx.services.store, user="查阅员", role="viewer"), ctx.worker)
    model = loaded_model(qtbot, viewer, "representatives")
    for r in range(30):
        raw = ctx.services.get("representatives", model.uuid_at(r), with_subs=False)
        if raw["id_number"]:
            shown = cell(model, r, "id_number")
            assert shown == mask(raw["id_number"]) and raw["id_number"] not in shown and "*" in shown
        if raw["mobile"]:
            assert cell(model, r, "mobile") == mask(raw["mobile"], "mobile")


def test_sort_and_filter_replace_the_id_list(qtbot, ctx):
    model = loaded_model(qtbot, ctx, "proposals")
    col = model.column_of("submitted_on")
    with qtbot.waitSignal(model.loaded, timeout=TIMEOUT):
        model.sort(col, Qt.DescendingOrder)
    dates = [model.row_record(r)["submitted_on"] for r in range(min(model.rowCount(), 100))]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True)
    expected = ctx.services.ids(Query("proposals", sort="submitted_on", desc=True))
    assert model.ids == expected


def test_rows_beyond_the_first_page_arrive_when_asked(qtbot, ctx):
    from ufdesk.gui.table_model import PAGE

    model = loaded_model(qtbot, ctx, "representatives")
    last = model.rowCount() - 1
    assert last >= PAGE and model.row_record(last) is None
    assert model.data(model.index(last, 0)) == "…"  # placeholder while the page is fetched
    with qtbot.waitSignal(model.dataChanged, timeout=TIMEOUT):
        pass
    rec = ctx.services.rows("representatives", [model.ids[last]], ["name"])[model.ids[last]]
    assert cell(model, last, "name") == rec["name"]


def test_coalesces_queries_typed_quickly(qtbot, ctx):
    model = loaded_model(qtbot, ctx, "representatives")
    with qtbot.waitSignal(model.loaded, timeout=TIMEOUT):
        for text in ("王", "王伟", "王"):
            model.set_query(Query("representatives", text=text))
    qtbot.waitUntil(lambda: not model._loading, timeout=TIMEOUT)
    assert model.query.text == "王"
    assert len(model.ids) == ctx.services.count(Query("representatives", text="王"))
