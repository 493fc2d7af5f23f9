"""`tarjama invoke <LogicalId> --event FILE [--env-vars FILE]`: what `sam local invoke` does, in-process.

The function's handler and environment come from template.yaml (see `tarjama.local`); the handler runs in
this process with the event and a Lambda-like context; the response is printed as JSON on stdout, logs go
to stderr. No Docker, so nothing of the image is reproduced but the code: the models come from
TARJAMA_MODEL_DIR as set by the template or the `--env-vars` file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "invoke",
        help="invoke a function of template.yaml in-process with an event (like `sam local invoke`)",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("function", metavar="LogicalId", help="e.g. ApiFunction, WorkerFunction")
    parser.add_argument("--event", "-e", type=Path, required=True, help="event JSON file ('-' = stdin)")
    parser.add_argument("--env-vars", "-n", type=Path, default=None, help="SAM-style environment file")
    parser.add_argument("--template", "-t", type=Path, default=None, help="default: nearest template.yaml")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tarjama.local import TemplateError, load_function

    try:
        spec = load_function(args.function, template=args.template, env_vars=args.env_vars)
        text = sys.stdin.read() if str(args.event) == "-" else args.event.read_text(encoding="utf-8")
        event = json.loads(text)
    except (TemplateError, OSError, ValueError) as exc:
        print(f"tarjama invoke: {exc}", file=sys.stderr)
        return 2
    os.environ.update(spec.environment)
    if spec.unresolved:
        print(
            f"tarjama invoke: left unset (not resolvable locally; give them with --env-vars): "
            f"{', '.join(spec.unresolved)}",
            file=sys.stderr,
        )
    from tarjama.config import get_settings

    get_settings.cache_clear()
    handler = spec.load_handler()
    response = handler(event, spec.context())
    print(json.dumps(response, ensure_ascii=False, indent=2))
    return 0
