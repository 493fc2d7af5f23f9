"""Fuzzing the body screen through the real API handler: whatever the body, never a 5xx.

Any failure of parsing a body is a `400 malformed_request` (issue 17: a JSON integer of more than 4,300
digits made Python raise `ValueError` past the screen, a `500`). Arbitrary bytes, arbitrary text with lone
surrogates, deep and wide JSON, huge numbers and strings, other encodings and content types are sent to
both body routes of functions/api/app.py (tiny models, the local AWS endpoint); each answer must be a
documented 2xx/4xx in the API's JSON error shape.
"""

from __future__ import annotations

import base64
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tarjama.errors import REGISTRY
from tarjama.local import LambdaContext

from tests.plugins.aws import handler_env

ROOT = Path(__file__).resolve().parents[2]
ROUTES = ["/v1/digests", "/v1/digests:batch", "/v1/glossaries/fuzz"]  # every route that reads a body
FUZZ = settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def handler(tiny_model_dir: Path, aws_endpoint: str) -> Iterator[Any]:
    with handler_env("fuzz", tiny_model_dir, TARJAMA_SUMMARY="none"):
        sys.path.insert(0, str(ROOT))
        yield importlib.import_module("functions.api.app").make_handler()


def post(
    handler: Any, path: str, body: str | bytes, ctype: str | None = "application/json"
) -> dict[str, Any]:
    """Send `body` (bytes travel base64-encoded, as API Gateway sends binary bodies) and check the answer:
    POST to the digest routes, PUT to a glossary."""
    b64 = isinstance(body, bytes)
    event = {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": "PUT" if path.startswith("/v1/glossaries/") else "POST",
        "headers": {"Content-Type": ctype} if ctype is not None else {},
        "multiValueHeaders": {"Content-Type": [ctype]} if ctype is not None else {},
        "requestContext": {"requestId": "fuzz", "path": f"/Prod{path}", "stage": "Prod"},
        "body": base64.b64encode(body).decode("ascii") if isinstance(body, bytes) else body,
        "isBase64Encoded": b64,
    }
    response: dict[str, Any] = handler(event, LambdaContext(function_name="ApiFunction", timeout_seconds=29))
    status = response["statusCode"]
    assert status < 500, response["body"][:400]
    assert status in {200, 202} | {c.status for c in REGISTRY.values()}
    if status >= 400:
        error = json.loads(response["body"])["error"]
        assert set(error) == {"code", "message", "details"}
        assert REGISTRY[error["code"]].status == status
    return response


def code_of(response: dict[str, Any]) -> str:
    return str(json.loads(response["body"])["error"]["code"])


# ------------------------------------------------------------------------------------------- the regression


@pytest.mark.parametrize("path", ROUTES[:2])
@pytest.mark.parametrize(
    "body",
    [
        '{"text": 1' + "0" * 5000 + "}",  # more than 4,300 digits: Python's int() refuses it (ValueError)
        '{"text": "قال", "options": {"beam_size": -' + "9" * 4400 + "}}",
        "[" + "1" * 4301 + "]",
    ],
    ids=["value", "option", "array"],
)
def test_a_number_of_thousands_of_digits_is_a_malformed_request(handler: Any, path: str, body: str) -> None:
    response = post(handler, path, body)
    assert response["statusCode"] == 400
    assert code_of(response) == "malformed_request"


@pytest.mark.parametrize(
    "body",
    [
        '{"terms": [{"ar": 1' + "0" * 5000 + ', "en": "x"}]}',
        "[" * 100_000 + "]" * 100_000,  # deeper than the interpreter's stack: RecursionError
    ],
    ids=["number", "nesting"],
)
def test_a_glossary_the_parser_refuses_is_a_glossary_invalid(handler: Any, body: str) -> None:
    response = post(handler, "/v1/glossaries/fuzz", body)
    assert response["statusCode"] == 400
    assert code_of(response) == "glossary_invalid"
    assert json.loads(response["body"])["error"]["details"]["reason"] == "bad_json"


def test_a_number_of_many_digits_the_parser_takes_is_validated_not_refused(handler: Any) -> None:
    response = post(handler, "/v1/digests", '{"text": "قال", "options": {"beam_size": ' + "9" * 4000 + "}}")
    assert response["statusCode"] == 422
    assert code_of(response) == "invalid_input"


# ------------------------------------------------------------------------------------------- fuzzing

ANY_CHAR = st.characters(exclude_categories=())  # lone surrogates too
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**4000), max_value=10**4000)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(ANY_CHAR, max_size=40)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(ANY_CHAR, max_size=10), inner, max_size=6)
    ),
    max_leaves=40,
)
FIELDS = st.sampled_from(["text", "html", "options", "ref", "items", "summary", ""])


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A JSON text shaped like a request, or not: the top level, a field, an option or a batch item."""
    value = draw(JSON_VALUES)
    shape = draw(st.sampled_from(["top", "field", "option", "item"]))
    if shape == "field":
        value = {draw(FIELDS): value}
    elif shape == "option":
        value = {"text": "قال الوزير إن المحادثات ستستأنف.", "options": {draw(FIELDS): value}}
    elif shape == "item":
        value = {"items": [{"text": value}, value]}
    return json.dumps(value, ensure_ascii=draw(st.booleans()))


@st.composite
def nested(draw: st.DrawFn) -> str:
    """Deep (up to thousands of levels) or wide (thousands of members) JSON, well formed or cut short."""
    depth = draw(st.integers(min_value=1, max_value=5000))
    width = draw(st.integers(min_value=0, max_value=5000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    core = "[" + ",".join(["0"] * width) + "]" if width else "0"
    text = opener * depth + core + closer * depth
    return text[: draw(st.integers(min_value=0, max_value=len(text)))] if draw(st.booleans()) else text


@st.composite
def numbers(draw: st.DrawFn) -> str:
    """A JSON number literal of up to 20,000 digits, signed, with a fraction or an exponent or neither
    (written as text: Python itself refuses to turn an int of more than 4,300 digits into a string)."""
    digits = draw(st.integers(min_value=1, max_value=20_000))
    first = draw(st.sampled_from("123456789"))
    literal = draw(st.sampled_from(["", "-"])) + first + draw(st.sampled_from("0123456789")) * (digits - 1)
    literal += draw(st.sampled_from(["", ".5", "e308", "e-99999", "E+99999"]))
    where = draw(
        st.sampled_from(['{"text": %s}', '{"text": "قال", "options": {"beam_size": %s}}', "[%s]", "%s"])
    )
    return where % literal


@st.composite
def encoded(draw: st.DrawFn) -> bytes:
    """A request (or any JSON) in an encoding other than UTF-8, or UTF-8 with a byte-order mark."""
    text = draw(documents())
    encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "utf-8-sig", "cp1256", "latin-1"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(body=st.binary(max_size=2048), path=st.sampled_from(ROUTES))
def test_arbitrary_bytes_never_get_a_5xx(handler: Any, body: bytes, path: str) -> None:
    post(handler, path, body)


@FUZZ
@given(body=st.text(ANY_CHAR, max_size=400), path=st.sampled_from(ROUTES))
def test_arbitrary_text_never_gets_a_5xx(handler: Any, body: str, path: str) -> None:
    post(handler, path, body)


@FUZZ
@given(body=documents(), path=st.sampled_from(ROUTES))
def test_arbitrary_json_never_gets_a_5xx(handler: Any, body: str, path: str) -> None:
    post(handler, path, body)


@FUZZ
@given(body=nested(), path=st.sampled_from(ROUTES))
def test_deep_and_wide_json_never_gets_a_5xx(handler: Any, body: str, path: str) -> None:
    post(handler, path, body)


@FUZZ
@given(body=numbers(), path=st.sampled_from(ROUTES))
def test_huge_numbers_never_get_a_5xx(handler: Any, body: str, path: str) -> None:
    post(handler, path, body)


@FUZZ
@given(body=encoded(), path=st.sampled_from(ROUTES))
def test_other_encodings_never_get_a_5xx(handler: Any, body: bytes, path: str) -> None:
    response = post(handler, path, body)
    if response["statusCode"] == 200:
        body.decode("utf-8")  # only a UTF-8 body is ever digested: this raises for any other


@FUZZ
@given(
    size=st.integers(min_value=0, max_value=1_200_000),
    char=st.sampled_from(["a", "\\", '"', "\u202e"]),
    path=st.sampled_from(ROUTES),
)
def test_huge_strings_never_get_a_5xx(handler: Any, size: int, char: str, path: str) -> None:
    post(handler, path, '{"text": "' + char * size + '"}')


@FUZZ
@given(extra=st.integers(min_value=1, max_value=600_000), ascii_only=st.booleans())
def test_arabic_past_the_article_or_body_limit_is_too_large(
    handler: Any, extra: int, ascii_only: bool
) -> None:
    body = json.dumps({"text": "ا" * (100_000 + extra)}, ensure_ascii=ascii_only)
    response = post(handler, "/v1/digests", body)
    assert response["statusCode"] == 413
    assert code_of(response) == "too_large"


@FUZZ
@given(
    ctype=st.one_of(
        st.none(),
        st.text(ANY_CHAR, max_size=60),
        st.sampled_from(["text/plain", "application/json; charset=latin-1"]),
    ),
    body=st.binary(max_size=200),
)
def test_any_content_type_never_gets_a_5xx(handler: Any, ctype: str | None, body: bytes) -> None:
    post(handler, "/v1/digests", body, ctype)
