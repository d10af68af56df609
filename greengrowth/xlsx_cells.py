"""Writing a value into a workbook cell so that text people typed stays text.

openpyxl turns any string that starts with "=" into a live formula, and Excel re-reads "+", "-" and "@"
as the start of one when a cell is edited. A department's "what was done" text must come back exactly as
typed and never run: every workbook this app writes (templates, corrections, reports, table downloads)
puts cells through `put`.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell

FORMULA_STARTS = ("=", "+", "-", "@")


def put(cell: Cell, value: object) -> Cell:
    """Set `cell` to `value`; a string is stored as text (and marked so Excel keeps it text)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.lstrip()[:1] in FORMULA_STARTS:
            cell.quotePrefix = True
    return cell
