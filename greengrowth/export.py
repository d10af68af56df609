"""Charts as images for slides and reports (Kaleido, rendering through the system's Chromium).

Starting Chromium costs about 1.5-3 s, drawing one chart about 0.2 s. So each process keeps ONE
warm Kaleido (`kaleido.start_sync_server()`), started on the first image and used by the pages'
PNG buttons, the slide deck and the Word report alike. Kaleido's sync server is a single queue with one shared answer slot, so calls are serialised
here (Streamlit serves sessions in threads). If its Chromium dies, the next call starts a new one.
`bench/bench_export.py` measures the first image, the next ones and a whole deck against the cold
path (a new Chromium per image) in the same run.
"""

from __future__ import annotations

import os
import shutil
import threading

import kaleido
import plotly.graph_objects as go

EXPORT_WIDTH, EXPORT_HEIGHT_DEFAULT, EXPORT_SCALE = 1200, 600, 2

_LOCK = threading.RLock()


def _point_kaleido_at_chromium() -> None:
    # Kaleido 1.x drives a Chrome it finds on the machine; Debian's is /usr/bin/chromium.
    if not os.environ.get("BROWSER_PATH"):
        found = shutil.which("chromium") or shutil.which("chromium-browser")
        if found:
            os.environ["BROWSER_PATH"] = found


def _server_alive() -> bool:
    # Kaleido keeps its server in a module-level singleton; a thread that died (Chromium crashed)
    # would leave is_running() True and the next call waiting forever, so look at the thread too.
    server = getattr(kaleido, "_global_server", None)
    thread = getattr(server, "_thread", None)
    return bool(server is not None and server.is_running() and thread and thread.is_alive())


def start_renderer() -> None:
    """Start this process's warm Kaleido (idempotent); restart it if its Chromium died."""
    with _LOCK:
        if _server_alive():
            return
        _point_kaleido_at_chromium()
        kaleido.stop_sync_server(silence_warnings=True)
        kaleido.start_sync_server(silence_warnings=True)


def stop_renderer() -> None:
    """Stop the warm Kaleido (tests and benchmarks; the process exit does it otherwise)."""
    with _LOCK:
        kaleido.stop_sync_server(silence_warnings=True)


def renderer_running() -> bool:
    return _server_alive()


def figure_png(
    fig: go.Figure,
    width: int = EXPORT_WIDTH,
    scale: int = EXPORT_SCALE,
    height: int | None = None,
) -> bytes:
    """A PNG of the figure at slide size; the height is the figure's own (it depends on labels)."""
    height = height or fig.layout.height or EXPORT_HEIGHT_DEFAULT
    opts = {"format": "png", "width": width, "height": height, "scale": scale}
    spec = fig.to_dict()
    with _LOCK:
        start_renderer()
        try:
            return kaleido.calc_fig_sync(spec, opts=opts)
        except Exception:  # a broken renderer: one retry on a fresh Chromium, then give up
            stop_renderer()
            start_renderer()
            return kaleido.calc_fig_sync(spec, opts=opts)


def figure_png_cold(fig: go.Figure, width: int = EXPORT_WIDTH, scale: int = EXPORT_SCALE) -> bytes:
    """The old path, a new Chromium for this one image: only the benchmark's baseline uses it."""
    _point_kaleido_at_chromium()
    height = fig.layout.height or EXPORT_HEIGHT_DEFAULT
    opts = {"format": "png", "width": width, "height": height, "scale": scale}
    run_once = kaleido._sync_server.oneshot_async_run  # noqa: SLF001  (what calc_fig_sync does cold)
    return run_once(kaleido.calc_fig, args=(fig.to_dict(), opts), kwargs={})
