"""Every case of the catalogue against the API handler and against `tarjama serve` over HTTP.

The answers must be the documented status and error code, in the one error shape; a success must echo its
`ref` unchanged; and no answer, success or not, may carry a stack trace, executable markup or a raw
direction control. The largest inputs are also given to `clean` and `segment` directly, which must cope
(they sit behind the size limit in the service, but the CLI and the bulk path call them too).
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests

from tests.plugins.serve import Server
from tests.reliability.catalogue import (
    CASES,
    NEVER_IN_RESPONSE,
    RAW_BIDI,
    Case,
    one_char_lines,
    one_megabyte_line,
)
from tests.reliability.conftest import Api
from tests.reliability.results import Recorder

IDS = [case.name for case in CASES]


def check_answer(case: Case, status: int, headers: dict[str, str], data: bytes) -> dict[str, Any]:
    """The checks every answer gets; returns what the record keeps of it."""
    text = data.decode("utf-8")  # every answer is UTF-8 JSON, whatever came in
    assert headers.get("content-type", "").startswith("application/json"), headers
    assert headers.get("x-content-type-options") == "nosniff"
    lowered = text.lower()
    for marker in NEVER_IN_RESPONSE:
        assert marker not in lowered, f"{marker!r} echoed back"
    assert not any(c in text for c in RAW_BIDI), "a raw direction control in the answer"
    body = json.loads(text)
    assert (status, body.get("error", {}).get("code")) == (case.status, case.code), text[:400]
    if case.code is not None:
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    elif case.ref is not None:
        assert body["ref"] == case.ref
        assert body["translation"]["sentences"], "a success translates something"
    return {"status": status, "code": case.code, "bytes_in": len(case.body()), "bytes_out": len(data)}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_through_the_handler(api: Api, case: Case, recorder: Recorder) -> None:
    started = time.perf_counter()
    status, headers, data = api.request(case.method, case.path, case.body(), case.ctype)
    elapsed = (time.perf_counter() - started) * 1000
    kept = check_answer(case, status, headers, data)
    recorder.record("catalogue", case.name, via="handler", group=case.group, ms=round(elapsed, 1), **kept)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_over_http(served: Server, case: Case, recorder: Recorder) -> None:
    headers = {"Content-Type": case.ctype} if case.ctype else {}
    started = time.perf_counter()
    # The path is sent as written (already %-encoded where needed): a prepared request keeps it.
    session = requests.Session()
    prepared = requests.Request(
        case.method, served.url + case.path, data=case.body(), headers=headers
    ).prepare()
    prepared.url = served.url + case.path
    response = session.send(prepared, timeout=120)
    elapsed = (time.perf_counter() - started) * 1000
    got = {k.lower(): v for k, v in response.headers.items()}
    kept = check_answer(case, response.status_code, got, response.content)
    recorder.record("catalogue", case.name, via="http", group=case.group, ms=round(elapsed, 1), **kept)


@pytest.mark.parametrize(
    ("name", "make"), [("100,000 one-character lines", one_char_lines), ("1 MB line", one_megabyte_line)]
)
def test_clean_and_segment_cope_with_the_largest_inputs(name: str, make: Any, recorder: Recorder) -> None:
    """Behind the service's limit these never reach the pipeline; the text core must still cope."""
    from tarjama.errors import TarjamaError
    from tarjama.text import Article, clean, segment, segment_article

    raw = make()
    started = time.perf_counter()
    try:
        article = clean(raw, "text")
    except TarjamaError as exc:  # a documented refusal is coping; anything else is not
        assert exc.code == "empty_after_cleaning", exc.code
        article = Article(title="", paragraphs=[], removed=[])
        outcome = exc.code
    else:
        outcome = "cleaned"
    cleaned = time.perf_counter()
    sentences = segment_article(article, max_length=200, length=lambda s: len(s.split()) + 1)
    done = time.perf_counter()
    # segment on the raw text too: the CLI's `tarjama segment` gets it without cleaning
    raw_sentences = segment(raw)
    raw_done = time.perf_counter()
    assert all(s.text.strip() for s in raw_sentences)
    source = set(raw)
    assert all(set(s.text) <= source | {" "} for s in sentences), "segment invented characters"
    assert all(len(s.text.split()) + 1 <= 200 for s in sentences), "a sentence over the model budget"
    if "lines" in name:
        assert all(s.text.strip() for s in sentences)
    else:
        assert sentences, "a megabyte of words is still text"
        assert sum(len(s.text.split()) for s in sentences) == len(raw.split()), "no word lost or added"
    recorder.record(
        "direct",
        name,
        chars=len(raw),
        outcome=outcome,
        raw_segments=len(raw_sentences),
        raw_segment_ms=round((raw_done - done) * 1000, 1),
        paragraphs=len(article.paragraphs),
        sentences=len(sentences),
        removed=len(article.removed),
        clean_ms=round((cleaned - started) * 1000, 1),
        segment_ms=round((done - cleaned) * 1000, 1),
    )
