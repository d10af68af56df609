"""The analyst pages' tables, shaped without Streamlit."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from greengrowth.rows import ActivityStatus
from loaders import tables
from loaders.ingest import Change, IngestResult
from loaders.validate import ParsedSubmission


def _result(department: str, period: int) -> IngestResult:
    parsed = ParsedSubmission("p", department, period, activities=[ActivityStatus(1, "completed")])
    return IngestResult("f.xlsx", "0" * 64, 1, "would_accept", parsed=parsed)


def test_two_files_for_the_same_report_are_named():
    results = [_result("DOIT", 2019), _result("DOC", 2019), _result("DOIT", 2019)]
    assert tables.repeated_reports(results) == [("DOIT", 2019)]
    assert tables.repeated_reports(results[:2]) == []


HISTORY = pd.DataFrame(
    {
        "submission_id": [3, 2, 1],
        "uploaded_at": [datetime(2020, 10, 5, 9, 30)] * 3,
        "uploaded_by": ["lan", "demo", "demo"],
        "file_name": ["c.xlsx", "b.xlsx", "a.xlsx"],
        "department_code": ["DOIT", "DOC", "DOIT"],
        "period": [2020, 2020, 2019],
        "n_rows": [5, 6, 7],
        "state": ["current", "withdrawn", "superseded"],
        "derived_from": [1.0, None, None],
    }
)


def test_history_filters_and_table():
    departments, periods = tables.history_choices(HISTORY)
    assert departments == [tables.ALL, "DOC", "DOIT"] and periods == [tables.ALL, 2020, 2019]
    shown = tables.filter_history(HISTORY, "DOIT", tables.ALL)
    assert list(shown["submission_id"]) == [3, 1]
    assert list(tables.filter_history(HISTORY, "DOIT", 2019)["submission_id"]) == [1]
    vi, en = tables.history_table(shown, "vi"), tables.history_table(shown, "en")
    assert list(vi["Trạng thái"]) == ["Hiện hành", "Đã có bản mới hơn"]
    assert list(en.columns) != list(vi.columns)
    assert list(vi["Sửa từ lần nộp"]) == ["1", ""]
    assert tables.pick_labels(shown, "vi")[3].startswith("Số 3")


def test_changes_and_rows_in_the_readers_language():
    result = _result("DOIT", 2019)
    result.changes = [Change("activity", "1", None, "completed", "Hoạt động 1", "Activity 1")]
    assert tables.changes_table(result, "en").iloc[0].tolist()[1] == "Activity 1"
    rows = pd.DataFrame({"activity_no": [1], "status": ["on_hold"], "done_text": [None]})
    readable = tables.readable_rows(rows, "vi")
    assert readable.iloc[0].tolist() == [1, "Tạm dừng", ""]
