"""Cold starts planned: the job-or-digest decision counts a model load when the process has none loaded,
and with TARJAMA_EAGER_INIT (provisioned concurrency) the API's init phase loads the models itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tarjama.api.digesting import digest_or_submit, estimate_tokens
from tarjama.api.jobs import Jobs
from tarjama.api.schemas import DigestRequest
from tarjama.config import Settings
from tarjama.service import build_digester

from tests.plugins.aws import handler_env
from tests.plugins.bulk import seed_sentences

ROOT = Path(__file__).resolve().parents[2]
TARJAMA = Path(sys.executable).with_name("tarjama")


@pytest.fixture(scope="module")
def settings(tiny_model_dir: Path, aws_endpoint: str) -> Iterator[Settings]:
    """Tiny models, and a table and queue (a request over the budget becomes a real job)."""
    with handler_env("cold", tiny_model_dir, TARJAMA_SUMMARY="extractive"):
        yield Settings.from_env()


def test_a_cold_process_counts_the_model_load(settings: Settings) -> None:
    request = DigestRequest(text=" ".join(seed_sentences(4)), ref="cold")
    estimate = estimate_tokens(request.raw, request.fmt)
    # A budget the article fits in by 400 tokens: enough when warm, not with an 800-token load to pay first.
    tuned = settings.model_copy(update={"sync_token_budget": estimate + 400, "cold_load_tokens": 800})
    digester = build_digester(tuned)
    jobs = Jobs(tuned)
    assert not digester.ports.models.for_tier(None).loaded()["translation"]

    cold = digest_or_submit(
        request, budget=tuned.sync_token_budget, settings=tuned, digester=digester, jobs=jobs
    )
    assert cold.job is not None and cold.result is None  # the load would not fit: a job
    assert cold.tokens == estimate + 800

    digester.ports.models.for_tier(None).translator()  # the process is warm now
    warm = digest_or_submit(
        request, budget=tuned.sync_token_budget, settings=tuned, digester=digester, jobs=jobs
    )
    assert warm.result is not None and warm.tokens == estimate

    free = tuned.model_copy(update={"cold_load_tokens": 0})
    fresh = build_digester(free)
    outcome = digest_or_submit(
        request, budget=free.sync_token_budget, settings=free, digester=fresh, jobs=jobs
    )
    assert outcome.result is not None  # a load counted as free: digested even when cold


def _health_after_init(tmp_path: Path, tiny_model_dir: Path, eager: bool) -> dict[str, Any]:
    env_file = tmp_path / f"env-{eager}.json"
    api = {"TARJAMA_MODEL_DIR": str(tiny_model_dir), "TARJAMA_MODELS": "tiny"}
    if eager:
        api["TARJAMA_EAGER_INIT"] = "true"
    env_file.write_text(json.dumps({"ApiFunction": api}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TARJAMA_") and k != "AWS_ENDPOINT_URL"}
    run = subprocess.run(
        [str(TARJAMA), "invoke", "ApiFunction", "--event", "events/api_get_health.json",
         "--env-vars", str(env_file)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    body: dict[str, Any] = json.loads(json.loads(run.stdout)["body"])
    return body


def test_eager_init_loads_the_models_before_the_first_request(tmp_path: Path, tiny_model_dir: Path) -> None:
    """The first request (a health check, which never loads a model itself) finds the translator loaded
    with TARJAMA_EAGER_INIT=true, and not without it."""
    assert _health_after_init(tmp_path, tiny_model_dir, eager=True)["models"]["translation"]["loaded"] is True
    assert (
        _health_after_init(tmp_path, tiny_model_dir, eager=False)["models"]["translation"]["loaded"] is False
    )
