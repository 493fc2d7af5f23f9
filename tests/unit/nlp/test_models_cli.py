"""`tarjama models ...` through the real CLI entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tarjama.cli import main


def test_models_tiny_builds_a_loadable_model_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tiny"
    assert main(["models", "tiny", "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["models"] == ["ar-en", "en-ar", "summarizer"] and summary["kind"] == "tiny"
    assert main(["models", "list", "--dir", str(out), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(m["present"], m["kind"], m["ct2"]) for m in listed["models"]] == [(True, "tiny", "float32")] * 3


def test_models_convert_writes_int8_copies_and_records_them(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(tiny_model_dir / "ar-en", tmp_path / "ar-en", ignore=shutil.ignore_patterns("ct2-*"))
    assert main(["models", "convert", "--dir", str(tmp_path), "--model", "ar-en"]) == 0
    meta = json.loads((tmp_path / "ar-en" / "tarjama-model.json").read_text())
    assert (meta["quantization"], meta["ct2_dir"]) == ("int8", "ct2-int8")
    assert (tmp_path / "ar-en" / "ct2-int8" / "model.bin").is_file()

    from tarjama.config import Settings
    from tarjama.nlp.models import ModelProvider

    provider = ModelProvider(Settings(model_dir=tmp_path))
    ref = provider.describe("extractive")["translation"]
    assert (ref.backend, ref.quantization) == ("ctranslate2", "int8")
    assert (
        provider.translator()
        .translate(["حظر التجوال في بغداد"], __import__("tarjama.nlp.base").nlp.base.TranslateOptions())[0]
        .text
    )


def test_models_fetch_fails_cleanly_without_the_hub(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # no network here either way; offline mode fails at once
    assert main(["models", "fetch", "--out", str(tmp_path), "--model", "ar-en"]) == 3
    err = capsys.readouterr().err
    assert "[model_error]" in err and "Helsinki-NLP/opus-mt-ar-en" in err and "tarjama models tiny" in err
    assert "Traceback" not in err
    assert not (tmp_path / "ar-en" / "tarjama-model.json").exists()


def test_a_missing_model_dir_is_reported_by_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "list", "--dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out.count("] - missing") == 3
