"""A process for tests/test_concurrency.py: an app worker uploading, or a reader loading pages.

    python -m tests.concurrency_worker web FILE...    two "sessions" upload at once, another reads
    python -m tests.concurrency_worker read STOPFILE  read until STOPFILE exists

Prints one JSON line with what it did. Uses the app's own calls: store.connect() then ingest_bytes
(pages/upload.py commit) and named queries (pages through ui.data).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

from greengrowth import queries, store
from loaders.ingest import ingest_bytes

WHOLE = """
SELECT s.submission_id,
       s.n_activity_rows = (SELECT count(*) FROM activity_report r
                            WHERE r.submission_id = s.submission_id)
   AND s.n_task_rows = (SELECT count(*) FROM priority_task_report r
                        WHERE r.submission_id = s.submission_id)
   AND s.n_indicator_rows = (SELECT count(*) FROM indicator_value r
                             WHERE r.submission_id = s.submission_id)
   AND EXISTS (SELECT 1 FROM submission_event e WHERE e.submission_id = s.submission_id)
FROM submission s
"""


def read_loop(stop, out: dict) -> None:
    """Load 'pages' until stop() is true: every view, plus a check that each submission is whole."""
    while not stop():
        try:
            with store.connect() as con:
                rows = con.execute(WHOLE).fetchall()
                for view in store.DOCUMENTED_VIEWS:
                    con.execute(f"SELECT count(*) FROM {view}").fetchall()  # noqa: S608
                queries.run(con, "rebuild_order")  # the history page's list, by name
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            out["errors"].append(f"{type(exc).__name__}: {exc}"[:300])
            continue
        out["reads"] += 1
        out["half"] += sum(1 for _, ok in rows if not ok)
        out["max_seen"] = max(out["max_seen"], len(rows))
        time.sleep(0.01)


def main() -> int:
    mode, *args = sys.argv[1:]
    out: dict = {"mode": mode, "reads": 0, "half": 0, "max_seen": 0, "errors": [], "stored": []}
    if mode == "read":
        stop_file = Path(args[0])
        read_loop(stop_file.exists, out)
    else:
        done = threading.Event()
        reader = threading.Thread(target=read_loop, args=(done.is_set, out))
        reader.start()

        def upload(path: Path) -> None:
            try:
                with store.connect() as con:
                    result = ingest_bytes(con, path.read_bytes(), path.name, "web")
                out["stored"].append([path.name, result.outcome, result.submission_id])
            except Exception as exc:  # noqa: BLE001
                out["errors"].append(f"{path.name}: {type(exc).__name__}: {exc}"[:300])

        uploads = [threading.Thread(target=upload, args=(Path(p),)) for p in args]
        for t in uploads:
            t.start()
        for t in uploads:
            t.join()
        done.set()
        reader.join()
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
