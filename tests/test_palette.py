"""The status palette under simulated colour-vision deficiency, and text drawn on coloured bars.

Every pair of statuses must stay at least ΔE 20 apart in CAM02-UCS (colorspacious's default
uniform space; about 20 reads as clearly different) for normal vision and under deuteranopia and
protanopia (severity 100). Text on a bar must reach 4.5:1 (WCAG 2) against that bar.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE

from greengrowth import charts
from greengrowth.chart_style import (
    PRIORITY_COLORS,
    PROGRESS_COLORS,
    REPORTING_COLORS,
    STATUS_COLORS,
    STATUS_PATTERNS,
    STATUS_SYMBOLS,
    contrast_ratio,
    pattern_color,
    text_color,
)

MIN_DELTA_E = 20
VISIONS = [None, "deuteranomaly", "protanomaly"]  # severity 100 = deuteranopia, protanopia
# The palette before issue 15 (plain Okabe–Ito): kept to show that the check can fail.
OKABE_ITO_STATUS = {
    "completed": "#009E73",
    "in_progress": "#0072B2",
    "delayed": "#D55E00",
    "on_hold": "#E69F00",
    "not_started": "#999999",
    "not_reported": "#DDDDDD",
    "no_lead": "#CC79A7",
}


def _rgb1(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def _seen(hex_color: str, vision: str | None) -> np.ndarray:
    rgb = _rgb1(hex_color)
    if vision is None:
        return rgb
    cvd = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return np.clip(cspace_convert(rgb, cvd, "sRGB1"), 0, 1)


def closest_pair(palette: dict[str, str], vision: str | None) -> tuple[float, str, str]:
    """The smallest CAM02-UCS ΔE between two colours of `palette` as `vision` sees them."""
    return min(
        (float(deltaE(_seen(ca, vision), _seen(cb, vision), input_space="sRGB1")), a, b)
        for (a, ca), (b, cb) in itertools.combinations(palette.items(), 2)
    )


@pytest.mark.parametrize("vision", VISIONS)
def test_every_pair_of_statuses_is_distinguishable(vision):
    delta, a, b = closest_pair(STATUS_COLORS, vision)
    assert delta >= MIN_DELTA_E, f"{a} and {b} are {delta:.1f} apart for {vision or 'normal'}"


def test_the_old_okabe_ito_palette_fails_the_check():
    """The issue measured grey and purple 6.5 apart under deuteranopia."""
    delta, a, b = closest_pair(OKABE_ITO_STATUS, "deuteranomaly")
    assert delta < MIN_DELTA_E
    assert {a, b} == {"not_started", "no_lead"} and round(delta, 1) == 6.5


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21)
    assert contrast_ratio("#009E73", "#FFFFFF") == pytest.approx(3.42, abs=0.01)  # the issue's


@pytest.mark.parametrize(
    "palette", [STATUS_COLORS, REPORTING_COLORS, PRIORITY_COLORS, PROGRESS_COLORS]
)
def test_text_on_every_bar_colour_reaches_4_5(palette):
    for code, fill in palette.items():
        assert contrast_ratio(text_color(fill), fill) >= 4.5, (code, fill, text_color(fill))


@pytest.mark.parametrize(
    "fill", sorted(set(STATUS_COLORS.values()) | set(REPORTING_COLORS.values()))
)
def test_pattern_lines_never_lower_a_labels_contrast(fill):
    """Pattern lines are drawn in the colour opposite to the label's, so where the text crosses a
    line it stands out more than on the plain bar, not less."""
    text = text_color(fill)
    assert contrast_ratio(text, pattern_color(fill)) >= contrast_ratio(text, fill)


def test_stacked_bars_write_their_counts_in_the_readable_colour():
    series = [(code, STATUS_COLORS[code], [1, 2], STATUS_PATTERNS[code]) for code in STATUS_COLORS]
    fig = charts._stacked(["a", "b"], series)
    for trace, code in zip(fig.data, STATUS_COLORS, strict=True):
        fill = trace.marker.color
        assert contrast_ratio(trace.textfont.color, fill) >= 4.5
        assert [str(v) for v in trace.text] == ["1", "2"]  # the count is written in the bar
        assert (trace.marker.pattern.shape or "") == STATUS_PATTERNS[code]  # legend shows it


def test_status_is_never_told_by_colour_alone():
    for code in ("delayed", "on_hold", "no_lead", "not_started"):
        assert STATUS_PATTERNS[code], code
    assert len({p for p in STATUS_PATTERNS.values() if p}) == 4  # four different patterns
    assert set(STATUS_SYMBOLS) == set(STATUS_COLORS)
    assert len(set(STATUS_SYMBOLS.values())) == len(STATUS_SYMBOLS)
