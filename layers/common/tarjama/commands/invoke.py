"""`tarjama invoke <LogicalId> --event FILE [--env-vars FILE] [--region R]`: `sam local invoke`, in-process.

The function's handler and environment come from template.yaml (see `tarjama.local.functions`); the
handler runs in this process with the event and a Lambda-like context, in the environment the Lambda
runtime would give it (region, function name, memory size, version, log group: `--region` or the shell's,
else us-east-1, as SAM does), applied for the invocation only. The response is printed as JSON on
stdout, logs go to stderr. No Docker, so nothing of the image is reproduced but the code: the models come
from TARJAMA_MODEL_DIR as set by the template or the `--env-vars` file.
"""

from __future__ import annotations

import argparse
import contextlib
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
    parser.add_argument(
        "--region", default=None, help="AWS_REGION for the function (default: the shell's, else us-east-1)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tarjama.local.account import region
    from tarjama.local.endpoint import scoped_environ
    from tarjama.local.functions import load_function
    from tarjama.local.template import TemplateError

    try:
        spec = load_function(args.function, template=args.template, env_vars=args.env_vars)
        text = sys.stdin.read() if str(args.event) == "-" else args.event.read_text(encoding="utf-8")
        event = json.loads(text)
    except (TemplateError, OSError, ValueError) as exc:
        print(f"tarjama invoke: {exc}", file=sys.stderr)
        return 2
    if spec.unresolved:
        print(
            f"tarjama invoke: left unset (not resolvable locally; give them with --env-vars): "
            f"{', '.join(spec.unresolved)}",
            file=sys.stderr,
        )
    # The runtime's reserved variables win over the function's own, as in Lambda. No X-Ray daemon here:
    # tracing is off unless the shell or the --env-vars file says otherwise.
    environment = {
        "POWERTOOLS_TRACE_DISABLED": os.environ.get("POWERTOOLS_TRACE_DISABLED", "true"),
        **spec.environment,
        **spec.runtime_environment(args.region or region()),
    }
    # In Lambda the function's stdout is its log stream; here, as with `sam local invoke`, the function's
    # output (logs, EMF metrics) goes to stderr and stdout carries the response only.
    with scoped_environ(environment), contextlib.redirect_stdout(sys.stderr):
        handler = spec.load_handler()
        response = handler(event, spec.context())
    print(json.dumps(response, ensure_ascii=False, indent=2))
    return 0
