"""`tarjama serve` (tiny models, embedded moto) under a bounded load from a second process.

1,000 requests over 12 keep-alive connections, a fixed shuffled mix: cache hits (POST of known articles
and GET by id), misses (articles never seen), bad input with its documented codes, and health checks.
Every request is answered, none with a 5xx, each with what its own request asked for (its `ref`, its
article's id, its error code): nothing lost, nothing mixed up. Latency percentiles are recorded, never
asserted. Then twenty identical new articles at once: computed once.
"""

from __future__ import annotations

import base64
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import requests
from tarjama.text import normalize

from tests.plugins.bulk import seed_sentences
from tests.plugins.serve import Server
from tests.reliability.catalogue import ARTICLE
from tests.reliability.conftest import ROOT
from tests.reliability.results import Recorder, percentiles

TOTAL = 1_000
CONCURRENCY = 12
MIX = {"hit": 520, "hit_get": 60, "miss": 100, "bad": 270, "health": 50}
assert sum(MIX.values()) == TOTAL

# Bad input: (ctype, body, status, code). Cheap to answer, every documented refusal represented.
BAD: list[tuple[str | None, bytes, int, str]] = [
    ("application/json", b'{"text": "Only English here, nothing to translate."}', 422, "not_arabic"),
    ("application/json", b'{"text": "   "}', 422, "empty_after_cleaning"),
    ("application/json", b'{"text": ', 400, "malformed_request"),
    ("application/json", b"[" * 5_000 + b"]" * 5_000, 400, "malformed_request"),
    ("application/json", b'{"text": "\xd9\x82\xff"}', 400, "malformed_request"),
    (
        "application/json",
        json.dumps({"text": ARTICLE, "options": {"tone": 1}}).encode(),
        422,
        "invalid_input",
    ),
    ("application/json", b'{"text": 5}', 422, "invalid_input"),
    ("text/plain", b"hello", 415, "unsupported_media_type"),
    ("application/json", json.dumps({"text": "ا" * 100_001}).encode(), 413, "too_large"),
]
BAD_ROUTES: list[tuple[str, str, int, str]] = [
    ("GET", "/v1/digests/a_" + "0" * 64, 404, "not_found"),
    ("GET", "/v1/nowhere", 404, "not_found"),
    ("PUT", "/v1/health", 405, "method_not_allowed"),
]


def article(sentences: list[str]) -> str:
    return "\n\n".join(sentences)


def post(url: str, text: str, ref: str) -> dict[str, Any]:
    response = requests.post(url + "/v1/digests", json={"text": text, "ref": ref}, timeout=120)
    assert response.status_code == 200, response.text[:300]
    return dict(response.json())


def run_client(plan: list[dict[str, Any]], tmp: Path, url: str, concurrency: int) -> dict[str, Any]:
    plan_path, out_path = tmp / "plan.json", tmp / "out.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.reliability.loadclient",
            str(plan_path),
            str(out_path),
            "--url",
            url,
            "--concurrency",
            str(concurrency),
        ],
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    return dict(json.loads(out_path.read_text(encoding="utf-8")))


def count_metric(log: Path, name: str) -> int:
    """EMF lines of one metric in the server's log (each miss or hit is one line)."""
    count = 0
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith('{"_aws"') and f'"Name":"{name}"' in line:
            count += 1
    return count


def test_thousand_mixed_requests_nothing_lost_nothing_mixed_up(
    served: Server, tmp_path: Path, recorder: Recorder
) -> None:
    sentences = seed_sentences(24)
    rng = random.Random(20261123)
    # Five known articles, digested once before the run: their repeats are hits.
    known = [article(sentences[i * 3 : i * 3 + 3]) for i in range(5)]
    known_ids = [post(served.url, text, f"warm-{n}")["id"] for n, text in enumerate(known)]
    pairs = [(a, b) for a in range(24) for b in range(24) if a != b]
    rng.shuffle(pairs)
    plan: list[dict[str, Any]] = []
    expect: dict[int, dict[str, Any]] = {}

    def add(kind: str, method: str, path: str, ctype: str | None, body: bytes, **want: Any) -> None:
        i = len(plan)
        text = (
            body.decode("utf-8", errors="strict")
            if _is_utf8(body)
            else "b64:" + base64.b64encode(body).decode()
        )
        plan.append({"i": i, "kind": kind, "method": method, "path": path, "ctype": ctype, "body": text})
        expect[i] = {"kind": kind, **want}

    for n in range(MIX["hit"]):
        k = n % len(known)
        body = json.dumps({"text": known[k], "ref": f"hit-{n}"}, ensure_ascii=False).encode()
        add(
            "hit",
            "POST",
            "/v1/digests",
            "application/json",
            body,
            status=200,
            ref=f"hit-{n}",
            id=known_ids[k],
            cached=True,
        )
    for n in range(MIX["hit_get"]):
        k = n % len(known)
        add(
            "hit_get",
            "GET",
            f"/v1/digests/{known_ids[k]}",
            None,
            b"",
            status=200,
            id=known_ids[k],
            cached=True,
        )
    for n in range(MIX["miss"]):
        a, b = pairs[n]
        text = article([sentences[a], sentences[b], f"وقال المتحدث في البيان رقم {n + 1} إن العمل مستمر."])
        body = json.dumps({"text": text, "ref": f"miss-{n}"}, ensure_ascii=False).encode()
        add(
            "miss",
            "POST",
            "/v1/digests",
            "application/json",
            body,
            status=200,
            ref=f"miss-{n}",
            cached=False,
            first=normalize(sentences[a]),
        )
    for n in range(MIX["bad"]):
        if n % 4 == 3:
            method, path, status, code = BAD_ROUTES[n % len(BAD_ROUTES)]
            add("bad", method, path, None, b"", status=status, code=code)
        else:
            ctype, body, status, code = BAD[n % len(BAD)]
            add("bad", "POST", "/v1/digests", ctype, body, status=status, code=code)
    for _ in range(MIX["health"]):
        add("health", "GET", "/v1/health", None, b"", status=200)
    order = list(range(TOTAL))
    rng.shuffle(order)
    shuffled = [dict(plan[i], i=j) for j, i in enumerate(order)]
    expect = {j: expect[i] for j, i in enumerate(order)}

    misses_before = count_metric(served.log, "CacheMisses")
    outcome = run_client(shuffled, tmp_path, served.url, CONCURRENCY)
    answers = outcome["answers"]

    assert sorted(a["i"] for a in answers) == list(range(TOTAL)), "a request got no answer, or two"
    transport = [a for a in answers if a["status"] == 0]
    server_errors = [a for a in answers if a["status"] >= 500]
    wrong: list[str] = []
    miss_ids: set[str] = set()
    for a in answers:
        want = expect[a["i"]]
        if a["status"] != want["status"] or a.get("code") != want.get("code"):
            wrong.append(
                f"{a['i']} {want['kind']}: {a['status']} {a.get('code')} != {want['status']} {want.get('code')}"  # noqa: E501
            )
        for key in ("ref", "id", "cached"):
            if key in want and a.get(key) != want[key]:
                wrong.append(f"{a['i']} {want['kind']}: {key} {a.get(key)!r} != {want[key]!r}")
        if want["kind"] == "miss":
            miss_ids.add(str(a.get("id")))
            if a.get("first_sentence") != want["first"]:
                wrong.append(f"{a['i']} miss: answered with another article's sentences")
    assert not transport, transport[:5]
    assert not server_errors, server_errors[:5]
    assert not wrong, wrong[:10]
    assert len(miss_ids) == MIX["miss"], "two different articles answered with one id"
    misses_logged = count_metric(served.log, "CacheMisses") - misses_before

    by_kind: dict[str, list[float]] = {}
    for a in answers:
        by_kind.setdefault(expect[a["i"]]["kind"], []).append(a["ms"])
    codes = Counter(f"{a['status']} {a.get('code') or 'ok'}" for a in answers)
    recorder.record(
        "load",
        "mixed 1,000",
        requests=TOTAL,
        answered=len(answers),
        concurrency=CONCURRENCY,
        wall_s=outcome["wall_s"],
        per_second=round(TOTAL / outcome["wall_s"], 1),
        mix=MIX,
        by_status_code=dict(sorted(codes.items())),
        server_errors=len(server_errors),
        transport_errors=len(transport),
        lost=TOTAL - len(answers),
        mixed_up=len(wrong),
        misses_metric=misses_logged,
        latency_ms={"all": percentiles([a["ms"] for a in answers])}
        | {kind: percentiles(values) for kind, values in sorted(by_kind.items())},
    )
    assert misses_logged == MIX["miss"], "the server counted another number of misses"


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_twenty_concurrent_identical_new_articles_are_computed_once(
    served: Server, tmp_path: Path, recorder: Recorder
) -> None:
    sentences = seed_sentences(24)
    text = article([sentences[20], sentences[7], "وأكد الوزير أن القرار نهائي ولن يتغير هذا العام."])
    plan = [
        {
            "i": n,
            "method": "POST",
            "path": "/v1/digests",
            "ctype": "application/json",
            "body": json.dumps({"text": text, "ref": f"same-{n}"}, ensure_ascii=False),
        }
        for n in range(20)
    ]
    misses_before = count_metric(served.log, "CacheMisses")
    outcome = run_client(plan, tmp_path, served.url, 20)
    answers = outcome["answers"]
    assert [a["status"] for a in answers] == [200] * 20
    assert [a["ref"] for a in answers] == [f"same-{n}" for n in range(20)]
    assert len({a["id"] for a in answers}) == 1
    computed = sum(1 for a in answers if a["cached"] is False)
    misses = count_metric(served.log, "CacheMisses") - misses_before
    recorder.record(
        "load",
        "20 identical at once",
        requests=20,
        computed=computed,
        served_from_cache=20 - computed,
        misses_metric=misses,
        latency_ms={"all": percentiles([a["ms"] for a in answers])},
    )
    assert computed == 1 and misses == 1
