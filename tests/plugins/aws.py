"""A real local AWS endpoint for the test run: moto's server on 127.0.0.1.

Tests reach it through boto3 exactly as they would reach AWS: the endpoint comes from boto3's standard
`AWS_ENDPOINT_URL`. Set `TARJAMA_TEST_AWS_ENDPOINT` to run the same tests against DynamoDB Local or a real
account instead (then no server is started).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_moto_server(port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start moto's server on loopback and wait until it answers; returns the process and its URL."""
    port = port or _free_port()
    moto = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1).close()  # noqa: S310 - loopback only
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("moto server did not start")


@pytest.fixture(scope="session")
def aws_endpoint() -> Iterator[str]:
    """The endpoint URL of a real DynamoDB/S3/SQS HTTP API; environment set for boto3."""
    external = os.environ.get("TARJAMA_TEST_AWS_ENDPOINT")
    saved = {k: os.environ.get(k) for k in [*FAKE_CREDENTIALS, "AWS_ENDPOINT_URL"]}
    proc = None
    if external:
        url = external
    else:
        os.environ.update(FAKE_CREDENTIALS)
        proc, url = start_moto_server()
    os.environ["AWS_ENDPOINT_URL"] = url
    try:
        yield url
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
