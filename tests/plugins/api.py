"""The API Lambda's real handler driven with API Gateway events (the files of events/), for the tests of
the API and of what is built on it: an environment with tiny models and fresh resources on the local AWS
endpoint (`api_env`), a handler with an app of its own (`new_handler`: a new one is a cold start), an
event file loaded and changed, a response's header and parsed body.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tarjama.local.functions import LambdaContext

from tests.plugins.aws import handler_env

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"


def load_event(name: str, **changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    event.update(changes)
    return event


def header(response: dict[str, Any], name: str) -> str | None:
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower():
            return str(values[0])
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower():
            return str(value)
    return None


@pytest.fixture(scope="module")
def api_env(tiny_model_dir: Path, aws_endpoint: str) -> Iterator[dict[str, str]]:
    """The handler's environment: tiny models, and a fresh table, buckets and queue on the local endpoint."""
    with handler_env("api", tiny_model_dir) as env:
        yield env


def new_handler() -> Any:
    """The real handler of functions/api/app.py, imported as the image's Command names it, with an app of
    its own (built on its first event from this module's environment): a new one is a cold start."""
    sys.path.insert(0, str(ROOT))
    return importlib.import_module("functions.api.app").make_handler()


def invoke(handler: Any, event: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    response = handler(event, LambdaContext(function_name="ApiFunction", timeout_seconds=29))
    ctype = header(response, "Content-Type") or ""
    body = response["body"]
    parsed = json.loads(body) if ctype.startswith("application/json") else body
    return response, parsed
