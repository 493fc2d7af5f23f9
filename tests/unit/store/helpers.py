"""Real DigestResult objects for the store tests (no model needed)."""

from __future__ import annotations

import random
import string

from tarjama import PIPELINE_VERSION
from tarjama.result import (
    DigestResult,
    ModelRef,
    SentencePair,
    SourceView,
    Summary,
    TranslationView,
    Usage,
)

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def make_result(result_id: str, *, sentences: int = 3, noise_chars: int = 0, seed: int = 1) -> DigestResult:
    """A result of `sentences` sentences; `noise_chars` of random letters make it incompressible."""
    rng = random.Random(seed)
    ar = [f"جملة رقم {i} في المقال." for i in range(sentences)]
    en = [f"Sentence number {i} in the article." for i in range(sentences)]
    if noise_chars:
        per = noise_chars // max(sentences, 1)
        ar = [a + " " + "".join(rng.choice(ARABIC) for _ in range(per)) for a in ar]
        en = [e + " " + "".join(rng.choice(string.ascii_letters) for _ in range(per)) for e in en]
    return DigestResult(
        id=result_id,
        source=SourceView(title="عنوان", paragraphs=[" ".join(ar)], sentences=ar),
        translation=TranslationView(
            title="Title",
            text=" ".join(en),
            sentences=[SentencePair(ar=a, en=e, flags=[]) for a, e in zip(ar, en, strict=True)],
        ),
        summary=Summary(ar=ar[0], en=en[0], method="extractive", requested="extractive"),
        models={
            "translation": ModelRef(
                name="opus-mt-ar-en",
                hub_id="Helsinki-NLP/opus-mt-ar-en",
                revision="tiny",
                backend="ctranslate2",
                quantization="int8",
                kind="tiny",
            )
        },
        usage=Usage(source_chars=sum(map(len, ar)), sentences=sentences),
        pipeline_version=PIPELINE_VERSION,
    )
