"""ModelProvider: describing without ML imports, backend choice, one load per model, missing models."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from tarjama.config import Settings
from tarjama.errors import ModelMissingError
from tarjama.nlp.manifest import load_manifest
from tarjama.nlp.models import ModelProvider


def test_describe_reports_what_would_run(tiny_settings: Settings) -> None:
    refs = ModelProvider(tiny_settings).describe("abstractive")
    assert set(refs) == {"translation", "summarizer", "back_translation"}
    manifest = load_manifest()
    for role, name in (("translation", "ar-en"), ("summarizer", "summarizer"), ("back_translation", "en-ar")):
        ref = refs[role]
        assert (ref.name, ref.hub_id, ref.revision) == (name, manifest[name].hub_id, manifest[name].revision)
        assert (ref.backend, ref.quantization, ref.kind) == ("ctranslate2", "float32", "tiny")  # auto
    assert set(ModelProvider(tiny_settings).describe("extractive")) == {"translation"}
    assert set(ModelProvider(tiny_settings).describe("none")) == {"translation"}
    forced = ModelProvider(tiny_settings, backend="transformers").describe("extractive")["translation"]
    assert (forced.backend, forced.quantization) == ("transformers", "float32")


def test_describe_imports_no_ml_library(tiny_model_dir: Path) -> None:
    code = (
        "import sys\n"
        "from tarjama.config import Settings\n"
        "from tarjama.nlp.models import ModelProvider\n"
        f"refs = ModelProvider(Settings(model_dir={str(tiny_model_dir)!r})).describe('abstractive')\n"
        "assert refs['translation'].backend == 'ctranslate2'\n"
        "heavy = [m for m in ('torch', 'ctranslate2', 'transformers', 'sentencepiece') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_auto_falls_back_to_transformers_without_a_converted_copy(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(tiny_model_dir / "ar-en", tmp_path / "ar-en", ignore=shutil.ignore_patterns("ct2-*"))
    provider = ModelProvider(Settings(model_dir=tmp_path, backend="auto"))
    ref = provider.describe("extractive")["translation"]
    assert (ref.backend, ref.quantization) == ("transformers", "float32")
    assert provider.translator().backend == "transformers"
    forced = ModelProvider(Settings(model_dir=tmp_path, backend="ctranslate2"))
    with pytest.raises(ModelMissingError, match="tarjama models convert"):
        forced.translator()


def test_a_missing_model_says_how_to_get_it(tmp_path: Path) -> None:
    provider = ModelProvider(Settings(model_dir=tmp_path / "nothing"))
    with pytest.raises(ModelMissingError) as info:
        provider.describe("extractive")
    message = info.value.message
    assert "ar-en" in message and "Helsinki-NLP/opus-mt-ar-en" in message
    for how in ("tarjama models fetch", "tarjama models convert", "tarjama models tiny --out DIR"):
        assert how in message
    assert info.value.code == "model_missing" and info.value.status == 503
    with pytest.raises(ModelMissingError):
        provider.translator()


def test_each_model_loads_once_even_under_concurrent_first_use(tiny_settings: Settings) -> None:
    provider = ModelProvider(tiny_settings, backend="ctranslate2")
    assert provider.loaded() == {"translation": False, "back_translation": False, "summarizer": False}
    got: list[Any] = []
    threads = [threading.Thread(target=lambda: got.append(provider.translator())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(got) == 4 and len({id(m) for m in got}) == 1
    assert provider.loaded() == {"translation": True, "back_translation": False, "summarizer": False}
    assert provider.translator() is got[0]


def test_tiny_models_are_laid_out_and_loaded_like_hub_snapshots(tiny_model_dir: Path) -> None:
    """The generic Auto* loaders read them, as they would read a downloaded opus-mt / distilbart snapshot."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    for name, tokenizer_files, model_class, tokenizer_class in (
        ("ar-en", {"source.spm", "target.spm", "vocab.json"}, "MarianMTModel", "MarianTokenizer"),
        ("en-ar", {"source.spm", "target.spm", "vocab.json"}, "MarianMTModel", "MarianTokenizer"),
        ("summarizer", {"vocab.json", "merges.txt"}, "BartForConditionalGeneration", "RobertaTokenizer"),
    ):
        root = tiny_model_dir / name
        files = {p.name for p in (root / "hf").iterdir()}
        assert {
            "config.json",
            "generation_config.json",
            "model.safetensors",
            "tokenizer_config.json",
        } <= files
        assert tokenizer_files <= files
        meta = json.loads((root / "tarjama-model.json").read_text())
        assert (
            meta["kind"] == "tiny" and meta["quantization"] == "float32" and meta["ct2_dir"] == "ct2-float32"
        )
        assert {"model.bin", "config.json"} <= {p.name for p in (root / "ct2-float32").iterdir()}
        model = AutoModelForSeq2SeqLM.from_pretrained(str(root / "hf"))
        tokenizer = AutoTokenizer.from_pretrained(str(root / "hf"))
        assert type(model).__name__ == model_class and type(tokenizer).__name__ == tokenizer_class
        assert model.config.activation_function == load_manifest()[name].config["activation_function"]
    vocab = json.loads((tiny_model_dir / "en-ar" / "hf" / "vocab.json").read_text())
    assert max(vocab, key=vocab.__getitem__) == "<pad>" and ">>ara<<" in vocab


def test_marian_vocab_tokenizes_exactly_like_marian_tokenizer(
    tiny_model_dir: Path, seed_sentences: list[str]
) -> None:
    """The CTranslate2 path tokenizes without transformers; it must agree with MarianTokenizer."""
    from tarjama.nlp.translate import MarianVocab
    from transformers import MarianTokenizer

    for name, texts in (("ar-en", seed_sentences), ("en-ar", [">>ara<< The minister said 12 people died."])):
        hf = tiny_model_dir / name / "hf"
        reference = MarianTokenizer.from_pretrained(str(hf))
        ours = MarianVocab(hf)
        for text in texts:
            prefix = ">>ara<<" if text.startswith(">>") else ""
            pieces = ours.tokenize(text.removeprefix(">>ara<<").strip() if prefix else text, prefix)
            assert [ours.vocab[p] for p in pieces] + [0] == reference(text)["input_ids"]
