"""Speed settings keep the output identical.

On the tiny models (ctranslate2 float32, and int8 quantized on load as in production): parallel batches
(`inter_threads`) against one worker, same tokens; the summarizer's budget following the requested
sentences. (The benchmark's forced lengths are tested with the benchmark: tests/unit/test_bench_forcing.py.)
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
from tarjama.config import Settings
from tarjama.nlp.base import TranslateOptions
from tarjama.nlp.models import ModelProvider
from tarjama.nlp.summarize import SUMMARY_TOKENS_PER_SENTENCE, first_sentences, summary_token_limits

BEAM4 = TranslateOptions(beam_size=4, batch_size=16)


def ct2_translator(model_dir: Path, *, threads: int, inter: int, compute: str) -> Any:
    import ctranslate2
    from tarjama.nlp.backend_ct2 import Ct2Translator

    root = model_dir / "tc-big-ar-en"
    model = Ct2Translator(
        root / "hf", root / "ct2-float32", quantization=compute, threads=threads, inter_threads=inter
    )
    if compute != "float32":  # the production compute type, quantized from the float32 copy on load
        model.model = ctranslate2.Translator(
            str(root / "ct2-float32"),
            device="cpu",
            compute_type=compute,
            intra_threads=threads,
            inter_threads=inter,
        )
    return model


@pytest.mark.parametrize("compute", ["float32", "int8"])
def test_parallel_batches_give_the_same_tokens_as_one_worker(
    tiny_model_dir: Path, seed_sentences: list[str], compute: str
) -> None:
    sentences = seed_sentences * 2  # 24 sentences: several batches on each side
    reference = ct2_translator(tiny_model_dir, threads=2, inter=1, compute=compute)
    single = ct2_translator(tiny_model_dir, threads=1, inter=1, compute=compute)
    parallel = ct2_translator(tiny_model_dir, threads=1, inter=2, compute=compute)
    assert parallel.parallel_batches == 2
    for options in (BEAM4, TranslateOptions(beam_size=1, batch_size=5)):
        want = reference.translate(sentences, options)
        for other in (single, parallel):
            got = other.translate(sentences, options)
            assert [t.text for t in got] == [t.text for t in want]
            assert [t.tokens_out for t in got] == [t.tokens_out for t in want]
            assert [t.flags for t in got] == [t.flags for t in want]


def test_parallel_batches_split_an_article_over_the_workers(
    tiny_model_dir: Path, seed_sentences: list[str]
) -> None:
    model = ct2_translator(tiny_model_dir, threads=1, inter=2, compute="float32")
    seen: list[int] = []
    original = model._decode_all

    def spy(batches: list[list[list[str]]], options: TranslateOptions, ngram: int) -> Any:
        seen.extend(len(b) for b in batches)
        return original(batches, options, ngram)

    model._decode_all = spy
    # 12 sentences, batch size 16: two batches of 6 (one per worker), not one of 12
    model.translate(
        seed_sentences, TranslateOptions(beam_size=4, batch_size=16, retry_no_repeat_ngram_size=0)
    )
    assert seen == [6, 6]


def test_provider_spreads_the_threads_over_parallel_translation_batches(tiny_model_dir: Path) -> None:
    settings = Settings(model_dir=tiny_model_dir, models="tiny", threads=2, inter_threads=0)
    auto = ModelProvider(settings, backend="ctranslate2")
    translator: Any = auto.translator()
    summarizer: Any = auto.summarizer()
    assert translator.parallel_batches == 2  # 0: one batch per thread
    assert translator.model.num_translators == 2
    assert summarizer.model.num_translators == 1  # one article: one worker, every thread
    default = Settings(model_dir=tiny_model_dir, models="tiny", threads=2)
    one: Any = ModelProvider(default, backend="ctranslate2").translator()
    assert one.parallel_batches == 1  # the default: one batch on every thread
    assert one.model.num_translators == 1


def test_summary_budget_follows_the_requested_sentences() -> None:
    assert summary_token_limits(3, 56, 142) == (45, 3 * SUMMARY_TOKENS_PER_SENTENCE)
    assert summary_token_limits(1, 56, 142) == (15, 30)
    assert summary_token_limits(10, 56, 142) == (56, 142)  # never above the model's own maximum
    assert summary_token_limits(2, 4, 40) == (4, 40)
    for n in range(1, 11):
        least, most = summary_token_limits(n, 56, 142)
        assert 0 <= least <= most <= min(142, math.ceil(SUMMARY_TOKENS_PER_SENTENCE * n))


def test_a_summary_cut_at_its_budget_drops_the_unfinished_sentence() -> None:
    text = "The ministry approved the plan. Talks resume on Monday. The envoy said that"
    assert first_sentences(text, 3) == text
    assert first_sentences(text, 3, cut=True) == "The ministry approved the plan. Talks resume on Monday."
    assert first_sentences("Only one unfinished", 3, cut=True) == "Only one unfinished"


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_tiny_summarizer_respects_the_sentence_budget(
    tiny_providers: dict[str, Any], seed_sentences: list[str], backend: str
) -> None:
    summarizer = tiny_providers[backend].summarizer()
    english = " ".join(t.text for t in tiny_providers[backend].translator().translate(seed_sentences, BEAM4))
    for n in (1, 3):
        summary = summarizer.summarize(english or "The ministry approved the plan.", n)
        assert isinstance(summary, str)
        # At most n sentences: at most n - 1 sentence ends (. ! ? then a space) inside the summary.
        assert len(re.findall(r"[.!?]\s+\S", summary)) <= n - 1, summary


def test_summarizer_tokens_without_transformers_match_autotokenizer(tiny_model_dir: Path) -> None:
    from tarjama.nlp.backend_ct2 import BartTokens
    from tarjama.nlp.build import corpus_lines
    from transformers import AutoTokenizer

    hf = tiny_model_dir / "summarizer" / "hf"
    ours = BartTokens(hf, 256)
    auto = AutoTokenizer.from_pretrained(str(hf))
    assert ours._fast is not None  # the snapshot's tokenizer.json, through `tokenizers` alone
    english = corpus_lines("en")
    for text in [english[0], " ".join(english[:3]), " ".join(english)]:  # the last one is cut at 256
        ids = auto(text, truncation=True, max_length=256)["input_ids"]
        assert ours.tokens(text) == auto.convert_ids_to_tokens(ids)
        body = [t for t in ours.tokens(text) if t not in auto.all_special_tokens]
        assert ours.text(ours.tokens(text)) == auto.convert_tokens_to_string(body)
    assert ours.special == set(auto.all_special_tokens)
