"""Both translation backends on the tiny models: agreement, order, truncation, flags, retry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tarjama.config import Settings
from tarjama.nlp.base import (
    FLAG_ARABIC_LEFT,
    FLAG_LOW_SCORE,
    FLAG_NUMBERS_MISSING,
    FLAG_REPETITION,
    FLAG_TRUNCATED,
    TranslateOptions,
)
from tarjama.nlp.flags import has_arabic, is_repetitive
from tarjama.nlp.models import ModelProvider

BACKENDS = ["ctranslate2", "transformers"]
GREEDY = TranslateOptions(beam_size=1, batch_size=4)


def translator(providers: dict[str, Any], backend: str) -> Any:
    return providers[backend].translator()


def source(model: Any, sentence: str) -> list[str]:
    """The pieces `translate` hands to a backend: cut to the model's positions, EOS appended."""
    return [*model.tokenize(sentence)[: model.max_positions - 1], "</s>"]


def test_greedy_ctranslate2_float32_and_transformers_give_the_same_tokens(
    tiny_providers: dict[str, Any], seed_sentences: list[str]
) -> None:
    ct2 = translator(tiny_providers, "ctranslate2")
    hf = translator(tiny_providers, "transformers")
    assert (ct2.backend, ct2.quantization) == ("ctranslate2", "float32")
    assert (hf.backend, hf.quantization) == ("transformers", "float32")
    batch = [source(ct2, s) for s in seed_sentences[:6]]
    assert batch == [source(hf, s) for s in seed_sentences[:6]]  # same tokenization
    for ngram in (0, 3):
        a = ct2._decode(batch, beam_size=1, max_new_tokens=20, no_repeat_ngram_size=ngram)
        b = hf._decode(batch, beam_size=1, max_new_tokens=20, no_repeat_ngram_size=ngram)
        assert [d.tokens for d in a] == [d.tokens for d in b]
        assert [d.finished for d in a] == [d.finished for d in b]
        for x, y in zip(a, b, strict=True):
            assert x.score == pytest.approx(y.score, abs=1e-3)
    full_a = ct2.translate(seed_sentences, GREEDY)
    full_b = hf.translate(seed_sentences, GREEDY)
    assert [t.text for t in full_a] == [t.text for t in full_b]
    assert [t.flags for t in full_a] == [t.flags for t in full_b]


@pytest.mark.parametrize("backend", BACKENDS)
def test_output_is_in_input_order_whatever_the_batching(
    tiny_providers: dict[str, Any], seed_sentences: list[str], backend: str
) -> None:
    model = translator(tiny_providers, backend)
    sentences = seed_sentences[:8]
    together = model.translate(sentences, TranslateOptions(beam_size=1, batch_size=3))
    one_by_one = [model.translate([s], TranslateOptions(beam_size=1, batch_size=1))[0] for s in sentences]
    assert [t.source for t in together] == sentences
    assert [t.text for t in together] == [t.text for t in one_by_one]
    # Counted by the reference tokenizer (transformers' MarianTokenizer, EOS included), not by the backend.
    reference = translator(tiny_providers, "transformers").tokenizer
    expected = [min(len(reference(s)["input_ids"]), model.max_positions) for s in sentences]
    assert [t.tokens_in for t in together] == expected


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_sentences_pass_through(tiny_providers: dict[str, Any], backend: str) -> None:
    out = translator(tiny_providers, backend).translate(["", "  "], GREEDY)
    assert [(t.text, t.flags, t.tokens_in) for t in out] == [("", [], 0), ("", [], 0)]


@pytest.mark.parametrize("backend", BACKENDS)
def test_beam_search_runs_with_scores(
    tiny_providers: dict[str, Any], seed_sentences: list[str], backend: str
) -> None:
    out = translator(tiny_providers, backend).translate(seed_sentences[:4], TranslateOptions(beam_size=4))
    assert all(t.text and t.score is not None and t.score < 0 for t in out)
    assert all(t.tokens_out <= translator(tiny_providers, backend).max_output + 1 for t in out)


@pytest.mark.parametrize("backend", BACKENDS)
def test_repetition_is_flagged_and_retried_with_ngram_blocking(
    tiny_providers: dict[str, Any], seed_sentences: list[str], backend: str
) -> None:
    model = translator(tiny_providers, backend)
    no_retry = model.translate(seed_sentences, TranslateOptions(beam_size=1, retry_no_repeat_ngram_size=0))
    looping = [i for i, t in enumerate(no_retry) if FLAG_REPETITION in t.flags]
    assert looping, "the tiny model is expected to loop on some seed sentences"
    assert all(is_repetitive(model.tokenize(no_retry[i].text)) for i in looping)
    retried = model.translate(seed_sentences, TranslateOptions(beam_size=1))
    for i in looping:
        assert FLAG_REPETITION in retried[i].flags  # the flag says the model looped ...
        assert retried[i].text != no_retry[i].text  # ... and the output is the blocked retry
    blocked = model._decode(
        [source(model, seed_sentences[looping[0]])],
        beam_size=1,
        max_new_tokens=model.max_output,
        no_repeat_ngram_size=3,
    )[0]
    assert not is_repetitive(blocked.tokens)


@pytest.mark.parametrize("backend", BACKENDS)
def test_numbers_missing(tiny_providers: dict[str, Any], backend: str) -> None:
    out = translator(tiny_providers, backend).translate(
        ["ارتفع عدد الإصابات إلى ١٢٣٤٥ حالة", "ارتفع عدد الإصابات"], GREEDY
    )
    assert FLAG_NUMBERS_MISSING in out[0].flags
    assert FLAG_NUMBERS_MISSING not in out[1].flags


@pytest.mark.parametrize("backend", BACKENDS)
def test_arabic_left_only_when_the_output_holds_arabic_letters(
    tiny_settings: Settings, seed_sentences: list[str], backend: str
) -> None:
    # the whole vocabulary: the random tiny decoder then writes Arabic source pieces into English output
    provider = ModelProvider(tiny_settings.model_copy(update={"target_vocab": False}), backend=backend)
    out = provider.translator().translate(seed_sentences, GREEDY)
    assert any(FLAG_ARABIC_LEFT in t.flags for t in out)
    assert all((FLAG_ARABIC_LEFT in t.flags) == has_arabic(t.text) for t in out)
    back = provider.back_translator().translate(["The minister said 12 people died."], GREEDY)
    assert has_arabic(back[0].text) and FLAG_ARABIC_LEFT not in back[0].flags  # Arabic is the target there


@pytest.mark.parametrize("backend", BACKENDS)
def test_truncated_input_and_output(tiny_providers: dict[str, Any], backend: str) -> None:
    model = translator(tiny_providers, backend)
    long = " ".join(["الحكومة العراقية تعلن حظر التجوال في بغداد"] * 40)
    assert model.count_tokens(long) > model.max_positions
    cut, short = model.translate(
        [long, "حظر التجوال"], TranslateOptions(beam_size=1, max_length_a=0, max_length_b=2)
    )
    assert FLAG_TRUNCATED in cut.flags and cut.tokens_in == model.max_positions
    # two new tokens at most: the tiny model never ends that early, so the output hit the limit
    assert FLAG_TRUNCATED in short.flags and short.tokens_out == 2
    roomy = model.translate(["حظر التجوال"], TranslateOptions(beam_size=1, max_length_a=0, max_length_b=400))[
        0
    ]
    assert roomy.tokens_out <= model.max_output + 1  # capped by the model's own generation config


@pytest.mark.parametrize("backend", BACKENDS)
def test_low_score_uses_the_backend_scores(
    tiny_providers: dict[str, Any], seed_sentences: list[str], backend: str
) -> None:
    model = translator(tiny_providers, backend)
    strict = model.translate(seed_sentences[:3], TranslateOptions(beam_size=1, low_score_threshold=0.0))
    lax = model.translate(seed_sentences[:3], TranslateOptions(beam_size=1, low_score_threshold=-1e9))
    assert all(FLAG_LOW_SCORE in t.flags for t in strict)
    assert not any(FLAG_LOW_SCORE in t.flags for t in lax)
    assert all(t.score is not None for t in strict)


def test_a_decoder_failure_marks_only_its_sentence(tiny_model_dir: Path) -> None:
    """A real runtime fault: CTranslate2 refuses positions past its table when our truncation is told
    the model is longer than it is. The failing sentence is flagged; its batch-mates still translate."""
    from tarjama.nlp.backend_ct2 import Ct2Translator
    from tarjama.nlp.base import FLAG_MODEL_ERROR

    root = tiny_model_dir / "ar-en"
    model = Ct2Translator(root / "hf", root / "ct2-float32", quantization="float32", threads=1)
    model.max_positions = 1000  # lie about the position table
    too_long = " ".join(["حظر التجوال في بغداد"] * 60)
    out = model.translate([too_long, "حظر التجوال", "في بغداد"], GREEDY)
    assert (out[0].text, out[0].flags) == ("", [FLAG_MODEL_ERROR])
    assert all(t.text and FLAG_MODEL_ERROR not in t.flags for t in out[1:])


def test_a_decoder_failing_on_every_sentence_is_a_model_error(tiny_model_dir: Path) -> None:
    """The same real fault on every sentence: the model is broken, not a sentence, so the article fails
    with `model_error` instead of coming back as empty translations."""
    from tarjama.errors import ModelError
    from tarjama.nlp.backend_ct2 import Ct2Translator

    root = tiny_model_dir / "ar-en"
    model = Ct2Translator(root / "hf", root / "ct2-float32", quantization="float32", threads=1)
    model.max_positions = 1000  # lie about the position table
    too_long = " ".join(["حظر التجوال في بغداد"] * 60)
    with pytest.raises(ModelError) as info:
        model.translate([too_long, too_long + " اليوم"], GREEDY)
    assert info.value.code == "model_error" and info.value.details == {"sentences": 2}
