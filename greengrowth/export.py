"""Charts as images for slides and reports (Kaleido, rendering through the system's Chromium)."""

from __future__ import annotations

import os
import shutil

import plotly.graph_objects as go

EXPORT_WIDTH, EXPORT_HEIGHT_DEFAULT, EXPORT_SCALE = 1200, 600, 2


def _point_kaleido_at_chromium() -> None:
    # Kaleido 1.x drives a Chrome it finds on the machine; Debian's is /usr/bin/chromium.
    if not os.environ.get("BROWSER_PATH"):
        found = shutil.which("chromium") or shutil.which("chromium-browser")
        if found:
            os.environ["BROWSER_PATH"] = found


def figure_png(fig: go.Figure, width: int = EXPORT_WIDTH, scale: int = EXPORT_SCALE) -> bytes:
    """A PNG of the figure at slide size; the height is the figure's own (it depends on labels)."""
    _point_kaleido_at_chromium()
    height = fig.layout.height or EXPORT_HEIGHT_DEFAULT
    return fig.to_image(format="png", width=width, height=height, scale=scale)
