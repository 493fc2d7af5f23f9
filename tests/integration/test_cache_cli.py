"""`tarjama digest` with TARJAMA_TABLE set, as a user runs it: the second run is a hit and imports no ML.

`python -X importtime` lists every module a process imports; on a hit, torch, ctranslate2 and transformers
must not be among them. The first run (a miss) is the control: there they are.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "tests" / "fixtures" / "000_1719d82712d9bfff.txt"
ML = ("torch", "ctranslate2", "transformers")


def _digest(env: dict[str, str]) -> tuple[dict[str, Any], set[str]]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tarjama.cli", "digest", str(SEED), "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    imported = set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", done.stderr, re.MULTILINE))
    assert imported, "no -X importtime output"
    return json.loads(done.stdout), {name.split(".")[0] for name in imported}


def test_hit_imports_no_ml_library(
    aws_endpoint: str, dynamo_table: str, results_bucket: str, tiny_model_dir: Path
) -> None:
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": aws_endpoint,
        "TARJAMA_TABLE": dynamo_table,
        "TARJAMA_RESULTS_BUCKET": results_bucket,
        "TARJAMA_MODEL_DIR": str(tiny_model_dir),
        "TARJAMA_MODELS": "tiny",
        "TARJAMA_THREADS": "1",
        "TARJAMA_SUMMARY": "extractive",
        "TARJAMA_BEAM_SIZE": "1",
    }
    miss, miss_modules = _digest(env)
    assert miss["cached"] is False
    assert set(ML) & miss_modules  # the control: computing does import a backend

    hit, hit_modules = _digest(env)
    assert hit["cached"] is True
    assert hit["id"] == miss["id"]
    assert hit["translation"] == miss["translation"]
    assert not set(ML) & hit_modules, sorted(set(ML) & hit_modules)
    assert "boto3" in hit_modules  # it really went to the table
