"""The table model of a ledger: the ordered ids of a query and a cache of rows, fetched a
page at a time when the view asks (Anki's browser model). Sorting and filtering happen in
SQL: a new query replaces the id list; nothing is sorted here (no QSortFilterProxyModel).

All database work runs on the context's worker. Queries coalesce: while one is loading,
only the newest waiting query runs next, so typing never queues stale work.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from ..domain import LEDGERS
from ..services import Query
from .alive import guard
from .columns import Column, ledger_columns

PAGE = 120  # rows fetched at once: a screenful or two


def _load(services, q: Query, columns: list[str], first: int, keep: frozenset = frozenset()):
    """Worker job: the ordered ids, and the rows of the first page (and of the rows in
    ``keep`` still listed: what the view showed before a refresh)."""
    ids = services.ids(q)
    want = ids[:first]
    if keep:
        want += [i for i in ids[first:] if i in keep]
    return ids, services.rows(q.ledger, want, columns)


class LedgerTableModel(QAbstractTableModel):
    loaded = Signal()  # a query's ids (and first page) have arrived
    failed = Signal(object)  # an exception from the worker

    def __init__(self, ctx, ledger: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.ledger = LEDGERS[ledger]
        self.columns: list[Column] = ledger_columns(self.ledger, ctx.services)
        self._fetch_cols = ["uuid", *[c.key for c in self.columns]]
        self.query = Query(ledger)
        self.ids: list[int] = []
        self._cache: dict[int, dict] = {}
        self._pending: set[int] = set()  # page numbers being fetched
        self._loading = False
        self._waiting: Query | None = None
        self._generation = 0  # bumps on every new id list: late pages of old lists are dropped

    # -- queries ------------------------------------------------------------------------------
    def set_query(self, q: Query, *, keep: frozenset = frozenset()) -> None:
        """Show ``q``: the ids are fetched on the worker and the model resets when they arrive."""
        self.query = q
        if self._loading:
            self._waiting = q
            return
        self._loading = True
        self.ctx.worker.submit(_load, self.ctx.services, q, self._fetch_cols, PAGE, keep,
                               on_done=guard(self, lambda res, q=q: self._arrived(q, res)),
                               on_error=guard(self, self._load_failed))

    def refresh(self) -> None:
        """Fetch the current query again (after a change in the ledger). When the list of ids
        is unchanged, the rows are replaced in place: selection and scrolling stay."""
        self.set_query(self.query, keep=frozenset(list(self._cache)[:2000]))

    def _arrived(self, q: Query, result) -> None:
        self._loading = False
        if self._waiting is not None:
            nxt, self._waiting = self._waiting, None
            self.set_query(nxt)
            return
        ids, rows = result
        if ids == self.ids and ids:
            self._generation += 1
            self._cache = rows
            self._pending.clear()
            self.dataChanged.emit(self.index(0, 0), self.index(len(ids) - 1, len(self.columns) - 1))
            self.loaded.emit()
            return
        self.beginResetModel()
        self._generation += 1
        self.ids = ids
        self._cache = rows
        self._pending.clear()
        self.endResetModel()
        self.loaded.emit()

    def _load_failed(self, exc) -> None:
        self._loading = False
        self._waiting = None
        self.failed.emit(exc)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if column < 0 or column >= len(self.columns) or not self.columns[column].sortable:
            self.set_query(dataclasses.replace(self.query, sort=None, desc=False))
            return
        self.set_query(dataclasses.replace(self.query, sort=self.columns[column].key,
                                           desc=order == Qt.DescendingOrder))

    def column_of(self, key: str) -> int:
        return next((i for i, c in enumerate(self.columns) if c.key == key), -1)

    # -- rows ---------------------------------------------------------------------------------
    def row_record(self, row: int) -> dict | None:
        """The cached columns of a row (None while its page is being fetched)."""
        if 0 <= row < len(self.ids):
            return self._cache.get(self.ids[row])
        return None

    def uuid_at(self, row: int) -> str | None:
        rec = self.row_record(row)
        return rec["uuid"] if rec else None

    def row_of_uuid(self, uuid: str) -> int:
        for rid, rec in self._cache.items():
            if rec.get("uuid") == uuid:
                try:
                    return self.ids.index(rid)
                except ValueError:
                    return -1
        return -1

    def _fetch(self, row: int) -> None:
        page = row // PAGE
        if page in self._pending:
            return
        self._pending.add(page)
        chunk = self.ids[page * PAGE:(page + 1) * PAGE]
        gen = self._generation
        self.ctx.worker.submit(self.ctx.services.rows, self.ledger.name, chunk, self._fetch_cols,
                               on_done=guard(self, lambda rows: self._page_arrived(gen, page, rows)),
                               on_error=guard(self, self._load_failed))

    def _page_arrived(self, gen: int, page: int, rows: dict) -> None:
        if gen != self._generation:
            return
        self._pending.discard(page)
        self._cache.update(rows)
        first, last = page * PAGE, min((page + 1) * PAGE, len(self.ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

    def invalidate(self) -> None:
        """Mark cached rows stale: they are fetched again when shown (no model reset)."""
        self._generation += 1
        self._cache.clear()
        self._pending.clear()
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, len(self.columns) - 1))

    # -- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.DisplayRole:
            rec = self.row_record(index.row())
            if rec is None:
                self._fetch(index.row())
                return "…" if index.column() == 0 else ""
            col = self.columns[index.column()]
            return col.show(rec.get(col.key))
        if role == Qt.TextAlignmentRole and self.columns[index.column()].right:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section: int, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Horizontal:
            return self.columns[section].label if 0 <= section < len(self.columns) else None
        return str(section + 1)

    def flags(self, index: QModelIndex):
        return Qt.ItemIsEnabled | Qt.ItemIsSelectable if index.isValid() else Qt.NoItemFlags
