"""Both model tiers end to end on the tiny models: the API handler (single, batch items, health, a tier whose
models are missing), `tarjama invoke`, and `tarjama bulk` (per-line options and `--model-type`)."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tarjama.cli import main
from tarjama.local import LambdaContext

from tests.plugins.aws import handler_env

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
TEXT = "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في القاهرة بمشاركة وفود من عدة دول."
TRANSLATOR = {"quality_optimized": "tc-big-ar-en", "latency_optimized": "ar-en"}
LATENCY = ("ar-en", "en-ar", "summarizer-6-6")


def post(handler: Any, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    event = json.loads((EVENTS / "api_post_digest.json").read_text("utf-8"))
    event.update(path=path, body=json.dumps(body, ensure_ascii=False), isBase64Encoded=False)
    response = handler(event, LambdaContext(function_name="ApiFunction", timeout_seconds=29))
    return int(response["statusCode"]), json.loads(response["body"])


def get(handler: Any, path: str) -> dict[str, Any]:
    event = json.loads((EVENTS / "api_get_health.json").read_text("utf-8"))
    event["path"] = path
    response = handler(event, LambdaContext(function_name="ApiFunction", timeout_seconds=29))
    assert response["statusCode"] == 200
    body: dict[str, Any] = json.loads(response["body"])
    return body


def new_handler() -> Any:
    sys.path.insert(0, str(ROOT))
    return importlib.import_module("functions.api.app").make_handler()


@pytest.fixture(scope="module")
def handler(tiny_model_dir: Path, aws_endpoint: str) -> Iterator[Any]:
    with handler_env("tiers", tiny_model_dir):
        yield new_handler()


@pytest.fixture(scope="module")
def latency_only(
    tiny_model_dir: Path, aws_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """A model directory holding the latency tier only; the server's default stays quality_optimized."""
    models = tmp_path_factory.mktemp("latency-only")
    for name in LATENCY:
        shutil.copytree(tiny_model_dir / name, models / name)
    with handler_env("tiers-partial", models):
        yield new_handler()


@pytest.mark.parametrize("tier", sorted(TRANSLATOR))
def test_api_single_digest_runs_the_requested_tier(handler: Any, tier: str) -> None:
    status, body = post(
        handler, "/v1/digests", {"text": TEXT, "options": {"model_type": tier, "summary": "abstractive"}}
    )
    assert status == 200, body
    assert body["model_type"] == tier
    assert body["models"]["translation"]["name"] == TRANSLATOR[tier]
    assert body["translation"]["sentences"][0]["en"]


def test_api_default_tier_and_keys_differ(handler: Any) -> None:
    _, default = post(handler, "/v1/digests", {"text": TEXT})
    _, latency = post(handler, "/v1/digests", {"text": TEXT, "options": {"model_type": "latency_optimized"}})
    _, quality = post(handler, "/v1/digests", {"text": TEXT, "options": {"model_type": "quality_optimized"}})
    assert default["model_type"] == "quality_optimized"
    assert default["id"] == quality["id"] != latency["id"]
    assert quality["cached"] is True  # the default's result, served again: same tier, same key


def test_api_batch_items_choose_their_own_tier(handler: Any) -> None:
    items = [
        {"text": TEXT, "ref": "q", "options": {"model_type": "quality_optimized", "summary": "none"}},
        {"text": TEXT, "ref": "l", "options": {"model_type": "latency_optimized", "summary": "none"}},
    ]
    status, body = post(handler, "/v1/digests:batch", {"items": items})
    assert status == 200, body
    results = {item["result"]["ref"]: item["result"] for item in body["items"]}
    assert {ref: r["models"]["translation"]["name"] for ref, r in results.items()} == {
        "q": "tc-big-ar-en",
        "l": "ar-en",
    }


def test_api_rejects_an_unknown_tier(handler: Any) -> None:
    status, body = post(handler, "/v1/digests", {"text": TEXT, "options": {"model_type": "fastest"}})
    assert status == 422 and body["error"]["code"] == "invalid_input"


def test_health_lists_both_tiers(handler: Any) -> None:
    health = get(handler, "/v1/health")
    assert health["status"] == "ok"
    tiers = health["model_types"]
    assert set(tiers) == set(TRANSLATOR)
    for tier, name in TRANSLATOR.items():
        assert tiers[tier]["installed"] is True
        assert tiers[tier]["models"]["translation"]["name"] == name
    assert tiers["quality_optimized"]["default"] is True and tiers["latency_optimized"]["default"] is False


def test_a_tier_whose_models_are_missing_is_503_naming_it(latency_only: Any) -> None:
    status, body = post(latency_only, "/v1/digests", {"text": TEXT})  # the default tier: quality
    assert status == 503
    error = body["error"]
    assert error["code"] == "model_missing" and error["details"]["model_type"] == "quality_optimized"
    assert "quality_optimized" in error["message"]
    status, body = post(
        latency_only, "/v1/digests", {"text": TEXT, "options": {"model_type": "latency_optimized"}}
    )
    assert status == 200 and body["models"]["translation"]["name"] == "ar-en"
    health = get(latency_only, "/v1/health")
    assert health["status"] == "degraded"  # the default tier cannot serve
    assert health["model_types"]["latency_optimized"]["installed"] is True
    assert health["model_types"]["quality_optimized"]["installed"] is False


def test_invoke_runs_the_tier_of_the_event(tmp_path: Path, tiny_model_dir: Path) -> None:
    event = json.loads((EVENTS / "api_post_digest_options.json").read_text("utf-8"))
    body = json.loads(event["body"])
    body["options"]["model_type"] = "latency_optimized"
    event["body"] = json.dumps(body, ensure_ascii=False)
    (tmp_path / "event.json").write_text(json.dumps(event, ensure_ascii=False), "utf-8")
    env_vars = {"ApiFunction": {"TARJAMA_MODEL_DIR": str(tiny_model_dir), "TARJAMA_THREADS": "1"}}
    (tmp_path / "env.json").write_text(json.dumps(env_vars), "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TARJAMA_")}
    tarjama = str(Path(sys.executable).with_name("tarjama"))
    args = [tarjama, "invoke", "ApiFunction", "--event", str(tmp_path / "event.json")]
    run = subprocess.run(
        [*args, "--env-vars", str(tmp_path / "env.json")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    response = json.loads(run.stdout)
    result = json.loads(response["body"])
    assert response["statusCode"] == 200
    assert (result["model_type"], result["models"]["translation"]["name"]) == ("latency_optimized", "ar-en")


def test_bulk_lines_and_the_default_tier(
    tmp_path: Path, tiny_model_dir: Path, aws_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tarjama.config import get_settings

    for key in [k for k in os.environ if k.startswith("TARJAMA_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("TARJAMA_MODEL_DIR", str(tiny_model_dir))
    monkeypatch.setenv("TARJAMA_THREADS", "1")
    get_settings.cache_clear()
    lines = [
        {
            "id": "own-quality",
            "text": TEXT,
            "options": {"model_type": "quality_optimized", "summary": "none"},
        },
        {"id": "default", "text": TEXT, "options": {"summary": "none"}},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    out = tmp_path / "out"
    try:
        code = main(["bulk", str(source), "--out", str(out), "--quiet", "--model-type", "latency_optimized"])
    finally:
        get_settings.cache_clear()
    assert code == 0
    results = [json.loads(x) for x in (out / "results.jsonl").read_text("utf-8").splitlines()]
    tiers = {r["ref"]: (r["model_type"], r["models"]["translation"]["name"]) for r in results}
    assert tiers == {
        "own-quality": ("quality_optimized", "tc-big-ar-en"),
        "default": ("latency_optimized", "ar-en"),
    }
