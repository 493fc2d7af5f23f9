"""Fixtures of the reliability suite, and the hook that writes docs/reliability.md after a full run.

- `recorder`: where each test puts its figures (`tests.reliability.results`).
- `api`: the real API handler (functions/api/app.py) with tiny models and a fresh table, buckets and queue
  on the local AWS endpoint, driven with the REST proxy events `tarjama serve` builds from HTTP requests.
- `served`: one `tarjama serve` subprocess (tiny models, embedded moto) for the whole session, shared by
  the catalogue over HTTP, the load test and the log review.

The page is rendered only when every test module of this directory ran unfiltered (a single file or `-k`
run leaves the committed page alone and says so), and it reports the outcome of each test it covers.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tarjama.local.functions import LambdaContext

from tests.plugins.aws import handler_env
from tests.plugins.serve import Server, serving
from tests.reliability import report as page
from tests.reliability.results import Recorder

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

_recorder = Recorder()
_outcomes: dict[str, str] = {}
_collected_modules: set[str] = set()
_deselected = False


@pytest.fixture(scope="session")
def recorder() -> Recorder:
    if not _recorder.started:
        _recorder.start()
    return _recorder


# --------------------------------------------------------------------------------------------- handler


Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Api:
    """The API function's handler behind the same event translation as `tarjama serve`."""

    handler: Any
    env: dict[str, str]

    def request(self, method: str, path: str, body: bytes = b"", ctype: str | None = None) -> Answer:
        from tarjama.local.events import api_event, api_response

        headers = [("Host", "api.local"), ("User-Agent", "tarjama-reliability")]
        if ctype is not None:
            headers.append(("Content-Type", ctype))
        event = api_event(method, path, headers, body, "127.0.0.1")
        response = self.handler(event, LambdaContext(function_name="ApiFunction", timeout_seconds=29))
        status, pairs, data = api_response(response)
        return status, {k.lower(): v for k, v in pairs}, data


@pytest.fixture(scope="module")
def api(tiny_model_dir: Path, aws_endpoint: str) -> Iterator[Api]:
    with handler_env("rel", tiny_model_dir, TARJAMA_SUMMARY="extractive") as env:
        yield Api(new_handler(), env)


def new_handler() -> Any:
    """The real handler of functions/api/app.py with an app of its own, built from the environment on its
    first event (as a new Lambda execution environment would)."""
    sys.path.insert(0, str(ROOT))
    return importlib.import_module("functions.api.app").make_handler()


# --------------------------------------------------------------------------------------------- serve


@pytest.fixture(scope="session")
def served(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tiny_model_dir, tmp_path_factory.mktemp("reliability-serve")) as server:
        yield server


# --------------------------------------------------------------------------------------------- the page


def _ours(nodeid: str) -> bool:
    return nodeid.replace("\\", "/").startswith("tests/reliability/")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _ours(item.nodeid):
            _collected_modules.add(item.nodeid.split("::", 1)[0].rsplit("/", 1)[-1])


def pytest_deselected(items: list[pytest.Item]) -> None:
    global _deselected  # noqa: PLW0603 - one session
    if any(_ours(item.nodeid) for item in items):
        _deselected = True


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not _ours(report.nodeid):
        return
    if report.when == "call" or report.outcome != "passed":
        previous = _outcomes.get(report.nodeid)
        if previous in (None, "passed"):
            _outcomes[report.nodeid] = report.outcome


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    expected = {p.name for p in HERE.glob("test_*.py")}
    if not _recorder.started:
        return
    if _deselected or _collected_modules != expected or session.config.getoption("lf", False):
        missing = ", ".join(sorted(expected - _collected_modules)) or "some tests deselected"
        sys.stderr.write(f"\ndocs/reliability.md not regenerated: partial reliability run ({missing}).\n")
        return
    path = page.write(_recorder.path, dict(_outcomes))
    sys.stderr.write(f"\nreliability figures written to {path.relative_to(ROOT)}\n")
