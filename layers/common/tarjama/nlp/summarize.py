"""Bilingual summaries: abstractive (BART on the English, then MarianMT en->ar), extractive, or none.

The extractive summary needs no model and never invents anything, so it is also the fallback whenever the
abstractive one mentions a number or a name the article's translation does not contain: a summarizer that
hallucinates a casualty figure is worse than no summarizer. Pure Python here; models come through the
`SummaryModelPort` and load only when the abstractive mode actually runs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tarjama.nlp.base import TranslateOptions
from tarjama.nlp.flags import normalize_digits, numbers
from tarjama.result import Summary
from tarjama.text.lexicon import stop_words
from tarjama.text.normalize import match_key

if TYPE_CHECKING:
    from tarjama.ports import SummaryModelPort

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffd]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"\w+", re.UNICODE)
_DIACRITICS = re.compile(r"[\u064B-\u0652\u0670\u0640]")
_NAME = re.compile(r"\b[A-Z][a-zA-Z'-]+\b")
MIN_WORDS = 4
# The summarizer's decoding budget follows the requested length: a news summary sentence is ~20-25
# words, ~30 BPE tokens. Decoding to the model's own maximum (142 for distilbart-cnn) for a 3-sentence
# summary spends most of the summarizer's time on text `first_sentences` throws away.
SUMMARY_TOKENS_PER_SENTENCE = 30
_END_PUNCT = (".", "!", "?", '"', "'", ")", "\u201d")


def summary_token_limits(max_sentences: int, model_min: int, model_max: int) -> tuple[int, int]:
    """(min, max) new tokens for a summary of `max_sentences`: 30 a sentence, within the model's own max.

    The model's minimum (56 for distilbart-cnn) is kept up to half the budget, so a 1-sentence request is
    not forced into three sentences' worth of tokens.
    """
    most = max(1, min(model_max, SUMMARY_TOKENS_PER_SENTENCE * max(1, max_sentences)))
    return max(0, min(model_min, most // 2)), most


def first_sentences(text: str, count: int, *, cut: bool = False) -> str:
    """The first `count` sentences of an English text (the summarizer may write more than asked).

    Control characters are dropped: byte-level BPE can emit them, and they have no place in a summary.
    `cut`: the decoder stopped at its token budget, so an unfinished last sentence is dropped (when
    there is another to keep).
    """
    text = _CONTROL.sub(" ", text)
    parts = [" ".join(p.split()) for p in _SENTENCE_END.split(text.strip()) if p.strip()]
    if cut and len(parts) > 1 and not parts[-1].endswith(_END_PUNCT):
        parts = parts[:-1]
    return " ".join(parts[:count])


def _terms(sentence: str) -> list[str]:
    words = _WORD.findall(_DIACRITICS.sub("", normalize_digits(sentence)))
    stop = stop_words()  # the text core's one list, in match-key form (folded: إلى and الى are one entry)
    return [w for w in words if match_key(w) not in stop and len(w) > 1 and not w.isdigit()]


def central_sentences(sentences: Sequence[str], count: int) -> list[int]:
    """Indices of the `count` sentences closest to the article's TF-IDF centroid, in article order.

    Sentences under MIN_WORDS terms (datelines, captions) are only taken when nothing else is left. Ties go
    to the earlier sentence: news puts the essentials first.
    """
    docs = [_terms(s) for s in sentences]
    n = len(docs)
    if n == 0:
        return []
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc))
    idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
    vectors: list[dict[str, float]] = []
    for doc in docs:
        tf = Counter(doc)
        vec = {t: (1 + math.log(c)) * idf[t] for t, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({t: v / norm for t, v in vec.items()})
    centroid: Counter[str] = Counter()
    for vec in vectors:
        centroid.update(vec)
    scores = []
    for i, vec in enumerate(vectors):
        sim = sum(w * centroid[t] for t, w in vec.items())
        scores.append((len(docs[i]) >= MIN_WORDS, sim, -i))
    ranked = sorted(range(n), key=lambda i: scores[i], reverse=True)
    return sorted(ranked[:count])


def extractive(source: Sequence[str], english: Sequence[str], count: int) -> Summary:
    picked = central_sentences(source, count)
    return Summary(
        ar=" ".join(source[i] for i in picked),
        en=" ".join(english[i] for i in picked if english[i]),
        method="extractive",
        requested="extractive",
    )


def unsupported(summary: str, article: str) -> list[str]:
    """Numbers and capitalized names in the summary that the article's translation does not contain."""
    missing = sorted(numbers(summary) - numbers(article))
    known = {w.lower() for w in _WORD.findall(article)}
    for sentence in _SENTENCE_END.split(summary):
        for match in _NAME.finditer(sentence):
            if match.start() == 0:
                continue  # a sentence's first word is capitalized anyway
            if match.group(0).lower() not in known:
                missing.append(match.group(0))
    return missing


def summarize(
    *, mode: str, source: list[str], english: list[str], max_sentences: int, models: SummaryModelPort
) -> Summary | None:
    if mode == "none" or not source:
        return None
    if mode == "extractive":
        return extractive(source, english, max_sentences)
    if mode != "abstractive":
        raise ValueError(f"unknown summary mode {mode!r}")
    article = " ".join(e for e in english if e)
    text = models.summarizer().summarize(article, max_sentences)
    reason: str | None = None
    if not text.strip():
        reason = "the summarizer returned nothing"
    else:
        unknown = unsupported(text, article)
        if unknown:
            shown = ", ".join(dict.fromkeys(unknown))
            reason = f"the summary mentions what the article does not: {shown[:200]}"
    if reason is not None:
        fallback = extractive(source, english, max_sentences)
        return fallback.model_copy(update={"requested": "abstractive", "fallback_reason": reason})
    parts = [p for p in _SENTENCE_END.split(text) if p.strip()]
    back = models.back_translator().translate(parts, TranslateOptions())
    arabic = " ".join(t.text for t in back if t.text)
    if not arabic:
        fallback = extractive(source, english, max_sentences)
        return fallback.model_copy(
            update={"requested": "abstractive", "fallback_reason": "the back-translation returned nothing"}
        )
    return Summary(
        ar=arabic,
        en=text,
        method="abstractive",
        requested="abstractive",
    )
