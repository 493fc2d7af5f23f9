"""Glossary terms and do-not-translate spans, enforced through any `Translator` and always verified.

CTranslate2 has no constrained decoding and stock OPUS-MT models mangle placeholders, so enforcement works
with what a Marian model does reliably: it copies Latin-script names through. The method (docs/glossaries.md):

1. Translate every sentence plainly, in one call, exactly as without a glossary: a sentence without a
   term gets the very same output.
2. A sentence holding a term whose target is not in its English (case-insensitive, whole words) is
   translated once more from an injected source: each term's Arabic span replaced by its target (the
   conjunction or preposition clitics kept in front, the article dropped), each kept span as it is.
3. The injected translation replaces the plain one only if it holds every target and is not broken (no
   repetition, no truncation, no model failure, a sane length against the plain one). Otherwise the plain
   translation stays. Either way no sentence is lost.
4. Each term is reported `applied` when its target is in the final English; a sentence with a term that is
   not carries the flag `term_missed`.

Importing this module imports no ML library; the translator is passed in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tarjama.nlp.base import (
    FLAG_ARABIC_LEFT,
    FLAG_MODEL_ERROR,
    FLAG_REPETITION,
    FLAG_TRUNCATED,
    TranslateOptions,
    Translation,
    Translator,
)
from tarjama.nlp.flags import has_arabic
from tarjama.text.glossary import Matcher, Term

FLAG_TERM_MISSED = "term_missed"
# The injected translation may be this much longer or shorter than the plain one (in characters, beyond
# the targets themselves) before it counts as broken.
MAX_GROWTH = 2.0
MIN_SHRINK = 0.5
_BROKEN = frozenset({FLAG_REPETITION, FLAG_TRUNCATED, FLAG_MODEL_ERROR})
_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    """A term or kept span found in a sentence (indices into the sentence)."""

    ar: str  # the glossary entry as written, or the kept span
    en: str  # the target; a kept span's is itself
    found: str
    start: int
    end: int
    prefix: str = ""  # conjunction + preposition clitics (folded), kept in the injected source
    keep: bool = False


@dataclass(frozen=True)
class TermReport:
    """One hit's report in the result."""

    ar: str
    en: str
    found: str
    applied: bool
    keep: bool = False


def _keep_pattern(span: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(span) + r"(?!\w)")


class TermSet:
    """The terms of one request: a glossary's and inline terms, and the spans to keep verbatim.

    Kept spans match exactly (whole words, case and letters as given); terms match the Arabic way
    (`tarjama.text.glossary`). Where a kept span and a term overlap, the kept span wins.
    """

    def __init__(self, terms: Sequence[Term] = (), keep: Sequence[str] = ()) -> None:
        self.matcher = Matcher(terms)
        spans = sorted({s.strip() for s in keep if s.strip()}, key=len, reverse=True)
        self._keep = [(s, _keep_pattern(s)) for s in spans]

    def __bool__(self) -> bool:
        return bool(self.matcher) or bool(self._keep)

    def hits(self, text: str) -> list[Hit]:
        taken: list[Hit] = []
        for span, pattern in self._keep:  # longest first
            for m in pattern.finditer(text):
                if all(m.end() <= h.start or m.start() >= h.end for h in taken):
                    taken.append(Hit(span, span, m.group(0), m.start(), m.end(), keep=True))
        for t in self.matcher.find(text):
            if all(t.end <= h.start or t.start >= h.end for h in taken):
                taken.append(Hit(t.term.ar, t.term.en, t.found, t.start, t.end, prefix=t.prefix))
        return sorted(taken, key=lambda h: h.start)


def hits_key(hits: Sequence[Hit]) -> list[list[str]]:
    """What of the hits shapes a sentence's translation (for the translation memory's key)."""
    return [list(k) for k in sorted({(h.en, h.found, "keep" if h.keep else "term") for h in hits})]


def _target_pattern(target: str, *, exact: bool) -> re.Pattern[str]:
    words = target.split()
    body = r"\s+".join(re.escape(w) for w in words)
    if not exact and _ARTICLE.match(target):
        # "the Quds Force" is applied in "... of Quds Force's ..." too: English drops the article
        body = r"(?:the\s+)?" + r"\s+".join(re.escape(w) for w in words[1:])
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", 0 if exact else re.IGNORECASE)


def contains(english: str, hit: Hit) -> bool:
    """Is the hit's target in the English? Terms: case-insensitive whole words; kept spans: exactly."""
    return _target_pattern(hit.en, exact=hit.keep).search(english) is not None


def inject(sentence: str, hits: Sequence[Hit]) -> str:
    """The source with each term's span replaced by its target (clitics kept apart, article dropped)."""
    out: list[str] = []
    last = 0
    for h in hits:
        out.append(sentence[last : h.start])
        if h.keep:
            out.append(sentence[h.start : h.end])
        else:
            out.append(f"{h.prefix} {h.en}" if h.prefix else h.en)
        last = h.end
    out.append(sentence[last:])
    return "".join(out)


def _sane(candidate: Translation, plain: Translation, hits: Sequence[Hit]) -> bool:
    if _BROKEN.intersection(candidate.flags) or not candidate.text.strip():
        return False
    if not all(contains(candidate.text, h) for h in hits):
        return False
    targets = sum(len(h.en) for h in hits)
    size, base = len(candidate.text), len(plain.text)
    return MIN_SHRINK * base - targets <= size <= MAX_GROWTH * base + targets


def _kept_arabic_only(text: str, hits: Sequence[Hit]) -> bool:
    """True when the only Arabic in an English output is inside spans kept on purpose."""
    for h in hits:
        if h.keep:
            text = text.replace(h.en, " ")
    return not has_arabic(text)


def finish(translation: Translation, hits: Sequence[Hit]) -> tuple[Translation, list[TermReport]]:
    """The report of a sentence's hits against its final English, and `term_missed` where one is not in it.

    Used on fresh translations and on ones from the translation memory alike, so the two cannot differ.
    """
    uses = [TermReport(h.ar, h.en, h.found, contains(translation.text, h), h.keep) for h in hits]
    flags = [f for f in translation.flags if f != FLAG_TERM_MISSED]
    if FLAG_ARABIC_LEFT in flags and _kept_arabic_only(translation.text, hits):
        flags.remove(FLAG_ARABIC_LEFT)
    if not all(u.applied for u in uses):
        flags.append(FLAG_TERM_MISSED)
    return replace(translation, flags=flags), uses


def translate_with_terms(
    translator: Translator,
    sentences: Sequence[str],
    hits: Sequence[Sequence[Hit]],
    options: TranslateOptions,
) -> list[Translation]:
    """Translations of `sentences`, enforcing each sentence's hits (see the module's method); input order.

    The returned flags include `term_missed` where a target is not in the output; `finish` gives the
    per-term report.
    """
    if not sentences:
        return []
    plain = translator.translate(sentences, options)
    need = [i for i, h in enumerate(hits) if h and not all(contains(plain[i].text, x) for x in h)]
    out = list(plain)
    if need:
        injected = translator.translate([inject(sentences[i], hits[i]) for i in need], options)
        for i, candidate in zip(need, injected, strict=True):
            if _sane(candidate, plain[i], hits[i]):
                out[i] = replace(candidate, source=sentences[i])
    return [finish(t, h)[0] if h else t for t, h in zip(out, hits, strict=True)]
