"""Backups that can be checked, and restores that refuse a damaged or altered backup.

A backup folder holds `db/` (one Parquet file per table, written from one snapshot while the app keeps
running; the same for a DuckDB file and a PostgreSQL store, so a backup also moves data between them), `files/` (the original workbooks of
every submission in that snapshot) and `manifest.json` (row counts per table, and the size and SHA-256
of every file). The manifest is written last: a folder without it is an unfinished backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import duckdb

from greengrowth import clock, store

MANIFEST = "manifest.json"
FORMAT = "greengrowth-backup/1"


class BackupError(RuntimeError):
    """A backup that cannot be made or trusted, said in Vietnamese and English."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup(out: Path, db: Path | None = None, files_root: Path | None = None) -> dict:
    """Write a backup of `db` (default $GG_DB) into the new or empty folder `out`; returns the manifest."""
    db = Path(db or store.db_path())
    url = store.postgres_url(db)
    files_root = files_root or store.files_dir(db)
    if not url and not db.exists():
        raise BackupError(f"Không có cơ sở dữ liệu / no database at {db}")
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"Thư mục {out} không trống / the folder is not empty; choose a new one")
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with store.connect(db) as con:
        counts, shas = store.export_database(con, out / "db")
    missing: list[str] = []
    for (
        sha
    ) in shas:  # originals are never changed once written, so copying after the snapshot is safe
        source = store.original_path(sha, files_root)
        if not source.is_file():
            missing.append(sha)
            continue
        target = store.original_path(sha, out / "files")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    files = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        _fsync(path)
        files[path.relative_to(out).as_posix()] = {
            "bytes": path.stat().st_size,
            "sha256": _sha256(path),
        }
    bad = [
        rel
        for rel, f in files.items()
        if rel.startswith("files/") and Path(rel).stem != f["sha256"]
    ]
    manifest = {
        "format": FORMAT,
        "created_at": clock.now().isoformat(timespec="seconds"),
        "source": re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url) if url else str(db),
        "duckdb": duckdb.__version__,
        "tables": counts,
        "submissions": counts["submission"],
        "originals": len(shas) - len(missing),
        "missing_originals": missing,
        "damaged_originals": bad,
        "files": files,
        "seconds": round(time.monotonic() - started, 3),
    }
    tmp = out / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    _fsync(tmp)
    tmp.replace(out / MANIFEST)
    _fsync(out)
    return manifest


def verify(folder: Path) -> dict:
    """The manifest of a complete, unaltered backup; BackupError naming what is wrong otherwise."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(
            f"{folder} không phải bản sao lưu hoàn chỉnh (thiếu {MANIFEST}) / "
            f"is not a complete backup ({MANIFEST} is missing)"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = manifest["files"]
        tables = manifest["tables"]
        if manifest.get("format") != FORMAT:
            raise ValueError(manifest.get("format"))
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{MANIFEST} hỏng / is damaged ({exc})") from exc
    problems = []
    for rel, expected in files.items():
        file = folder / rel
        if not file.is_file():
            problems.append(f"thiếu / missing: {rel}")
        elif file.stat().st_size != expected["bytes"] or _sha256(file) != expected["sha256"]:
            problems.append(f"đã bị thay đổi / altered: {rel}")
    present = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST
    }
    problems += [
        f"không có trong {MANIFEST} / not in the manifest: {rel}"
        for rel in sorted(present - set(files))
    ]
    if set(tables) != set(store.BACKUP_TABLES):
        problems.append(f"danh sách bảng khác / other tables: {sorted(tables)}")
    if problems:
        raise BackupError(
            "Bản sao lưu không khớp với manifest, không khôi phục / the backup does not match its "
            "manifest; nothing restored:\n  " + "\n  ".join(problems)
        )
    return manifest


def restore(folder: Path, db: Path | str, files_root: Path | None = None) -> dict:
    """Check the backup, then load it into a new database file or an empty PostgreSQL store."""
    manifest = verify(folder)
    url = store.postgres_url(db)
    if not url and Path(db).exists():
        raise BackupError(f"{db} đã có / already exists; restore into a new file")
    files_root = files_root or store.files_dir(db if url else Path(db))
    if url:
        work = None
    else:
        db = Path(db)
        db.parent.mkdir(parents=True, exist_ok=True)
        work = db.with_name(db.name + ".restoring")
        for leftover in (work, Path(str(work) + ".wal")):
            leftover.unlink(missing_ok=True)
    try:
        try:
            counts = store.import_database(url or work, folder / "db")
        except store.StoreError as exc:
            raise BackupError(str(exc)) from exc
        if counts != manifest["tables"]:
            differ = {
                t: (manifest["tables"].get(t), n)
                for t, n in counts.items()
                if manifest["tables"].get(t) != n
            }
            raise BackupError(
                f"Số dòng sau khi khôi phục khác manifest / row counts differ: {differ}"
            )
        for rel in manifest["files"]:
            if rel.startswith("files/"):
                sha = Path(rel).stem
                if not store.original_path(sha, files_root).is_file():
                    store.save_original((folder / rel).read_bytes(), sha, files_root=files_root)
        if work is not None:
            work.replace(db)
    finally:
        if work is not None:
            for leftover in (work, Path(str(work) + ".wal")):
                leftover.unlink(missing_ok=True)
    return manifest
