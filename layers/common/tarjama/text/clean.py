"""The cleaner: a scraped page (text or HTML) in, the article out, with every removed line and its reason.

It works on lines, in three steps (docs/cleaning.md has the full list of rules and reason codes):

1. Local signals, line by line (`features.py`): separators (runs of 3+ spaces, pipes, bullets: a ticker of
   other headlines or a menu), lone numbers (share counters), dates and update stamps, and the phrase lists
   of chrome (`lexicon/`: share/follow/copyright/read also/related/tags/ad/menu/comments) that only fire on
   short lines made of such words.
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
from dataclasses import dataclass, replace

from tarjama.errors import EmptyAfterCleaningError, InvalidInputError, NotArabicError
from tarjama.text.features import Features, features, strip_closers
from tarjama.text.language import MAX_CHARS, Detector, check_arabic
from tarjama.text.lexicon import lexicon
from tarjama.text.normalize import collapse_spaces, match_key, normalize_chars
from tarjama.text.script import letter_counts
from tarjama.text.types import Article, InputFormat, Removed

_NON_WORD = re.compile(r"[^\w]+|_+")
_BULLET = re.compile(r"[-–•*·▪◦]\s|\d{1,2}[.)-]\s")


@dataclass
class _Line:
    f: Features
    reason: str | None = None
    tentative: bool = False
    listed: bool = False  # taken by a list heading above it (may be given back as the title)

    @property
    def kept(self) -> bool:
        return self.reason is None


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


def _is_arabic(f: Features) -> bool:
    return f.arabic * 2 >= f.letters and f.arabic > 0


def _same_headline(f: Features, headline: str) -> bool:
    """A line that is the markup's headline written a little differently (punctuation, a spelling variant,
    a kicker word before it): the page's h1 beside its og:title."""
    if f.words < 3:
        return False
    a = " ".join(_NON_WORD.sub(" ", match_key(f.text)).split())
    b = " ".join(_NON_WORD.sub(" ", match_key(headline)).split())
    return a == b or (len(b.split()) >= 4 and b in a and f.words <= len(b.split()) + 2)


def _is_credit(f: Features) -> bool:
    return lexicon().credit_words.match(f.key) is not None or bool(re.search(r"\(\s*\w+\s*\)$", f.text))


def _banner_confirmed(lines: list[_Line], i: int, counts: Counter[str]) -> bool:
    """The headline under a lone "breaking" marker is a banner (not the title) when a real title follows:
    a repeated headline, or a headline set apart from the banner by other page furniture."""
    apart = False
    for ln in lines[i + 1 :]:
        if ln.kept and ln.f.words >= 4 and _is_arabic(ln.f):
            return apart or counts[ln.f.text] > 1
        apart = True
    return False


def _header(lines: list[_Line], has_prose: bool, forced: str | None = None) -> _Line | None:
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
    if forced is not None:
        found = next((ln for ln in candidates if ln.f.text == forced), None) or next(
            (ln for ln in candidates if _same_headline(ln.f, forced)), None
        )
        title, repeated = found, found if found is not None and counts[forced] > 1 else None
    elif repeated is not None:
        title = repeated
    elif longs:
        title = longs[0]
    else:
        title = candidates[-1] if has_prose else candidates[0]
    if not has_prose:
        return title
    before = title is not None
    for ln in candidates:
        if ln is title:
            before = False
            continue
        if forced is not None and _same_headline(ln.f, forced):
            ln.reason = "duplicate_title"
        elif ln.f.words <= 12 and lexicon().byline.match(" ".join(ln.f.tokens)):
            ln.reason = "byline"
        elif ln.f.words < 4:
            ln.reason = "section"
        elif before and repeated is not None and ln.f.text != repeated.f.text:
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
        elif not _is_credit(ln.f) and not strip_closers(ln.f.text).endswith((".", "؟", "?", "!")):
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
        return [_Line(features(raw)) for raw in normalized.split("\n") if raw.strip()]
    finally:
        features.cache_clear()


def clean_lines(text: str) -> Article:
    """The line rules (the plain-text path, and the HTML path after extraction); no language check."""
    return _clean_lines(_lines(normalize_chars(text)))


def _clean_lines(lines: list[_Line], forced: str | None = None) -> Article:
    """The rules over the page's lines. `forced`: the headline the page's markup names (HTML), which is
    the title whatever the line rules would guess."""
    for ln in lines:
        ln.reason = ln.f.local
    if forced is not None:
        for ln in lines:
            if ln.f.text == forced:
                ln.reason = None
                break
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
    title = _header(lines[:start], has_prose, forced)
    if has_prose:
        # A lone "breaking" marker below the body has no title under it to confirm the banner: the line it
        # took goes back to the footer rules, which judge it as they would without the marker (so cleaning
        # the output, where the marker is gone, gives the same verdict).
        for ln in lines[end + 1 :]:
            if ln.tentative:
                ln.tentative = False
                ln.reason = None
        _footer(lines[end + 1 :], introduced=strip_closers(lines[end].f.text).endswith(":"))
    for ln in lines:
        if ln.tentative:
            ln.tentative = False
            ln.reason = None
    title_text = forced if forced is not None else title.f.text if title is not None else ""
    seen = {title_text}
    paragraphs: list[str] = []
    for ln in lines:
        if not ln.kept:
            continue
        if ln is title:
            if ln.f.text != title_text:  # the markup's headline stands for this line (same_headline)
                ln.reason = "duplicate_title"
            continue
        if ln.f.text == title_text or (forced is not None and _same_headline(ln.f, forced)):
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


def _not_arabic(arabic: int, letters: int, text: str, detector: Detector) -> NotArabicError:
    """The letter-ratio refusal; its details name the identifier's language too (`un` when it has none),
    so every not_arabic refusal carries `language` and `confidence`."""
    guess = detector(text[:MAX_CHARS])
    return NotArabicError(
        f"The text is not Arabic: {arabic:,} of its {letters:,} letters are Arabic; "
        "tarjama translates Arabic articles.",
        details={
            "arabic_letters": arabic,
            "letters": letters,
            "language": guess.language,
            "confidence": round(guess.confidence, 2),
        },
    )


def clean(raw: str, fmt: InputFormat = "auto", *, detector: Detector | None = None) -> Article:
    """The article in a scraped page: title, paragraphs (subheadings kept), and what was removed and why.

    Raises NotArabicError when the article (what would be translated: title and paragraphs) is mostly not
    Arabic script, EmptyAfterCleaningError when nothing of an article is left. The check is on the article,
    not the page: an Arabic article under a long English menu is Arabic, and cleaning the output again
    measures the same letters (idempotent). The page only decides which error a page that yields nothing
    gets (mostly Latin: not Arabic), and a page without a single Arabic letter fails fast.

    The letter ratio is the fast pre-check; then a language identifier (`detector`, by default CLD2 from
    `tarjama.langid`, imported at the first call) refuses an article in another Arabic-script language
    (Persian, Urdu, Pashto, Kurdish, Uyghur, Sindhi ...) with NotArabicError, details {language,
    confidence}."""
    if not isinstance(raw, str):
        raise InvalidInputError("The article must be text.")
    if fmt not in ("auto", "text", "html"):
        raise InvalidInputError(f"Unknown input format {fmt!r}; use auto, text or html.")
    from tarjama.text.html import extract_page, looks_like_html, no_translate_spans

    is_html = fmt == "html" or (fmt == "auto" and looks_like_html(raw))
    forced: str | None = None
    text = raw
    if is_html:
        page = extract_page(raw)
        title = page.headline or page.title
        text = "\n\n".join(x for x in (title, page.lead or "", page.body) if x)
        if page.headline:  # the page's own markup names its headline: the title is that, not a guess
            forced = collapse_spaces(normalize_chars(page.headline))
    lines = _lines(normalize_chars(text))
    if detector is None:
        from tarjama.langid import detector as default_detector

        detector = default_detector()
    page_arabic = sum(ln.f.arabic for ln in lines)
    page_letters = sum(ln.f.letters for ln in lines)
    if page_letters and page_arabic == 0:
        raise _not_arabic(page_arabic, page_letters, text, detector)  # no Arabic letter: nothing to keep
    article = _clean_lines(lines, forced)
    if not article.paragraphs:
        if page_arabic * 2 < page_letters:
            raise _not_arabic(page_arabic, page_letters, text, detector)
        raise EmptyAfterCleaningError(
            "Nothing of an article is left after cleaning"
            + (f" ({len(article.removed)} lines were page chrome)." if article.removed else " (no text)."),
            details={"removed": len(article.removed)},
        )
    counts = [letter_counts(p) for p in [article.title, *article.paragraphs]]
    arabic = sum(a for a, _ in counts)
    letters = sum(n for _, n in counts)
    if arabic == 0 or arabic * 2 < letters:
        raise _not_arabic(arabic, letters, "\n".join([article.title, *article.paragraphs]), detector)
    check_arabic("\n".join([article.title, *article.paragraphs]), detector)
    if is_html:  # the page's do-not-translate marks (docs/glossaries.md)
        keep = tuple(collapse_spaces(normalize_chars(s)) for s in no_translate_spans(raw))
        return replace(article, keep=tuple(s for s in keep if s))
    return article
