"""`python -m loaders briefing|report`: the deck and the annual report from the command line.

The same builders as the overview's buttons (greengrowth.briefing), on the store GG_DB points at.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from greengrowth import store
from greengrowth.briefing.deck import build_deck
from greengrowth.briefing.report_docx import build_report
from greengrowth.briefing.report_xlsx import build_workbook

COMMANDS = ("briefing", "report")
DEFAULT_PLAN = "binh-duong-2018-2020"


def add_parsers(sub: argparse._SubParsersAction) -> None:
    deck = sub.add_parser("briefing", help="write the slide deck (.pptx) for one plan year")
    report = sub.add_parser("report", help="write the annual report (.docx draft or .xlsx)")
    for parser in (deck, report):
        parser.add_argument("--plan", default=DEFAULT_PLAN)
        parser.add_argument("--period", required=True, type=int)
        parser.add_argument("--lang", choices=["vi", "en"], default="vi")
        parser.add_argument("-o", "--output", required=True, type=Path)
    report.add_argument("--format", choices=["docx", "xlsx"], required=True)


def run(args: argparse.Namespace) -> int:
    """Write the file; 2 with a message for an unknown plan or a period outside the plan."""
    if args.command == "briefing":
        build, what = build_deck, "bộ slide / slide deck"
    elif args.format == "docx":
        build, what = build_report, "dự thảo báo cáo / report draft"
    else:
        build, what = build_workbook, "bảng tổng hợp / consolidation workbook"
    with store.connect() as con:  # not read-only: an older store gets the new catalog columns
        try:
            data = build(con, args.plan, args.period, args.lang)
        except ValueError as exc:
            print(f"Không lập được / cannot build: {exc}", file=sys.stderr)
            return 2
    args.output.write_bytes(data)
    print(f"Đã ghi {what} written: {args.output}")
    return 0
