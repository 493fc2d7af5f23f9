"""An article in another Arabic-script language is refused the same way everywhere: `422 not_arabic` with
`details` {language, confidence} from the API handler, the not_arabic code with the language in the bulk
report, and the same error from the CLI. Real handler, real bulk path on the local AWS endpoint, real CLI."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from tarjama.cli import main
from tarjama.local.functions import LambdaContext

from tests.plugins.aws import handler_env

ROOT = Path(__file__).resolve().parents[2]
PERSIAN = (
    "افزایش قیمت بنزین در شهرهای بزرگ کشور از هفته آینده\n\n"
    "بر اساس گزارش بانک مرکزی، نرخ تورم در ماه گذشته به بیش از چهل درصد رسید و قیمت کالاهای اساسی در بازار"
    " افزایش یافت. کارشناسان می‌گویند که کم‌آبی در استان‌های جنوبی کشور به یک بحران جدی تبدیل شده است."
)
URDU = (
    "وزیر اعظم نے کہا ہے کہ حکومت ملک میں مہنگائی کم کرنے کے لیے ہر ممکن اقدامات کر رہی ہے اور عوام کو جلد"
    " ریلیف ملے گا۔ محکمہ موسمیات کے مطابق آئندہ چند دنوں میں شدید گرمی کی لہر جاری رہے گی۔"
)
ARABIC = "قال وزير الخارجية إن الحكومة ستعقد اجتماعا مع مجلس النواب في بغداد يوم الأربعاء المقبل."


def test_api_handler_refuses_persian_with_its_language(tiny_model_dir: Path, aws_endpoint: str) -> None:
    event: dict[str, Any] = json.loads(
        (ROOT / "events" / "api_post_digest_not_arabic.json").read_text("utf-8")
    )
    event["body"] = json.dumps({"text": PERSIAN, "ref": "fa-1"}, ensure_ascii=False)
    with handler_env("lang", tiny_model_dir):
        sys.path.insert(0, str(ROOT))
        handler = importlib.import_module("functions.api.app").make_handler()  # an app of this environment
        response = handler(event, LambdaContext(function_name="ApiFunction", timeout_seconds=29))
    body = json.loads(response["body"])
    assert response["statusCode"] == 422, body
    assert body["error"]["code"] == "not_arabic"
    assert body["error"]["details"]["language"] == "fa"
    assert 0.8 <= body["error"]["details"]["confidence"] <= 1.0
    assert "Persian" in body["error"]["message"]


def test_bulk_report_names_the_language_of_a_refused_line(
    tiny_model_dir: Path, aws_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    for key, value in {
        "TARJAMA_MODELS": "tiny",
        "TARJAMA_MODEL_DIR": str(tiny_model_dir),
        "TARJAMA_THREADS": "1",
    }.items():
        monkeypatch.setenv(key, value)
    upload = tmp_path / "mixed.jsonl"
    lines = [{"id": "ar-1", "text": ARABIC}, {"id": "ur-1", "text": URDU}]
    upload.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    code = main(["bulk", str(upload), "--out", str(tmp_path / "out"), "--json", "--quiet"])
    assert code == 1  # some article failed
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert (report["succeeded"], report["failed"]) == (1, 1)
    (error,) = report["errors"]
    assert (error["line"], error["id"], error["code"]) == (2, "ur-1", "not_arabic")
    assert "Urdu (ur)" in error["reason"]
    results = (tmp_path / "out" / "results.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(r)["ref"] for r in results] == ["ar-1"]


def test_cli_refuses_with_the_same_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "fa.txt"
    path.write_text(PERSIAN, encoding="utf-8")
    assert main(["clean", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tarjama: error [not_arabic]") and "Persian (fa)" in err


def test_cli_digest_json_gives_the_language_and_confidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "fa.txt"
    path.write_text(PERSIAN, encoding="utf-8")
    assert main(["digest", str(path), "--json"]) == 2
    out, err = capsys.readouterr()
    error = json.loads(out or err)["error"]
    assert error["code"] == "not_arabic"
    assert error["details"]["language"] == "fa" and error["details"]["confidence"] >= 0.8
