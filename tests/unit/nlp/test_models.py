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
from tarjama.nlp.base import TranslateOptions
from tarjama.nlp.manifest import load_manifest
from tarjama.nlp.models import ModelProvider

GREEDY = TranslateOptions(beam_size=1)


TIERS = {
    "quality_optimized": {
        "translation": "tc-big-ar-en",
        "summarizer": "summarizer",
        "back_translation": "tc-big-en-ar",
    },
    "latency_optimized": {
        "translation": "ar-en",
        "summarizer": "summarizer-6-6",
        "back_translation": "en-ar",
    },
}


@pytest.mark.parametrize("model_type", sorted(TIERS))
def test_describe_reports_what_would_run(tiny_settings: Settings, model_type: str) -> None:
    provider = ModelProvider(tiny_settings).for_tier(model_type)
    assert provider.model_type == model_type
    refs = provider.describe("abstractive")
    assert set(refs) == {"translation", "summarizer", "back_translation"}
    manifest = load_manifest()
    for role, name in TIERS[model_type].items():
        ref = refs[role]
        assert (ref.name, ref.hub_id, ref.revision) == (name, manifest[name].hub_id, manifest[name].revision)
        assert (ref.backend, ref.quantization, ref.kind) == ("ctranslate2", "float32", "tiny")  # auto
    assert ModelProvider(tiny_settings).model_type == "quality_optimized"  # the default tier
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
    name = "tc-big-ar-en"  # the default tier's translator
    shutil.copytree(tiny_model_dir / name, tmp_path / name, ignore=shutil.ignore_patterns("ct2-*"))
    provider = ModelProvider(Settings(model_dir=tmp_path, backend="auto"))
    ref = provider.describe("extractive")["translation"]
    assert (ref.backend, ref.quantization) == ("transformers", "float32")
    assert provider.translator().backend == "transformers"
    forced = ModelProvider(Settings(model_dir=tmp_path, backend="ctranslate2"))
    with pytest.raises(ModelMissingError, match="tarjama models convert"):
        forced.translator()


@pytest.mark.parametrize("model_type", sorted(TIERS))
def test_a_missing_model_names_its_tier_and_says_how_to_get_it(tmp_path: Path, model_type: str) -> None:
    provider = ModelProvider(Settings(model_dir=tmp_path / "nothing")).for_tier(model_type)
    with pytest.raises(ModelMissingError) as info:
        provider.describe("extractive")
    message = info.value.message
    name = TIERS[model_type]["translation"]
    assert f"The {model_type} models are not installed" in message
    assert info.value.details["model_type"] == model_type
    assert f"'{name}'" in message and load_manifest()[name].hub_id in message
    for how in ("tarjama models fetch", "tarjama models convert", "tarjama models tiny --out DIR"):
        assert how in message
    assert info.value.code == "model_missing" and info.value.status == 503
    with pytest.raises(ModelMissingError, match=model_type):
        provider.translator()


def test_one_tier_installed_the_other_missing(tiny_model_dir: Path, tmp_path: Path) -> None:
    """Health lists both tiers; asking for the missing one is `model_missing` naming it."""
    for name in TIERS["latency_optimized"].values():
        shutil.copytree(tiny_model_dir / name, tmp_path / name)
    provider = ModelProvider(Settings(model_dir=tmp_path, threads=1))
    tiers = provider.tiers()
    assert tiers["latency_optimized"]["installed"] is True
    assert tiers["quality_optimized"]["installed"] is False
    assert tiers["quality_optimized"]["missing"] == ["summarizer", "tc-big-ar-en", "tc-big-en-ar"]
    assert tiers["quality_optimized"]["default"] is True
    assert provider.for_tier("latency_optimized").translator().translate(["جملة."], GREEDY)[0].text
    with pytest.raises(ModelMissingError, match="quality_optimized") as info:
        provider.describe("extractive")
    assert info.value.details["model"] == "tc-big-ar-en"


def test_tiers_share_each_loaded_model(tiny_settings: Settings) -> None:
    quality = ModelProvider(tiny_settings, backend="ctranslate2")
    latency = quality.for_tier("latency_optimized")
    assert latency.for_tier("quality_optimized") is quality and quality.for_tier(None) is quality
    assert latency.translator() is not quality.translator()  # different models
    assert latency.model("ar-en") is latency.translator()  # loaded once, by name

    class Wrapping(ModelProvider):
        pass

    wrapping = Wrapping(tiny_settings, backend="ctranslate2")
    assert type(wrapping.for_tier("latency_optimized")) is Wrapping  # the other tier is provided alike


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

    marian = ({"source.spm", "target.spm", "vocab.json"}, "MarianMTModel", "MarianTokenizer")
    bart = ({"vocab.json", "merges.txt"}, "BartForConditionalGeneration", "RobertaTokenizer")
    for name, (tokenizer_files, model_class, tokenizer_class) in (
        ("tc-big-ar-en", marian),
        ("tc-big-en-ar", marian),
        ("ar-en", marian),
        ("en-ar", marian),
        ("summarizer", bart),
        ("summarizer-6-6", bart),
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


@pytest.mark.parametrize("name", ["tc-big-ar-en", "tc-big-en-ar"])
def test_tiny_tc_big_has_tc_bigs_architecture_flags(tiny_model_dir: Path, name: str) -> None:
    """relu, embeddings scaled and not normalized, shared, decoder vocabulary = vocabulary, EOS not id 0."""
    config = json.loads((tiny_model_dir / name / "hf" / "config.json").read_text())
    vocab = json.loads((tiny_model_dir / name / "hf" / "vocab.json").read_text())
    assert config["activation_function"] == "relu"
    assert config["normalize_embedding"] is False and config["scale_embedding"] is True
    assert config["share_encoder_decoder_embeddings"] is True
    assert config["decoder_vocab_size"] == config["vocab_size"] == len(vocab)
    assert config["eos_token_id"] == vocab["</s>"] > 0  # like tc-big's 25894: code may not assume 0
    assert config["pad_token_id"] == config["decoder_start_token_id"] == len(vocab) - 1
    assert (">>ara<<" in vocab) == (name == "tc-big-en-ar")


@pytest.mark.parametrize("name", ["tc-big-ar-en", "tc-big-en-ar", "ar-en", "en-ar", "summarizer-6-6"])
def test_the_twin_config_is_the_published_one(name: str) -> None:
    """`models twin` builds exactly the manifest's configuration: `fetch`'s own check finds no mismatch."""
    from tarjama.nlp.build import FLAGS, TINY_BART, TINY_MARIAN, marian_config, marian_vocab
    from tarjama.nlp.manifest import config_mismatches

    spec = load_manifest()[name]
    if spec.architecture != "marian":  # BART: dimensions only (its tokenizer is trained, not padded here)
        dims = {k: spec.config[k] for k in TINY_BART}
        assert dims["encoder_layers"] == (6 if name == "summarizer-6-6" else 12)
        return
    dims = {k: spec.config[k] for k in TINY_MARIAN}
    eos = int(spec.config["eos_token_id"])
    vocab = marian_vocab(
        ["▁a", "b"],
        ["▁c"],
        [spec.source_prefix] if spec.source_prefix else [],
        spec.config["vocab_size"],
        eos_at=eos,
    )
    config = marian_config(spec, dims, vocab).to_dict()
    assert config_mismatches(spec, config) == []
    assert set(FLAGS) <= set(spec.config)
    wrong = {
        **config,
        "activation_function": "swish" if spec.config["activation_function"] == "relu" else "relu",
    }
    assert [m.split(":")[0] for m in config_mismatches(spec, wrong)] == ["activation_function"]
