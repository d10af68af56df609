"""Other sessions keep being served while a hostile upload is read (issue 16).

Streamlit serves every browser session from threads of one process. Before the worker, the reader held
the global lock for 29 s on one file; now the reading thread only waits on a pipe.
"""

from __future__ import annotations

import threading
import time

import pytest

from loaders.ingest import ingest_bytes
from tests.hostile import HOSTILE

WORST = ["single-quotes-GR1048576", "cells-at-A1", "XFD1048576"]


@pytest.mark.parametrize("name", WORST)
def test_another_thread_is_never_paused_while_the_worst_file_is_read(catalog_con, name):
    data = HOSTILE[name][0]()
    gaps: list[float] = []
    done = threading.Event()

    def other_session() -> None:  # what a leader's page does meanwhile: short steps, all the time
        last = time.perf_counter()
        while not done.is_set():
            sum(range(2_000))
            time.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    loop = threading.Thread(target=other_session)
    loop.start()
    try:
        time.sleep(0.1)
        result = ingest_bytes(catalog_con, data, f"{name}.xlsx", "t")
    finally:
        done.set()
        loop.join()
    assert result.outcome == "rejected"
    assert len(gaps) > 10
    assert max(gaps) < 0.5, f"the other thread was paused for {max(gaps):.2f} s"
