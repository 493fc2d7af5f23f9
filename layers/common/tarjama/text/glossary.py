"""Glossary matching, the Arabic way: where do a glossary's terms occur in a sentence?

Pure: no I/O, no AWS, no ML, no settings. The text is never changed; matching runs on a folded copy
whose every character remembers its place in the original, so a match reports the span and the text as
it appears.

The rules (docs/glossaries.md):

- Whole words only, and suffixes never match: the text word must be exactly proclitics + the term.
  "أمن" matches "الأمن" but not "الأمنية" or "أمني".
- Proclitics, in this order, each optional: و or ف; then ب, ك or ل; then the article ال. ل + ال is
  written لل ("للكاظمي"), and before a word that itself starts with ل the three lams are written two
  ("للحم" = ل + ال + لحم).
- The article is optional on both sides: an entry written with ال ("الكاظمي") also matches the bare word
  ("كاظمي"), as an entry written without it matches the word with it. ال is only taken off an entry when
  at least three letters remain, so "الله" is not reduced to "له".
- Letter variants are folded for matching only: أ إ آ ٱ -> ا, ى -> ي, ة -> ه; tatweel and diacritics
  are ignored; Latin letters match regardless of case.
- A multi-word term matches across one space between words, with the clitics on its first word only
  ("بفيلق القدس").
- Longest match first, no overlaps.

The limit of the method: a word that starts with clitic letters is ambiguous ("وزير" is و + "زير"), so a
one-word entry that is a word's tail after و/ف/ب/ك/ل matches that word. Glossaries of names rarely meet it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tarjama.text.script import ARABIC_LETTER_CLASS

TATWEEL = "\u0640"
# Harakat, tanween, shadda, sukun, the Quranic marks and the superscript (dagger) alef: ignored in matching.
_DIACRITICS = frozenset(
    [chr(c) for c in range(0x0610, 0x061B)] + [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"]
)
_DIACRITIC_CLASS = "\u0610-\u061a\u064b-\u065f\u0670"
# A word: Arabic letters (the package's one definition; tatweel is in its range), their diacritics, and
# any other letter or digit.
_WORD_RUN = re.compile(f"[{ARABIC_LETTER_CLASS}{_DIACRITIC_CLASS}\\w]+")
_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}

_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")
ARTICLE = "ال"
# An entry keeps its ال when fewer letters than this would remain ("الله" is not "له").
MIN_STRIPPED_LETTERS = 3


@dataclass(frozen=True)
class Term:
    """One glossary entry: the Arabic as written in the glossary and its English target."""

    ar: str
    en: str


@dataclass(frozen=True)
class Match:
    """A term found in a text. `start`/`end` index the original text; `found` is `text[start:end]`.

    `stem` is where the term itself begins (after the proclitics and the article); `prefix` holds the
    conjunction and preposition found (folded, without the article), so an enforcer can keep them.
    """

    term: Term
    start: int
    end: int
    stem: int
    found: str
    prefix: str


def fold_char(ch: str) -> str:
    """One character's matching form ('' for what matching ignores)."""
    if ch == TATWEEL or ch in _DIACRITICS:
        return ""
    return _FOLD.get(ch, ch).lower()


def fold(text: str) -> str:
    """The matching form of a text: letter variants folded, tatweel and diacritics dropped, spaces single.

    Two entries with the same fold are the same term to the matcher (the glossary refuses them when their
    targets differ).
    """
    return " ".join("".join(fold_char(c) for c in word) for word in text.split())


@dataclass(frozen=True)
class _Word:
    """A word of the text: its folded form, and for each folded character its index in the original."""

    folded: str
    index: tuple[int, ...]
    start: int
    end: int


def _words(text: str) -> list[_Word]:
    words: list[_Word] = []
    for run in _WORD_RUN.finditer(text):
        chars: list[str] = []
        index: list[int] = []
        for i in range(run.start(), run.end()):
            for f in fold_char(text[i]):
                chars.append(f)
                index.append(i)
        if chars:
            words.append(_Word("".join(chars), tuple(index), run.start(), run.end()))
    return words


def _prefixes() -> list[tuple[str, str, bool]]:
    """Every proclitic string: (written form, conjunction + preposition, whether it holds the article)."""
    out: list[tuple[str, str, bool]] = []
    for conj in _CONJUNCTIONS:
        for prep in _PREPOSITIONS:
            out.append((conj + prep, conj + prep, False))
            written = conj + ("لل" if prep == "ل" else prep + ARTICLE)
            out.append((written, conj + prep, True))
    return out


_PREFIXES = _prefixes()


def _stems(word: str) -> Iterable[tuple[str, int, str]]:
    """Each reading of a folded word as proclitics + stem: (stem, stem offset, conjunction + preposition)."""
    for written, clitics, article in _PREFIXES:
        if not word.startswith(written) or len(word) == len(written):
            continue
        yield word[len(written) :], len(written), clitics
        if article and written.endswith("لل"):
            # ل + ال + a stem starting with ل: three lams written two ("للحم" = ل + ال + لحم)
            yield "ل" + word[len(written) :], len(written) - 1, clitics


def entry_key(ar: str) -> tuple[str, ...]:
    """The folded words of an entry, its article taken off the first word when enough of it remains."""
    words = fold(ar).split(" ")
    first = words[0]
    if first.startswith(ARTICLE) and sum(c.isalpha() for c in first[len(ARTICLE) :]) >= MIN_STRIPPED_LETTERS:
        words[0] = first[len(ARTICLE) :]
    return tuple(w for w in words if w)


class Matcher:
    """The terms of one glossary, indexed by the folded stem of their first word.

    Built once per glossary (cost linear in its size); `find` costs about 25 dictionary lookups a word.
    """

    def __init__(self, terms: Iterable[Term]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], Term]]] = {}
        seen: set[tuple[str, ...]] = set()
        for term in terms:
            key = entry_key(term.ar)
            if not key or key in seen:
                continue  # the glossary refuses conflicting folds; an identical one adds nothing
            seen.add(key)
            self._by_first.setdefault(key[0], []).append((key, term))

    def __bool__(self) -> bool:
        return bool(self._by_first)

    def find(self, text: str) -> list[Match]:
        """Every term occurrence, longest first, no overlaps; in text order."""
        if not self._by_first:
            return []
        words = _words(text)
        candidates: list[Match] = []
        for w, word in enumerate(words):
            for stem, offset, clitics in _stems(word.folded):
                for key, term in self._by_first.get(stem, ()):
                    last = self._follows(text, words, w, key)
                    if last is None:
                        continue
                    start, end = word.start, words[last].end
                    stem_at = word.index[offset] if offset < len(word.index) else word.start
                    candidates.append(Match(term, start, end, stem_at, text[start:end], clitics))
        return _select(candidates)

    @staticmethod
    def _follows(text: str, words: Sequence[_Word], w: int, key: tuple[str, ...]) -> int | None:
        """Index of the last text word when words w+1.. spell the rest of `key` one space apart."""
        for k, part in enumerate(key[1:], start=1):
            if w + k >= len(words):
                return None
            prev, cur = words[w + k - 1], words[w + k]
            if cur.folded != part or text[prev.end : cur.start] != " ":
                return None
        return w + len(key) - 1


def _select(candidates: list[Match]) -> list[Match]:
    """Longest first (then leftmost), dropping any that overlaps one already taken; result in text order."""
    taken: list[Match] = []
    for m in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= t.start or m.start >= t.end for t in taken):
            taken.append(m)
    return sorted(taken, key=lambda m: m.start)


def find_terms(text: str, terms: Iterable[Term]) -> list[Match]:
    """One-off matching (build a `Matcher` to match many texts against one glossary)."""
    return Matcher(terms).find(text)


_SPACE = re.compile(r"\s+")


def inline_terms_key(terms: Sequence[Term]) -> list[list[str]]:
    """A stable, order-free form of a term list for cache keys."""
    return sorted([[_SPACE.sub(" ", t.ar.strip()), t.en.strip()] for t in terms])
