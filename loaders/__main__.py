"""Command line: python -m loaders template | ingest | withdraw | demo | catalog | rebuild | backup |
restore | briefing | report.

Writes (ingest, withdraw) go through the analyst service as an explicit actor:
  --as USER    act as the analyst account USER from the accounts file (--accounts, else $GG_SECRETS,
               else .streamlit/secrets.toml), with exactly that account's rights;
  (default)    the local operator: whoever can run this command already holds the database file, so
               the CLI acts as an admin account named after $GG_USER or the OS user (--user NAME
               overrides the name recorded).

Exit codes: 0 accepted (or would be, with --dry-run), 1 rejected or refused, 2 usage error,
3 not stored because the report has data-quality warnings and no --accept-warnings "reason".
`check --plan P [--period Y]` runs every data-quality rule over what is stored (exit 0).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
import tomllib
from pathlib import Path

from greengrowth import catalog as catalog_mod
from greengrowth import queries, store
from greengrowth.auth import Account, AccountError, load_accounts
from greengrowth.i18n import t
from greengrowth.quality import check_store
from loaders import briefing_cli, quality_check, service
from loaders.demo import build_demo, load_all_catalogs
from loaders.errors import ServiceError
from loaders.ingest import IngestResult
from loaders.rebuild import rebuild
from loaders.template import TemplateError, build_template

DEFAULT_PLAN = "binh-duong-2018-2020"
ROOT = Path(__file__).resolve().parent.parent


def accounts_file(given: Path | None) -> Path:
    """Where the analyst accounts are: --accounts, else $GG_SECRETS, else the app's secrets file."""
    if given is not None:
        return given
    if os.environ.get("GG_SECRETS"):
        return Path(os.environ["GG_SECRETS"])
    return ROOT / ".streamlit" / "secrets.toml"


def actor(args: argparse.Namespace) -> Account:
    """The account the command acts as (see the module docstring); raises ServiceError."""
    if args.as_user is None:
        name = args.user or os.environ.get("GG_USER") or getpass.getuser()
        return Account(username=name, name=name, role="admin", departments=("*",))
    path = accounts_file(args.accounts)
    try:
        known = load_accounts(tomllib.loads(path.read_text("utf-8")).get("analysts"))
    except (OSError, tomllib.TOMLDecodeError, AccountError) as exc:
        raise ServiceError("unknown_account", user=args.as_user, file=f"{path} ({exc})") from exc
    account = known.get(args.as_user.strip().casefold())
    if account is None:
        raise ServiceError("unknown_account", user=args.as_user, file=str(path))
    return account


def _actor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as", dest="as_user", metavar="USER", help="act as this analyst account (its rights)"
    )
    parser.add_argument("--accounts", type=Path, help="accounts file (TOML with [analysts.*])")
    parser.add_argument("--user", help="name recorded for the local operator (without --as)")


def _refused(exc: ServiceError, what: str) -> None:
    print(f"✗ {what}: {exc.message('vi')} / {exc.message('en')}")


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


# ---- the reporting cycle (issue #9): approve, return, reopen through the service ----------------------
_DECISIONS = {"approve": service.approve, "return": service.return_report, "reopen": service.reopen}


def _review_parser(sub) -> None:
    rev = sub.add_parser("review", help="approve, return (comment) or reopen (reason) a report")
    rev.add_argument("decision", choices=list(_DECISIONS))
    rev.add_argument("submission_id", type=int, help="the report's current submission")
    rev.add_argument("--comment", default="", help="required to return or reopen")
    _actor_options(rev)


def _review(args: argparse.Namespace) -> int:
    """Exit 0 decided, 1 refused by the service, 2 unknown account."""
    try:
        account = actor(args)
    except ServiceError as exc:
        print(exc.message("vi"), "/", exc.message("en"), file=sys.stderr)
        return 2
    try:
        with store.connect() as con:
            _DECISIONS[args.decision](con, account, args.submission_id, args.comment)
    except ServiceError as exc:
        _refused(exc, f"#{args.submission_id}")
        return 1
    print(f"✓ {args.decision} #{args.submission_id}")
    return 0


# ---- data quality (issue 14): warnings in `ingest`, and the `check` command ---------------------


def _print_warnings(result: IngestResult) -> None:
    """The report's data-quality warnings; when it was not stored for them, how to store it."""
    if not result.warnings:
        return
    n = len(result.warnings)
    print(f"  {n} cảnh báo chất lượng dữ liệu / data-quality warnings:")
    for w in result.warnings:
        for line in quality_check.warning_lines(w):
            print(line)
    if result.outcome == "needs_explanation":
        print(f"✗ {result.file_name}: {t('quality.needs_explanation', 'vi', n=n)}")
        print(f"  ({t('quality.needs_explanation', 'en', n=n)})")
        print('  → python -m loaders ingest FILE --accept-warnings "lý do / reason"')
    elif result.outcome == "accepted":
        print(f"  {t('quality.explained', 'vi')} / {t('quality.explained', 'en')}")


def _quality_parser(sub: argparse._SubParsersAction) -> None:
    chk = sub.add_parser("check", help="run every data-quality rule over the stored data")
    chk.add_argument("--plan", default=DEFAULT_PLAN)
    chk.add_argument("--period", type=int, default=None)


def _run_quality_check(args: argparse.Namespace) -> int:
    """Every rule over what is stored, as a table (for rules added after the data arrived)."""
    rules = quality_check.rules_for(args.plan)
    if rules is None:
        print(f"Không có kế hoạch / no such plan: {args.plan}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with store.connect(read_only=True) as con:
        found = check_store(con, rules, period=args.period)
        explained = queries.run(con, "quality_explanations", plan=args.plan)
    seconds = time.perf_counter() - started
    print(quality_check.check_table(found, explained))
    print(
        f"{len(found)} cảnh báo / warnings, {len(rules.builtins) + len(rules.relations)} "
        f"quy tắc / rules, {seconds:.2f} s"
    )
    return 0


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
    ing.add_argument(
        "--accept-warnings",
        metavar="REASON",
        default=None,
        help="store a report that has data-quality warnings, with this explanation",
    )
    _actor_options(ing)
    wd = sub.add_parser("withdraw", help="withdraw a submission (recorded with the reason)")
    wd.add_argument("submission_id", type=int)
    wd.add_argument("--reason", required=True)
    _actor_options(wd)
    demo = sub.add_parser("demo", help="build the database with illustrative sample data")
    demo.add_argument(
        "--workbooks",
        type=Path,
        default=None,
        help="also keep the generated sample workbooks in this folder",
    )
    demo.add_argument("--force", action="store_true", help="replace an existing database")
    _review_parser(sub)  # the reporting cycle (issue #9)
    sub.add_parser("catalog", help="(re)load the plan catalogs from data/plan/")
    _quality_parser(sub)
    reb = sub.add_parser("rebuild", help="rebuild a database from the stored original workbooks")
    reb.add_argument("-o", "--output", required=True, type=Path, help="the new database file")
    briefing_cli.add_parsers(sub)  # briefing | report (greengrowth.briefing)
    _add_backup_commands(sub)
    args = parser.parse_args(argv)
    if args.command in briefing_cli.COMMANDS:
        return briefing_cli.run(args)
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
        try:
            account = actor(args)
        except ServiceError as exc:
            print(exc.message("vi"), "/", exc.message("en"), file=sys.stderr)
            return 2
        rejected = unexplained = False
        with store.connect() as con:
            if not store.plan_ids(con):
                load_all_catalogs(con)
            for path in args.files:
                try:
                    if args.dry_run:
                        result = service.check(con, account, path.read_bytes(), path.name)
                    else:
                        result = service.commit(
                            con,
                            account,
                            path.read_bytes(),
                            path.name,
                            explanation=args.accept_warnings,
                        )
                except ServiceError as exc:
                    _refused(exc, path.name)
                    rejected = True
                    continue
                _print_result(result, args.dry_run)
                _print_warnings(result)
                unexplained |= result.outcome == "needs_explanation"
                rejected |= not result.ok and result.outcome != "needs_explanation"
        return 1 if rejected else 3 if unexplained else 0
    if args.command == "withdraw":
        try:
            account = actor(args)
        except ServiceError as exc:
            print(exc.message("vi"), "/", exc.message("en"), file=sys.stderr)
            return 2
        try:
            with store.connect() as con:
                current = service.withdraw(con, account, args.submission_id, args.reason)
        except ServiceError as exc:
            _refused(exc, f"#{args.submission_id}")
            return 1
        follow = (
            "không còn lần nộp hiện hành / none is current"
            if current is None
            else (f"lần nộp hiện hành / now current: {current}")
        )
        print(f"✓ đã rút lần nộp số {args.submission_id} / withdrawn; {follow}")
        return 0
    if args.command == "review":
        return _review(args)
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
    if args.command == "check":
        return _run_quality_check(args)
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
