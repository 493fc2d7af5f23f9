"""The cleaner: a scraped page (text or HTML) in, the article out, with every removed line and its reason.

It works on lines, in three steps (docs/cleaning.md has the full list of rules and reason codes):

1. Local signals, line by line: separators (runs of 3+ spaces, pipes, bullets: a ticker of other headlines or
   a menu), lone numbers (share counters), dates and update stamps, and a short phrase list of chrome
   (share/follow/copyright/read also/related/tags/ad/menu/comments) that only fires on short lines made of
   such words.
2. Neighbours: a heading such as "related" or "tags" takes the list of short lines under it; "breaking"
   alone takes the headline under it; a comments heading after the article takes everything below it.
3. Position: the body runs from the first to the last line of prose (sentence punctuation, length, commas).
   Above it, the title is the repeated headline or else the first one; short labels there are sections
   of the site. Below it, short lines are footer chrome unless they credit a source, and runs of headlines
   are a related list. Inside the body everything that survived step 1 stays: short subheadings included.

Lines repeating the title or an earlier paragraph go last. The output text is always the normalized input's
own text: lines are kept or dropped, never rewritten.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from tarjama.errors import EmptyAfterCleaningError, InvalidInputError, NotArabicError
from tarjama.text import lexicon as lx
from tarjama.text.normalize import collapse_spaces, match_key, normalize_chars
from tarjama.text.segment import CLOSERS
from tarjama.text.types import Article, InputFormat, Removed


def _keys(words: frozenset[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({match_key(w) for w in words}, key=len, reverse=True))


MENU = frozenset(_keys(lx.MENU))
SOCIAL = frozenset(_keys(lx.SOCIAL))
SHARE_WORDS = frozenset(_keys(lx.SHARE_WORDS)) | SOCIAL
SHARE_STRONG = frozenset(_keys(lx.SHARE_STRONG))
FOLLOW_VERBS = _keys(lx.FOLLOW_VERBS)
FOLLOW_PLACES = frozenset(_keys(lx.FOLLOW_PLACES)) | SOCIAL
COPYRIGHT = _keys(lx.COPYRIGHT)
READ_ALSO = _keys(lx.READ_ALSO)
RELATED = _keys(lx.RELATED)
TAGS = _keys(lx.TAGS)
AD = frozenset(_keys(lx.AD))
LOGO = frozenset(_keys(lx.LOGO))
CAPTION = frozenset(_keys(lx.CAPTION))
BREAKING = _keys(lx.BREAKING)
COMMENTS = frozenset(_keys(lx.COMMENTS))
COMMENT_POLICY_WORDS = _keys(lx.COMMENT_POLICY_WORDS)
COMMENT_WORDS = _keys(lx.COMMENT_WORDS)
DISCLAIMER = _keys(lx.DISCLAIMER)
COOKIES = _keys(lx.COOKIES)
CAPTION_PREFIXES = _keys(lx.CAPTION_PREFIXES)
READING_WORDS = frozenset(_keys(lx.READING_WORDS))
STRONG_READ_ALSO = frozenset(p for p in READ_ALSO if any(w in p for w in ("ايضا", "كذلك", "also")))
MONTHS = frozenset(_keys(lx.MONTHS))
DAYS = frozenset(_keys(lx.DAYS))
TIME_WORDS = frozenset(_keys(lx.TIME_WORDS))
STAMP_PREFIXES = _keys(lx.STAMP_PREFIXES)
STAMP_WORDS = frozenset(w for p in STAMP_PREFIXES for w in p.split())
BYLINE = _keys(lx.BYLINE)
CREDIT_WORDS = _keys(lx.CREDIT_WORDS)
FUNCTION_WORDS = frozenset(_keys(lx.FUNCTION_WORDS))
COMPLEMENTIZERS = frozenset(_keys(lx.COMPLEMENTIZERS))
SENTENCE_OPENERS = frozenset(_keys(lx.SENTENCE_OPENERS))
# Read-also verbs that also occur as ordinary verbs: only with a colon right after.
_READ_VERBS = frozenset({"اقرا", "طالع", "شاهد"})
# Breaking markers that are ordinary words too: only when alone on their line.
_BREAKING_ALONE_ONLY = frozenset({"الان", "مباشر", "بث مباشر", "live"})

STOPS = ".!?؟…"
_SEPARATORS = re.compile(r"\s{3,}|\s*[|•●◆◇■□▪►◄▶◀★☆✦¦]\s*")
_CRUMB_SEPARATORS = re.compile(r"\s+(?:[»›>/\\←→]|&gt;)\s+")
_NON_WORD = re.compile(r"[^\w#]+|_+")
_NUMBERISH = re.compile(r"[\d.,:/+%\-\s]+[kKmMأ]?")
_NUMBER_TOKEN = re.compile(r"\d+")
# A lone number that is a date or a time rather than a counter: 10:30, 14/05/2024, 2024-06-01, 2024.
_DATE_NUMBER = re.compile(r"\d:\d|\d[/.\-]\d{1,2}[/.\-]\d|^\s*(?:19|20)\d\d\s*$")
_ARABIC_LETTERS = re.compile(r"[\u0621-\u064A\u066E-\u06D3\u06D5\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_COUNTER = re.compile(
    r"(?:\d[\d.,]*\s*(?:[kKمأ](?=\s))?\s*(?P<a>\S+(?:\s\S+)?)|(?P<b>\S+(?:\s\S+)?)\s*\d[\d.,]*\s*[kKمأ]?)"
)
_COUNTER_WORDS = {
    "share": ("مشاركه", "مشاركات", "شير", "share", "shares"),
    "views": ("مشاهده", "مشاهدات", "قراءه", "قراءات", "view", "views", "reads", "زياره", "زيارات"),
    "comments": ("تعليق", "تعليقات", "comment", "comments"),
}
_COUNTER_LOOKUP = {match_key(w): reason for reason, ws in _COUNTER_WORDS.items() for w in ws}
_ZONE_LIMIT = 40
_BULLET = re.compile(
    r"[-–•*·▪◦]\s|\d{1,2}[.)-]\s"
)  # phrase rules only look at lines this short (in words): chrome is short


def letter_counts(text: str) -> tuple[int, int]:
    """(Arabic letters, all letters); linear, in C."""
    return len(text) - len(_ARABIC_LETTERS.sub("", text)), len(text) - len(_LETTERS.sub("", text))


def _strip_closers(text: str) -> str:
    end = len(text)
    while end and (text[end - 1] in CLOSERS or text[end - 1] in "*"):
        end -= 1
    return text[:end]


@dataclass(frozen=True)
class _Features:
    text: str
    key: str
    tokens: tuple[str, ...]
    words: int
    arabic: int
    letters: int
    prose: bool
    local: str | None  # reason from the line alone
    marker: str | None  # how it affects its neighbours


@dataclass
class _Line:
    f: _Features
    reason: str | None = None
    tentative: bool = False
    listed: bool = False  # taken by a list heading above it (may be given back as the title)

    @property
    def kept(self) -> bool:
        return self.reason is None


# --- local signals -------------------------------------------------------------------------------------


def _count_words(text: str) -> int:
    """Words with at least one letter or digit: a dash or a pipe is not a word."""
    if len(text) > 10_000:
        return len(text.split())  # long lines: the exact count does not change any decision
    return sum(1 for t in text.split() if any(c.isalnum() for c in t))


def _is_prose(text: str, words: int, tokens: tuple[str, ...]) -> bool:
    """A line of running text: sentence punctuation, length, commas between many words, or the grammar of
    a sentence (a complementizer such as أن/إن/الذي, or a reporting verb with و, plus function words):
    scraped paragraphs often lost their final stop, headlines rarely have these."""
    t = _strip_closers(text)
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
        function = sum(1 for w in tokens if w in FUNCTION_WORDS)
        grammar = tokens[0] in SENTENCE_OPENERS or any(w in COMPLEMENTIZERS for w in tokens)
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
    ended = sum(1 for p in parts if _strip_closers(p)[-1:] in STOPS)
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


def _starts(bare: str, phrases: tuple[str, ...]) -> str | None:
    for p in phrases:
        if bare == p or bare.startswith(p + " "):
            return p
    return None


def _is_date(tokens: tuple[str, ...]) -> bool:
    """Only date words and numbers: "22 يناير 2024، 6:26 م", "منذ 3 ساعات", "آخر تحديث: الأحد 5/5/2024"."""
    if not tokens or len(tokens) > 16:
        return False
    bare = " ".join(tokens)
    prefix = _starts(bare, STAMP_PREFIXES)
    rest = tokens[len(prefix.split()) :] if prefix else tokens
    if not rest:
        return False
    number = day = month = False
    for t in rest:
        if _NUMBER_TOKEN.fullmatch(t):
            number = True
        elif t in DAYS or (t[:1] == "و" and t[1:] in DAYS):
            day = True
        elif t in MONTHS:
            month = True
        elif t in TIME_WORDS or t in STAMP_WORDS or (t[:1] == "و" and t[1:] in TIME_WORDS | STAMP_WORDS):
            continue
        else:
            return False
    return number or day or (month and (prefix is not None or len(rest) >= 2))


def _is_reading_time(tokens: tuple[str, ...]) -> bool:
    """ "مدة القراءة: 3 دقائق", "3 min read": reading words, then only numbers and time units."""
    if not any(t in READING_WORDS for t in tokens):
        return False
    rest = [t for t in tokens if t not in READING_WORDS]
    return bool(rest) and all(_NUMBER_TOKEN.fullmatch(t) or t in TIME_WORDS for t in rest)


def _counter(bare: str) -> str | None:
    m = _COUNTER.fullmatch(bare)
    if not m:
        return None
    word = m.group("a") or m.group("b") or ""
    return _COUNTER_LOOKUP.get(word)


def _phrase(f_text: str, key: str, tokens: tuple[str, ...], words: int) -> tuple[str | None, str | None]:
    """(reason, marker) from the phrase list; only for short lines."""
    bare = " ".join(tokens)
    if not bare:
        return None, None
    if words <= 6:
        if bare in LOGO or (tokens[0] in {"logo", "شعار"} and words <= 4):
            return "logo", None
        counter = _counter(bare)
        if counter:
            return counter, None
        if bare in BREAKING:
            return "breaking", "breaking_alone"
        if bare in COMMENTS:
            return "comments", "comments_head"
        if bare in AD:
            return "ad", None
        if bare in MENU:
            return "menu", None
        if bare in CAPTION:
            return "caption", None
        if bare in TAGS:
            return "tags", "tags_head"
        related = _starts(bare, RELATED)
        if related is not None and (bare == related or words <= len(related.split()) + 1):
            return "related", "related_head"
        if (tokens[0] in _READ_VERBS and words <= 3 and key.rstrip().endswith(":")) or (
            bare in READ_ALSO and bare not in _READ_VERBS
        ):
            return "read_also", "read_also_alone"
    if "©" in f_text or any(p in key for p in COPYRIGHT):
        return "copyright", None
    if any(w in key for w in COMMENT_WORDS) and sum(1 for p in COMMENT_POLICY_WORDS if p in key) >= 2:
        return "comment_policy", None
    if any(p in key for p in DISCLAIMER):
        return "disclaimer", None
    if any(p in key for p in COOKIES):
        return "cookies", None
    if words <= 15:
        verb = _starts(bare, FOLLOW_VERBS)
        if verb and (any(t in FOLLOW_PLACES for t in tokens) or tokens[-1] in {"علي", "عبر", "في", "on"}):
            return "follow", None
        if all(t in SHARE_WORDS or t.isdigit() for t in tokens) and any(t in SHARE_STRONG for t in tokens):
            return "share", None
        if "الرابط المختصر" in bare or "رابط مختصر" in bare or "نسخ الرابط" in bare:
            return "share", None
    if words <= 30:
        breaking = _starts(bare, BREAKING)
        if (
            breaking
            and breaking not in _BREAKING_ALONE_ONLY
            and re.match(rf"\W*{re.escape(breaking)}\s*[:|\-–—]", key)
        ):
            return "breaking", None
        rv = _starts(bare, READ_ALSO)
        if rv is not None and (words > 3 or ":" in key):
            colon = ":" in key[: len(rv) + 4]
            if rv in STRONG_READ_ALSO or colon:
                return ("read_also", "read_also_alone") if words <= 3 else ("read_also", None)
        caption = _starts(bare, CAPTION_PREFIXES)
        if caption is not None and words <= 10 and ":" in key[: len(caption) + 4]:
            return "caption", None
        tag = _starts(bare, TAGS)
        if tag and ":" in key[: len(tag) + 3]:
            return "tags", None
        if words >= 2 and all(t.startswith("#") for t in tokens):
            return "tags", None
    if words <= 16 and _is_date(tokens):
        return "date", None
    if words <= 8 and _is_reading_time(tokens):
        return "reading_time", None
    if words <= 12 and _breadcrumb(f_text, tokens):
        return "breadcrumb", None
    return None, None


@lru_cache(maxsize=4096)
def _features(raw: str) -> _Features:
    text = collapse_spaces(raw)
    words = _count_words(text)
    arabic, letters = letter_counts(text)
    local: str | None = None
    marker: str | None = None
    short = words <= _ZONE_LIMIT and len(text) <= _ZONE_LIMIT * 50
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
    return _Features(text, key, tokens, words, arabic, letters, prose, local, marker)


# --- the cleaner -----------------------------------------------------------------------------------------


def _next_kept(lines: list[_Line], i: int) -> int:
    """The next kept line within a few lines (bounded: a page of 100,000 markers stays linear)."""
    for j in range(i + 1, min(len(lines), i + 6)):
        if lines[j].kept:
            return j
    return len(lines)


def _neighbours(lines: list[_Line]) -> None:
    seen_prose = False
    for i, line in enumerate(lines):
        marker = line.f.marker
        if line.f.prose and line.kept:
            seen_prose = True
        if marker is None:
            continue
        if marker in ("read_also_alone", "breaking_alone"):
            j = _next_kept(lines, i)
            if j < len(lines) and not lines[j].f.prose and lines[j].f.words <= 25:
                lines[j].reason = "read_also" if marker == "read_also_alone" else "breaking"
                lines[j].tentative = marker == "breaking_alone"
        elif marker in ("related_head", "tags_head"):
            # the list is the run of short, non-prose lines right under the heading; other chrome ends it
            limit = 5 if marker == "tags_head" else 25
            for j in range(i + 1, min(len(lines), i + 31)):
                f = lines[j].f
                if not lines[j].kept or f.prose or f.words > limit:
                    break
                lines[j].reason = "related" if marker == "related_head" else "tags"
                lines[j].listed = True
        elif marker == "comments_head" and seen_prose:
            for later in lines[i + 1 :]:
                if later.kept:
                    later.reason = "comments"
            return


def _is_arabic(f: _Features) -> bool:
    return f.arabic * 2 >= f.letters and f.arabic > 0


def _is_credit(f: _Features) -> bool:
    key = f.key
    return any(w in key for w in CREDIT_WORDS) or bool(re.search(r"\(\s*\w+\s*\)$", f.text))


def _banner_confirmed(lines: list[_Line], i: int, counts: Counter[str]) -> bool:
    """The headline under a lone "breaking" marker is a banner (not the title) when a real title follows:
    a repeated headline, or a headline set apart from the banner by other page furniture."""
    apart = False
    for ln in lines[i + 1 :]:
        if ln.kept and ln.f.words >= 4 and _is_arabic(ln.f):
            return apart or counts[ln.f.text] > 1
        apart = True
    return False


def _header(lines: list[_Line], has_prose: bool) -> _Line | None:
    """Chooses the title among the lines above the body; labels the rest. Returns the title line."""
    candidates = [ln for ln in lines if ln.kept or ln.tentative]
    counts = Counter(ln.f.text for ln in candidates)
    for i, ln in enumerate(lines):
        if ln.tentative:
            ln.tentative = False
            if not _banner_confirmed(lines, i, counts):
                ln.reason = None
    candidates = [ln for ln in candidates if ln.kept]
    for ln in candidates:
        if ln.f.letters and not _is_arabic(ln.f):
            ln.reason = "non_arabic"
    candidates = [ln for ln in candidates if ln.kept]
    if has_prose and not any(ln.f.words >= 4 for ln in candidates):
        # A list heading at the top ran into the title: the last listed headline before the body is it.
        listed = [ln for ln in lines if ln.listed and ln.f.words >= 4 and _is_arabic(ln.f)]
        if listed:
            listed[-1].reason = None
            candidates = [ln for ln in lines if ln.kept]
    if not candidates:
        return None
    longs = [ln for ln in candidates if ln.f.words >= 4]
    repeated = next((ln for ln in longs if counts[ln.f.text] > 1), None)
    if repeated is not None:
        title = repeated
    elif longs:
        title = longs[0]
    else:
        title = candidates[-1] if has_prose else candidates[0]
    if not has_prose:
        return title
    before = True
    for ln in candidates:
        if ln is title:
            before = False
            continue
        if ln.f.words <= 12 and _starts(" ".join(ln.f.tokens), BYLINE):
            ln.reason = "byline"
        elif ln.f.words < 4:
            ln.reason = "section"
        elif before and repeated is not None and ln.f.text != title.f.text:
            ln.reason = "ticker"  # other headlines above the repeated (true) title
    return title


def _footer(lines: list[_Line], introduced: bool) -> None:
    """Below the body: runs of 3+ headline-sized lines are a list (related stories, a menu); other short
    lines are footer chrome unless they credit a source. Bulleted lines, and the lines right under a body
    line that ends with a colon, are the article's own list."""
    rest: list[_Line] = []
    for ln in lines:
        if not ln.kept:
            if ln.f.local is not None:
                introduced = False
            continue
        if introduced or _BULLET.match(ln.f.text):
            continue
        if ln.f.letters and not _is_arabic(ln.f):
            ln.reason = "non_arabic"
        elif not _is_credit(ln.f) and not _strip_closers(ln.f.text).endswith((".", "؟", "?", "!")):
            rest.append(ln)  # (a short last sentence with its stop is content, like a credit)
    run: list[_Line] = []
    for item in [*rest, None]:
        if item is not None and item.f.words <= 14 and "،" not in item.f.text:
            run.append(item)
            continue
        if len(run) >= 3:
            menu = sum(1 for r in run if r.f.words <= 3) * 2 > len(run)
            for r in run:
                r.reason = "menu" if menu else "related"
        run = []
    for ln in rest:
        if ln.kept and ln.f.words <= 5:
            ln.reason = "footer"


def _lines(normalized: str) -> list[_Line]:
    try:
        return [_Line(_features(raw)) for raw in normalized.split("\n") if raw.strip()]
    finally:
        _features.cache_clear()


def clean_lines(text: str) -> Article:
    """The line rules (the plain-text path, and the HTML path after extraction); no language check."""
    return _clean_lines(_lines(normalize_chars(text)))


def _clean_lines(lines: list[_Line]) -> Article:
    for ln in lines:
        ln.reason = ln.f.local
    _neighbours(lines)
    # A repeated paragraph goes before the body is located, so that its copy cannot stretch the body.
    seen: set[str] = set()
    for ln in lines:
        if ln.kept and ln.f.prose:
            if ln.f.text in seen:
                ln.reason = "duplicate"
            seen.add(ln.f.text)
    prose = [i for i, ln in enumerate(lines) if ln.kept and ln.f.prose]
    has_prose = bool(prose)
    start, end = (prose[0], prose[-1]) if prose else (len(lines), len(lines))
    title = _header(lines[:start], has_prose)
    if has_prose:
        # A lone "breaking" marker below the body has no title under it to confirm the banner: the line it
        # took goes back to the footer rules, which judge it as they would without the marker (so cleaning
        # the output, where the marker is gone, gives the same verdict).
        for ln in lines[end + 1 :]:
            if ln.tentative:
                ln.tentative = False
                ln.reason = None
        _footer(lines[end + 1 :], introduced=_strip_closers(lines[end].f.text).endswith(":"))
    for ln in lines:
        if ln.tentative:
            ln.tentative = False
            ln.reason = None
    title_text = title.f.text if title is not None else ""
    seen = {title_text}
    paragraphs: list[str] = []
    for ln in lines:
        if not ln.kept or ln is title:
            continue
        if ln.f.text == title_text:
            ln.reason = "duplicate_title"
        elif ln.f.text in seen:
            ln.reason = "duplicate"
        else:
            seen.add(ln.f.text)
            paragraphs.append(ln.f.text)
    if not paragraphs and title_text:
        paragraphs, title_text = [title_text], ""
    removed = [Removed(ln.f.text, ln.reason) for ln in lines if ln.reason is not None]
    return Article(title=title_text, paragraphs=paragraphs, removed=removed)


def _not_arabic(arabic: int, letters: int) -> NotArabicError:
    return NotArabicError(
        f"The text is not Arabic: {arabic:,} of its {letters:,} letters are Arabic; "
        "tarjama translates Arabic articles.",
        details={"arabic_letters": arabic, "letters": letters},
    )


def clean(raw: str, fmt: InputFormat = "auto") -> Article:
    """The article in a scraped page: title, paragraphs (subheadings kept), and what was removed and why.

    Raises NotArabicError when the article (what would be translated: title and paragraphs) is mostly not
    Arabic script, EmptyAfterCleaningError when nothing of an article is left. The check is on the article,
    not the page: an Arabic article under a long English menu is Arabic, and cleaning the output again
    measures the same letters (idempotent). The page only decides which error a page that yields nothing
    gets (mostly Latin: not Arabic), and a page without a single Arabic letter fails fast."""
    if not isinstance(raw, str):
        raise InvalidInputError("The article must be text.")
    if fmt not in ("auto", "text", "html"):
        raise InvalidInputError(f"Unknown input format {fmt!r}; use auto, text or html.")
    from tarjama.text.html import extract, looks_like_html

    is_html = fmt == "html" or (fmt == "auto" and looks_like_html(raw))
    lines = _lines(normalize_chars(extract(raw) if is_html else raw))
    page_arabic = sum(ln.f.arabic for ln in lines)
    page_letters = sum(ln.f.letters for ln in lines)
    if page_letters and page_arabic == 0:
        raise _not_arabic(page_arabic, page_letters)  # no Arabic letter anywhere: the rules cannot add one
    article = _clean_lines(lines)
    if not article.paragraphs:
        if page_arabic * 2 < page_letters:
            raise _not_arabic(page_arabic, page_letters)
        raise EmptyAfterCleaningError(
            "Nothing of an article is left after cleaning"
            + (f" ({len(article.removed)} lines were page chrome)." if article.removed else " (no text)."),
            details={"removed": len(article.removed)},
        )
    counts = [letter_counts(p) for p in [article.title, *article.paragraphs]]
    arabic = sum(a for a, _ in counts)
    letters = sum(n for _, n in counts)
    if arabic == 0 or arabic * 2 < letters:
        raise _not_arabic(arabic, letters)
    return article
