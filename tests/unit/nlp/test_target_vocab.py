"""The target vocabulary (`nlp/target_vocab.py`): what it holds, that both backends honour it, and that it
changes nothing for a decoder that, like a trained one, puts no weight on pieces it cannot write.

The plain tiny models are random, so their decoders write source (Arabic) pieces into English output all
the time: with them the restriction visibly changes the output, which shows it is in force. The
"trained-like" copy below gets a -30 output bias on every piece outside the target vocabulary (what training
on target-tokenized text teaches a real decoder); with it the restricted and the full search must agree
token for token and score for score.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from tarjama.config import Settings
from tarjama.fingerprint import sentence_key
from tarjama.nlp.base import TranslateOptions
from tarjama.nlp.models import ModelProvider
from tarjama.nlp.target_vocab import ALWAYS, VMAP_FILE, read_vmap, target_pieces

BACKENDS = ["ctranslate2", "transformers"]
NAMES = ["tc-big-ar-en", "ar-en"]  # the translators of both tiers


def spm_pieces(path: Path) -> set[str]:
    import sentencepiece as spm

    model = spm.SentencePieceProcessor(model_file=str(path))
    return {model.id_to_piece(i) for i in range(model.get_piece_size())}


def translator(model_dir: Path, backend: str, *, target_vocab: bool, name: str = "tc-big-ar-en") -> Any:
    settings = Settings(model_dir=model_dir, models="tiny", threads=1, target_vocab=target_vocab)
    return ModelProvider(settings, backend=backend).model(name)


def pieces_of(model: Any, sentences: list[str], beam: int) -> list[list[str]]:
    options = TranslateOptions(beam_size=beam, retry_no_repeat_ngram_size=0)
    sources = {i: [*model.tokenize(s)[: model.max_positions - 1], "</s>"] for i, s in enumerate(sentences)}
    decoded = model._run(sources, options, 0)
    return [decoded[i].tokens for i in range(len(sentences))]


def test_the_set_is_the_target_tokenizers_pieces_in_vocabulary_order(tiny_model_dir: Path) -> None:
    for name, prefix in (
        ("tc-big-ar-en", None),
        ("tc-big-en-ar", ">>ara<<"),
        ("ar-en", None),
        ("en-ar", ">>ara<<"),
    ):
        hf = tiny_model_dir / name / "hf"
        pieces = target_pieces(hf)
        vocab: dict[str, int] = json.loads((hf / "vocab.json").read_text("utf-8"))
        target = spm_pieces(hf / "target.spm")
        source_only = spm_pieces(hf / "source.spm") - target
        assert set(ALWAYS) <= set(pieces)
        assert all(p in target for p in pieces if p not in ALWAYS)
        assert not set(pieces) & source_only  # no Arabic piece for ar-en, no English one for en-ar
        assert "<pad>" not in pieces and (prefix is None or prefix not in pieces)
        assert [vocab[p] for p in pieces] == sorted(vocab[p] for p in pieces)
        assert source_only and len(pieces) < len(vocab)
        # the CTranslate2 copy carries exactly this set as its vocabulary map
        assert read_vmap(tiny_model_dir / name / "ct2-float32") == pieces


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("beam", [1, 4])
def test_restricted_decoding_writes_only_target_pieces(
    tiny_model_dir: Path, seed_sentences: list[str], backend: str, beam: int, name: str
) -> None:
    allowed = set(target_pieces(tiny_model_dir / name / "hf"))
    full = pieces_of(translator(tiny_model_dir, backend, target_vocab=False, name=name), seed_sentences, beam)
    restricted = pieces_of(
        translator(tiny_model_dir, backend, target_vocab=True, name=name), seed_sentences, beam
    )
    assert any(p not in allowed for out in full for p in out)  # the random decoder strays: not vacuous
    assert all(p in allowed for out in restricted for p in out)
    assert all(out for out in restricted)


def test_both_backends_agree_under_the_restriction(tiny_model_dir: Path, seed_sentences: list[str]) -> None:
    ct2 = translator(tiny_model_dir, "ctranslate2", target_vocab=True)
    hf = translator(tiny_model_dir, "transformers", target_vocab=True)
    options = TranslateOptions(beam_size=1)
    a, b = ct2.translate(seed_sentences, options), hf.translate(seed_sentences, options)
    assert [t.text for t in a] == [t.text for t in b]
    for x, y in zip(a, b, strict=True):
        assert x.score == pytest.approx(y.score, abs=1e-3)


@pytest.fixture(scope="module")
def trained_like(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny models with both tiers' ar->en decoders biased -30 on every piece outside their target
    vocabulary."""
    import torch
    import transformers
    from tarjama.nlp.build import convert_ct2

    tf: Any = transformers
    root = tmp_path_factory.mktemp("trained") / "models"
    shutil.copytree(tiny_model_dir, root)
    for name in NAMES:
        hf = root / name / "hf"
        model = tf.MarianMTModel.from_pretrained(str(hf))
        tokenizer = tf.MarianTokenizer.from_pretrained(str(hf))
        bias = torch.full_like(model.final_logits_bias, -30.0)
        bias[0, tokenizer.convert_tokens_to_ids(target_pieces(hf))] = 0.0
        with torch.no_grad():
            model.final_logits_bias.copy_(bias)
        model.save_pretrained(str(hf))
        convert_ct2(hf, root / name / "ct2-float32", "float32")
    return root


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("beam", [1, 4])
def test_a_decoder_that_never_strays_gives_identical_output(
    trained_like: Path, seed_sentences: list[str], backend: str, beam: int, name: str
) -> None:
    options = TranslateOptions(beam_size=beam)
    full = translator(trained_like, backend, target_vocab=False, name=name).translate(seed_sentences, options)
    restricted = translator(trained_like, backend, target_vocab=True, name=name).translate(
        seed_sentences, options
    )
    assert [t.text for t in restricted] == [t.text for t in full]
    assert [t.flags for t in restricted] == [t.flags for t in full]
    assert [t.tokens_out for t in restricted] == [t.tokens_out for t in full]
    for x, y in zip(restricted, full, strict=True):
        assert x.score == pytest.approx(y.score, abs=1e-4)


def test_results_say_which_vocabulary_and_their_keys_differ(tiny_model_dir: Path, tmp_path: Path) -> None:
    on = ModelProvider(Settings(model_dir=tiny_model_dir, models="tiny"), backend="ctranslate2")
    off = ModelProvider(
        Settings(model_dir=tiny_model_dir, models="tiny", target_vocab=False), backend="ctranslate2"
    )
    hf = ModelProvider(Settings(model_dir=tiny_model_dir, models="tiny"), backend="transformers")
    assert [on.ref(r).vocabulary for r in ("translation", "back_translation", "summarizer")] == [
        "target",
        "target",
        "full",  # BART's byte-level BPE: every piece is writable
    ]
    assert off.ref("translation").vocabulary == "full"
    assert hf.ref("translation").vocabulary == "target"
    tier = on.model_type
    assert sentence_key("جملة.", on.ref("translation"), 4, model_type=tier) != sentence_key(
        "جملة.", off.ref("translation"), 4, model_type=tier
    )
    # a copy converted before the map existed runs (and is keyed) with the whole vocabulary
    old = tmp_path / "models"
    shutil.copytree(tiny_model_dir, old)
    (old / "tc-big-ar-en" / "ct2-float32" / VMAP_FILE).unlink()
    legacy = ModelProvider(Settings(model_dir=old, models="tiny"), backend="ctranslate2")
    assert legacy.ref("translation").vocabulary == "full"
    assert legacy.translator().target_vocab is False  # type: ignore[attr-defined]


def test_the_setting_reads_from_the_environment() -> None:
    assert Settings.from_env({}).target_vocab is True
    assert Settings.from_env({"TARJAMA_TARGET_VOCAB": "false"}).target_vocab is False
