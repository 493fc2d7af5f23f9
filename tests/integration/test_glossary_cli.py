"""`--glossary FILE` on `tarjama digest` and `tarjama bulk`; glossary options on bulk lines , batch items."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from tarjama.cli import main
from tarjama.local.functions import LambdaContext

from tests.plugins.api import load_event, new_handler

TEXT = (
    "قال رئيس الوزراء الكاظمي إن المحادثات ستستأنف الأسبوع المقبل في بغداد بمشاركة وفود من عدة دول.\n\n"
    "وأضاف أن قائد فيلق القدس لم يحضر الاجتماع الذي عقد أمس في العاصمة."
)
CSV = "\ufeffar,en\r\nالكاظمي,Kadhimi\r\nفيلق القدس,the Quds Force\r\n"


@pytest.fixture
def cli_env(tiny_model_dir: Path, aws_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    from tarjama.config import get_settings

    for key in [k for k in os.environ if k.startswith("TARJAMA_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("TARJAMA_MODEL_DIR", str(tiny_model_dir))
    monkeypatch.setenv("TARJAMA_THREADS", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("cli_env")
def test_digest_with_a_glossary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "article.txt"
    article.write_text(TEXT, "utf-8")
    glossary = tmp_path / "house-style.csv"
    glossary.write_text(CSV, "utf-8")
    assert main(["digest", str(article), "--json", "--summary", "none", "--glossary", str(glossary)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["glossary"]["name"] == "house-style"
    found = [t["found"] for s in result["translation"]["sentences"] for t in s["terms"]]
    assert found == ["الكاظمي", "فيلق القدس"]


@pytest.mark.usefixtures("cli_env")
def test_digest_with_a_bad_glossary_file_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(TEXT, "utf-8")
    glossary = tmp_path / "bad.tsv"
    glossary.write_text("ar\ten\nالكاظمي\tKadhimi\nفيلق القدس\t\n", "utf-8")
    code = main(["digest", str(article), "--json", "--glossary", str(glossary)])
    assert code != 0
    err = capsys.readouterr().err
    assert "glossary_invalid" in err and '"line": 3' in err


@pytest.mark.usefixtures("cli_env")
def test_bulk_with_a_glossary_file_and_lines_naming_glossaries(tmp_path: Path) -> None:
    lines = [
        {"id": "default", "text": TEXT, "options": {"summary": "none"}},
        {
            "id": "inline",
            "text": TEXT,
            "options": {"summary": "none", "terms": [{"ar": "بغداد", "en": "Baghdad"}]},
        },
        {"id": "unknown", "text": TEXT, "options": {"summary": "none", "glossary": "nope"}},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    glossary = tmp_path / "house.csv"
    glossary.write_text(CSV, "utf-8")
    out = tmp_path / "out"
    code = main(["bulk", str(source), "--out", str(out), "--quiet", "--glossary", str(glossary)])
    assert code == 1  # one line failed, with its reason
    results = {r["ref"]: r for r in map(json.loads, (out / "results.jsonl").read_text("utf-8").splitlines())}
    assert set(results) == {"default", "inline"}
    assert results["default"]["glossary"]["name"] == "house"
    assert results["inline"]["glossary"]["inline_version"] is not None
    inline_found = [t["found"] for s in results["inline"]["translation"]["sentences"] for t in s["terms"]]
    assert "بغداد" in inline_found and "الكاظمي" in inline_found
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert [(e["id"], e["code"]) for e in report["errors"]] == [("unknown", "glossary_not_found")]


def test_batch_items_take_glossary_options(api_env: dict[str, str]) -> None:
    handler = new_handler()
    context = LambdaContext(function_name="ApiFunction", timeout_seconds=29)
    put = load_event("api_put_glossary.json")
    assert handler(put, context)["statusCode"] == 200
    event = load_event("api_post_digest_batch.json")
    items = [
        {"text": TEXT, "ref": "named", "options": {"glossary": "house", "summary": "none"}},
        {"text": TEXT, "ref": "none", "options": {"summary": "none"}},
        {"text": TEXT, "ref": "unknown", "options": {"glossary": "nope", "summary": "none"}},
    ]
    event["body"] = json.dumps({"items": items}, ensure_ascii=False)
    response = handler(event, context)
    assert response["statusCode"] == 200
    answers = {i["ref"]: i for i in json.loads(response["body"])["items"]}
    assert answers["named"]["result"]["glossary"]["name"] == "house"
    assert answers["none"]["result"]["glossary"] is None
    assert answers["unknown"]["status"] == "error"
    assert answers["unknown"]["error"]["code"] == "glossary_not_found"
