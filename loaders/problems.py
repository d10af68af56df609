"""Validation returns data: a list of Problems that the CLI prints, the upload page shows and tests read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from greengrowth import yaml_files

MESSAGES_FILE = Path(__file__).with_name("problem_messages.yaml")


@cache
def _messages() -> dict[str, dict[str, str]]:
    with MESSAGES_FILE.open(encoding="utf-8") as fh:
        return yaml_files.safe_load(fh)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook, located so a person can find and fix it."""

    sheet: str
    row: int | None  # Excel row number, 1-based
    column: str  # column letter and header, e.g. "C (Trạng thái)"
    value: str
    code: str
    message_vi: str
    message_en: str
    hint_vi: str
    hint_en: str

    def message(self, lang: str = "vi") -> str:
        return self.message_en if lang == "en" else self.message_vi

    def hint(self, lang: str = "vi") -> str:
        return self.hint_en if lang == "en" else self.hint_vi

    def location(self) -> str:
        parts = [f"[{self.sheet}]" if self.sheet else "", f"dòng {self.row}" if self.row else ""]
        parts.append(f"cột {self.column}" if self.column else "")
        return " ".join(p for p in parts if p)


def problem(
    code: str,
    *,
    sheet: str = "",
    row: int | None = None,
    column: str = "",
    value: object = "",
    expected: object = "",
) -> Problem:
    """Build a Problem with the Vietnamese and English texts of its code."""
    text = _messages()[code]
    shown = "" if value is None else str(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    fill = {"value": shown, "expected": expected}
    return Problem(
        sheet=sheet,
        row=row,
        column=column,
        value=shown,
        code=code,
        message_vi=text["vi"].format(**fill),
        message_en=text["en"].format(**fill),
        hint_vi=text["hint_vi"].format(**fill),
        hint_en=text["hint_en"].format(**fill),
    )
