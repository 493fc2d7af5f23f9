"""One measurement, run in its own process so its peak RSS and its imports are its own.

`python -m benchmarks.child MODE JSON-ARGS` prints one JSON object on its last stdout line. The same
functions run in-process for the smoke test (`run.py --in-process`).
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()  # before any heavy import: the cold-start step measures from here

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

from pydantic import BaseModel  # noqa: E402


def run_mode(mode: str, args: dict[str, Any], started: float | None = None) -> Any:
    """The measurement's JSON: one object, or a list of them."""
    from benchmarks import measure

    modes = {
        "headline_peer": measure.headline_peer,
        "headline_service": measure.headline_service,
        "fixed": measure.fixed,
        "e2e": measure.end_to_end,
        "memory": measure.memory,
    }
    if mode == "cold":
        out: Any = measure.cold_start(args, started if started is not None else time.perf_counter())
    else:
        out = modes[mode](args)
    if isinstance(out, list):
        return [item.model_dump(mode="json") for item in out]
    assert isinstance(out, BaseModel)
    return out.model_dump(mode="json")


def main() -> None:
    mode, raw = sys.argv[1], sys.argv[2]
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    sys.stdout.write("\n" + json.dumps(run_mode(mode, json.loads(raw), _STARTED)) + "\n")


if __name__ == "__main__":
    main()
