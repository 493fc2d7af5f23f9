"""A review of what we ship, as tests: permissions against use, no secret in what we build, no article
text in the logs.

`tests/unit/test_template.py` (the deploy engineer's) already holds least privilege, IAM-signed routes and
private TLS-only buckets; this module adds what it does not: each function's grants set against the AWS
calls its code can make (so a missing grant fails here, not as AccessDenied in production), a scan of the
template, the image's Dockerfile and the events for secrets, and a grep of the logs of a full run (the
`tarjama serve` log of this session's catalogue and load traffic, plus a bulk job through `tarjama bulk`)
for any 20-character window of the articles' sentences.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.plugins.bulk import seed_sentences
from tests.plugins.deploy import actions, functions, handler_entry, load_template, statements
from tests.plugins.serve import Server
from tests.reliability.catalogue import ARTICLE
from tests.reliability.conftest import ROOT
from tests.reliability.results import Recorder

PACKAGE = ROOT / "layers" / "common"
FUNCS = functions(load_template())
TARJAMA = Path(sys.executable).with_name("tarjama")

# boto3 client methods -> the IAM actions they need. TransactWriteItems has no action of its own: IAM
# checks the item actions inside it (Put/Update/Delete/ConditionCheck), as the template grants them.
CALLS = {
    "get_item": "dynamodb:GetItem",
    "put_item": "dynamodb:PutItem",
    "update_item": "dynamodb:UpdateItem",
    "delete_item": "dynamodb:DeleteItem",
    "batch_get_item": "dynamodb:BatchGetItem",
    "batch_write_item": "dynamodb:BatchWriteItem",
    "transact_write_items": "dynamodb:UpdateItem",
    "query": "dynamodb:Query",
    "scan": "dynamodb:Scan",
    "get_object": "s3:GetObject",
    "head_object": "s3:GetObject",
    "download_file": "s3:GetObject",
    "download_fileobj": "s3:GetObject",
    "put_object": "s3:PutObject",
    "upload_file": "s3:PutObject",
    "upload_fileobj": "s3:PutObject",
    "list_objects_v2": "s3:ListBucket",
    "delete_object": "s3:DeleteObject",
    "copy_object": "s3:PutObject",
    "send_message": "sqs:SendMessage",
    "send_message_batch": "sqs:SendMessage",
    "receive_message": "sqs:ReceiveMessage",
    "delete_message": "sqs:DeleteMessage",
    "put_events": "events:PutEvents",
}
# Calls reachable by module but not by the code path, each checked below to stay true.
NOT_ON_THE_PATH: dict[tuple[str, str], str] = {
    ("ApiFunction", "events:PutEvents"): (
        "tarjama.bulk.submit takes the results location from tarjama.bulk.split, whose module reaches the "
        "finalizer; the API only submits a job, the worker finishes and announces it"
    ),
}
# Calls that only local tooling makes (creating tables, the local queue poller), never a deployed function.
LOCAL_MODULES = {"tarjama.local", "tarjama.commands"}


def _module_file(name: str) -> Path | None:
    parts = name.split(".")
    base = (PACKAGE if parts[0] == "tarjama" else ROOT).joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def import_closure(module: str) -> dict[str, Path]:
    """Every first-party module a handler can import, lazily or not (the superset its code can run)."""
    seen: dict[str, Path] = {}
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen or any(name == m or name.startswith(m + ".") for m in LOCAL_MODULES):
            continue
        path = _module_file(name)
        if path is None:
            continue
        seen[name] = path
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                todo += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                todo.append(node.module)
                todo += [f"{node.module}.{a.name}" for a in node.names]
    return {k: v for k, v in seen.items() if k.startswith(("tarjama", "functions"))}


def used_actions(module: str) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for name, path in import_closure(module).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in CALLS
            ):
                used.setdefault(CALLS[node.func.attr], set()).add(name)
    return used


def test_every_function_is_granted_what_its_code_calls(recorder: Recorder) -> None:
    table: dict[str, dict[str, list[str]]] = {}
    missing: dict[str, set[str]] = {}
    for function in sorted(FUNCS):
        _, module, _ = handler_entry(FUNCS[function])
        granted = {a for st in statements(FUNCS[function]) for a in actions(st)}
        used = used_actions(module)
        lacking = {a for a in set(used) - granted if (function, a) not in NOT_ON_THE_PATH}
        if lacking:
            missing[function] = {f"{a} ({', '.join(sorted(used[a]))})" for a in lacking}
        table[function] = {
            "granted": sorted(granted),
            "used": sorted(used),
            "unused": sorted(granted - set(used)),
        }
    recorder.record(
        "security",
        "permissions",
        functions=table,
        not_on_the_path=[f"{f}: {a} — {why}" for (f, a), why in NOT_ON_THE_PATH.items()],
    )
    assert not missing, f"calls the template does not grant: {missing}"


SECRET_PATTERNS = {
    "AWS access key id": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "secret assignment": re.compile(
        r"(?i)\b(secret|password|passwd|api[_-]?key|token)\w*\s*[:=]\s*['\"]?(?!testing\b)[A-Za-z0-9/+=_-]{16,}"
    ),
    "credentials in a URL": re.compile(r"://[^/\s:@]+:[^/\s:@]+@"),
}


def test_nothing_secret_in_the_template_the_image_or_the_events(recorder: Recorder) -> None:
    files = [
        ROOT / "template.yaml",
        ROOT / "samconfig.toml",
        *sorted((ROOT / "layers" / "inference").iterdir()),
        *sorted((ROOT / "events").glob("*.json")),
        ROOT / ".dockerignore",
    ]
    files = [f for f in files if f.is_file()]
    hits = [
        f"{f.relative_to(ROOT)}: {kind}"
        for f in files
        for kind, pattern in SECRET_PATTERNS.items()
        if pattern.search(f.read_text(encoding="utf-8", errors="replace"))
    ]
    dockerfile = (ROOT / "layers" / "inference" / "Dockerfile").read_text(encoding="utf-8")
    for line in dockerfile.splitlines():
        if re.match(r"(?i)\s*(ENV|ARG)\s+\w*(SECRET|PASSWORD|TOKEN|ACCESS_KEY)", line):
            hits.append(f"Dockerfile sets a credential: {line.strip()[:40]}")
    recorder.record("security", "secrets scan", files_scanned=len(files), findings=len(hits))
    assert not hits, hits


# --------------------------------------------------------------------------------------------- logs


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)] + [k for k in value if isinstance(k, str)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def log_texts(raw: str) -> list[str]:
    """The log as written and every string inside its JSON lines decoded (`\\u0642` escapes included)."""
    out = [raw]
    for line in raw.splitlines():
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                out += _strings(json.loads(line))
    return out


def windows(sentences: list[str], width: int = 20) -> set[str]:
    from tarjama.text import normalize

    out: set[str] = set()
    for sentence in sentences:
        for form in {sentence, normalize(sentence)}:
            out.update(form[i : i + width] for i in range(max(0, len(form) - width + 1)))
    return {w for w in out if re.search(r"[\u0600-\u06ff]{4}", w)}


def leaked(texts: list[str], source: set[str], width: int = 20) -> list[str]:
    found: list[str] = []
    for text in texts:
        for span in re.findall(r"[^\x00-\x1f\"\\{}]{" + str(width) + ",}", text):
            if not re.search(r"[\u0600-\u06ff]", span):
                continue
            for i in range(len(span) - width + 1):
                if span[i : i + width] in source:
                    found.append(span[i : i + width])
                    break
    return found


def test_logs_of_a_full_run_hold_no_article_text(
    served: Server, tiny_model_dir: Path, tmp_path: Path, recorder: Recorder
) -> None:
    sentences = seed_sentences(24)
    # a digest through the served API, so the log is never empty of article traffic
    import requests

    response = requests.post(
        served.url + "/v1/digests", json={"text": "\n\n".join(sentences[:4]), "ref": "logs"}, timeout=120
    )
    assert response.status_code == 200
    # a bulk job end to end (split, queue, worker, report) in its own process, its logs captured whole
    lines = [json.dumps({"id": f"l{i}", "text": s}, ensure_ascii=False) for i, s in enumerate(sentences)]
    upload = tmp_path / "logs.jsonl"
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TARJAMA_", "AWS_"))}
    env.update({"TARJAMA_MODELS": "tiny", "TARJAMA_MODEL_DIR": str(tiny_model_dir), "TARJAMA_THREADS": "1"})
    bulk = subprocess.run(
        # --verbose: the structured logs a deployed run writes (a person's run shows only WARNING+)
        [str(TARJAMA), "bulk", str(upload), "--out", str(tmp_path / "out"), "--quiet", "--verbose"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert bulk.returncode == 0, bulk.stderr[-2000:]
    assert len((tmp_path / "out" / "results.jsonl").read_text("utf-8").splitlines()) == len(sentences)
    serve_log = served.log.read_text(encoding="utf-8", errors="replace")
    captured = serve_log + "\n" + bulk.stdout + "\n" + bulk.stderr
    seeds = sorted((ROOT / "tests" / "fixtures").glob("0*.txt"))
    source_sentences = [*sentences, *ARTICLE.split("\n\n")]
    for seed in seeds:
        source_sentences += [line for line in seed.read_text("utf-8").splitlines() if len(line) >= 20]
    source = windows(source_sentences)
    found = leaked(log_texts(captured), source)
    requests_logged = captured.count('"message":"request"')
    recorder.record(
        "security",
        "logs of a full run grepped for article text",
        log_lines=captured.count("\n"),
        requests_logged=requests_logged,
        bulk_articles=len(sentences),
        source_windows=len(source),
        windows_found=len(found),
    )
    assert requests_logged > 0 and "split finished" in captured, "the run was logged"
    assert not found, found[:5]
