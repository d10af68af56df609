"""Rebuild a database from the original workbooks it keeps (after a schema change or a lost file).

Every submission's bytes are stored by SHA-256; replaying them in their original order through the same
ingest path, with the same uploader, time and withdrawals, reproduces the data. Only the submission
list (who, when, which file) is read from the old database.
"""

from __future__ import annotations

from pathlib import Path

from greengrowth import queries, store
from loaders.demo import load_all_catalogs
from loaders.ingest import ingest_bytes, withdraw


def rebuild(source: Path, target: Path, files: Path | None = None) -> dict[str, int]:
    """Write a new database at `target` from `source`'s submission list and the stored originals."""
    if target.exists():
        raise FileExistsError(target)
    files = files or store.files_dir(source)
    with store.connect(source) as con:
        frame = queries.run(con, "rebuild_order")
        frame = frame.astype(object).where(frame.notna(), None)  # NaN/NaT/NA -> None
        submissions = list(frame.itertuples(index=False, name=None))
        notes = queries.run(con, "quality_all_explanations")  # kept with their submissions
        explained = dict(zip(notes["submission_id"], notes["explanation"], strict=True))
    new_id: dict[int, int] = {}
    replayed = withdrawn = 0
    with store.connect(target) as con:
        load_all_catalogs(con)
        for old_id, name, sha, by, at, derived, status, w_by, w_at, reason in submissions:
            data = store.read_original(sha, files_root=files)
            result = ingest_bytes(
                con, data, name, by, now=at, derived_from=new_id.get(derived) if derived else None,
                explanation=explained.get(old_id),
            )  # fmt: skip
            if result.outcome != "accepted":
                raise RuntimeError(
                    f"submission {old_id} ({name}) no longer ingests: "
                    f"{[p.code for p in result.problems]}"
                )
            new_id[old_id] = result.submission_id
            replayed += 1
            if status == "withdrawn":
                withdraw(con, result.submission_id, w_by, reason, now=w_at)
                withdrawn += 1
        decisions = _copy_cycle(source, con, new_id)  # the reporting cycle (issue #9)
    return {"submissions": replayed, "withdrawn": withdrawn, "decisions": decisions}


def _copy_cycle(source: Path, con, new_id: dict[int, int]) -> int:
    """DPI's decisions (on the replayed submissions' new ids) and the sign-in log, in their order;
    the report states come out as they were, since a state follows the newest decision."""
    with store.connect(source, read_only=True) as old:
        decisions = queries.run(old, "rebuild_decisions")
        signins = queries.run(old, "rebuild_signins")
    with store.transaction(con):
        for d in decisions.astype(object).where(decisions.notna(), None).itertuples(index=False):
            key = (d.plan_id, d.department_code, int(d.period))
            store.record_decision(con, key, new_id[int(d.submission_id)], d.decision,
                                  d.decided_at, d.decided_by, d.comment)  # fmt: skip
    for s in signins.itertuples(index=False):
        store.record_signin(con, s.username, s.outcome, s.event_at)
    return len(decisions)
