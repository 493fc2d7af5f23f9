"""`tarjama bulk FILE [--out DIR]`: a bulk file through the same split -> queue -> worker path as in AWS.

Runs on the configured endpoint (`AWS_ENDPOINT_URL`) or on a moto server started for the run, shows a
progress bar on stderr, and writes `results.jsonl` and `report.json` to DIR. The exit code is 0 when every
article succeeded and 1 when some failed (the report says which and why).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tarjama.config import MODEL_TYPES, Settings
from tarjama.errors import InvalidInputError


def cmd_bulk(args: argparse.Namespace) -> int:
    from tarjama.local.bulk import run_local

    path = Path(args.file)
    if not path.is_file():
        raise InvalidInputError(f"No such file: {args.file}")
    settings = Settings.from_env()
    if args.model_type:  # the tier of every line that does not choose its own (`options.model_type`)
        settings = settings.model_copy(update={"model_type": args.model_type})
    from tarjama.commands.glossary_arg import load

    glossary = load(args.glossary)  # for the lines that name no stored glossary (`options.glossary`)
    run = run_local(
        path,
        Path(args.out),
        settings=settings,
        progress=None if args.quiet else sys.stderr,
        glossary=glossary,
    )
    report = run.report
    summary = {
        "job": run.job_id,
        "total": report["total"],
        "succeeded": report["succeeded"],
        "failed": report["failed"],
        "results": str(run.results_path),
        "report": str(run.report_path),
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(
            f"{report['succeeded']} of {report['total']} articles digested, {report['failed']} failed; "
            f"results in {run.results_path}, report in {run.report_path}"
        )
        for err in report["errors"][:10]:
            print(f"  line {err['line']} id={err['id']}: [{err['code']}] {err['reason']}")
        if len(report["errors"]) > 10:
            print(f"  ... {len(report['errors']) - 10} more in {run.report_path}")
    return 0 if report["failed"] == 0 else 1


def register(sub: Any) -> None:
    p = sub.add_parser(
        "bulk",
        help="digest a bulk file (.jsonl, .jsonl.gz, .zip, .txt, .html) through the local queue",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", help="the bulk file")
    p.add_argument("--out", default="bulk-out", help="directory for results.jsonl and report.json")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--verbose", "-v", action="store_true", default=argparse.SUPPRESS,
        help="structured logs (INFO) and metric lines on stderr",
    )  # fmt: skip
    p.add_argument(
        "--model-type",
        choices=MODEL_TYPES,
        help="model tier of the lines without options.model_type (default: TARJAMA_MODEL_TYPE)",
    )
    from tarjama.commands.glossary_arg import add_argument

    add_argument(p)
    p.set_defaults(func=cmd_bulk)
