"""The bare headline of an HTML page, from what the page says about itself.

A page names its headline up to five times: `og:title`, JSON-LD `headline`, `twitter:title`, the article's
`h1` and `<title>`. Most carry the site's name as an affix ("… - اليوم السابع", "بوابة الأهرام : …",
"العربية.نت | …"). The affix is cut where the page itself gives it away:

- a part equal to (or contained in, or containing) the site's name (`og:site_name`, `application-name`,
  JSON-LD `publisher.name`);
- the difference between two variants (`<title>` = the `h1` + " - الموقع");
- a part repeated at the same end of variants whose other parts differ;
- an end part of at most four words made of site vocabulary (نيوز، بوابة، قناة، موقع، News, TV ...).

Parts are split at spaced separators (`-`, `|`, `–`, `—`, `:`, `·`, `•`, guillemets); an unspaced colon
("وزير المالية: خطة ...") belongs to the headline. Then the variants vote: the text most sources agree on
wins; a tie goes to the visible headline (`h1`), then JSON-LD, `og:title`, `twitter:title`, `<title>`.
Pure string work: the markup is read by `tarjama.text.page_meta`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from tarjama.text.normalize import collapse_spaces, match_key, normalize_chars
from tarjama.text.script import has_arabic

SOURCES = ("h1", "jsonld", "og", "twitter", "title")  # the tie-break order
_SEPARATOR = re.compile(r"\s+[-|–—:·•«»~/]\s+|\s+[|«»]|[|«»]\s+")
_SITE_WORDS = frozenset(
    {
        "نيوز",
        "بوابه",
        "قناه",
        "موقع",
        "جريده",
        "صحيفه",
        "شبكه",
        "مجله",
        "وكاله",
        "news",
        "tv",
        "online",
        "arabic",
        "عربي",
        "نت",
        "net",
        "com",
        "live",
        "channel",
    }
)
MAX_WORDS = 40


def clean_text(text: str) -> str:
    return collapse_spaces(normalize_chars(text).replace("\n", " "))


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", match_key(text)).split())


def split_parts(title: str) -> list[str]:
    return [p.strip() for p in _SEPARATOR.split(title) if p.strip()]


def _is_site(part: str, sites: Sequence[str]) -> bool:
    key = _key(part)
    if not key:
        return True
    for site in sites:
        s = _key(site)
        if s and (key == s or (len(s) >= 3 and s in key) or (len(key) >= 3 and key in s)):
            return True
    return False


def _site_like(part: str) -> bool:
    words = _key(part).split()
    return 0 < len(words) <= 4 and any(w in _SITE_WORDS or "." in w for w in match_key(part).split())


def strip_affixes(title: str, sites: Sequence[str], variants: Iterable[str] = ()) -> str:
    """The title without the site's name at either end (see the module's rules)."""
    parts = split_parts(title)
    if len(parts) < 2:
        return title
    others = [_key(v) for v in variants if _key(v) and _key(v) != _key(title)]
    # another variant is a run of this one's parts: that run is the headline
    for i in range(len(parts)):
        for j in range(len(parts), i, -1):
            run = " ".join(parts[i:j])
            rest = len(" ".join(parts[:i] + parts[j:]).split())
            if (i, j) != (0, len(parts)) and len(run.split()) >= max(2, rest) and _key(run) in others:
                return " ".join(_raw_run(title, parts, i, j))
    i, j = 0, len(parts)
    while j - i > 1 and _is_site(parts[j - 1], sites):
        j -= 1
    while j - i > 1 and _is_site(parts[i], sites):
        i += 1
    if (i, j) == (0, len(parts)):
        if _site_like(parts[-1]):
            j -= 1
        elif _site_like(parts[0]):
            i += 1
    return " ".join(_raw_run(title, parts, i, j)) if (i, j) != (0, len(parts)) else title


def _raw_run(title: str, parts: list[str], i: int, j: int) -> list[str]:
    """parts[i:j] as they stand in the title (with their inner separators), as one string."""
    if j - i == 1:
        return [parts[i]]
    start = title.find(parts[i])
    end = title.rfind(parts[j - 1]) + len(parts[j - 1])
    return [title[start:end].strip()] if 0 <= start < end else [" ".join(parts[i:j])]


def shared_ends(titles: Sequence[str]) -> set[str]:
    """End parts repeated across variants whose other parts differ: the site's affix."""
    split = [split_parts(t) for t in titles]
    split = [p for p in split if len(p) >= 2]
    out: set[str] = set()
    for a in range(len(split)):
        for b in range(a + 1, len(split)):
            pa, pb = split[a], split[b]
            ka, kb = _key(" ".join(pa)), _key(" ".join(pb))
            if ka in kb or kb in ka:
                continue  # one variant is the other plus an affix: the difference says it (strip_affixes)
            if _key(pa[-1]) == _key(pb[-1]) and _key(" ".join(pa[:-1])) != _key(" ".join(pb[:-1])):
                out.add(pa[-1])
            if _key(pa[0]) == _key(pb[0]) and _key(" ".join(pa[1:])) != _key(" ".join(pb[1:])):
                out.add(pa[0])
    return out


def _logos(titles: Sequence[str]) -> list[str]:
    """Variants of at most four words equal to the end part of a longer variant ("اليوم السابع" in an h1
    logo, and "... - اليوم السابع" in the <title>): the site's name, not the headline."""
    ends = set()
    for t in titles:
        parts = split_parts(t)
        if len(parts) >= 2:
            ends.update({_key(parts[0]), _key(parts[-1])})
    out = []
    for t in titles:
        if len(t.split()) <= 4 and _key(t) in ends:
            longer = [x for x in titles if _key(t) != _key(x) and _key(t) in _key(x)]
            n = len(t.split())
            if longer and all(len(x.split()) - n >= max(5, 2 * n) for x in longer):
                out.append(t)
    return out


def choose(candidates: dict[str, list[str]], sites: Sequence[str]) -> str | None:
    """The bare headline from the sources' candidates ({source: [texts]}), or None when none is usable."""
    texts = {src: [clean_text(t) for t in ts if t and t.strip()] for src, ts in candidates.items()}
    all_titles = [t for ts in texts.values() for t in ts]
    logos = _logos(all_titles)  # a short variant that is the end part of another: the site's name
    site_names = [*sites, *shared_ends(all_titles), *logos]
    bare: list[tuple[str, str]] = []  # (source, text)
    for src in SOURCES:
        for t in texts.get(src, []):
            b = strip_affixes(t, site_names, all_titles)
            words = len(b.split())
            if words < 2 or words > MAX_WORDS or not has_arabic(b) or _is_site(b, [*sites, *logos]):
                continue
            if src == "h1" and words < 3 and len(texts.get("h1", [])) > 1:
                continue  # a logo or a section name in an h1 among several
            bare.append((src, b))
    if not bare:
        return None
    votes: dict[str, int] = {}
    for _, b in bare:
        votes[_key(b)] = votes.get(_key(b), 0) + 1
    rank = {src: i for i, src in enumerate(SOURCES)}
    best = max(bare, key=lambda sb: (votes[_key(sb[1])], -rank[sb[0]]))
    return best[1]
