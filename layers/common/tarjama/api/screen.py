"""Screening of request bodies before the router and pydantic see them.

Powertools parses JSON bodies itself, but it would answer some hostile bodies badly: a body of invalid UTF-8
or JSON nested thousands deep raises inside the framework (a 500), form data would be accepted as a body,
and size is not checked at all. So every body route gets its body checked here first, in this order, each
failure with its documented code:

1. content type: `application/json`, optionally `; charset=utf-8` (missing counts as JSON) -> else `415`
2. size: at most `settings.max_body_bytes` bytes -> else `413 too_large`
3. encoding: base64 when API Gateway says so, then strict UTF-8 -> else `400 malformed_request`
4. syntax: JSON, nested at most `MAX_JSON_DEPTH` deep, no lone surrogates -> else `400 malformed_request`;
   any failure of parsing at all is a `400`, never a `500` (not only the kinds listed here: the class of
   failure, e.g. Python's refusal of an integer of more than 4,300 digits, a `ValueError`)

It runs as the first middleware of a body route (`tarjama.api.middleware`), before the framework parses the
body for validation: a body that passes here parses there too.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

from tarjama.errors import MalformedRequestError, TooLargeError, UnsupportedMediaTypeError

MAX_JSON_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


def header(event: Mapping[str, Any], name: str) -> str | None:
    """A request header, case-insensitively, from `headers` or `multiValueHeaders` (REST API v1 events)."""
    wanted = name.lower()
    for key, value in (event.get("headers") or {}).items():
        if str(key).lower() == wanted and value is not None:
            return str(value)
    for key, values in (event.get("multiValueHeaders") or {}).items():
        if str(key).lower() == wanted and values:
            return str(values[0])
    return None


def check_content_type(value: str | None) -> None:
    if value is None or not value.strip():
        return
    media, _, params = value.partition(";")
    media = media.strip().lower()
    if media != "application/json":
        raise UnsupportedMediaTypeError(
            f"Send the body as JSON with `Content-Type: application/json`, not `{media[:60]}`.",
            details={"accepted": ["application/json"]},
        )
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise UnsupportedMediaTypeError(
                "Only UTF-8 JSON bodies are accepted (`charset=utf-8`).",
                details={"accepted": ["application/json; charset=utf-8"]},
            )


def body_bytes(event: Mapping[str, Any], max_bytes: int) -> bytes:
    raw = event.get("body")
    if raw is None:
        return b""
    too_large = TooLargeError(
        f"The request body is larger than the limit of {max_bytes:,} bytes.",
        details={"limit_bytes": max_bytes},
    )
    if not isinstance(raw, str):
        raise MalformedRequestError("The request body is not text.")
    if event.get("isBase64Encoded"):
        if len(raw) > (max_bytes * 4) // 3 + 4:
            raise too_large
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise MalformedRequestError("The request body is not valid base64.") from exc
    else:
        if len(raw) > max_bytes:  # every character is at least one byte
            raise too_large
        try:
            data = raw.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise MalformedRequestError("The request body is not valid UTF-8.") from exc
    if len(data) > max_bytes:
        raise too_large
    return data


def _check_structure(value: Any) -> None:
    """Depth and string sanity of a parsed document, iteratively (a hostile document cannot recurse us)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                raise MalformedRequestError("The request body holds an invalid (lone surrogate) character.")
            continue
        if isinstance(node, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise MalformedRequestError(
                    f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels.",
                    details={"max_depth": MAX_JSON_DEPTH},
                )
            if isinstance(node, dict):
                stack.extend((k, depth) for k in node)
                stack.extend((v, depth + 1) for v in node.values())
            else:
                stack.extend((v, depth + 1) for v in node)


def parse_json(data: bytes) -> tuple[str, Any]:
    """The body as text and as a parsed document, or `400 malformed_request` saying what is wrong."""
    if not data.strip():
        raise MalformedRequestError("The request body is empty; send a JSON object.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRequestError(
            "The request body is not valid UTF-8.", details={"byte_offset": exc.start}
        ) from exc
    try:
        document = json.loads(text)
    except RecursionError as exc:
        raise MalformedRequestError(
            f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels.",
            details={"max_depth": MAX_JSON_DEPTH},
        ) from exc
    except json.JSONDecodeError as exc:
        raise MalformedRequestError(
            f"The request body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).",
            details={"line": exc.lineno, "column": exc.colno},
        ) from exc
    except Exception as exc:  # whatever else the parser refuses (an integer of more than 4,300 digits, ...)
        raise MalformedRequestError(
            "The request body cannot be parsed as JSON (a value is beyond what the parser accepts, such as "
            "a number of thousands of digits).",
            details={"reason": type(exc).__name__},
        ) from exc
    _check_structure(document)
    return text, document


def screen_body(event: Mapping[str, Any], max_bytes: int) -> dict[str, Any]:
    """The event with its body checked and decoded to text; raises the documented error otherwise."""
    check_content_type(header(event, "content-type"))
    data = body_bytes(event, max_bytes)
    text, _ = parse_json(data)
    screened = dict(event)
    screened["body"] = text
    screened["isBase64Encoded"] = False
    return screened
