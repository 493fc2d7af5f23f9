"""The glossary routes against `tarjama serve` over real HTTP (a server of this module's own: these tests
store and delete glossaries)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.plugins.serve import Server, error_code, event_body, serving

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
CSV = '\ufeffar,en\r\nالكاظمي,Kadhimi\r\n"فيلق القدس","the Quds Force"\r\n'.encode()


@pytest.fixture(scope="module")
def server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tiny_model_dir, tmp_path_factory.mktemp("serve-glossaries")) as srv:
        yield srv


def put(server: Server, name: str, body: bytes, ctype: str) -> requests.Response:
    return requests.put(
        f"{server.url}/v1/glossaries/{name}", data=body, headers={"Content-Type": ctype}, timeout=60
    )


def test_glossary_lifecycle_over_http(server: Server) -> None:
    stored = put(server, "house", CSV, "text/csv")
    assert stored.status_code == 200, stored.text[:300]
    assert stored.json()["terms"] == 2
    got = server.get("/v1/glossaries/house").json()
    assert got["version"] == stored.json()["version"]
    assert got["terms"] == [{"ar": "الكاظمي", "en": "Kadhimi"}, {"ar": "فيلق القدس", "en": "the Quds Force"}]
    assert [g["name"] for g in server.get("/v1/glossaries").json()["glossaries"]] == ["house"]

    digest = server.post("/v1/digests", event_body("api_post_digest_glossary.json"))
    assert digest.status_code == 200, digest.text[:300]
    assert digest.json()["glossary"]["name"] == "house"
    assert any(s["terms"] for s in digest.json()["translation"]["sentences"])

    deleted = requests.delete(server.url + "/v1/glossaries/house", timeout=30)
    assert deleted.status_code == 200 and deleted.json() == {"name": "house", "deleted": True}
    assert error_code(server.get("/v1/glossaries/house")) == "glossary_not_found"
    again = server.post("/v1/digests", event_body("api_post_digest_glossary.json"))
    assert again.status_code == 404 and error_code(again) == "glossary_not_found"


def test_bad_files_get_their_codes_over_http(server: Server) -> None:
    bad = put(server, "bad", "ar,en\nالكاظمي,Kadhimi\nفيلق القدس\n".encode(), "text/csv")
    assert bad.status_code == 400
    assert bad.json()["error"]["details"] == {"line": 3, "reason": "bad_row"}
    assert error_code(put(server, "bad", b"x", "text/plain")) == "unsupported_media_type"
    assert error_code(put(server, "b%20ad", CSV, "text/csv")) == "glossary_invalid"
    huge = put(server, "huge", b"ar,en\n" + b"x" * (5 * 1024 * 1024), "text/csv")
    assert huge.status_code == 413 and error_code(huge) == "too_large"


def test_glossary_at_the_limit_over_http(server: Server) -> None:
    rng = random.Random(3)
    rows = [
        "".join(rng.choice(ARABIC) for _ in range(100))
        + ","
        + "".join(rng.choice("abcdefgh") for _ in range(200))
        for _ in range(10_000)
    ]
    stored = put(server, "full", ("ar,en\n" + "\n".join(rows) + "\n").encode(), "text/csv")
    assert stored.status_code == 200, stored.text[:300]
    assert stored.json()["terms"] == 10_000
    got = server.get("/v1/glossaries/full").json()
    assert [f"{t['ar']},{t['en']}" for t in got["terms"]] == rows
    over = put(server, "over", ("ar,en\n" + "\n".join([*rows, "ب,b"]) + "\n").encode(), "text/csv")
    assert over.status_code == 413 and error_code(over) == "glossary_too_large"
