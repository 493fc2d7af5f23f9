"""The `tarjama` command. Each sub-command lives in `tarjama.commands.<name>` and registers itself.

Errors of the `TarjamaError` family print one clear line (or a JSON error with `--json`) and exit non-zero;
nothing prints a stack trace at a user.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence

from tarjama import __version__
from tarjama.errors import TarjamaError

# Module names under tarjama.commands; each has `register(subparsers)` that sets `func` on its parsers.
COMMANDS = ("text", "digest", "models", "store", "invoke", "serve", "bulk")

# Commands that run the Lambda handlers themselves keep the handlers' JSON logs and metric lines.
HANDLER_COMMANDS = frozenset({"serve", "invoke"})

EXIT_USER_ERROR = 2
EXIT_SERVICE_ERROR = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tarjama", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--version", action="version", version=f"tarjama {__version__}")
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="structured logs (INFO) and metric lines on stderr"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"tarjama.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in HANDLER_COMMANDS:
        return _run(args)
    from tarjama.observability import quiet_for_people

    with quiet_for_people(verbose=bool(args.verbose)):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args) or 0)
    except TarjamaError as exc:
        if getattr(args, "json", False):
            print(json.dumps({"error": exc.to_dict()}, ensure_ascii=False), file=sys.stderr)
        else:
            print(f"tarjama: error [{exc.code}]: {exc.message}", file=sys.stderr)
        return EXIT_USER_ERROR if exc.status < 500 else EXIT_SERVICE_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
