"""A template function as `sam local invoke` runs it: its handler, its resolved environment, what the Lambda
runtime adds, and `tarjama invoke` leaving the caller's environment as it found it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tarjama import cli
from tarjama.local.functions import load_function

ROOT = Path(__file__).resolve().parents[3]


def test_image_function_resolves_from_the_template() -> None:
    spec = load_function("ApiFunction", template=ROOT / "template.yaml")
    assert (spec.module, spec.attribute, spec.code_dir) == ("functions.api.app", "handler", ROOT)
    assert (spec.memory_mb, spec.timeout_s) == (3008, 29.0)  # the parameters' defaults
    assert spec.log_group == "/aws/lambda/tarjama-local-ApiFunction"  # LoggingConfig -> its LogGroup
    assert spec.environment["TARJAMA_MODEL_DIR"] == "/opt/models"
    assert "TARJAMA_TABLE" in spec.unresolved  # a !Ref to a resource: known only once deployed


def test_runtime_environment_is_what_lambda_sets() -> None:
    spec = load_function("BulkSplitFunction", template=ROOT / "template.yaml")
    env = spec.runtime_environment("eu-west-1")
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-west-1"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "BulkSplitFunction"
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "512"
    assert env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == "/aws/lambda/tarjama-local-BulkSplitFunction"
    assert env["_HANDLER"] == "app.handler"


def test_invoke_sets_the_runtime_environment_for_the_invocation_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME", "TARJAMA_MODEL_DIR"):
        monkeypatch.delenv(name, raising=False)
    event = tmp_path / "event.json"
    # A handler that reports the environment it ran in: a zip function of a template of our own.
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "app.py").write_text(
        "import os\n"
        "def handler(event, context):\n"
        "    keys = ('AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_LAMBDA_FUNCTION_NAME',\n"
        "            'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'TARJAMA_MODEL_DIR')\n"
        "    left = context.get_remaining_time_in_millis()\n"
        "    return {k: os.environ.get(k) for k in keys} | {'remaining': left}\n",
        encoding="utf-8",
    )
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n"
        "  Probe:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: fn/\n"
        "      Handler: app.handler\n"
        "      MemorySize: 256\n"
        "      Timeout: 7\n"
        "      Environment:\n"
        "        Variables:\n"
        "          TARJAMA_MODEL_DIR: /opt/models\n",
        encoding="utf-8",
    )
    event.write_text("{}", encoding="utf-8")
    before = dict(os.environ)
    assert cli.main(["invoke", "Probe", "--event", str(event), "--template", str(template)]) == 0
    seen = json.loads(capsys.readouterr().out)
    assert seen["AWS_REGION"] == seen["AWS_DEFAULT_REGION"] == "us-east-1"
    assert seen["AWS_LAMBDA_FUNCTION_NAME"] == "Probe" and seen["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256"
    assert seen["TARJAMA_MODEL_DIR"] == "/opt/models"
    assert 0 < seen["remaining"] <= 7000
    assert dict(os.environ) == before  # nothing left behind

    assert cli.main(["invoke", "Probe", "--event", str(event), "--template", str(template),
                     "--region", "eu-west-1"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["AWS_REGION"] == "eu-west-1"
