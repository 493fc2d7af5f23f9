"""Sentence segmentation for Arabic news, by rule.

Boundaries: `. ! ? ؟ …` (and runs of them) followed by a space or the end of the line, and every line end.
A stop directly followed by a word is a boundary only between two Arabic words of two letters or more
("انتهى.وقال": scraped text often lost the space), never in `ا.ف.ب`, `1.35`, `example.com`.
Not boundaries: `،` and `؛` (the latter only cuts a sentence that is too long), a stop after a single letter
(`د.`, `م.`, `أ.`: titles and initials; the last dot of `أ.ف.ب.`), after an enumeration label (`1.`),
inside a URL or an e-mail address, inside a short bracketed aside `( ... )`.
Closing quotes and brackets right after a stop belong to the sentence they close.

Sentences longer than `max_length` (measured by the caller's `length`, e.g. a token count) are cut at `؛`,
then `،`, then between words, and each piece is numbered in `Sentence.piece`.

Everything is a single pass over the text plus linear regexes: no backtracking blow-up on long lines.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from tarjama.text.lexicon import lexicon
from tarjama.text.normalize import match_key, normalize
from tarjama.text.script import ARABIC_LETTER_CLASS
from tarjama.text.types import Article, Sentence

STOPS = ".!?؟…"
CLOSERS = frozenset("»\"”’')]}›")
OPENERS = frozenset('«"“‘([{‹')
_TOKEN = re.compile(r"\S+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Longest bracketed aside that is kept whole; longer brackets are usually unbalanced scrape debris.
MAX_ASIDE = 200
# Latin abbreviations that take a dot mid-sentence (Arabic ones are single letters, handled by rule).
_LATIN_ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "no", "vs", "etc", "gen", "col", "lt", "sgt", "co"}
)


# Abbreviations are short: looking further back than this is never needed (and keeps the scan linear).
_MAX_TOKEN = 24


def _token_before(text: str, end: int) -> str:
    """The run of non-space characters that ends at `end`, without opening quotes/brackets ("" if long)."""
    i = end
    limit = max(0, end - _MAX_TOKEN)
    while i > limit and not text[i - 1].isspace():
        i -= 1
    if i > 0 and not text[i - 1].isspace():
        return ""
    tok = text[i:end]
    while tok and tok[0] in OPENERS:
        tok = tok[1:]
    return tok


def _is_abbreviation(token: str) -> bool:
    """`د` `م` `أ` (one letter), `ا.ف.ب` / `أ.د` (dotted single letters), `Dr`."""
    if not token:
        return False
    parts = token.split(".")
    if all(len(p) == 1 and p.isalpha() for p in parts):
        return True
    return token.lower() in _LATIN_ABBREVIATIONS


def _protected_spans(line: str) -> tuple[list[int], list[int]]:
    """Sorted, non-overlapping (start, end) spans in which no boundary is placed: short bracketed asides,
    URLs and e-mail addresses."""
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    has_brackets = "(" in line or "[" in line
    has_address = "://" in line or "www." in line or "@" in line
    if not (has_brackets or has_address):
        return [], []
    for m in re.finditer(r"[()\[\]]", line) if has_brackets else ():
        ch = m.group()
        if ch in "([":
            stack.append(m.start())
            if len(stack) > 64:  # unbalanced debris: forget the oldest
                stack.pop(0)
        elif stack:
            start = stack.pop()
            if m.start() - start <= MAX_ASIDE:
                spans.append((start, m.start()))
    for m in _TOKEN.finditer(line) if has_address else ():
        tok = m.group()
        if "://" in tok or tok.startswith("www.") or ("@" in tok and "." in tok):
            end = m.end()
            # A sentence stop (and closers) right after the address still ends the sentence.
            while end > m.start() and (line[end - 1] in STOPS or line[end - 1] in CLOSERS):
                end -= 1
            spans.append((m.start(), end))
    if not spans:
        return [], []
    spans.sort()
    starts: list[int] = []
    ends: list[int] = []
    for s, e in spans:
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def _inside(line: str, s: int, e: int, starts: list[int], ends: list[int]) -> bool:
    """Whether the stop run line[s:e] is inside a protected span (a stop that closes the span is not)."""
    i = bisect.bisect_right(starts, s) - 1
    if i < 0 or s >= ends[i]:
        return False
    end = ends[i]
    return not (
        end < len(line) and line[end] in ")]" and e <= end and all(c in CLOSERS for c in line[e : end + 1])
    )


_AR = ARABIC_LETTER_CLASS
_CLOSERS_CLASS = "".join(re.escape(c) for c in sorted(CLOSERS))
_OPENERS_CLASS = "".join(re.escape(c) for c in sorted(OPENERS))
# Candidate boundaries, found by one linear regex: a run of stops (starting only at the run's first stop,
# possessive, so a long run is scanned once) with its closers, before a space, the end or an opening
# quote; or a run of stops between two Arabic words with no space ("انتهى.وقال").
_CANDIDATE = re.compile(
    rf"(?<![.!?؟…])(?P<stops>[.!?؟…]++)(?P<closers>[{_CLOSERS_CLASS}]*+)(?=\s|$|[{_OPENERS_CLASS}])"
    rf"|(?<=[{_AR}][{_AR}])(?<![.!?؟…])(?P<glued>[.!?؟…]++)(?=[{_AR}][{_AR}])"
)


def _not_a_stop(line: str, sent_start: int, s: int) -> bool:
    """A single dot that ends an abbreviation or an enumeration label, not a sentence."""
    if _is_abbreviation(_token_before(line, s)):
        return True
    head = line[sent_start:s].strip() if s - sent_start <= 8 else ""
    return head.isdigit() and len(head) <= 3  # "1." "12." (a letter label "أ." is a one-letter word)


_CLOCK = re.compile(r"\d{1,2}:\d{2}")
# After "10:30 م." these words continue the sentence ("م. بتوقيت مكة"); any other word starts a new one.
_TIME_CONTINUATIONS = ("بتوقيت", "بالتوقيت", "توقيت", "ت.غ", "(", "،", ",")
_QUOTE_CLOSERS = frozenset("»”\"’'")
_WORD_AFTER = re.compile(r"\s*(\S+)")


def _time_meridiem(line: str, s: int) -> bool:
    """ "10:30 م." / "8:15 ص." (p.m./a.m.) before a new sentence: the dot ends the sentence too."""
    if _token_before(line, s) not in ("م", "ص"):
        return False
    before = line[max(0, s - 12) : s - 1].rstrip()
    if not _CLOCK.search(before.rsplit(" ", 1)[-1]):
        return False
    nxt = _WORD_AFTER.match(line, s + 1)
    return nxt is not None and not nxt.group(1).startswith(_TIME_CONTINUATIONS)


def _attribution_follows(line: str, end: int) -> bool:
    """'«...؟» تساءل النائب': a reporting verb right after a quoted question or exclamation attributes it."""
    nxt = _WORD_AFTER.match(line, end)
    return nxt is not None and match_key(nxt.group(1).strip("،,.:")) in lexicon().attribution_verbs


class _Quotes:
    """Open guillemets and curly quotes up to a position, scanned once per line (linear)."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.pos = 0
        self.open: list[int] = []

    def open_since(self, start: int, at: int) -> bool:
        for i in range(self.pos, at):
            ch = self.line[i]
            if ch in "«“":
                self.open.append(i)
            elif ch in "»”" and self.open:
                self.open.pop()
        self.pos = max(self.pos, at)
        return bool(self.open) and self.open[-1] >= start


def _continues(line: str, m: re.Match[str], start: int, quotes: _Quotes) -> bool:
    """A stop run that does not end the sentence: an ellipsis inside a quotation that goes on, or a quoted
    question/exclamation followed by its attribution."""
    stops, closers = m.group("stops"), m.group("closers") or ""
    if stops is None:
        return False
    if set(stops) == {"."} and len(stops) >= 2 and not closers:
        return quotes.open_since(start, m.start())
    return (
        stops[-1] in "?!؟"
        and any(c in _QUOTE_CLOSERS for c in closers)
        and _attribution_follows(line, m.end())
    )


def split_line(line: str) -> Iterator[str]:
    """Sentences of one line (no newline inside)."""
    starts, ends = _protected_spans(line)
    quotes = _Quotes(line)
    start = 0
    for m in _CANDIDATE.finditer(line):
        s = m.start()
        e = m.end("stops") if m.group("stops") is not None else m.end("glued")
        if starts and _inside(line, s, e, starts, ends):
            continue
        if m.group("stops") == "." and _not_a_stop(line, start, s) and not _time_meridiem(line, s):
            continue
        if _continues(line, m, start, quotes):
            continue
        end = m.end()
        sentence = line[start:end].strip()
        if sentence:
            yield sentence
        start = end
    rest = line[start:].strip()
    if rest:
        yield rest


# --- cutting sentences that are too long -------------------------------------------------------------

_LEVELS: tuple[re.Pattern[str], ...] = (
    # after ؛ or ; followed by a space (or the end): never inside a word such as "قال؛إن"
    re.compile(r"(?:[^؛;]|[؛;](?!\s|$))*(?:[؛;]+(?=\s|$)|$)\s*"),
    # after ، or , followed by a space (or the end): never inside "1,000" or "الجمعة،10"
    re.compile(r"(?:[^،,]|[،,](?!\s|$))*(?:[،,]+(?=\s|$)|$)\s*"),
    re.compile(r"\S*\s*"),  # between words
)


_LEVEL_MARKS = ("؛;", "،,", "")


def _units(text: str, level: int) -> list[str]:
    marks = _LEVEL_MARKS[level]
    if marks and not any(c in text for c in marks):
        return [text]
    return [u for u in _LEVELS[level].findall(text) if u]


def _fit(units: list[str], max_length: int, length: Callable[[str], int], level: int) -> list[str]:
    """Greedy packing of units into pieces of at most max_length; a unit too long alone goes one level down.
    Lengths are summed per unit (linear), then each piece is checked once with the real `length`."""
    pieces: list[str] = []
    current: list[str] = []
    total = 0

    def flush() -> None:
        nonlocal current, total
        if current:
            pieces.extend(_verify(current, max_length, length))
        current, total = [], 0

    for unit in units:
        size = length(unit.strip())
        if size > max_length:
            flush()
            if level + 1 < len(_LEVELS):
                pieces.extend(_fit(_units(unit, level + 1), max_length, length, level + 1))
            else:
                pieces.append(unit.strip())  # one word longer than the budget: never cut inside a word
            continue
        if current and total + size > max_length:
            flush()
        current.append(unit)
        total += size
    flush()
    return [p for p in pieces if p]


def _verify(units: list[str], max_length: int, length: Callable[[str], int]) -> list[str]:
    text = "".join(units).strip()
    if len(units) == 1 or length(text) <= max_length:
        return [text]
    half = len(units) // 2  # the length function is not additive (tokenizers): halve until it fits
    return _verify(units[:half], max_length, length) + _verify(units[half:], max_length, length)


def cut(sentence: str, max_length: int, length: Callable[[str], int] = len) -> list[str]:
    """The sentence in pieces of at most max_length (a single over-long word stays whole)."""
    if max_length < 1 or length(sentence) <= max_length:
        return [sentence]
    return _fit(_units(sentence, 0), max_length, length, 0)


# --- public API ---------------------------------------------------------------------------------------


def _sentences(paragraphs: list[str], max_length: int | None, length: Callable[[str], int]) -> list[Sentence]:
    out: list[Sentence] = []
    for index, paragraph in enumerate(paragraphs):
        for line in paragraph.split("\n"):
            for sentence in split_line(line):
                if max_length is None:
                    out.append(Sentence(sentence, index))
                    continue
                pieces = cut(sentence, max_length, length)
                if len(pieces) == 1:
                    out.append(Sentence(pieces[0], index))
                else:
                    out.extend(Sentence(p, index, k) for k, p in enumerate(pieces))
    return out


def segment(
    text: str, *, max_length: int | None = None, length: Callable[[str], int] = len
) -> list[Sentence]:
    """Sentences of a text. Paragraphs are separated by blank lines; `Sentence.paragraph` is their index."""
    normalized = normalize(text)
    if not normalized:
        return []
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(normalized) if p.strip()]
    return _sentences(paragraphs, max_length, length)


def segment_article(
    article: Article, *, max_length: int | None = None, length: Callable[[str], int] = len
) -> list[Sentence]:
    """Sentences of the article's paragraphs (not its title: the pipeline translates that on its own).
    `Sentence.paragraph` indexes `article.paragraphs`."""
    paragraphs = [normalize(p) for p in article.paragraphs]
    return _sentences(paragraphs, max_length, length)
