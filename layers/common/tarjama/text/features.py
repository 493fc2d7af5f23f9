"""What one line says on its own: the cleaner's local signals (docs/cleaning.md lists them, with reasons).

Separators (runs of 3+ spaces, pipes, bullets: a ticker of other headlines or a menu), lone numbers (share
counters), dates and update stamps, and the phrase lists of `tarjama.text.lexicon` (share/follow/copyright/
read also/related/tags/ad/menu/comments ...) that only fire on short lines made of such words. Whether the
line is running prose (the body) is decided here too; what its neighbours make of it is `clean.py`'s part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from tarjama.text.lexicon import Lexicon, lexicon
from tarjama.text.normalize import collapse_spaces, match_key
from tarjama.text.script import letter_counts
from tarjama.text.segment import CLOSERS

STOPS = ".!?؟…"
_SEPARATORS = re.compile(r"\s{3,}|\s*[|•●◆◇■□▪►◄▶◀★☆✦¦]\s*")
_CRUMB_SEPARATORS = re.compile(r"\s+(?:[»›>/\\←→]|&gt;)\s+")
_NON_WORD = re.compile(r"[^\w#]+|_+")
_NUMBERISH = re.compile(r"[\d.,:/+%\-\s]+[kKmMأ]?")
_NUMBER_TOKEN = re.compile(r"\d+")
# A lone number that is a date or a time rather than a counter: 10:30, 14/05/2024, 2024-06-01, 2024.
_DATE_NUMBER = re.compile(r"\d:\d|\d[/.\-]\d{1,2}[/.\-]\d|^\s*(?:19|20)\d\d\s*$")
_COUNTER = re.compile(
    r"(?:\d[\d.,]*\s*(?:[kKمأ](?=\s))?\s*(?P<a>\S+(?:\s\S+)?)|(?P<b>[^\d\s]+(?:\s[^\d\s]+)?)\s*\d[\d.,]*\s*[kKمأ]?)"
)
# Read-also prefixes that are enough without a colon ("اقرأ أيضا ..."); the others need one ("اقرأ: ...").
_STRONG_READ_ALSO = ("ايضا", "كذلك", "also")
# Phrase rules only look at lines this short (in words): chrome is short.
ZONE_LIMIT = 40


def strip_closers(text: str) -> str:
    end = len(text)
    while end and (text[end - 1] in CLOSERS or text[end - 1] in "*"):
        end -= 1
    return text[:end]


@cache
def _stamp_words() -> frozenset[str]:
    """The single words of the update-stamp prefixes ("آخر تحديث" -> آخر, تحديث)."""
    return frozenset(w for p in lexicon().stamp_prefixes.entries for w in p.split())


@dataclass(frozen=True)
class Features:
    text: str
    key: str
    tokens: tuple[str, ...]
    words: int
    arabic: int
    letters: int
    prose: bool
    local: str | None  # reason from the line alone
    marker: str | None  # how it affects its neighbours


def count_words(text: str) -> int:
    """Words with at least one letter or digit: a dash or a pipe is not a word."""
    if len(text) > 10_000:
        return len(text.split())  # long lines: the exact count does not change any decision
    return sum(1 for t in text.split() if any(c.isalnum() for c in t))


def _is_prose(text: str, words: int, tokens: tuple[str, ...]) -> bool:
    """A line of running text: sentence punctuation, length, commas between many words, or the grammar of
    a sentence (a complementizer such as أن/إن/الذي, or a reporting verb with و, plus stop words):
    scraped paragraphs often lost their final stop, headlines rarely have these."""
    t = strip_closers(text)
    if t[-1:] in "?؟!" and words < 10 and "،" not in t:
        return False  # a question or exclamation headline: "هل تنجح المفاوضات في إنهاء الحرب؟"
    if t and t[-1] in STOPS + ":" and words >= 5:
        return True
    if words >= 30:
        return True
    if words >= 12 and ("،" in t or ", " in t):
        return True
    if words >= 10 and any(s in t for s in (". ", "؟ ", "! ")):
        return True
    if words >= 10 and tokens:
        lx = lexicon()
        function = sum(1 for w in tokens if w in lx.stop_words)
        grammar = tokens[0] in lx.sentence_openers or any(w in lx.complementizers for w in tokens)
        return grammar and function >= 2
    return False


def _ticker(raw: str) -> str | None:
    """Other headlines (or menu items) on one line, split by runs of spaces, pipes or bullets."""
    if len(raw) < 12 or not _SEPARATORS.search(raw):
        return None
    parts = [p.strip() for p in _SEPARATORS.split(raw)]
    parts = [p for p in parts if p]
    if len(parts) < 3:
        return None
    counts = [len(p.split()) for p in parts]
    if max(counts) > 30:
        return None
    ended = sum(1 for p in parts if strip_closers(p)[-1:] in STOPS)
    if ended > 0.3 * len(parts):
        return None
    if sum(1 for c in counts if c <= 2) >= 0.7 * len(parts):
        return "breadcrumb" if match_key(parts[0]) in {"الرئيسيه", "home"} else "menu"
    return "ticker"


def _breadcrumb(text: str, tokens: tuple[str, ...]) -> bool:
    if tokens and tokens[0] in {"الرئيسيه", "home"} and len(tokens) <= 8 and text[-1:] not in STOPS:
        return True
    parts = _CRUMB_SEPARATORS.split(text)
    return len(parts) >= 3 and all(0 < len(p.split()) <= 4 for p in parts)


def _is_date(lx: Lexicon, tokens: tuple[str, ...]) -> bool:
    """Only date words and numbers: "22 يناير 2024، 6:26 م", "منذ 3 ساعات", "آخر تحديث: الأحد 5/5/2024"."""
    if not tokens or len(tokens) > 16:
        return False
    prefix = lx.stamp_prefixes.match(" ".join(tokens))
    rest = tokens[len(prefix.split()) :] if prefix else tokens
    if not rest:
        return False
    stamp_words = _stamp_words()
    number = day = month = False
    for t in rest:
        if _NUMBER_TOKEN.fullmatch(t):
            number = True
        elif t in lx.days or (t[:1] == "و" and t[1:] in lx.days):
            day = True
        elif t in lx.months:
            month = True
        elif (
            t in lx.time_words
            or t in stamp_words
            or (t[:1] == "و" and (t[1:] in lx.time_words or t[1:] in stamp_words))
        ):
            continue
        else:
            return False
    return number or day or (month and (prefix is not None or len(rest) >= 2))


def _is_reading_time(lx: Lexicon, tokens: tuple[str, ...]) -> bool:
    """ "مدة القراءة: 3 دقائق", "3 min read": reading words, then only numbers and time units."""
    if not any(t in lx.reading_words for t in tokens):
        return False
    rest = [t for t in tokens if t not in lx.reading_words]
    return bool(rest) and all(_NUMBER_TOKEN.fullmatch(t) or t in lx.time_words for t in rest)


def _counter(lx: Lexicon, bare: str) -> str | None:
    m = _COUNTER.fullmatch(bare)
    if not m:
        return None
    word = m.group("a") or m.group("b") or ""
    for reason, words in (
        ("share", lx.counter_share),
        ("views", lx.counter_views),
        ("comments", lx.counter_comments),
    ):
        if word in words:
            return reason
    return None


def _phrase(f_text: str, key: str, tokens: tuple[str, ...], words: int) -> tuple[str | None, str | None]:
    """(reason, marker) from the phrase lists; only for short lines."""
    bare = " ".join(tokens)
    if not bare:
        return None, None
    lx = lexicon()
    if words <= 6:
        if bare in lx.logo or (tokens[0] in {"logo", "شعار"} and words <= 4):
            return "logo", None
        counter = _counter(lx, bare)
        if counter:
            # "التعليقات (0)", "عدد التعليقات: 3": the head of a comment section, not a share-bar counter
            head = counter == "comments" and not tokens[0].isdigit()
            return counter, "comments_head" if head else None
        if bare in lx.breaking:
            return "breaking", "breaking_alone"
        if bare in lx.comments:
            return "comments", "comments_head"
        if bare in lx.ad:
            return "ad", None
        if bare in lx.menu:
            return "menu", None
        if bare in lx.caption:
            return "caption", None
        if bare in lx.tags:
            return "tags", "tags_head"
        related = lx.related.match(bare)
        if related is not None and (bare == related or words <= len(related.split()) + 1):
            return "related", "related_head"
        if (tokens[0] in lx.read_verbs and words <= 3 and key.rstrip().endswith(":")) or (
            bare in lx.read_also and bare not in lx.read_verbs
        ):
            return "read_also", "read_also_alone"
    if "©" in f_text or lx.copyright.match(key):
        return "copyright", None
    if lx.comment_words.match(key) and lx.comment_policy_words.count(key) >= 2:
        return "comment_policy", None
    if lx.disclaimer.match(key):
        return "disclaimer", None
    if lx.cookies.match(key):
        return "cookies", None
    if words <= 25 and lx.promotion.match(key):
        return "promotion", None
    if words <= 15:
        verb = lx.follow_verbs.match(bare)
        if verb and (
            any(t in lx.follow_places or t in lx.social for t in tokens)
            or tokens[-1] in {"علي", "عبر", "في", "on"}
        ):
            return "follow", None
        if all(t in lx.share_words or t in lx.social or t.isdigit() for t in tokens) and any(
            t in lx.share_strong for t in tokens
        ):
            return "share", None
        if "الرابط المختصر" in bare or "رابط مختصر" in bare or "نسخ الرابط" in bare:
            return "share", None
    if words <= 30:
        breaking = lx.breaking.match(bare)
        if (
            breaking
            and breaking not in lx.breaking_alone_only
            and re.match(rf"\W*{re.escape(breaking)}\s*[:|\-–—]", key)
        ):
            return "breaking", None
        rv = lx.read_also.match(bare)
        if rv is not None and (words > 3 or ":" in key):
            colon = ":" in key[: len(rv) + 4]
            if colon or any(w in rv for w in _STRONG_READ_ALSO):
                return ("read_also", "read_also_alone") if words <= 3 else ("read_also", None)
        caption = lx.caption_prefixes.match(bare)
        if caption is not None and words <= 10 and ":" in key[: len(caption) + 4]:
            return "caption", None
        tag = lx.tags.match(bare)
        if tag and ":" in key[: len(tag) + 3]:
            return "tags", None
        if words >= 2 and all(t.startswith("#") for t in tokens):
            return "tags", None
    if words <= 16 and _is_date(lx, tokens):
        return "date", None
    if words <= 8 and _is_reading_time(lx, tokens):
        return "reading_time", None
    if words <= 12 and _breadcrumb(f_text, tokens):
        return "breadcrumb", None
    return None, None


@lru_cache(maxsize=4096)
def features(raw: str) -> Features:
    """The line's signals (cached per distinct line: pages repeat lines; the caller clears the cache)."""
    text = collapse_spaces(raw)
    words = count_words(text)
    arabic, letters = letter_counts(text)
    local: str | None = None
    marker: str | None = None
    short = words <= ZONE_LIMIT and len(text) <= ZONE_LIMIT * 50
    key = match_key(text) if short else ""
    tokens = tuple(_NON_WORD.sub(" ", key).split()) if short else ()
    prose = _is_prose(text, words, tokens)
    if not any(c.isalnum() for c in text):
        local = "noise"
    elif _NUMBERISH.fullmatch(text) and len(text) <= 20:
        local = "date" if _DATE_NUMBER.search(text) else "share"
    else:
        # Runs of spaces are a separator here but are collapsed in the output: a line kept as prose with its
        # runs must not turn into a ticker without them, so a line that is one either way is one.
        local = _ticker(raw) or (_ticker(text) if text != raw else None)
        if local is None and short:
            local, marker = _phrase(text, key, tokens, words)
    return Features(text, key, tokens, words, arabic, letters, prose, local, marker)
