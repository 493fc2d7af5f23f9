"""docs/deploy.md's signing example works: it signs a request that a loopback server receives with a
well-formed SigV4 Authorization header, and the signature verifies when recomputed from what arrived."""

from __future__ import annotations

import importlib.util
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.request import urlopen

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "docs" / "examples" / "sign_request.py"
CREDS = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token")
AUTH = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\d{8}/eu-west-1/execute-api/aws4_request, "
    r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$"
)


def _load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sign_request_example", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Recorder(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []  # noqa: RUF012 - one server per test

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        self.seen.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
        payload = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    _Recorder.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_example_signs_a_request_the_server_can_verify(server: str) -> None:
    example = _load_example()
    url = f"{server}/prod/v1/digests:batch"
    body = {"items": [{"text": "قال المتحدث إن الاجتماع سيعقد غدا."}]}
    request = example.signed_request("POST", url, body, region="eu-west-1", credentials=CREDS, api_key="k1")
    with urlopen(request, timeout=10) as response:  # loopback
        assert json.load(response) == {"ok": True}

    (seen,) = _Recorder.seen
    headers = {k.lower(): v for k, v in seen["headers"].items()}
    match = AUTH.match(headers["authorization"])
    assert match, headers["authorization"]
    signed = match.group(1).split(";")
    assert {"host", "x-amz-date", "x-amz-security-token", "content-type", "x-api-key"} <= set(signed)
    assert headers["x-amz-security-token"] == "session-token"
    assert seen["path"] == "/prod/v1/digests:batch"
    assert json.loads(seen["body"]) == body

    # recompute the signature from what the server received, at the same instant: it must match
    again = AWSRequest(
        method="POST",
        url=server + seen["path"],
        data=seen["body"],
        headers={h: headers[h] for h in signed if h not in ("host", "x-amz-date", "x-amz-security-token")},
    )
    again.context["timestamp"] = headers["x-amz-date"]
    SigV4Auth(CREDS, "execute-api", "eu-west-1").add_auth(again)
    assert again.headers["Authorization"] == headers["authorization"]


def test_region_is_read_from_the_api_url() -> None:
    example = _load_example()
    assert example.region_of("https://abc123.execute-api.ap-south-1.amazonaws.com/prod/v1/") == "ap-south-1"


def test_deploy_doc_shows_the_example() -> None:
    doc = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "docs/examples/sign_request.py" in doc
    assert "SigV4Auth" in doc
