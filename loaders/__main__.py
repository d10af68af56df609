"""Command line: python -m loaders template | ingest | demo | catalog | rebuild | backup | restore.

Exit codes: 0 accepted (or would be, with --dry-run), 1 rejected, 2 usage error.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from greengrowth import catalog as catalog_mod
from greengrowth import store
from loaders.demo import build_demo, load_all_catalogs
from loaders.ingest import IngestResult, ingest_bytes
from loaders.rebuild import rebuild
from loaders.template import TemplateError, build_template

DEFAULT_PLAN = "binh-duong-2018-2020"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 already; keep the message bilingual
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi cú pháp / usage error: {message}\n")


def _print_result(result: IngestResult, dry_run: bool) -> None:
    name = result.file_name
    if result.outcome == "duplicate":
        print(f"= {name}: {result.problems[0].message_vi} / {result.problems[0].message_en}")
        return
    if result.problems:
        print(
            f"✗ {name}: bị từ chối, {len(result.problems)} lỗi / rejected, "
            f"{len(result.problems)} problems; không lưu gì / nothing stored"
        )
        for p in result.problems:
            where = p.location() or "-"
            value = f" giá trị/value '{p.value}'" if p.value else ""
            print(f"  - {where}{value}: {p.message_vi} Cách sửa: {p.hint_vi}")
            print(f"    ({p.message_en} Fix: {p.hint_en})")
        return
    p = result.parsed
    counts = result.counts()
    verb = (
        "sẽ được chấp nhận (chạy thử) / would be accepted (dry run)"
        if dry_run
        else (
            f"đã lưu, lần nộp số {result.submission_id} / stored as submission {result.submission_id}"
        )
    )
    print(f"✓ {name}: {verb}")
    print(
        f"  {p.department_code} kỳ {p.period}: {counts['activities']} hoạt động/activities, "
        f"{counts['tasks']} nhiệm vụ/tasks, {counts['indicators']} giá trị chỉ tiêu/indicator values"
    )
    if result.replaces:
        print(f"  thay cho lần nộp số {result.replaces} / supersedes submission {result.replaces}")
    print(f"  {len(result.changes)} thay đổi / changes against current data:")
    for change in result.changes:
        print(f"    {change.text_vi}")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m loaders", description="Green Growth Tracker loaders")
    sub = parser.add_subparsers(dest="command", required=True)
    tpl = sub.add_parser("template", help="write a prefilled template workbook")
    tpl.add_argument("--plan", default=DEFAULT_PLAN)
    tpl.add_argument("--department", required=True)
    tpl.add_argument("--period", required=True, type=int)
    tpl.add_argument("-o", "--output", required=True, type=Path)
    ing = sub.add_parser("ingest", help="validate and store workbooks")
    ing.add_argument("files", nargs="+", type=Path)
    ing.add_argument("--dry-run", action="store_true")
    ing.add_argument("--user", default=os.environ.get("GG_USER") or getpass.getuser())
    demo = sub.add_parser("demo", help="build the database with illustrative sample data")
    demo.add_argument(
        "--workbooks",
        type=Path,
        default=None,
        help="also keep the generated sample workbooks in this folder",
    )
    demo.add_argument("--force", action="store_true", help="replace an existing database")
    sub.add_parser("catalog", help="(re)load the plan catalogs from data/plan/")
    reb = sub.add_parser("rebuild", help="rebuild a database from the stored original workbooks")
    reb.add_argument("-o", "--output", required=True, type=Path, help="the new database file")
    _add_backup_commands(sub)
    args = parser.parse_args(argv)
    if args.command in {"backup", "restore"}:
        return _backup_command(args)

    if args.command == "template":
        with store.connect() as con:
            load_all_catalogs(con)
            try:
                data = build_template(con, args.plan, args.department.upper(), args.period)
            except TemplateError as exc:
                print(exc, file=sys.stderr)
                return 2
        args.output.write_bytes(data)
        print(f"Đã ghi mẫu / template written: {args.output}")
        return 0
    if args.command == "ingest":
        missing = [f for f in args.files if not f.is_file()]
        if missing:
            print(
                f"Không tìm thấy tệp / file not found: {', '.join(map(str, missing))}",
                file=sys.stderr,
            )
            return 2
        rejected = False
        with store.connect() as con:
            if not store.plan_ids(con):
                load_all_catalogs(con)
            for path in args.files:
                result = ingest_bytes(
                    con, path.read_bytes(), path.name, args.user, dry_run=args.dry_run
                )
                _print_result(result, args.dry_run)
                rejected |= not result.ok
        return 1 if rejected else 0
    if args.command == "demo":
        path = store.db_path()
        if path.exists():
            if not args.force:
                print(
                    f"{path} đã có / exists; dùng --force để tạo lại / use --force to rebuild",
                    file=sys.stderr,
                )
                return 2
            path.unlink()
            Path(str(path) + ".wal").unlink(missing_ok=True)
        counts = build_demo(path, workbook_dir=args.workbooks)
        print(
            f"Đã tạo CSDL minh họa / demo database built: {path} "
            f"({counts['submissions']} lần nộp minh họa / illustrative submissions)"
        )
        return 0
    if args.command == "catalog":
        with store.connect() as con:
            for plan_id in load_all_catalogs(con):
                print(f"Đã nạp kế hoạch / catalog loaded: {plan_id}")
        return 0
    if args.command == "rebuild":
        if args.output.exists():
            print(f"{args.output} đã có / exists", file=sys.stderr)
            return 2
        counts = rebuild(store.db_path(), args.output)
        print(
            f"Đã dựng lại / rebuilt {args.output}: {counts['submissions']} lần nộp / submissions, "
            f"{counts['withdrawn']} đã rút / withdrawn"
        )
        return 0
    return 2


# ----- backup / restore (loaders/backup.py) ---------------------------------------------------------


def _add_backup_commands(sub) -> None:
    bak = sub.add_parser("backup", help="write a checked backup (database export + originals)")
    bak.add_argument("-o", "--output", required=True, type=Path, help="a new or empty folder")
    res = sub.add_parser("restore", help="check a backup and restore it into a new database")
    res.add_argument("folder", type=Path)
    res.add_argument("--db", required=True, type=Path, help="the new database file")
    res.add_argument("--files", type=Path, default=None, help="originals folder (default: beside)")


def _backup_command(args) -> int:
    from loaders.backup import BackupError, backup, restore

    try:
        if args.command == "backup":
            m = backup(args.output)
            size = sum(f["bytes"] for f in m["files"].values())
            print(
                f"Đã sao lưu / backed up {m['submissions']} lần nộp / submissions, "
                f"{m['originals']} tệp gốc / originals, {size / 1024 / 1024:.1f} MB "
                f"in {m['seconds']:.1f} s -> {args.output}"
            )
            for sha in m["missing_originals"]:
                print(f"  ! thiếu tệp gốc / original missing: {sha}", file=sys.stderr)
            return 0
        m = restore(args.folder, args.db, args.files)
        print(
            f"Đã khôi phục / restored {m['submissions']} lần nộp / submissions "
            f"(sao lưu lúc / backup of {m['created_at']}) -> {args.db}"
        )
        return 0
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (catalog_mod.CatalogError, store.StoreError) as exc:
        print(exc, file=sys.stderr)
        sys.exit(2)
