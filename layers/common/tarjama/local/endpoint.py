"""The local AWS endpoint: moto's server on loopback, started one way for `serve`, `bulk` and the tests.

boto3 finds the endpoint through its standard `AWS_ENDPOINT_URL`, so nothing in the service knows it is
local. The environment is changed only inside a `with` block (`scoped_environ`), and restored after.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from tarjama.local.account import FAKE_CREDENTIALS, region, region_environ


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_moto_server(port: int | None = None, timeout: float = 30.0) -> tuple[subprocess.Popen[bytes], str]:
    """Start moto's server on loopback and wait until it answers; returns the process and its URL."""
    port = port or free_port()
    moto = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"moto server exited with code {proc.returncode}")
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1).close()  # loopback only
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    proc.wait(timeout=5)
    raise RuntimeError("moto server did not start")


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate, then kill: a server busy with a big table may not exit at once."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)


@contextlib.contextmanager
def scoped_environ(values: Mapping[str, str | None]) -> Iterator[None]:
    """`os.environ` with `values` set (None: removed) for the block only; the settings cache is re-read
    on entry and on exit, so code reading `get_settings()` sees the block's environment and no later."""
    from tarjama.config import get_settings

    saved = {k: os.environ.get(k) for k in values}
    try:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old
        get_settings.cache_clear()


def endpoint_environ(url: str, region_name: str | None = None) -> dict[str, str]:
    """What boto3 needs to reach a local endpoint: its URL, credentials it accepts (never real ones), a
    region (the shell's unless given)."""
    return {"AWS_ENDPOINT_URL": url, **FAKE_CREDENTIALS, **region_environ(region_name or region())}


@contextlib.contextmanager
def local_endpoint(configured: str | None = None, *, region_name: str | None = None) -> Iterator[str]:
    """`configured` (an endpoint someone runs: DynamoDB Local, a real account), else moto's server started
    on 127.0.0.1; boto3 pointed at it for the block; the server stopped after."""
    if configured:
        with scoped_environ({"AWS_ENDPOINT_URL": configured}):
            yield configured
        return
    proc, url = start_moto_server()
    try:
        with scoped_environ(endpoint_environ(url, region_name)):
            yield url
    finally:
        stop_process(proc)


def local_client(service: str, url: str, region_name: str | None = None) -> Any:
    """A boto3 client for a local endpoint, configured explicitly (no environment read or changed)."""
    import boto3

    return boto3.client(
        service,
        endpoint_url=url,
        region_name=region_name or region(),
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
    )
