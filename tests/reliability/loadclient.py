"""A small load client (stdlib only): a fixed plan of HTTP requests, sent over N keep-alive connections.

    python -m tests.reliability.loadclient PLAN.json OUT.json --url http://127.0.0.1:PORT --concurrency 12

The plan is a JSON list of requests (`i`, `method`, `path`, `ctype`, `body` as UTF-8 text or `b64:`...).
Every request is sent exactly once; the output lists one answer per request (status, error code, the
`ref`/`id`/`cached` of a result, the first source sentence, latency in ms, or the transport error), so the
caller can check that nothing was lost or mixed up. Runs in its own process: the server under test does
not share a CPU scheduler queue or a GIL with its client. Loopback only.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import queue
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any


def body_of(item: dict[str, Any]) -> bytes:
    raw = str(item.get("body") or "")
    return base64.b64decode(raw[4:]) if raw.startswith("b64:") else raw.encode("utf-8")


def summarize(status: int, data: bytes) -> dict[str, Any]:
    """What the checks need of an answer, without keeping whole results in memory."""
    out: dict[str, Any] = {"status": status, "bytes": len(data)}
    try:
        body = json.loads(data)
    except ValueError:
        out["unparsable"] = True
        return out
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        out["code"] = body["error"].get("code")
    elif isinstance(body, dict):
        out["ref"] = body.get("ref")
        out["id"] = body.get("id")
        out["cached"] = body.get("cached")
        sentences = (body.get("source") or {}).get("sentences") or []
        out["first_sentence"] = sentences[0] if sentences else None
        out["status_field"] = body.get("status")
    return out


def worker(
    url: str, todo: queue.Queue[dict[str, Any] | None], done: list[dict[str, Any]], start: threading.Barrier
) -> None:
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    conn = http.client.HTTPConnection(host, port, timeout=120)
    start.wait()
    while True:
        item = todo.get()
        if item is None:
            break
        headers = {"Content-Type": item["ctype"]} if item.get("ctype") else {}
        data = body_of(item)
        began = time.perf_counter()
        answer: dict[str, Any]
        try:  # never resent: a transport error is that request's answer, and fails the run's checks
            conn.request(item["method"], item["path"], body=data or None, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            answer = summarize(response.status, payload)
            if (response.getheader("Connection") or "").lower() == "close":
                conn.close()  # http.client reopens it for the next request
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            conn.close()
            answer = {"status": 0, "transport_error": type(exc).__name__}
        answer["i"] = item["i"]
        answer["ms"] = round((time.perf_counter() - began) * 1000, 2)
        done.append(answer)
    conn.close()


def run(plan: list[dict[str, Any]], url: str, concurrency: int) -> dict[str, Any]:
    todo: queue.Queue[dict[str, Any] | None] = queue.Queue()
    for item in plan:
        todo.put(item)
    for _ in range(concurrency):
        todo.put(None)
    done: list[dict[str, Any]] = []
    start = threading.Barrier(concurrency + 1)
    threads = [threading.Thread(target=worker, args=(url, todo, done, start)) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {
        "concurrency": concurrency,
        "wall_s": round(wall, 3),
        "answers": sorted(done, key=lambda a: a["i"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("plan", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--url", required=True)
    parser.add_argument("--concurrency", type=int, default=12)
    args = parser.parse_args(argv)
    plan = json.loads(args.plan.read_text(encoding="utf-8"))
    outcome = run(plan, args.url, max(1, args.concurrency))
    args.out.write_text(json.dumps(outcome, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
