"""`tarjama serve` as a user runs it, for the tests that talk HTTP to it: a subprocess on a loopback port
with tiny models and its embedded moto, and the API's error shape read back. Shared by
tests/integration/test_serve*.py and the reliability suite.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests
from tarjama.local.endpoint import free_port

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
TARJAMA = Path(sys.executable).with_name("tarjama")


def event_body(name: str) -> str:
    return str(json.loads((EVENTS / name).read_text(encoding="utf-8"))["body"])


class Server:
    def __init__(self, proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.proc, self.url, self.log = proc, url, log

    def post(self, path: str, data: bytes | str, ctype: str = "application/json") -> requests.Response:
        body = data.encode() if isinstance(data, str) else data
        return requests.post(self.url + path, data=body, headers={"Content-Type": ctype}, timeout=120)

    def get(self, path: str) -> requests.Response:
        return requests.get(self.url + path, timeout=60)


def start_server(model_dir: Path, tmp: Path, port: int | None = None) -> Server:
    """Start `tarjama serve` (on a free loopback port unless `port` is given) and wait for its health."""
    port = port or free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TARJAMA_", "AWS_"))}
    env.update({"TARJAMA_MODELS": "tiny", "TARJAMA_MODEL_DIR": str(model_dir), "TARJAMA_THREADS": "1"})
    log = tmp / "serve.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [str(TARJAMA), "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=sink, stderr=sink
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):  # bounded: 60 s
        if proc.poll() is not None:
            raise RuntimeError("tarjama serve exited:\n" + log.read_text(errors="replace")[-3000:])
        try:
            if requests.get(url + "/v1/health", timeout=1).status_code == 200:
                return Server(proc, url, log)
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("tarjama serve did not answer")


@contextmanager
def serving(model_dir: Path, tmp: Path) -> Iterator[Server]:
    """A server for the `with` block (a fixture's life), then stopped as a user stops it: Ctrl-C, and killed
    when it has not stopped within 20 s. A server a test has stopped already is left as it is."""
    server = start_server(model_dir, tmp)
    try:
        yield server
    finally:
        if server.proc.poll() is None:
            server.proc.send_signal(signal.SIGINT)
            try:
                server.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.proc.kill()


def error_code(response: requests.Response) -> str:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return str(body["error"]["code"])
