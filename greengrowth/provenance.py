"""Where a fact comes from, in words a leader can read: the plan's own text, or the province's choice.

The catalog records the basis as data (indicators.csv `basis`, plan.yaml reporting rules'
`description_basis` / `years_basis`; see data/plan/README.md). These pure functions turn one row into
the sentence pages, exports and reports show, in Vietnamese or English, so every place says the same.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from greengrowth.catalog import parse_refs
from greengrowth.i18n import t


def _blank(value: object) -> bool:
    return value is None or value != value or (isinstance(value, str) and not value.strip())  # noqa: PLR0124


def basis_label(basis: object, lang: str, *, short: bool = False) -> str:
    """Set by the plan / chosen by the province / not recorded; `short` for a narrow table cell."""
    key = basis if basis in ("stated", "chosen") else "unknown"
    return t(f"provenance.{'basis_short' if short else 'basis'}.{key}", lang)


def refs_text(chosen_for: object, lang: str) -> str:
    """'activity:15;task:3.2.3' -> 'hoạt động số 15, nhiệm vụ ưu tiên 3.2.3'."""
    parts = [
        t(f"provenance.ref.{kind}", lang, ref=ref) if kind in ("activity", "task") else ref
        for kind, ref in parse_refs(None if _blank(chosen_for) else str(chosen_for))
    ]
    return ", ".join(parts)


def indicator_basis_label(row: Mapping, lang: str, *, short: bool = False) -> str:
    """The basis, and 'retired from YEAR' when the indicator is retired."""
    label = basis_label(row.get("basis"), lang, short=short)
    if not _blank(row.get("retired_from")):
        label += f" ({t('provenance.retired_short', lang, year=int(row['retired_from']))})"
    return label


def indicator_basis_text(row: Mapping, lang: str) -> str:
    """The full explanation of one indicator's basis (a row of the `indicator` table; the
    steward's name is read from `steward_name_<lang>` when present, else the code)."""
    basis = row.get("basis")
    if basis == "stated":
        parts = [t("provenance.stated_text", lang, section=row["basis_section"],
                   quote=row["basis_quote_vi"])]  # fmt: skip
    elif basis == "chosen":
        parts = [t("provenance.chosen_text", lang)]
        refs = refs_text(row.get("chosen_for"), lang)
        if refs:
            parts.append(t("provenance.monitors", lang, refs=refs))
    else:
        return t("provenance.unknown_text", lang)
    note = row.get(f"basis_note_{lang}")
    if not _blank(note):
        parts.append(str(note))
    steward = row.get(f"steward_name_{lang}")
    steward = row.get("steward") if _blank(steward) else steward
    if basis == "chosen" and not _blank(steward):
        parts.append(t("provenance.steward", lang, name=steward))
    if not _blank(row.get("retired_from")):
        parts.append(t("provenance.retired", lang, year=int(row["retired_from"])))
    return " ".join(parts)


def indicator_basis_table(indicators: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The indicators with display columns added: `basis_label`, `basis_short`, `basis_text`."""
    rows = indicators.to_dict("records")
    return indicators.assign(
        basis_label=[indicator_basis_label(r, lang) for r in rows],
        basis_short=[indicator_basis_label(r, lang, short=True) for r in rows],
        basis_text=[indicator_basis_text(r, lang) for r in rows],
    )


def rule_basis_text(rule: Mapping, lang: str) -> str:
    """What a reporting rule's text is (summary or the plan's words), the plan's words beside it,
    and whether its years are inferred."""
    summary = rule.get("description_basis") != "quote"
    parts = [t("provenance.rule.summary" if summary else "provenance.rule.quote", lang) + "."]
    if not _blank(rule.get("quote_vi")):
        parts.append(
            t("provenance.rule.quote_text", lang, section=rule.get("quote_section") or "–",
              quote=rule["quote_vi"])
        )  # fmt: skip
    if rule.get("years_basis") == "inferred" and not _blank(rule.get("year_from")):
        parts.append(
            t("provenance.rule.years_inferred", lang, year_from=int(rule["year_from"]),
              year_to=int(rule["year_to"]) if not _blank(rule.get("year_to")) else "…")
        )  # fmt: skip
    note = rule.get(f"basis_note_{lang}")
    if not _blank(note):
        parts.append(str(note))
    return " ".join(parts)


def rule_basis_table(rules: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The reporting rules with `text_basis_label` and `basis_text` display columns added."""
    rows = rules.to_dict("records")
    return rules.assign(
        text_basis_label=[
            t(
                "provenance.rule.quote"
                if r.get("description_basis") == "quote"
                else "provenance.rule.summary",
                lang,
            )
            for r in rows
        ],  # fmt: skip
        basis_text=[rule_basis_text(r, lang) for r in rows],
    )


def with_basis(indicators: pd.DataFrame, basis: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`indicators` (any frame with indicator_code) with the display columns of
    `indicator_basis_table`, worded from `basis` (the query `indicator_basis`, which names the
    steward)."""
    words = indicator_basis_table(basis, lang)
    words = words[["indicator_code", "basis_label", "basis_short", "basis_text"]]
    return indicators.merge(words, on="indicator_code", how="left")


def basis_sentence(basis: pd.DataFrame, lang: str) -> str:
    """One sentence for reports and slides: how many indicators the plan sets (named) and how many
    the province chose for monitoring (the plan names no indicator list, finding F17)."""
    stated = basis[basis["basis"] == "stated"]
    chosen = basis[basis["basis"] != "stated"]
    names = ", ".join(stated["name_en" if lang == "en" else "name_vi"])
    return t("provenance.basis_sentence", lang, total=len(basis), stated=len(stated),
             chosen=len(chosen), names=names or "–")  # fmt: skip
