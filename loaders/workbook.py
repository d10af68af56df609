"""Read an uploaded workbook safely and fast, into plain rows per sheet.

`read_workbook` hands the bytes to a separate, bounded worker process (loaders/worker.py), so a hostile
file can cost that process its memory or its CPU budget, never the web server's. Inside the worker,
`read_in_this_process` checks the container (real .xlsx zip, no macros, not a zip bomb), then streams
the XML of the sheets the template uses (expat, no DTDs) and refuses, before python-calamine builds its
grid, any sheet whose cells reach past the limits below or are addressed outside Excel's grid; it also
names every formula that reaches outside the workbook. Everything that goes wrong becomes a Problem.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar
from xml.parsers import expat

from greengrowth.status import fold
from loaders import layout as L
from loaders.problems import Problem, problem

# Limits, chosen from measurements (README "Security and limits"; bench/bench_hostile.py).
# A filled template is 16 kB (18 kB re-saved by LibreOffice); the largest honest workbook measured,
# 10,000 indicator rows, is 0.31 MB packed and 4.6 MB unpacked, with 70,007 cells on its largest sheet.
# .streamlit/config.toml's server.maxUploadSize (MB) must say the same as MAX_UPLOAD_BYTES.
MAX_UPLOAD_BYTES = 1 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000  # last row of a sheet; a template has tens of rows, the 10,000-row sheet 10,001
MAX_COLUMNS = 64  # last column (BL); the widest sheet of the template uses 12 (L)
MAX_CELLS = 200_000  # <c> elements in one sheet, wherever they point
# Rows x columns of the rectangles a reader fills from A1, summed over the sheets it reads: validation
# looks at every cell of them (about 10 us each), so this bounds the web server's share of the work.
# The 10,000-row workbook's sheets add up to 70,300.
MAX_GRID = 150_000
MAX_SHARED_STRINGS = 200_000
MAX_FORMULA_CHARS = 8_192  # Excel's own limit

EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384  # XFD
READ_SHEETS = (L.SHEET_INFO, L.SHEET_ACTIVITIES, L.SHEET_TASKS, L.SHEET_INDICATORS)

_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_ROW = re.compile(r"[1-9][0-9]{0,6}")
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_DOC_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"


@dataclass
class RawWorkbook:
    """Cell values of the sheets we read, keyed by the template's sheet name; rows are lists."""

    sheets: dict[str, list[list]] = field(default_factory=dict)


class Refused(Exception):
    """Stops reading: the file is refused with these problems."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__(problems[0].code if problems else "refused")
        self.problems = list(problems)


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


_column_number = lru_cache(maxsize=1024)(column_number)  # per cell of a 70,000-cell sheet


# --- the container --------------------------------------------------------------------------------


def check_container(data: bytes) -> list[Problem]:
    """Is this an .xlsx we are willing to open? (size, zip, macros, bomb, links to the outside)"""
    if len(data) > MAX_UPLOAD_BYTES:
        return [problem("too_large", value=_human(len(data)), expected=_human(MAX_UPLOAD_BYTES))]
    if not data.startswith(b"PK"):
        return [foreign_file(data)]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            kind = _zip_kind(zf, {info.filename for info in infos})
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return [problem("not_xlsx")]
    if kind is not None:
        return [problem("foreign_format", value=kind)]
    names = {info.filename for info in infos}
    total = sum(info.file_size for info in infos)
    if len({name.lower() for name in names}) != len(
        infos
    ):  # the reader matches names ignoring case
        return [problem("not_xlsx", value="duplicate zip members")]
    if "xl/workbook.xml" not in names:
        return [problem("not_xlsx")]
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return [problem("has_macros")]
    if total > MAX_UNCOMPRESSED_BYTES:  # the unpacked size, said as such (the file itself is small)
        return [
            problem(
                "too_large_unpacked", value=_human(total), expected=_human(MAX_UNCOMPRESSED_BYTES)
            )
        ]
    outside = sorted(
        n for n in names
        if n.lower().startswith(("xl/externallinks/", "xl/querytables/"))
        or n.lower() == "xl/connections.xml"
    )  # fmt: skip
    return [problem("external_link", value=posixpath.basename(n)) for n in outside]


# What a file that is not an .xlsx really is, so the officer knows what to do with it (issue 14).
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # Compound File Binary: .xls, and encrypted .xlsx
FORMAT_XLS = "Excel 97–2003 (.xls)"
FORMAT_XLSB = "Excel Binary (.xlsb)"
FORMAT_ODS = "OpenDocument / LibreOffice Calc (.ods)"
FORMAT_CSV = "CSV (.csv)"


def foreign_file(data: bytes) -> Problem:
    """Name what a non-zip file is: an encrypted workbook (an OLE container holding
    EncryptionInfo), an old .xls, a CSV text file; else the generic 'not an .xlsx'."""
    if data.startswith(OLE_MAGIC):
        # Directory entry names are UTF-16LE; an encrypted OOXML workbook carries these two streams.
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data.replace(
            b"\x00", b""
        ):
            return problem("encrypted_workbook")
        return problem("foreign_format", value=FORMAT_XLS)
    if _looks_like_csv(data):
        return problem("foreign_format", value=FORMAT_CSV)
    return problem("not_xlsx")


def _looks_like_csv(data: bytes) -> bool:
    head = data[:65536]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))  # Excel's "Unicode Text" export
    if b"\x00" in head and not utf16:
        return False
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1258"):
        try:
            text = head.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    lines = [line for line in text.splitlines() if line.strip()][:20]
    if len(lines) < 2:  # one line of prose with a comma is not a table
        return False
    for sep in (",", ";", "\t"):
        counts = [line.count(sep) for line in lines]
        if counts[0] >= 1 and all(c == counts[0] for c in counts[:2]) and min(counts) >= 1:
            return True
    return False


def _zip_kind(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """A zip that is a spreadsheet of another kind: .xlsb (binary parts) or .ods (OpenDocument)."""
    if "xl/workbook.bin" in names:
        return FORMAT_XLSB
    if "mimetype" in names:
        with zf.open("mimetype") as fh:
            if fh.read(100).startswith(b"application/vnd.oasis.opendocument"):
                return FORMAT_ODS
    return None


# --- streaming XML -----------------------------------------------------------------------------------


def _parser(start: Callable, end: Callable | None = None, text: Callable | None = None):
    """An expat parser that refuses DTDs (so no entity tricks) and reports local element names."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def no_dtd(*_args) -> None:
        raise Refused(problem("not_xlsx"))

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    parser.StartElementHandler = lambda name, attrs: start(name.rpartition("}")[2], attrs)
    if end is not None:
        parser.EndElementHandler = lambda name: end(name.rpartition("}")[2])
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _stream(zf: zipfile.ZipFile, part: str, parser) -> None:
    """Feed one zip member to the parser in chunks: memory stays flat whatever the part's size."""
    try:
        with zf.open(part) as fh:
            while chunk := fh.read(256 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise Refused(problem("not_xlsx", value=f"{part}: {exc}")) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError):
        raise Refused(problem("not_xlsx")) from None


@dataclass
class Parts:
    """Where a workbook keeps things, resolved as python-calamine resolves them (checked by tests)."""

    sheets: dict[str, str | None]  # sheet name -> zip member, None when the target is not there
    defined_names: list[tuple[str, str]]
    shared_strings: list[str]


def _sheet_parts(zf: zipfile.ZipFile) -> Parts:
    """Sheet names and their parts (workbook.xml and its relationships), the defined names and the
    shared-string tables. Zip members are matched ignoring case, as the reader does; check_container
    has refused names that differ only in case, so each target names one member."""
    sheets: list[tuple[str, str]] = []
    names: list[tuple[str, str]] = []
    current: list[str] = []

    def start(tag: str, attrs: dict) -> None:
        if tag == "sheet":
            rid = attrs.get(f"{_DOC_REL}}}id") or attrs.get(f"{_STRICT_DOC_REL}}}id") or ""
            sheets.append((attrs.get("name", ""), rid))
        elif tag == "definedName":
            current[:] = [attrs.get("name", ""), ""]

    def end(tag: str) -> None:
        if tag == "definedName" and current:
            names.append((current[0], current[1]))
            current.clear()

    def text(data: str) -> None:
        if current and len(current[1]) < MAX_FORMULA_CHARS:
            current[1] += data

    _stream(zf, "xl/workbook.xml", _parser(start, end, text))
    members = {n.lower(): n for n in zf.namelist()}
    targets: dict[str, str | None] = {}
    shared: list[str] = []

    def rel(tag: str, attrs: dict) -> None:
        if tag == "Relationship" and attrs.get("TargetMode", "") != "External":
            target = attrs.get("Target", "")
            member = members.get((target[1:] if target.startswith("/") else f"xl/{target}").lower())
            targets[attrs.get("Id", "")] = member
            if attrs.get("Type", "").endswith("/sharedStrings") and member:
                shared.append(member)

    if "xl/_rels/workbook.xml.rels" in members:
        _stream(zf, members["xl/_rels/workbook.xml.rels"], _parser(rel))
    if len({name.casefold() for name, _ in sheets}) != len(sheets):
        raise Refused(problem("not_xlsx", value="duplicate sheet names"))
    if "xl/sharedstrings.xml" in members:
        shared.append(members["xl/sharedstrings.xml"])
    return Parts({name: targets.get(rid) for name, rid in sheets}, names, sorted(set(shared)))


# --- formulas that reach outside the workbook ---------------------------------------------------------

_OUTSIDE_FUNCTIONS = re.compile(
    r"(?<![A-Z0-9_.])(?:_XLFN\.|_XLWS\.|_XLUDF\.)*"
    r"(WEBSERVICE|RTD|CALL|REGISTER|REGISTER\.ID|EXEC|HYPERLINK|IMAGE|STOCKHISTORY"
    r"|DDE|DDEAUTO|INITIATE|SQL\.REQUEST)\s*\(",
)
_STRING = re.compile(r'"(?:[^"]|"")*"')
# Cell formulas, and the formulas Excel evaluates for conditional formats and data validation.
_FORMULA_TAGS = {"f", "formula", "formula1", "formula2"}


def reaches_outside(formula: str) -> bool:
    """Does this formula call out of the workbook (web, DDE, another file, a DLL)?

    Values computed inside the workbook are fine; a call to the network or another program runs on
    the machine of whoever opens the stored original, so it is named as a problem.
    """
    code = _STRING.sub('""', formula).upper()
    if _OUTSIDE_FUNCTIONS.search(code) or "|" in code:  # "|": DDE, =cmd|'/c calc'!A0
        return True
    depth = 0
    for i, ch in enumerate(code):  # "[1]Sheet!A1" or "'C:\[book.xlsx]Sheet'!A1": another file
        if ch == "[":
            if depth == 0 and (i == 0 or not (code[i - 1].isalnum() or code[i - 1] in "_.")):
                return True  # not a table's structured reference such as Table1[Column]
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
    return False


# --- the extent of a sheet ---------------------------------------------------------------------------


@dataclass
class SheetScan:
    """What streaming one sheet found: its extent, its cells and its outward-reaching formulas."""

    last_row: int = 0
    last_column: int = 0
    cells: int = 0
    outside: list[Problem] = field(default_factory=list)


def scan_sheet(
    zf: zipfile.ZipFile, part: str, sheet: str, *, bounded: bool = True, grid_budget: int = MAX_GRID
) -> SheetScan:
    """Stream a sheet's XML: every row and cell address, any quoting or spacing, checked as it comes.

    Cells without an `r` attribute sit after the previous one, as a reader places them, so leaving
    addresses out does not hide a cell. With `bounded`, the first cell past a limit stops the scan with
    a Problem naming the sheet and the cell; without it (sheets the template does not read) only
    formulas are looked at. `grid_budget` is what is left of MAX_GRID after the sheets before.
    """
    scan = SheetScan()
    row = 0
    column = 0
    formula: list[str] | None = None
    formula_at = (0, 0)

    def bad_ref(raw: str) -> Refused:
        return Refused(problem("bad_cell_ref", sheet=sheet, value=raw, expected="XFD1048576"))

    def check(r: int, c: int) -> None:
        scan.last_row = max(scan.last_row, r)
        scan.last_column = max(scan.last_column, c)
        if not bounded:
            return
        if scan.last_row > MAX_ROWS:
            raise Refused(problem("too_many_rows", sheet=sheet, row=r, column=column_letters(c),
                                  value=r, expected=MAX_ROWS))  # fmt: skip
        if scan.last_column > MAX_COLUMNS:
            raise Refused(problem("too_many_columns", sheet=sheet, row=r, column=column_letters(c),
                                  value=c, expected=MAX_COLUMNS))  # fmt: skip
        if scan.last_row * scan.last_column > grid_budget:
            raise Refused(problem("grid_too_large", sheet=sheet, row=r, column=column_letters(c),
                                  value=f"{column_letters(c)}{r}", expected=f"{MAX_GRID:,}"))  # fmt: skip

    def start(name: str, attrs: dict) -> None:
        nonlocal row, column, formula, formula_at
        tag = name.rpartition("}")[2]
        if tag == "row":
            raw = attrs.get("r")
            if raw is None:
                row += 1
            elif _ROW.fullmatch(raw) and int(raw) <= EXCEL_MAX_ROW:
                row = int(raw)
            else:
                raise bad_ref(raw)
            column = 0  # a row without cells costs a reader nothing: bounds apply to its cells
        elif tag == "c":
            scan.cells += 1
            if bounded and scan.cells > MAX_CELLS:
                raise Refused(problem("too_many_cells", sheet=sheet, row=row,
                                      column=column_letters(max(column, 1)),
                                      value=f"{scan.cells:,}", expected=f"{MAX_CELLS:,}"))  # fmt: skip
            raw = attrs.get("r")
            if raw is None:
                column += 1
            else:
                match = _CELL.fullmatch(raw)
                if not match:
                    raise bad_ref(raw)
                c, r = _column_number(match.group(1)), int(match.group(2))
                if c > EXCEL_MAX_COLUMN or r > EXCEL_MAX_ROW:
                    raise bad_ref(raw)
                row, column = r, c
            check(max(row, 1), max(column, 1))
        elif tag in _FORMULA_TAGS:
            formula, formula_at = [], (row, column)
            parser.EndElementHandler, parser.CharacterDataHandler = end, text
        elif tag == "dimension" and bounded:
            for ref in attrs.get("ref", "A1").split(":"):
                match = _CELL.fullmatch(ref)
                if not match or column_number(match.group(1)) > EXCEL_MAX_COLUMN:
                    raise bad_ref(ref)
                if int(match.group(2)) > EXCEL_MAX_ROW:
                    raise bad_ref(ref)

    def end(name: str) -> None:
        nonlocal formula
        if name.rpartition("}")[2] in _FORMULA_TAGS and formula is not None:
            text = "".join(formula)
            if reaches_outside(text):
                r, c = formula_at
                scan.outside.append(problem("external_formula", sheet=sheet, row=r,
                                            column=column_letters(max(c, 1)), value="=" + text))  # fmt: skip
            formula = None
            parser.EndElementHandler = parser.CharacterDataHandler = None

    def text(data: str) -> None:
        if formula is not None and sum(map(len, formula)) < MAX_FORMULA_CHARS:
            formula.append(data)

    # A sheet has ~100,000 elements: Python is called at each start, and at ends and for text only
    # inside a formula (the handlers are set while one is open), which is all `end`/`text` look at.
    parser = _parser(lambda *_: None)
    parser.StartElementHandler = start
    _stream(zf, part, parser)
    return scan


def _count_shared_strings(zf: zipfile.ZipFile, part: str) -> None:
    """Refuse a shared-string table far larger than any template (a reader loads all of it)."""
    count = 0

    def start(tag: str, attrs: dict) -> None:
        nonlocal count
        if tag == "sst":
            for key in (
                "count",
                "uniqueCount",
            ):  # a reader may reserve room for the count it is told
                value = attrs.get(key, "0")
                if not value.isdigit() or int(value) > 10 * MAX_SHARED_STRINGS:
                    raise Refused(problem("too_many_cells", sheet="sharedStrings.xml",
                                          value=value, expected=f"{MAX_SHARED_STRINGS:,}"))  # fmt: skip
        elif tag == "si":
            count += 1
            if count > MAX_SHARED_STRINGS:
                raise Refused(problem("too_many_cells", sheet="sharedStrings.xml",
                                      value=f"{count:,}", expected=f"{MAX_SHARED_STRINGS:,}"))  # fmt: skip

    _stream(zf, part, _parser(start))


def check_sheets(data: bytes) -> tuple[dict[str, str], list[Problem]]:
    """Template sheet -> the workbook's own name for it, after streaming every sheet's XML.

    The sheets the reader will read are bounded (rows, columns, cells, grid); the others are never
    given to the reader and are only scanned for formulas that reach outside the workbook.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = _sheet_parts(zf)
        for part in parts.shared_strings:
            _count_shared_strings(zf, part)
        by_fold = {fold(name): name for name in parts.sheets}
        used = {sheet: by_fold[fold(sheet)] for sheet in READ_SHEETS if fold(sheet) in by_fold}
        if any(parts.sheets[name] is None for name in used.values()):
            raise Refused(problem("not_xlsx", value="sheet part missing"))
        outside = [
            problem("external_formula", sheet=name, column=name, value="=" + text)
            for name, text in parts.defined_names
            if reaches_outside(text)
        ]
        budget = MAX_GRID
        for name, part in parts.sheets.items():
            if part is not None:
                bounded = name in used.values()
                scan = scan_sheet(zf, part, name, bounded=bounded, grid_budget=budget)
                outside.extend(scan.outside)
                if bounded:
                    budget -= scan.last_row * scan.last_column
    return used, outside


# --- the reader, wrapped ---------------------------------------------------------------------------

T = TypeVar("T")


def guarded(call: Callable[[], T]) -> T:
    """Run one reader call; anything it throws (a Rust panic is a BaseException) becomes a refusal.

    KeyboardInterrupt and SystemExit still stop the program: they are how a person or the worker's
    parent asks us to stop, not something the file did.
    """
    try:
        return call()
    except (KeyboardInterrupt, SystemExit):
        raise
    except MemoryError:
        raise Refused(problem("too_complex", value="MemoryError")) from None
    except Exception:  # calamine raises several error types for corrupt content
        raise Refused(problem("not_xlsx")) from None
    except BaseException as exc:  # noqa: BLE001 - pyo3's PanicException derives from BaseException
        raise Refused(problem("too_complex", value=type(exc).__name__)) from None


def read_in_this_process(data: bytes) -> tuple[RawWorkbook | None, list[Problem]]:
    """The checks and the reader, in the calling process. The worker runs this; nothing else should."""
    problems = check_container(data)
    if problems:
        return None, problems
    try:
        used, outside = check_sheets(data)
        from python_calamine import CalamineWorkbook

        wb = guarded(lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)))
        raw = RawWorkbook()
        for sheet in READ_SHEETS:
            actual = used.get(sheet)
            if actual is None:
                problems.append(problem("missing_sheet", sheet=sheet, expected=sheet))
                continue
            rows = guarded(
                lambda a=actual: wb.get_sheet_by_name(a).to_python(skip_empty_area=False)
            )
            if len(rows) > MAX_ROWS:
                problems.append(
                    problem("too_many_rows", sheet=sheet, value=len(rows), expected=MAX_ROWS)
                )
                continue
            raw.sheets[sheet] = rows
    except Refused as refused:
        return None, refused.problems
    problems.extend(outside)
    return raw, problems


def read_workbook(data: bytes, name: str = "") -> tuple[RawWorkbook | None, list[Problem]]:
    """The rows of the template's sheets, or the problems that stop us reading them.

    Read in a bounded worker process (loaders/worker.py); `name` (the cleaned display name) is only
    used to name the file in a refusal.
    """
    if len(data) > MAX_UPLOAD_BYTES:  # no need to start anything for that
        return None, [
            problem("too_large", value=_human(len(data)), expected=_human(MAX_UPLOAD_BYTES))
        ]
    from loaders import worker

    return worker.read(data, name).outcome()
