"""`tarjama models ...` through the real CLI entry point."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest
from tarjama.cli import main
from tarjama.nlp.base import TranslateOptions, Translation

NAMES = ["ar-en", "en-ar", "summarizer", "summarizer-6-6", "tc-big-ar-en", "tc-big-en-ar"]


def test_models_tiny_builds_a_loadable_model_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tiny"
    assert main(["models", "tiny", "--out", str(out)]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["models"] == NAMES and summary["kind"] == "tiny"
    assert main(["models", "list", "--dir", str(out), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(m["present"], m["kind"], m["ct2"]) for m in listed["models"]] == [(True, "tiny", "float32")] * 6
    tiers = {m["name"]: m["model_types"] for m in listed["models"]}
    assert tiers["tc-big-ar-en"] == ["quality_optimized"] and tiers["ar-en"] == ["latency_optimized"]
    assert all(m["attribution"] and m["license"] for m in listed["models"])


class StandIn:
    """A deterministic translator behind the `Translator` interface: answers the card's example right."""

    backend = "ctranslate2"
    quantization = "int8"

    def __init__(self, answer: str) -> None:
        self.answer = answer

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def translate(self, sentences: Sequence[str], options: TranslateOptions) -> list[Translation]:
        return [Translation(source=s, text=self.answer) for s in sentences]


@pytest.mark.parametrize(
    ("name", "answer", "passes"),
    [
        ("tc-big-ar-en", "Just follow your heart.", True),
        ("tc-big-ar-en", "Just follow  your heart. ", True),  # whitespace is not the model's
        ("tc-big-ar-en", "Follow your heart.", False),
        ("tc-big-ar-en", "heart heart heart", False),
        ("ar-en", "Just follow your heart.", True),
        ("ar-en", "Follow your heart!", True),
        ("ar-en", "and and Mon Mon", False),
        ("tc-big-en-ar", "فقط اتبع قلبك.", True),
        ("tc-big-en-ar", "Just follow your heart.", False),
        ("en-ar", "", False),
    ],
)
def test_smoke_check_passes_the_right_answer_and_refuses_others(name: str, answer: str, passes: bool) -> None:
    from tarjama.errors import ModelError
    from tarjama.nlp.manifest import load_manifest
    from tarjama.nlp.smoke import smoke_check

    spec = load_manifest()[name]
    assert spec.smoke["source"]
    if passes:
        assert smoke_check(spec, StandIn(answer)) == answer
    else:
        with pytest.raises(ModelError, match="failed its smoke translation"):
            smoke_check(spec, StandIn(answer))


def test_convert_refuses_a_model_that_fails_the_smoke_translation(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tiny (random) tc-big translates the card's example into noise: its copy is deleted, not used."""
    name = "tc-big-ar-en"
    shutil.copytree(tiny_model_dir / name, tmp_path / name, ignore=shutil.ignore_patterns("ct2-*"))
    before = json.loads((tmp_path / name / "tarjama-model.json").read_text())
    assert main(["models", "convert", "--dir", str(tmp_path), "--model", name]) == 3
    err = capsys.readouterr().err
    assert "[model_error]" in err and "failed its smoke translation" in err and "refused" in err
    assert "Traceback" not in err
    assert not (tmp_path / name / "ct2-int8").exists()
    after = json.loads((tmp_path / name / "tarjama-model.json").read_text())
    assert after == before  # the metadata as it was: no failed copy recorded

    from tarjama.config import Settings
    from tarjama.nlp.models import ModelProvider

    ref = ModelProvider(Settings(model_dir=tmp_path)).describe("extractive")["translation"]
    assert ref.backend == "transformers"  # no converted copy: auto runs the reference backend


def test_convert_keeps_a_copy_that_passes_the_smoke_translation(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tarjama.config import Settings
    from tarjama.nlp.models import ModelProvider

    name = "tc-big-ar-en"
    shutil.copytree(tiny_model_dir / name, tmp_path / name, ignore=shutil.ignore_patterns("ct2-*"))
    loaded: list[str] = []

    def stand_in(self: ModelProvider, model: str) -> StandIn:
        loaded.append(f"{model}:{self.backend_for(model)}")
        return StandIn("Just follow your heart.")

    monkeypatch.setattr(ModelProvider, "model", stand_in)
    assert main(["models", "convert", "--dir", str(tmp_path), "--model", name]) == 0
    assert loaded == [f"{name}:ctranslate2"]  # the smoke ran on the new copy
    meta = json.loads((tmp_path / name / "tarjama-model.json").read_text())
    assert (meta["quantization"], meta["ct2_dir"]) == ("int8", "ct2-int8")
    assert (tmp_path / name / "ct2-int8" / "model.bin").is_file()
    assert (tmp_path / name / "ct2-int8" / "vmap.txt").is_file()
    monkeypatch.undo()
    ref = ModelProvider(Settings(model_dir=tmp_path)).describe("extractive")["translation"]
    assert (ref.backend, ref.quantization) == ("ctranslate2", "int8")


def test_fetch_refuses_a_snapshot_whose_config_is_not_the_published_one(tiny_model_dir: Path) -> None:
    from tarjama.commands.models import _verify_snapshot
    from tarjama.errors import ModelError

    with pytest.raises(ModelError, match="refused") as info:
        _verify_snapshot("tc-big-ar-en", tiny_model_dir / "tc-big-ar-en" / "hf")
    wrong = {m.split(":")[0] for m in info.value.details["mismatches"]}
    assert {"d_model", "vocab_size", "eos_token_id", "max_position_embeddings"} <= wrong
    assert "activation_function" not in wrong  # the tiny model has tc-big's flags


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
    assert capsys.readouterr().out.count(" - missing") == 6
