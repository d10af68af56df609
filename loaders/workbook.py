"""Read an uploaded workbook safely and fast, into plain rows per sheet.

python-calamine (Rust) reads cell values without evaluating anything; before it sees the bytes we check
that they are a real .xlsx zip, without macros, and not a zip bomb. Everything that goes wrong becomes a
Problem, never a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from python_calamine import CalamineWorkbook

from greengrowth.status import fold
from loaders import layout as L
from loaders.problems import Problem, problem

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 10_000  # a department's sheet has tens of rows; more is a mistake or an attack
MAX_COLUMNS = 200
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d{1,7})"')
READ_SHEETS = (L.SHEET_INFO, L.SHEET_ACTIVITIES, L.SHEET_TASKS, L.SHEET_INDICATORS)


@dataclass
class RawWorkbook:
    """Cell values of the sheets we read, keyed by the template's sheet name; rows are lists."""

    sheets: dict[str, list[list]] = field(default_factory=dict)


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def check_container(data: bytes) -> list[Problem]:
    """Is this an .xlsx we are willing to open? (size, zip, macros, bomb)"""
    if len(data) > MAX_UPLOAD_BYTES:
        return [problem("too_large", value=_human(len(data)), expected=_human(MAX_UPLOAD_BYTES))]
    if not data.startswith(b"PK"):
        return [problem("not_xlsx")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {info.filename for info in infos}
            total = sum(info.file_size for info in infos)
    except (zipfile.BadZipFile, ValueError, OSError):
        return [problem("not_xlsx")]
    if "xl/workbook.xml" not in names:
        return [problem("not_xlsx")]
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return [problem("has_macros")]
    if total > MAX_UNCOMPRESSED_BYTES:
        return [problem("too_large", value=_human(total), expected=_human(MAX_UNCOMPRESSED_BYTES))]
    return _check_extents(data, sorted(n for n in names if n.startswith("xl/worksheets/")))


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _check_extents(data: bytes, sheet_files: list[str]) -> list[Problem]:
    """Refuse sheets that reach far-away cells before a reader allocates the whole range.

    A reader builds a dense grid from A1 to the last cell used, so a 5 kB file with one cell at row
    400,000 and column 200 costs gigabytes. The cell references are read from the XML itself.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in sheet_files:
            xml = zf.read(name)
            rows = [int(m.group(1)) for m in _ROW_REF.finditer(xml)]
            cells = [(int(m.group(2)), _column_number(m.group(1))) for m in _CELL_REF.finditer(xml)]
            last_row = max([*rows, *(r for r, _ in cells)], default=0)
            last_col = max((c for _, c in cells), default=0)
            if last_row > MAX_ROWS:
                return [problem("too_many_rows", value=last_row, expected=MAX_ROWS)]
            if last_col > MAX_COLUMNS:
                return [problem("too_many_columns", value=last_col, expected=MAX_COLUMNS)]
    return []


def read_workbook(data: bytes) -> tuple[RawWorkbook | None, list[Problem]]:
    """The rows of the template's sheets, or the problems that stop us reading them."""
    problems = check_container(data)
    if problems:
        return None, problems
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        by_fold = {fold(name): name for name in wb.sheet_names}
        raw = RawWorkbook()
        for sheet in READ_SHEETS:
            actual = by_fold.get(fold(sheet))
            if actual is None:
                problems.append(problem("missing_sheet", sheet=sheet, expected=sheet))
                continue
            rows = wb.get_sheet_by_name(actual).to_python(skip_empty_area=False)
            if len(rows) > MAX_ROWS:
                problems.append(
                    problem("too_many_rows", sheet=sheet, value=len(rows), expected=MAX_ROWS)
                )
                continue
            raw.sheets[sheet] = rows
    except Exception:  # calamine raises several error types for corrupt content
        return None, [problem("not_xlsx")]
    return raw, problems
