"""`tarjama serve` as a user runs it: a subprocess on a free loopback port, tiny models, embedded moto.

Over real HTTP: the routes, hostile input with its documented codes, a long article finished by the local
queue poller, Swagger UI rendered offline by headless Chromium, schemathesis against /v1/openapi.json,
and a clean Ctrl-C.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import requests

from tests.plugins.serve import Server, error_code, event_body, serving, start_server

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
TARJAMA = Path(sys.executable).with_name("tarjama")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tiny_model_dir, tmp_path_factory.mktemp("serve")) as srv:
        yield srv


def test_health_reports_tiny_models(server: Server) -> None:
    health = server.get("/v1/health").json()
    assert health["status"] == "ok"
    assert {m["kind"] for m in health["models"].values()} == {"tiny"}


def test_digest_over_http_then_fetch_it(server: Server) -> None:
    response = server.post("/v1/digests", event_body("api_post_digest.json"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    result = response.json()
    assert result["ref"] == "story-002"
    assert result["models"]["translation"]["kind"] == "tiny"
    again = server.get(f"/v1/digests/{result['id']}")
    assert again.status_code == 200
    assert again.json()["cached"] is True


@pytest.mark.parametrize(
    ("body", "ctype", "status", "code"),
    [
        (b"x" * (10 * 1024 * 1024), "application/json", 413, "too_large"),  # a 10 MB body
        (bytes(range(256)) * 64, "application/json", 400, "malformed_request"),  # random bytes
        (b'{"text": "\xd9\x82\xff\xfe"}', "application/json", 400, "malformed_request"),  # invalid UTF-8
        (b"[" * 10_000 + b"]" * 10_000, "application/json", 400, "malformed_request"),  # 10,000 deep
        (b"", "application/json", 400, "malformed_request"),
        (b"text=hello", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        (b'{"text": "x"}', "text/plain", 415, "unsupported_media_type"),
        (b'{"text": ["a"], "options": {"beam_size": "4x"}}', "application/json", 422, "invalid_input"),
        ('{"text": "قال", "options": {"temperature": 1}}'.encode(), "application/json", 422, "invalid_input"),
        (b'{"text": "   \\n\\t  "}', "application/json", 422, "empty_after_cleaning"),
        (b'{"text": "Latin only text, no Arabic at all."}', "application/json", 422, "not_arabic"),
        (("ا" * 100_001).join(['{"text": "', '"}']).encode(), "application/json", 413, "too_large"),
    ],
)
def test_hostile_input_gets_its_documented_code(
    server: Server, body: bytes, ctype: str, status: int, code: str
) -> None:
    response = server.post("/v1/digests", body, ctype)
    assert response.status_code == status, response.text[:300]
    assert error_code(response) == code
    assert "Traceback" not in response.text


def test_routes_and_methods(server: Server) -> None:
    assert error_code(server.get("/v1/nothing")) == "not_found"
    wrong = requests.delete(server.url + "/v1/digests", timeout=10)
    assert wrong.status_code == 405
    assert wrong.headers["Allow"] == "POST"
    assert error_code(wrong) == "method_not_allowed"
    trace = requests.request("TRACE", server.url + "/v1/health", timeout=10)
    assert trace.status_code == 405
    assert server.get("/v1/digests/a_" + "0" * 40).status_code == 404
    assert server.get("/v1/jobs/j_unknown").status_code == 404


def test_batch_over_http(server: Server) -> None:
    response = server.post("/v1/digests:batch", event_body("api_post_digest_batch.json"))
    assert response.status_code == 200
    assert [i["ref"] for i in response.json()["items"]] == ["b-0", "b-1", "b-2"]


def test_long_article_is_a_job_finished_by_the_local_worker(server: Server) -> None:
    response = server.post("/v1/digests", event_body("api_post_digest_long.json"))
    assert response.status_code == 202
    status_url = response.json()["status_url"]
    for _ in range(240):  # bounded: 2 minutes
        poll = server.get(status_url)
        if poll.status_code != 202:
            break
        time.sleep(0.5)
    assert poll.status_code == 200, poll.text[:300]
    assert poll.json()["id"].startswith("a_")


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (make system-deps)")
def test_swagger_ui_lists_the_operations_offline(server: Server, tmp_path: Path) -> None:
    page = server.get("/v1/docs").text
    assert "https://" not in page and "http://" not in page  # every asset is ours
    dom = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=20000",
            "--dump-dom",
            server.url + "/v1/docs",
        ],
        capture_output=True,
        timeout=120,
        check=False,
    ).stdout.decode("utf-8", errors="replace")
    operations = [
        ("digests", "createDigest"),
        ("digests", "createDigestBatch"),
        ("digests", "getDigest"),
        ("jobs", "getJob"),
        ("service", "getHealth"),
    ]
    for tag, operation in operations:  # Swagger UI's id of a rendered operation: operations-<tag>-<id>
        assert f'id="operations-{tag}-{operation}"' in dom, operation
    for path in ("/v1/digests", "/v1/digests:batch", "/v1/digests/{digest_id}", "/v1/health"):
        assert f'data-path="{path}"' in dom


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_schemathesis_finds_no_server_error_and_no_schema_break(server: Server) -> None:
    # positive_data_acceptance is left out on purpose: a schema-valid `text` may still not be Arabic, and
    # `422 not_arabic` is then the documented answer (a semantic rule JSON Schema cannot state).
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            server.url + "/v1/openapi.json",
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
            "--max-examples",
            "20",
            "--workers",
            "1",
            "--seed",
            "20261123",
        ],
        capture_output=True,
        timeout=580,
        check=False,
        cwd=ROOT,
    )
    out = run.stdout.decode(errors="replace")
    assert run.returncode == 0, out[-6000:]
    assert "passed" in out


def test_ctrl_c_stops_the_server_and_its_moto(tiny_model_dir: Path, tmp_path: Path) -> None:
    srv = start_server(tiny_model_dir, tmp_path)
    children = psutil.Process(srv.proc.pid).children(recursive=True)
    assert any("moto_server" in " ".join(c.cmdline()) for c in children)
    srv.proc.send_signal(signal.SIGINT)
    assert srv.proc.wait(timeout=30) == 0
    _gone, alive = psutil.wait_procs(children, timeout=15)
    assert not alive
    assert "stopping" in srv.log.read_text()
