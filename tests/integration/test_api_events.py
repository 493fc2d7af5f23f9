"""The API handler driven with exactly the files of events/, against tiny models and the local AWS endpoint.

Every route, valid and invalid: each file gets its documented status and error code, every answer is JSON
in the one error shape (never a stack trace), and the state a request leaves (cache, job) is what the next
request sees.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from tarjama import observability
from tarjama.local.functions import LambdaContext
from tarjama.local.poller import QueuePoller
from tarjama.pipeline import Digester

from tests.plugins.api import EVENTS, header, invoke, load_event, new_handler

ROOT = Path(__file__).resolve().parents[2]

# file -> (status, error code or None)
EXPECTED: dict[str, tuple[int, str | None]] = {
    "api_post_digest.json": (200, None),
    "api_post_digest_html.json": (200, None),
    "api_post_digest_options.json": (200, None),
    "api_post_digest_base64.json": (200, None),
    "api_post_digest_rtl_controls.json": (200, None),
    "api_post_digest_long.json": (202, None),
    "api_post_digest_batch.json": (200, None),
    "api_post_digest_not_arabic.json": (422, "not_arabic"),
    "api_post_digest_empty_after_cleaning.json": (422, "empty_after_cleaning"),
    "api_post_digest_bad_json.json": (400, "malformed_request"),
    "api_post_digest_invalid_utf8.json": (400, "malformed_request"),
    "api_post_digest_deep_json.json": (400, "malformed_request"),
    "api_post_digest_empty_body.json": (400, "malformed_request"),
    "api_post_digest_not_object.json": (422, "invalid_input"),
    "api_post_digest_wrong_types.json": (422, "invalid_input"),
    "api_post_digest_unknown_option.json": (422, "invalid_input"),
    "api_post_digest_unknown_field.json": (422, "invalid_input"),
    "api_post_digest_both_text_html.json": (422, "invalid_input"),
    "api_post_digest_beam_out_of_range.json": (422, "invalid_input"),
    "api_post_digest_too_large.json": (413, "too_large"),
    "api_post_digest_wrong_content_type.json": (415, "unsupported_media_type"),
    "api_post_digest_wrong_charset.json": (415, "unsupported_media_type"),
    "api_post_digest_batch_too_many.json": (413, "too_large"),
    "api_post_digest_batch_empty.json": (422, "invalid_input"),
    "api_get_digest.json": (404, "not_found"),
    "api_get_digest_unknown.json": (404, "not_found"),
    "api_get_digest_job.json": (404, "not_found"),
    "api_get_job.json": (404, "not_found"),
    "api_get_health.json": (200, None),
    "api_get_openapi.json": (200, None),
    "api_get_docs.json": (200, None),
    "api_get_docs_static.json": (200, None),
    "api_unknown_route.json": (404, "not_found"),
    "api_wrong_method.json": (405, "method_not_allowed"),
}


@pytest.fixture(scope="module")
def handler(api_env: dict[str, str]) -> Any:
    return new_handler()


def test_every_api_event_file_is_covered() -> None:
    from tests.integration.test_glossary_events import SEQUENCE  # stateful: run in order there

    assert {p.name for p in EVENTS.glob("api_*.json")} == set(EXPECTED) | {name for name, _, _ in SEQUENCE}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_event_file_gets_its_documented_answer(handler: Any, name: str) -> None:
    status, code = EXPECTED[name]
    response, body = invoke(handler, load_event(name))
    assert response["statusCode"] == status, body
    assert header(response, "X-Content-Type-Options") == "nosniff"
    assert "Traceback" not in response["body"]
    if code is not None:
        assert header(response, "Content-Type") == "application/json"
        assert set(body) == {"error"}
        assert set(body["error"]) == {"code", "message", "details"}
        assert body["error"]["code"] == code
        assert body["error"]["message"]


def test_digest_then_get_by_id_is_a_cache_hit(handler: Any) -> None:
    _, first = invoke(handler, load_event("api_post_digest.json"))
    assert first["id"].startswith("a_")
    assert first["ref"] == "story-002"
    assert first["translation"]["sentences"]
    assert {m["kind"] for m in first["models"].values()} == {"tiny"}
    event = load_event("api_get_digest.json")
    event["path"] = f"/v1/digests/{first['id']}"
    response, stored = invoke(handler, event)
    assert response["statusCode"] == 200
    assert stored["id"] == first["id"]
    assert stored["cached"] is True
    assert stored["translation"] == first["translation"]


def test_repeat_is_served_from_the_cache_without_loading_a_model(handler: Any) -> None:
    invoke(handler, load_event("api_post_digest_options.json"))
    handler = new_handler()  # a cold start: a new app and digester, no model loaded
    hits_before = observability.metric_counts["CacheHits"]
    response, result = invoke(handler, load_event("api_post_digest_options.json"))
    assert response["statusCode"] == 200
    assert result["cached"] is True
    assert result["ref"] == "opt-1"
    assert observability.metric_counts["CacheHits"] == hits_before + 1
    _, health = invoke(handler, load_event("api_get_health.json"))
    assert health["status"] == "ok"
    assert health["models"]
    assert not any(m["loaded"] for m in health["models"].values())


def test_options_and_ref_are_applied(handler: Any) -> None:
    event = load_event("api_post_digest_options.json")  # summary none, beam 2, ref opt-1
    _, result = invoke(handler, event)
    assert result["summary"] is None
    assert result["ref"] == "opt-1"
    payload = json.loads(event["body"])
    defaults = {"text": payload["text"], "ref": "opt-2"}  # the same article with the server's options
    _, plain = invoke(handler, load_event("api_post_digest_options.json", body=json.dumps(defaults)))
    assert plain["ref"] == "opt-2"
    assert plain["summary"] is not None and plain["summary"]["method"] == "extractive"
    assert plain["id"] != result["id"]  # the beam size is part of what was computed (and of its key)


def test_html_scripts_are_never_echoed_executable(handler: Any) -> None:
    response, result = invoke(handler, load_event("api_post_digest_html.json"))
    assert header(response, "Content-Type") == "application/json"
    assert "<script" not in response["body"]
    assert "onerror" not in response["body"]
    assert result["source"]["title"]


def test_rtl_override_in_ref_is_escaped(handler: Any) -> None:
    response, result = invoke(handler, load_event("api_post_digest_rtl_controls.json"))
    assert "\u202e" not in response["body"]
    assert result["ref"] == "rtl-\u202egnp.exe"
    assert all("\u202e" not in s for s in result["source"]["sentences"])


def test_batch_answers_each_item_in_order_with_its_ref(handler: Any) -> None:
    _, body = invoke(handler, load_event("api_post_digest_batch.json"))
    items = body["items"]
    assert [i["ref"] for i in items] == ["b-0", "b-1", "b-2"]
    assert [i["status"] for i in items] == ["done", "error", "done"]
    assert items[1]["error"]["code"] == "not_arabic"
    assert items[0]["result"]["ref"] == "b-0"


def test_long_article_becomes_a_job_that_the_worker_finishes(handler: Any, api_env: dict[str, str]) -> None:
    response, accepted = invoke(handler, load_event("api_post_digest_long.json"))
    assert response["statusCode"] == 202
    job_id = accepted["job_id"]
    assert job_id.startswith("j_")
    assert accepted["status_url"] == f"/v1/digests/{job_id}"
    assert header(response, "Location") == accepted["status_url"]

    status_event = load_event("api_get_digest_job.json")
    status_event["path"] = accepted["status_url"]
    response, running = invoke(handler, status_event)
    assert response["statusCode"] == 202
    assert running["status"] in ("queued", "running")
    job_event = load_event("api_get_job.json")
    job_event["path"] = f"/v1/jobs/{job_id}"
    response, job = invoke(handler, job_event)
    assert response["statusCode"] == 200
    assert job["job_id"] == job_id

    # What Lambda's SQS poller does: hand the queued messages (this job's, and any an earlier test left)
    # to the worker function.
    worker = importlib.import_module("functions.worker.app").handler
    answers: list[Any] = []

    def work(event: dict[str, Any], context: Any) -> Any:
        answers.append(worker(event, context))
        return answers[-1]

    poller = QueuePoller(
        boto3.client("sqs"),
        api_env["TARJAMA_QUEUE_URL"],
        work,
        context_factory=lambda: LambdaContext(function_name="WorkerFunction", timeout_seconds=300),
    )
    handled = 0
    for _ in range(10):  # bounded
        count = poller.poll_once()
        if not count:
            break
        handled += count
    assert answers and not any((out or {}).get("batchItemFailures") for out in answers)
    assert handled >= 1

    response, done = invoke(handler, status_event)
    assert response["statusCode"] == 200, done
    assert done["id"].startswith("a_")
    assert done["translation"]["sentences"]


def logged(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> str:
    """Everything logged or printed: the log records with all their fields, and the EMF lines."""
    records = "\n".join(json.dumps(r.__dict__, default=str, ensure_ascii=False) for r in caplog.records)
    out = capsys.readouterr()
    return records + out.out + out.err


def test_unexpected_failure_is_a_500_with_request_id_and_no_text_in_logs(
    handler: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = "جملة سرية لا تظهر في السجلات"

    def broken(*args: Any, **kwargs: Any) -> Any:  # a fault we cannot provoke: a bug deep in the pipeline
        raise RuntimeError(f"boom while reading {secret}")

    monkeypatch.setattr(Digester, "digest", broken)
    event = load_event("api_post_digest.json", body=json.dumps({"text": secret}, ensure_ascii=False))
    response, body = invoke(handler, event)
    assert response["statusCode"] == 500
    request_id = event["requestContext"]["requestId"]
    assert body["error"]["code"] == "internal"
    assert body["error"]["details"] == {"request_id": request_id}
    assert "boom" not in response["body"]
    assert "Traceback" not in response["body"]
    logs = logged(caplog, capsys)
    assert request_id in logs
    assert "unhandled_error" in logs
    assert "RuntimeError" in logs
    assert secret not in logs


def test_logs_of_a_digest_hold_no_article_text(
    handler: Any, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    handler = new_handler()  # a miss and a model load too, not only a cache hit
    event = load_event("api_post_digest.json")
    payload = json.loads(event["body"])
    payload["text"] += "\n\nوأضاف المتحدث أن الاجتماع المقبل سيعقد في بغداد يوم الخميس."  # a miss
    event["body"] = json.dumps(payload, ensure_ascii=False)
    response, result = invoke(handler, event)
    assert response["statusCode"] == 200
    assert result["cached"] is False
    text = payload["text"]
    captured = logged(caplog, capsys)
    assert '"msg": "request"' in captured  # the request was logged (and measured)
    assert "TokensTranslated" in captured
    for line in text.splitlines():
        if len(line.strip()) > 20:
            assert line.strip() not in captured


def test_openapi_and_docs(handler: Any) -> None:
    _, spec = invoke(handler, load_event("api_get_openapi.json"))
    assert set(spec["paths"]) == {
        "/v1/digests",
        "/v1/digests:batch",
        "/v1/digests/{digest_id}",
        "/v1/jobs/{job_id}",
        "/v1/health",
        "/v1/glossaries",
        "/v1/glossaries/{name}",
    }
    assert "ErrorResponse" in spec["components"]["schemas"]
    response, page = invoke(handler, load_event("api_get_docs.json"))
    assert header(response, "Content-Type") == "text/html; charset=utf-8"
    assert "/Prod/v1/docs/static/swagger-ui-bundle.js" in page  # the stage prefix is kept
    assert "https://" not in page  # no CDN
    assert "script-src 'self'" in (header(response, "Content-Security-Policy") or "")
    event = load_event("api_get_docs_static.json")
    event["path"] = "/v1/docs/static/..%2F..%2Fconfig.py"
    response, _ = invoke(handler, event)
    assert response["statusCode"] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/v1/digests/a_" + "f" * 5000,  # longer than any DynamoDB key
        "/v1/digests/a_<script>alert(1)</script>",
        "/v1/digests/j_\u202e..%00",
        "/v1/jobs/a_" + "0" * 40,  # a result id is not a job
        "/v1/jobs/j_" + "x" * 3000,
    ],
)
def test_hostile_ids_are_404_without_echoing_them_whole(handler: Any, path: str) -> None:
    event = load_event("api_get_digest.json")
    event["path"] = path
    response, body = invoke(handler, event)
    assert response["statusCode"] == 404
    assert body["error"]["code"] == "not_found"
    assert len(response["body"]) < 1000
    assert header(response, "Content-Type") == "application/json"
    assert "<script>" not in response["body"]  # echoed ids are clipped and their markup escaped
