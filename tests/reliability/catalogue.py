"""The catalogue of hostile and broken input: one table, each case with the answer it must get.

The same table drives the API handler (REST proxy events, as API Gateway sends them) and `tarjama serve`
over real HTTP, and is what `docs/reliability.md` lists. A case's body is built lazily (some are 10 MB).

Every answer is also checked for what must never be in it, whatever the case: a stack trace, executable
markup (`<script`, `onerror=`, `javascript:`), or a raw invisible direction control.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# A short real article (two paragraphs of seed 002), the carrier of the cases that must succeed.
ARTICLE = (
    "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في القاهرة بمشاركة وفود من عدة دول.\n\n"
    "وأضاف أن الجولة السابقة انتهت دون اتفاق، لكن الأطراف أبدت استعدادها لمواصلة الحوار."
)
CHROME_ONLY = "\n".join(
    [
        "الرئيسية",
        "عاجل",
        "شارك",
        "تابعونا على فيسبوك",
        "اقرأ أيضا",
        "جميع الحقوق محفوظة © 2024",
        "12/03/2024",
    ]
)
HOSTILE_HTML = f"""<!doctype html><html><head><title>خبر</title>
<style>body{{background:url("javascript:alert(1)")}}</style>
<script>alert(document.cookie)</script><script src="https://evil.example/x.js"></script></head>
<body onload="alert(1)"><nav><a href="javascript:alert(2)">الرئيسية</a></nav>
<iframe src="javascript:alert(3)"></iframe><iframe srcdoc="<script>alert(4)</script>"></iframe>
<article><h1>محادثات القاهرة</h1>
<p onclick="alert(5)">{ARTICLE.split(chr(10), maxsplit=1)[0]}</p>
<img src="x" onerror="alert(6)"><svg onload="alert(7)"></svg>
<p>{ARTICLE.rsplit(chr(10), maxsplit=1)[-1]}<a href="javascript:alert(8)">المزيد</a></p>
<object data="javascript:alert(9)"></object><embed src="javascript:alert(10)"></article>
</body></html>"""
SCRIPT_ONLY_HTML = "<html><body><script>alert('قال الوزير إن المحادثات ستستأنف')</script></body></html>"
CONTROLS = "\u202e\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u200b\u200d\ufeff\x00\x07\x1b[31m\x7f"

# Strings that must never appear in any response body (lower-cased comparison).
NEVER_IN_RESPONSE = ("<script", "onerror=", "onload=", "javascript:", "traceback (most recent call last)")
RAW_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def js(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def one_char_lines() -> str:
    return "ا\n" * 100_000


def one_megabyte_line() -> str:
    words = ["كلمة", "أخرى", "بلا", "ترقيم", "هنا"]
    out: list[str] = []
    size = 0
    i = 0
    while size < 1_000_000:
        word = words[i % len(words)]
        out.append(word)
        size += len(word.encode()) + 1
        i += 1
    return " ".join(out)


@dataclass(frozen=True)
class Case:
    name: str
    body: Callable[[], bytes]
    status: int
    code: str | None  # the error code; None for a success
    group: str
    ctype: str | None = "application/json"
    method: str = "POST"
    path: str = "/v1/digests"
    ref: str | None = None  # a success must echo it unchanged
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def expected(self) -> str:
        return f"{self.status} {self.code or 'ok'}"


def _c(name: str, group: str, body: Callable[[], bytes], status: int, code: str | None, **kw: object) -> Case:
    return Case(name=name, body=body, status=status, code=code, group=group, **kw)  # type: ignore[arg-type]


def _wrong(name: str, payload: object) -> Case:
    return _c(f"wrong type: {name}", "wrong types", lambda: js(payload), 422, "invalid_input")


CASES: list[Case] = [
    # ------------------------------------------------------------------ empty and chrome
    _c("empty text", "empty", lambda: js({"text": ""}), 422, "empty_after_cleaning"),
    _c(
        "whitespace-only text",
        "empty",
        lambda: js({"text": " \n\t\u00a0\u3000 \r\n "}),
        422,
        "empty_after_cleaning",
    ),
    _c(
        "zero-width and tatweel only",
        "empty",
        lambda: js({"text": "\u200b\u200c\u0640\u0640\ufeff"}),
        422,
        "empty_after_cleaning",
    ),
    _c("only page chrome", "empty", lambda: js({"text": CHROME_ONLY}), 422, "empty_after_cleaning"),
    _c("html: script only", "empty", lambda: js({"html": SCRIPT_ONLY_HTML}), 422, "empty_after_cleaning"),
    _c("empty body", "empty", lambda: b"", 400, "malformed_request"),
    # ------------------------------------------------------------------ script
    _c(
        "Latin-only text",
        "script",
        lambda: js({"text": "The minister said talks resume next week."}),
        422,
        "not_arabic",
    ),
    _c(
        "digits and punctuation only (a bare-date line: chrome)",
        "script",
        lambda: js({"text": "2024 - 12:30 ... 45%!"}),
        422,
        "empty_after_cleaning",
    ),
    _c(
        "mixed-script article",
        "script",
        lambda: js(
            {"text": ARTICLE + "\n\nوقال John Kerry إن نسبة النمو بلغت 3.5% في Q3 2024.", "ref": "mixed-1"}
        ),
        200,
        None,
        ref="mixed-1",
    ),
    _c(
        "Persian/Urdu letters with the Arabic",
        "script",
        lambda: js({"text": ARTICLE + "\n\nگفت که پیشرفت خوب بود.", "ref": "fa"}),
        200,
        None,
        ref="fa",
    ),
    # ------------------------------------------------------------------ size
    _c("10 MB body", "size", lambda: b'{"text": "' + b"x" * (10 * 1024 * 1024) + b'"}', 413, "too_large"),
    _c("article over max_chars (100,001)", "size", lambda: js({"text": "ا" * 100_001}), 413, "too_large"),
    _c("100,000 one-character lines", "size", lambda: js({"text": one_char_lines()}), 413, "too_large"),
    _c(
        "single 1 MB line, no punctuation",
        "size",
        lambda: js({"text": one_megabyte_line()}),
        413,
        "too_large",
    ),
    # ------------------------------------------------------------------ encoding and syntax
    _c("random bytes", "encoding", lambda: random.Random(9).randbytes(4096), 400, "malformed_request"),
    _c(
        "invalid UTF-8 in a string",
        "encoding",
        lambda: b'{"text": "\xd9\x82\xff\xfe\xd9"}',
        400,
        "malformed_request",
    ),
    _c("overlong UTF-8 encoding", "encoding", lambda: b'{"text": "\xc0\xaf"}', 400, "malformed_request"),
    _c(
        "lone surrogate escape",
        "encoding",
        lambda: b'{"text": "\\ud800 \xd9\x82\xd8\xa7\xd9\x84"}',
        400,
        "malformed_request",
    ),
    _c(
        "UTF-16 body",
        "encoding",
        lambda: json.dumps({"text": ARTICLE}).encode("utf-16"),
        400,
        "malformed_request",
    ),
    _c(
        "JSON nested 10,000 deep (arrays)",
        "encoding",
        lambda: b"[" * 10_000 + b"]" * 10_000,
        400,
        "malformed_request",
    ),
    _c(
        "JSON nested 10,000 deep (objects)",
        "encoding",
        lambda: b'{"text": "x", "options": ' + b'{"a": ' * 10_000 + b"1" + b"}" * 10_001,
        400,
        "malformed_request",
    ),
    _c("truncated JSON", "encoding", lambda: b'{"text": "\xd9\x82\xd8\xa7\xd9\x84', 400, "malformed_request"),
    _c(
        "JSON with trailing garbage",
        "encoding",
        lambda: js({"text": ARTICLE}) + b" }{",
        400,
        "malformed_request",
    ),
    _c(
        "NaN literal",
        "encoding",
        lambda: b'{"text": "x", "options": {"beam_size": NaN}}',
        422,
        "invalid_input",
    ),
    # ------------------------------------------------------------------ media type
    _c(
        "form body",
        "media type",
        lambda: b"text=hello",
        415,
        "unsupported_media_type",
        ctype="application/x-www-form-urlencoded",
    ),
    _c(
        "text/plain body",
        "media type",
        lambda: js({"text": ARTICLE}),
        415,
        "unsupported_media_type",
        ctype="text/plain",
    ),
    _c(
        "JSON in latin-1 charset",
        "media type",
        lambda: js({"text": ARTICLE}),
        415,
        "unsupported_media_type",
        ctype="application/json; charset=latin-1",
    ),
    _c(
        "multipart body",
        "media type",
        lambda: b"--x\r\n\r\nhi\r\n--x--",
        415,
        "unsupported_media_type",
        ctype="multipart/form-data; boundary=x",
    ),
    # ------------------------------------------------------------------ wrong types, every field
    _wrong("body is an array", [ARTICLE]),
    _wrong("body is a string", ARTICLE),
    _wrong("body is a number", 42),
    _wrong("body is null", None),
    _wrong("text is a number", {"text": 42}),
    _wrong("text is a list", {"text": [ARTICLE]}),
    _wrong("text is an object", {"text": {"ar": ARTICLE}}),
    _wrong("text is a boolean", {"text": True}),
    _wrong("text is null", {"text": None}),
    _wrong("html is a number", {"html": 7}),
    _wrong("html is null", {"html": None}),
    _wrong("both text and html", {"text": ARTICLE, "html": "<p>x</p>"}),
    _wrong("neither text nor html", {"ref": "nothing"}),
    _wrong("options is a string", {"text": ARTICLE, "options": "extractive"}),
    _wrong("options is a list", {"text": ARTICLE, "options": ["summary"]}),
    _wrong("summary is a number", {"text": ARTICLE, "options": {"summary": 3}}),
    _wrong("summary is an unknown mode", {"text": ARTICLE, "options": {"summary": "poem"}}),
    _wrong("summary_sentences is a word", {"text": ARTICLE, "options": {"summary_sentences": "three"}}),
    _wrong("summary_sentences is a fraction", {"text": ARTICLE, "options": {"summary_sentences": 2.5}}),
    _wrong("summary_sentences is 0", {"text": ARTICLE, "options": {"summary_sentences": 0}}),
    _wrong("summary_sentences is huge", {"text": ARTICLE, "options": {"summary_sentences": 10**30}}),
    _wrong("beam_size is text", {"text": ARTICLE, "options": {"beam_size": "4x"}}),
    _wrong("beam_size is negative", {"text": ARTICLE, "options": {"beam_size": -1}}),
    _wrong("beam_size is a list", {"text": ARTICLE, "options": {"beam_size": [4]}}),
    _wrong("ref is a number", {"text": ARTICLE, "ref": 5}),
    _wrong("ref is an object", {"text": ARTICLE, "ref": {"id": 1}}),
    _wrong("ref over 256 characters", {"text": ARTICLE, "ref": "r" * 257}),
    _wrong("batch: items is an object", {"items": {"text": ARTICLE}}),
    # ------------------------------------------------------------------ unknown names
    _c(
        "unknown option name",
        "unknown names",
        lambda: js({"text": ARTICLE, "options": {"temperature": 1}}),
        422,
        "invalid_input",
    ),
    _c(
        "unknown option: backend (server's choice)",
        "unknown names",
        lambda: js({"text": ARTICLE, "options": {"backend": "transformers"}}),
        422,
        "invalid_input",
    ),
    _c(
        "unknown top-level field",
        "unknown names",
        lambda: js({"text": ARTICLE, "lang": "ar"}),
        422,
        "invalid_input",
    ),
    _c(
        "__proto__ field",
        "unknown names",
        lambda: js({"text": ARTICLE, "__proto__": {"admin": True}}),
        422,
        "invalid_input",
    ),
    # ------------------------------------------------------------------ markup and controls
    _c(
        "HTML with scripts, styles, iframes, handlers",
        "markup",
        lambda: js({"html": HOSTILE_HTML, "ref": "html-1"}),
        200,
        None,
        ref="html-1",
    ),
    _c(
        "script tags inside plain text",
        "markup",
        lambda: js(
            {
                "text": ARTICLE + "\n\n<script>alert(1)</script><img src=x onerror=alert(2)>",
                "ref": "txt-script",
            }
        ),
        200,
        None,
        ref="txt-script",
    ),
    _c(
        "ref holding markup",
        "markup",
        lambda: js({"text": ARTICLE, "ref": "<script>alert(1)</script>"}),
        200,
        None,
        ref="<script>alert(1)</script>",
    ),
    _c(
        "RTL override and controls in the text",
        "controls",
        lambda: js(
            {"text": CONTROLS + ARTICLE.replace("القاهرة", "القا\u202eهرة") + CONTROLS, "ref": "ctl-1"}
        ),
        200,
        None,
        ref="ctl-1",
    ),
    _c(
        "RTL override and controls in the ref",
        "controls",
        lambda: js({"text": ARTICLE, "ref": "a\u202eb\u2066c\x00d"}),
        200,
        None,
        ref="a\u202eb\u2066c\x00d",
    ),
    _c(
        "controls only (ESC[31m leaves Latin letters)",
        "controls",
        lambda: js({"text": CONTROLS * 10}),
        422,
        "not_arabic",
    ),
    # ------------------------------------------------------------------ other routes
    _c(
        "batch of one wrong item",
        "routes",
        lambda: js({"items": [{"text": 1}]}),
        422,
        "invalid_input",
        path="/v1/digests:batch",
    ),
    _c(
        "batch of 65 items",
        "routes",
        lambda: js({"items": [{"text": ARTICLE}] * 65}),
        422,
        "invalid_input",
        path="/v1/digests:batch",
    ),
    _c(
        "id with path traversal",
        "routes",
        lambda: b"",
        404,
        "not_found",
        method="GET",
        path="/v1/digests/..%2F..%2Fetc%2Fpasswd",
        ctype=None,
    ),
    _c(
        "id of 5,000 characters",
        "routes",
        lambda: b"",
        404,
        "not_found",
        method="GET",
        path="/v1/digests/a_" + "f" * 5000,
        ctype=None,
    ),
    _c(
        "job id with script",
        "routes",
        lambda: b"",
        404,
        "not_found",
        method="GET",
        path="/v1/jobs/j_%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        ctype=None,
    ),
    _c("DELETE on digests", "routes", lambda: b"", 405, "method_not_allowed", method="DELETE", ctype=None),
]


def by_id() -> dict[str, Case]:
    return {case.name: case for case in CASES}
