"""The template a department downloads: prefilled from the catalog, protected, self-describing."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from loaders import layout as L
from loaders.template import TemplateError, build_template
from tests.conftest import PLAN_ID


@pytest.fixture
def doit_2019(catalog_con):
    return load_workbook(io.BytesIO(build_template(catalog_con, PLAN_ID, "DOIT", 2019)))


def test_sheets_and_recorded_identity(doit_2019):
    assert doit_2019.sheetnames == [L.SHEET_GUIDE, L.SHEET_INFO, L.SHEET_ACTIVITIES,
                                    L.SHEET_TASKS, L.SHEET_INDICATORS, L.SHEET_LISTS]  # fmt: skip
    info = {r[0].value: r[2].value for r in doit_2019[L.SHEET_INFO].iter_rows(min_row=2)}
    assert info["plan_id"] == PLAN_ID
    assert info["department_code"] == "DOIT"
    assert info["department_name"] == "Sở Công thương"
    assert info["period"] == 2019
    assert info["illustrative"] == "không"
    assert doit_2019[L.SHEET_LISTS].sheet_state == "hidden"


def test_prefilled_with_the_departments_activities_tasks_and_indicators(doit_2019):
    acts = [r[0].value for r in doit_2019[L.SHEET_ACTIVITIES].iter_rows(min_row=2)]
    assert acts == [11, 13, 14, 15, 16, 26, 30, 43, 46, 49, 62, 65]
    tasks = [r[0].value for r in doit_2019[L.SHEET_TASKS].iter_rows(min_row=2)]
    assert tasks == [f"3.2.{i}" for i in range(1, 8)]
    targets = {r[0].value: r[3].value for r in doit_2019[L.SHEET_TASKS].iter_rows(min_row=2)}
    assert targets["3.2.4"] == "≥ 1 lớp đào tạo"
    codes = [r[0].value for r in doit_2019[L.SHEET_INDICATORS].iter_rows(min_row=2) if r[0].value]
    assert "energy_audits" in codes and "forest_cover_pct" not in codes


def test_key_columns_are_locked_and_status_has_a_dropdown(doit_2019):
    ws = doit_2019[L.SHEET_ACTIVITIES]
    assert ws.protection.sheet
    assert ws["A2"].protection.locked and ws["B2"].protection.locked
    assert not ws["C2"].protection.locked and not ws["D2"].protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "Hoàn thành" in lists[0].formula1 and "C2" in str(lists[0].sqref)
    assert doit_2019[L.SHEET_INFO].protection.sheet


def test_instructions_are_in_vietnamese(doit_2019):
    text = " ".join(str(r[0].value or "") for r in doit_2019[L.SHEET_GUIDE].iter_rows())
    assert "Cách điền" in text and "15 tháng 10" in text


def test_unknown_department_or_period_outside_the_plan(catalog_con):
    with pytest.raises(TemplateError):
        build_template(catalog_con, PLAN_ID, "NASA", 2019)
    with pytest.raises(TemplateError):
        build_template(catalog_con, PLAN_ID, "DOIT", 2024)
