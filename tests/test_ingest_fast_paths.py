"""The ingest fast paths (issue 11) give exactly what the slow ones gave: the indicator diff as one
join, change sentences written on first use, numbers written without Babel, cells looked at once."""

from __future__ import annotations

import pickle
import random
from datetime import date, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from greengrowth import queries
from greengrowth.i18n import fmt_number, t
from greengrowth.rows import IndicatorValue
from greengrowth.status import clean_text
from loaders import ingest as ingest_mod
from loaders import validate as validate_mod
from loaders.validate import ParsedSubmission
from tests.conftest import PLAN_ID


def _decimals(value: float) -> int:
    return next((d for d in (0, 1) if float(round(value * 10**d, 9)).is_integer()), 2)


def test_numbers_in_change_sentences_read_as_fmt_number_writes_them():
    rnd = random.Random(11)
    values = [0.0, -0.0, 0.005, 0.015, 0.125, 2.5, 2.675, 12.345, 1234.5, 1e-7, 1e14,
              999_999_999_999_999.9, 1e15, 3e15, -2.5, -1234.5]  # fmt: skip
    values += [
        round(rnd.uniform(0, 10 ** rnd.randint(0, 14)), rnd.randint(0, 4)) for _ in range(3000)
    ]
    values += [rnd.randint(0, 10**12) for _ in range(300)]
    for value in values:
        for lang in ("vi", "en"):
            assert ingest_mod._num(value, lang) == fmt_number(value, lang, _decimals(value)), value


@given(st.one_of(
    st.none(), st.text(), st.text(alphabet=" \t\n\u00a0\u200b\u2028\x00\x07\x85\u3000ab"),
    st.floats(allow_nan=True), st.integers(), st.booleans(), st.dates(), st.datetimes(),
    st.times(), st.timedeltas(),
))  # fmt: skip
def test_a_row_has_content_exactly_when_a_cleaned_cell_is_not_empty(value):
    assert validate_mod._has_content(value) == bool(clean_text(value))


def test_each_distinct_cell_value_is_read_once_and_by_its_type():
    calls = []
    text = validate_mod._memo(lambda v: calls.append(v) or clean_text(v))
    cells = [1, 1.0, True, "1", 1, 1.0, True, "1", date(2020, 1, 1), time(1), timedelta(1)]
    assert [text(v) for v in cells] == [clean_text(v) for v in cells]
    assert len(calls) == 7  # 1, 1.0 and True are equal in Python but read differently
    assert text(float("nan")) == "" and text([1]) == "[1]"  # NaN and unhashable still work


def _stored(con, rows: list[IndicatorValue], department: str) -> int:
    parsed = ParsedSubmission(PLAN_ID, department, 2019, indicators=rows)
    result = ingest_mod.IngestResult("a.xlsx", "a" * 64, 1, "would_accept", parsed=parsed)
    return ingest_mod.store_prepared(con, b"first", result, "tester").submission_id


def test_the_preview_lists_new_and_changed_indicator_values_only_in_the_workbooks_order(
    catalog_con,
):
    catalog = queries.run(catalog_con, "plan_indicators", plan=PLAN_ID)
    by_district = catalog[catalog["by_district"].fillna(False).astype(bool)].iloc[0]
    code, department = by_district["indicator_code"], by_district["department_code"]
    one, two = queries.run(catalog_con, "districts", plan=PLAN_ID)["district_code"][:2]
    first = [
        IndicatorValue(code, None, 2018, 10.0),
        IndicatorValue(code, None, 2019, 1234.5),
        IndicatorValue(code, one, 2019, 5.0),
        IndicatorValue(code, two, 2019, 6.0),
    ]
    submission = _stored(catalog_con, first, department)
    second = [
        IndicatorValue(code, None, 2017, 3.0),  # new
        IndicatorValue(code, two, 2019, 6.0),  # same
        IndicatorValue(code, one, 2019, 7.5),  # changed
        IndicatorValue(code, None, 2019, 1234.5 + 1e-12),  # the same within 1e-9
        IndicatorValue(code, None, 2018, 10.0),  # same; its district is NULL on both sides
        IndicatorValue(code, two, 2018, 6.0),  # new: same value, other year
    ]
    parsed = ParsedSubmission(PLAN_ID, department, 2019, indicators=second)
    changes = [c for c in ingest_mod.diff_against(catalog_con, parsed, submission)
               if c.kind == "indicator"]  # fmt: skip
    assert [(c.key, c.before, c.after) for c in changes] == [
        (f"{code} 2017", None, "3"),
        (f"{code} [{one}] 2019", "5", "7.5"),
        (f"{code} [{two}] 2018", None, "6"),
    ]
    name = catalog.set_index("indicator_code").loc[code]
    for lang in ("vi", "en"):
        assert changes[1].text(lang) == t(
            "change.indicator", lang, name=name[f"name_{lang}"], where=f" [{one}]", year=2019,
            before=fmt_number(5, lang), after=fmt_number(7.5, lang, 1),
        )  # fmt: skip
        assert changes[0].text(lang).endswith(f"2017: – -> {fmt_number(3, lang)}")
    again = pickle.loads(pickle.dumps(changes))  # a result can be kept between page runs
    assert again == changes and again[1].text_en == changes[1].text_en
    # Nothing stored: every row is new, in the workbook's order.
    fresh = ingest_mod.diff_against(catalog_con, parsed, None)
    assert [c.key for c in fresh if c.kind == "indicator"][:2] == [
        f"{code} 2017",
        f"{code} [{two}] 2019",
    ]


def test_a_change_built_with_its_sentences_keeps_them():
    change = ingest_mod.Change("activity", "1", None, "completed", "Hoạt động 1", "Activity 1")
    assert (change.text("vi"), change.text_en) == ("Hoạt động 1", "Activity 1")
    assert change == ingest_mod.Change(
        "activity", "1", None, "completed", "Hoạt động 1", "Activity 1"
    )
