"""The one way ufdesk puts a value into an xlsx cell: text never becomes a formula.

openpyxl stores a string beginning with ``=`` as a live formula (``=HYPERLINK(…)``, ``=1+1``),
and Excel re-reads ``+``, ``-``, ``@`` and a leading tab as one the moment a clerk edits the
cell. Such text is written as a text cell with the quote-prefix style (Excel's own ``'``,
which is not part of the value), so it shows and round-trips exactly as it was. Every xlsx
the program writes (ledger export, rejects, audit log, templates) goes through here; no Qt,
no database: any layer may use it.
"""

from __future__ import annotations

RISKY = frozenset("=+-@\t\r")


def risky(value) -> bool:
    return value.__class__ is str and value != "" and value[0] in RISKY


def text_cell(ws, value: str):
    """A write-only cell holding ``value`` as text, quote-prefixed."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_row(ws, values: list) -> list:
    """``values`` for ``ws.append`` (write-only sheets), risky text made text cells."""
    for v in values:
        if v.__class__ is str and v != "" and v[0] in RISKY:
            break
    else:
        return values  # the common case: nothing to change, no copy
    return [text_cell(ws, v) if risky(v) else v for v in values]


def set_value(cell, value) -> None:
    """Set a cell of an ordinary (not write-only) sheet."""
    cell.value = value
    if risky(value):
        cell.data_type = "s"
        cell.quotePrefix = True
