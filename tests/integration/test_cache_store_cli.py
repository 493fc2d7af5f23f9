"""`tarjama store create-table` and `create-local` as a user runs them, against the local endpoint."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TARJAMA = str(Path(sys.executable).with_name("tarjama"))


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TARJAMA, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_create_table_from_template(aws_endpoint: str, dynamodb: Any) -> None:
    name = f"tarjama-cli-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "AWS_ENDPOINT_URL": aws_endpoint}
    first = _run(["store", "create-table", "--table", name], env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"table": name, "created": True, "ttl_attribute": "expires_at"}
    again = _run(["store", "create-table", "--table", name], {**env, "TARJAMA_TABLE": "ignored"})
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["created"] is False
    table = dynamodb.describe_table(TableName=name)["Table"]
    assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires_at"
    dynamodb.delete_table(TableName=name)


def test_create_local_from_settings(aws_endpoint: str, dynamodb: Any, s3: Any) -> None:
    suffix = uuid.uuid4().hex[:8]
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": aws_endpoint,
        "TARJAMA_TABLE": f"tarjama-local-{suffix}",
        "TARJAMA_RESULTS_BUCKET": f"tarjama-results-{suffix}",
    }
    done = _run(["store", "create-local", "--queue-name", f"work-{suffix}"], env)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["table"] == f"tarjama-local-{suffix}"
    assert out["queue_url"].endswith(f"/work-{suffix}")
    assert s3.head_bucket(Bucket=f"tarjama-results-{suffix}")["ResponseMetadata"]["HTTPStatusCode"] == 200
    dynamodb.delete_table(TableName=f"tarjama-local-{suffix}")


def test_errors_are_one_line_not_a_trace(aws_endpoint: str, closed_endpoint: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TARJAMA_TABLE"}
    no_name = _run(["store", "create-table"], env)
    assert no_name.returncode == 2
    assert "TARJAMA_TABLE" in no_name.stderr
    assert "Traceback" not in no_name.stderr
    down = _run(
        ["store", "create-table", "--table", "x"],
        {**env, "AWS_ENDPOINT_URL": closed_endpoint, "AWS_MAX_ATTEMPTS": "1"},
    )
    assert down.returncode == 3
    assert "store_unavailable" in down.stderr
    assert "Traceback" not in down.stderr
