"""Request screening: every hostile body gets its documented error, fast, without recursion."""

from __future__ import annotations

import base64
import json

import pytest
from tarjama.api.digesting import estimate_tokens
from tarjama.api.errors import validation_error
from tarjama.api.http import dumps
from tarjama.api.screen import MAX_JSON_DEPTH, screen_body
from tarjama.config import Settings
from tarjama.errors import MalformedRequestError, TooLargeError, UnsupportedMediaTypeError
from tarjama.pipeline import effective_options
from tarjama.result import DigestOptions

LIMIT = 4096


def event(body: str | None, ctype: str | None = "application/json", b64: bool = False) -> dict[str, object]:
    headers = {"Content-Type": ctype} if ctype is not None else {}
    return {
        "httpMethod": "POST",
        "path": "/v1/digests",
        "headers": headers,
        "body": body,
        "isBase64Encoded": b64,
    }


@pytest.mark.parametrize(
    "ctype",
    [
        None,
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        'application/json;charset="UTF-8"',
    ],
)
def test_json_content_types_are_accepted(ctype: str | None) -> None:
    screened = screen_body(event('{"text": "x"}', ctype), LIMIT)
    assert screened["body"] == '{"text": "x"}'


@pytest.mark.parametrize(
    "ctype",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=latin-1",
    ],
)
def test_other_content_types_are_415(ctype: str) -> None:
    with pytest.raises(UnsupportedMediaTypeError) as info:
        screen_body(event('{"text": "x"}', ctype), LIMIT)
    assert info.value.status == 415


def test_body_over_the_limit_is_413_with_the_limit_in_the_message() -> None:
    with pytest.raises(TooLargeError) as info:
        screen_body(event('{"text": "' + "ا" * LIMIT + '"}'), LIMIT)
    assert f"{LIMIT:,}" in info.value.message
    assert info.value.details == {"limit_bytes": LIMIT}


def test_multibyte_body_counts_bytes_not_characters() -> None:
    body = '{"text": "' + "ا" * (LIMIT // 2) + '"}'  # fewer characters than LIMIT, more bytes
    assert len(body) < LIMIT < len(body.encode())
    with pytest.raises(TooLargeError):
        screen_body(event(body), LIMIT)


def test_base64_body_is_decoded_and_checked() -> None:
    raw = json.dumps({"text": "قال"}).encode()
    screened = screen_body(event(base64.b64encode(raw).decode(), b64=True), LIMIT)
    assert json.loads(str(screened["body"])) == {"text": "قال"}
    assert screened["isBase64Encoded"] is False


@pytest.mark.parametrize(
    ("body", "b64", "fragment"),
    [
        (base64.b64encode(b'{"text": "\xff\xfe"}').decode(), True, "UTF-8"),
        ("not base64 !!", True, "base64"),
        ('{"text": "\ud800"}', False, "UTF-8"),  # a lone surrogate cannot be encoded
        ('{"text": "\\ud800"}', False, "surrogate"),  # an escaped one parses, and is refused after
        ("", False, "empty"),
        ("   ", False, "empty"),
        ('{"text": ', False, "not valid JSON"),
        ("[" * 10_000 + "]" * 10_000, False, "nested"),
        ("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1), False, "nested"),
        ('{"a":' * 500 + "1" + "}" * 500, False, "nested"),
        ('{"text": 1' + "0" * 5000 + "}", False, "cannot be parsed"),  # int() refuses > 4,300 digits
    ],
)
def test_malformed_bodies_are_400(body: str, b64: bool, fragment: str) -> None:
    with pytest.raises(MalformedRequestError) as info:
        screen_body(event(body, b64=b64), 1 << 20)
    assert info.value.status == 400
    assert fragment in info.value.message


def test_depth_at_the_limit_is_fine() -> None:
    body = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert screen_body(event(body), LIMIT)["body"] == body


def test_error_details_never_echo_the_input() -> None:
    huge = "<script>alert(1)</script>" * 10_000
    err = validation_error([{"loc": ("body", huge), "type": "string_type", "msg": huge, "input": huge}])
    blob = dumps(err.to_dict())
    assert len(blob) < 2000
    assert "input" not in err.details["errors"][0]
    assert err.code == "invalid_input"


def test_validation_errors_are_capped() -> None:
    err = validation_error([{"loc": ("body", i), "type": "x", "msg": "bad"} for i in range(500)])
    assert len(err.details["errors"]) == 20
    assert err.details["truncated"] == 480


def test_invisible_controls_are_escaped_in_output() -> None:
    text = "ref\u202egnp.exe\u2066\u200f\u2028"
    out = dumps({"ref": text})
    assert all(c not in out for c in "\u202e\u2066\u200f\u2028")
    assert json.loads(out) == {"ref": text}
    assert "قال" in dumps({"t": "قال"})  # Arabic stays readable


@pytest.mark.timeout(60)  # a quadratic scan of these would take hours
def test_token_estimate_is_linear_on_hostile_html() -> None:
    assert estimate_tokens("<" * 1_000_000 + "قال الوزير", "html") == 4
    assert estimate_tokens("<script " * 100_000, "html") > 0
    assert estimate_tokens("<p>قال الوزير</p>", "html") == estimate_tokens("قال الوزير", "text")


def test_options_left_out_take_the_server_defaults() -> None:
    settings = Settings(summary="none", summary_sentences=5, beam_size=2, model_type="latency_optimized")
    assert effective_options(None, settings) == DigestOptions(
        summary="none", summary_sentences=5, beam_size=2, model_type="latency_optimized"
    )
    chosen = DigestOptions.model_validate({"beam_size": 6, "model_type": "quality_optimized"})
    assert effective_options(chosen, settings) == DigestOptions(
        summary="none", summary_sentences=5, beam_size=6, model_type="quality_optimized"
    )
    unset = DigestOptions.model_validate({"model_type": None})  # an explicit null is the server's tier
    assert effective_options(unset, settings).model_type == "latency_optimized"
