"""The glossary routes through the real API handler, driven with the files of events/ in order (the routes
keep state: a glossary is stored, read, used by a digest, deleted), against tiny models and moto's server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.plugins.api import header, invoke, load_event, new_handler

# In order: (event file, status, error code or None)
SEQUENCE: list[tuple[str, int, str | None]] = [
    ("api_get_glossary_unknown.json", 404, "glossary_not_found"),
    ("api_list_glossaries.json", 200, None),
    ("api_put_glossary.json", 200, None),
    ("api_put_glossary_csv.json", 200, None),
    ("api_put_glossary_tsv.json", 200, None),
    ("api_put_glossary_invalid.json", 400, "glossary_invalid"),
    ("api_put_glossary_conflict.json", 400, "glossary_invalid"),
    ("api_put_glossary_bad_name.json", 400, "glossary_invalid"),
    ("api_put_glossary_wrong_content_type.json", 415, "unsupported_media_type"),
    ("api_get_glossary.json", 200, None),
    ("api_post_digest_glossary.json", 200, None),
    ("api_post_digest_glossary_unknown.json", 404, "glossary_not_found"),
    ("api_delete_glossary.json", 200, None),
    ("api_delete_glossary_unknown.json", 404, "glossary_not_found"),
]


@pytest.fixture(scope="module")
def answers(api_env: dict[str, str]) -> dict[str, tuple[dict[str, Any], Any]]:
    handler = new_handler()
    return {name: invoke(handler, load_event(name)) for name, _, _ in SEQUENCE}


@pytest.mark.parametrize(("name", "status", "code"), SEQUENCE)
def test_event_file_gets_its_documented_answer(
    answers: dict[str, tuple[dict[str, Any], Any]], name: str, status: int, code: str | None
) -> None:
    response, body = answers[name]
    assert response["statusCode"] == status, body
    assert header(response, "X-Content-Type-Options") == "nosniff"
    assert "Traceback" not in response["body"]
    if code is not None:
        assert header(response, "Content-Type") == "application/json"
        assert body["error"]["code"] == code
        assert body["error"]["message"]


def test_put_answers_name_count_and_version(answers: dict[str, tuple[dict[str, Any], Any]]) -> None:
    _, put = answers["api_put_glossary.json"]
    _, got = answers["api_get_glossary.json"]
    assert put["name"] == "house" and put["terms"] == 3 and put["version"].startswith("g_")
    assert got["version"] == put["version"] and got["count"] == 3
    sent = json.loads(load_event("api_put_glossary.json")["body"])["terms"]
    assert got["terms"] == sent


def test_csv_with_bom_crlf_and_quotes_and_base64_tsv(answers: dict[str, tuple[dict[str, Any], Any]]) -> None:
    assert answers["api_put_glossary_csv.json"][1]["terms"] == 3
    assert answers["api_put_glossary_tsv.json"][1]["terms"] == 2


def test_list_before_and_after(answers: dict[str, tuple[dict[str, Any], Any]]) -> None:
    assert answers["api_list_glossaries.json"][1] == {"glossaries": []}


def test_malformed_file_names_its_line(answers: dict[str, tuple[dict[str, Any], Any]]) -> None:
    _, body = answers["api_put_glossary_invalid.json"]
    assert body["error"]["details"] == {"line": 3, "reason": "empty"}
    _, conflict = answers["api_put_glossary_conflict.json"]
    assert conflict["error"]["details"]["reason"] == "conflicting_duplicate"


def test_digest_reports_terms_and_the_glossary(answers: dict[str, tuple[dict[str, Any], Any]]) -> None:
    _, result = answers["api_post_digest_glossary.json"]
    put = answers["api_put_glossary.json"][1]
    assert result["glossary"]["name"] == "house"
    assert result["glossary"]["version"] == put["version"]
    assert result["glossary"]["inline_version"].startswith("g_")
    found = [(t["ar"], t["found"], t["keep"]) for s in result["translation"]["sentences"] for t in s["terms"]]
    assert found == [
        ("الكاظمي", "الكاظمي", False),
        ("فيلق القدس", "فيلق القدس", False),
        ("بغداد", "بغداد", False),
        ("CNN", "CNN", True),
        ("الحشد الشعبي", "الحشد الشعبي", False),
    ]
    total = result["glossary"]["applied"] + result["glossary"]["missed"]
    assert total == len(found)


def test_deleted_glossary_is_gone(
    api_env: dict[str, str], answers: dict[str, tuple[dict[str, Any], Any]]
) -> None:
    response, body = invoke(new_handler(), load_event("api_get_glossary.json"))
    assert response["statusCode"] == 404 and body["error"]["code"] == "glossary_not_found"
    names = [
        g["name"] for g in invoke(new_handler(), load_event("api_list_glossaries.json"))[1]["glossaries"]
    ]
    assert names == ["house-csv", "house_tsv"]


def test_long_article_naming_an_unknown_glossary_is_refused_before_it_becomes_a_job(
    api_env: dict[str, str],
) -> None:
    event = load_event("api_post_digest_long.json")
    body = json.loads(event["body"])
    body["options"] = {**body.get("options", {}), "glossary": "never-stored"}
    event["body"] = json.dumps(body, ensure_ascii=False)
    response, answer = invoke(new_handler(), event)
    assert response["statusCode"] == 404, answer
    assert answer["error"]["code"] == "glossary_not_found"
    body["options"].pop("glossary")
    event["body"] = json.dumps(body, ensure_ascii=False)
    assert invoke(new_handler(), event)[0]["statusCode"] == 202  # the same article without it: a job


def test_openapi_documents_the_glossary_routes(api_env: dict[str, str]) -> None:
    _, spec = invoke(new_handler(), load_event("api_get_openapi.json"))
    item = spec["paths"]["/v1/glossaries/{name}"]
    assert set(item) == {"put", "get", "delete"}
    assert set(item["put"]["requestBody"]["content"]) == {
        "application/json",
        "text/csv",
        "text/tab-separated-values",
    }
    assert {"400", "404", "413", "415"} <= set(item["put"]["responses"])
    assert "glossary_invalid" in item["put"]["responses"]["400"]["description"]
    assert "get" in spec["paths"]["/v1/glossaries"]
    options = spec["components"]["schemas"]["DigestOptions"]["properties"]
    assert {"glossary", "terms", "keep"} <= set(options)
