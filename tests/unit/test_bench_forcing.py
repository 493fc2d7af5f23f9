"""The benchmark's forced lengths: every sentence decodes exactly its own length, on both sides.

The service path gets `ForcedLengths` installed on the production translator (nothing in the service
forces anything); plain transformers gets `EosAtLength`. Both on the tiny models of both tiers.
"""

from __future__ import annotations

from typing import Any

import pytest
from tarjama.config import Settings
from tarjama.nlp.base import TranslateOptions
from tarjama.nlp.models import ModelProvider

from benchmarks.forcing import EosAtLength, ForcedLengths, TwinTranslator, forced_length, install

NAMES = ["tc-big-ar-en", "ar-en"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("beam", [1, 4])
def test_the_hook_ends_every_sentence_at_its_own_length(
    tiny_settings: Settings, seed_sentences: list[str], name: str, beam: int
) -> None:
    model: Any = ModelProvider(tiny_settings.model_copy(update={"target_vocab": True}), backend="ctranslate2")
    translator = model.model(name)
    ratio = 0.5
    hook = install(translator, ratio)
    try:
        options = TranslateOptions(beam_size=beam, batch_size=4, retry_no_repeat_ngram_size=0)
        out = translator.translate(seed_sentences, options)
    finally:
        translator.hook = None
    assert isinstance(hook, ForcedLengths)
    assert [t.tokens_out for t in out] == [forced_length(t.tokens_in, ratio, hook.cap) for t in out]
    assert len({t.tokens_out for t in out}) > 2  # not one length for all: per sentence
    assert all(t.text for t in out)
    unforced = translator.translate(seed_sentences[:3], TranslateOptions(beam_size=2))
    assert [t.tokens_out for t in unforced] != [forced_length(t.tokens_in, ratio, hook.cap) for t in unforced]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("beam", [1, 4])
def test_plain_transformers_ends_each_row_at_its_own_length(
    tiny_model_dir: Any, seed_sentences: list[str], name: str, beam: int
) -> None:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    hf = tiny_model_dir / name / "hf"
    tokenizer = MarianTokenizer.from_pretrained(str(hf))
    model: Any = MarianMTModel.from_pretrained(str(hf))
    model.eval()
    batch = tokenizer(seed_sentences[:5], return_tensors="pt", padding=True, truncation=True, max_length=100)
    sources = batch["attention_mask"].sum(dim=1).tolist()
    lengths = [forced_length(n, 0.5, 23) for n in sources]
    eos = int(model.config.eos_token_id)
    with torch.inference_mode():
        out = model.generate(
            **batch,
            num_beams=beam,
            do_sample=False,
            max_new_tokens=max(lengths),
            logits_processor=[EosAtLength(lengths, eos, beam)],
        )
    for row, want in enumerate(lengths):
        generated = out[row, 1:].tolist()
        assert eos in generated
        assert generated.index(eos) + 1 == want  # EOS is piece number `want`, no earlier


def test_twin_translator_counts_decoded_against_ideal(
    tiny_settings: Settings, seed_sentences: list[str]
) -> None:
    inner = ModelProvider(tiny_settings, backend="ctranslate2").for_tier("latency_optimized").model("ar-en")
    twin = TwinTranslator(inner, 1.1, pieces_per_word=1.5)
    try:
        out = twin.translate(seed_sentences, TranslateOptions())
    finally:
        inner.hook = None
    words = sum(max(1, len(s.split())) for s in seed_sentences)
    assert twin.counts["forced"] == twin.counts["ideal"] == sum(t.tokens_out for t in out)
    assert twin.counts["source"] == pytest.approx(1.5 * words + len(seed_sentences), rel=0.05)
