"""The CTranslate2 path tokenizes exactly like MarianTokenizer: both tiers, both directions.

`MarianVocab` (sentencepiece + vocab.json, no transformers) is what the production path feeds CTranslate2;
`MarianTokenizer` is what the models were evaluated with. No Moses punctuation normalization on either
side (docs/models.md says why), so guillemets, Arabic commas, ellipses, Arabic-Indic digits and the
invisible ZWNJ/RLM marks must reach the model as the reference tokenizer would give them.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from tarjama.nlp.build import corpus_lines
from tarjama.nlp.manifest import load_manifest
from tarjama.nlp.translate import MarianVocab

MARIAN = ["tc-big-ar-en", "ar-en", "tc-big-en-ar", "en-ar"]
PUNCTUATION_AR = [
    "«قال الوزير» إن الاتفاق “نهائي”، وأضاف: لا تراجع؛ الموعد ٢٠٢٤/٣/١٥…",
    "أعلنت الحكومة\u200c الجديدة\u200f أن ١٢٬٥٠٠ شخص نزحوا (حسب الأمم المتحدة).",
    "هل انتهت الحرب؟! «لا» … قالها بوضوح — ثم صمت.",
    "\u200fالرئيس: «سنعود» ،  ؛  …  ١٢٣٤٥٦٧٨٩٠ \u200f \u200c",
]
PUNCTUATION_EN = [
    "“The deal is final,” the minister said — «no retreat»… on 15/3/2024.",
    "Some 12,500 people (according to the UN) fled; ‘none’ returned?!",
    "The president: «we will return» ، ؛ … ١٢٣ \u200c\u200f end.",
]


def reference(hf: Path) -> Any:
    from transformers import MarianTokenizer

    with warnings.catch_warnings():  # sacremoses absent: MarianTokenizer never normalizes when encoding
        warnings.simplefilter("ignore")
        return MarianTokenizer.from_pretrained(str(hf))


def texts_for(name: str, seed_sentences: list[str]) -> list[str]:
    if load_manifest()[name].source_lang == "ar":
        return [*seed_sentences, *PUNCTUATION_AR]
    return [*corpus_lines("en")[:20], *PUNCTUATION_EN]


@pytest.mark.parametrize("name", MARIAN)
def test_marian_vocab_gives_marian_tokenizers_ids(
    tiny_model_dir: Path, seed_sentences: list[str], name: str
) -> None:
    spec = load_manifest()[name]
    hf = tiny_model_dir / name / "hf"
    ref, ours = reference(hf), MarianVocab(hf)
    eos = ours.vocab["</s>"]
    assert (eos == 0) == (not name.startswith("tc-big"))  # tc-big's EOS is not id 0: nothing may assume it
    texts = texts_for(name, seed_sentences)
    assert len(texts) > 10
    for text in texts:
        pieces = ours.tokenize(text, spec.source_prefix)
        wanted = ref(f"{spec.source_prefix} {text}" if spec.source_prefix else text)["input_ids"]
        assert [ours.vocab[p] for p in pieces] + [eos] == wanted, text
        if spec.source_prefix:
            assert pieces[0] == spec.source_prefix == ">>ara<<"


@pytest.mark.parametrize("name", MARIAN)
def test_the_translator_tokenizes_like_the_reference_on_both_backends(
    tiny_settings: Any, seed_sentences: list[str], name: str
) -> None:
    """What each backend's translator hands its decoder: the same ids (a piece outside the vocabulary is
    `<unk>` on both), the prefix once."""
    from tarjama.nlp.models import ModelProvider

    texts = texts_for(name, seed_sentences)[-6:]
    ct2 = ModelProvider(tiny_settings, backend="ctranslate2").model(name)
    hf = ModelProvider(tiny_settings, backend="transformers").model(name)
    for text in texts:
        ids = [ct2.vocab.vocab[p] for p in ct2.tokenize(text)]
        assert ids == hf.tokenizer.convert_tokens_to_ids(hf.tokenize(text))
        assert ct2.count_tokens(text) == hf.count_tokens(text) == len(ids) + 1
