"""`tarjama invoke ApiFunction --event FILE --env-vars FILE`: the template's handler, in a new process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TARJAMA = Path(sys.executable).with_name("tarjama")


def invoke(*args: str, env_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TARJAMA_")}
    cmd = [str(TARJAMA), "invoke", *args]
    if env_file is not None:
        cmd += ["--env-vars", str(env_file)]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def env_file(tmp_path: Path, tiny_model_dir: Path) -> Path:
    """events/env.json with the model directory of this test session (no table: no AWS needed)."""
    data: dict[str, Any] = json.loads((ROOT / "events" / "env.json").read_text())
    data["Parameters"] = {k: v for k, v in data["Parameters"].items() if not k.startswith("TARJAMA_")}
    data["ApiFunction"]["TARJAMA_MODEL_DIR"] = str(tiny_model_dir)
    path = tmp_path / "env.json"
    path.write_text(json.dumps(data))
    return path


def test_invoke_prints_the_handler_response(env_file: Path) -> None:
    run = invoke("ApiFunction", "--event", "events/api_post_digest_options.json", env_file=env_file)
    assert run.returncode == 0, run.stderr[-2000:]
    response = json.loads(run.stdout)  # stdout is the response only; logs went to stderr
    assert response["statusCode"] == 200
    body = json.loads(response["body"])
    assert body["ref"] == "opt-1"
    assert body["models"]["translation"]["kind"] == "tiny"


def test_invoke_invalid_event_gets_its_code(env_file: Path) -> None:
    run = invoke("ApiFunction", "--event", "events/api_post_digest_not_arabic.json", env_file=env_file)
    response = json.loads(run.stdout)
    assert response["statusCode"] == 422
    assert json.loads(response["body"])["error"]["code"] == "not_arabic"


def test_invoke_without_models_says_how_to_get_them(tmp_path: Path) -> None:
    empty = tmp_path / "env.json"
    empty.write_text(json.dumps({"ApiFunction": {"TARJAMA_MODEL_DIR": str(tmp_path / "none")}}))
    run = invoke("ApiFunction", "--event", "events/api_post_digest.json", env_file=empty)
    response = json.loads(run.stdout)
    assert response["statusCode"] == 503
    error = json.loads(response["body"])["error"]
    assert error["code"] == "model_missing"
    assert "tarjama models tiny" in error["message"]


def test_invoke_unknown_function_is_a_usage_error() -> None:
    run = invoke("NoSuchFunction", "--event", "events/api_get_health.json")
    assert run.returncode == 2
    assert "ApiFunction" in run.stderr  # lists the functions that exist
