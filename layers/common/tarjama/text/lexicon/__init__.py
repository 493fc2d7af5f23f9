"""The cleaner's phrase lists as data: one `<name>.txt` per list beside this module, each with its match mode.

A list file starts with `# match: MODE`, then comment lines (`#`) and one entry a line. The mode says how an
entry matches a line, so the reader of a list knows what adding a word does:

- `line`: the whole line (its words, punctuation stripped) is the entry ("اتصل بنا").
- `prefix`: the line starts with the entry, as whole words ("اقرأ أيضا: ..."); an exact line matches too.
- `contains`: the entry occurs anywhere in the line ("جميع الحقوق محفوظة" in a footer sentence).
- `token`: one word of the line is the entry (share-bar words, month names, stop words).

Entries are compared in `match_key` form (no harakat; أ/إ/آ/ٱ -> ا, ى -> ي, ة -> ه; lower case), applied here
when the list is read, so one entry matches its spelling variants (أيضاً, ايضا, إقرأ ...). They are signals
among others, not the whole cleaner: a phrase only removes a line when the line is short and made of such
words. The files are read once per process (`lexicon()` is cached) and ship as package data.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Literal, get_args

from tarjama.text.normalize import match_key

Mode = Literal["line", "prefix", "contains", "token"]
_MODES: tuple[str, ...] = get_args(Mode)


@dataclass(frozen=True)
class Phrases:
    """One list: its entries in match-key form, longest first (a prefix match returns the longest entry)."""

    name: str
    mode: Mode
    entries: tuple[str, ...]
    members: frozenset[str]

    def __contains__(self, text: object) -> bool:
        """Exact membership: the text is one of the entries (a token, or a whole line)."""
        return text in self.members

    def match(self, text: str) -> str | None:
        """The entry that matches `text` (a line or a token, in match-key form) by this list's mode."""
        if self.mode in ("line", "token"):
            return text if text in self.members else None
        if self.mode == "prefix":
            for p in self.entries:
                if text == p or text.startswith(p + " "):
                    return p
            return None
        return next((p for p in self.entries if p in text), None)

    def count(self, text: str) -> int:
        """How many entries occur in `text` (the `contains` lists: a comment policy says several things)."""
        return sum(1 for p in self.entries if p in text)


def parse(name: str, source: str) -> Phrases:
    """A list file's text as `Phrases`; a missing or unknown mode is an error, not a default."""
    lines = [ln.strip() for ln in source.splitlines()]
    header = lines[0] if lines else ""
    if not header.startswith("# match:"):
        raise ValueError(f"lexicon list {name!r}: the first line must be '# match: MODE'")
    mode = header.split(":", 1)[1].strip()
    if mode not in _MODES:
        raise ValueError(f"lexicon list {name!r}: unknown match mode {mode!r} (one of {', '.join(_MODES)})")
    keys = {match_key(ln) for ln in lines[1:] if ln and not ln.startswith("#")}
    entries = tuple(sorted(keys, key=lambda k: (-len(k), k)))
    return Phrases(name, mode, entries, frozenset(entries))  # type: ignore[arg-type]


def load(name: str) -> Phrases:
    return parse(name, resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Lexicon:
    """Every list the cleaner reads, by name (the field name is the file name)."""

    menu: Phrases
    social: Phrases
    share_words: Phrases
    share_strong: Phrases
    follow_verbs: Phrases
    follow_places: Phrases
    copyright: Phrases
    read_also: Phrases
    read_verbs: Phrases
    related: Phrases
    tags: Phrases
    ad: Phrases
    logo: Phrases
    caption: Phrases
    caption_prefixes: Phrases
    breaking: Phrases
    breaking_alone_only: Phrases
    comments: Phrases
    comment_words: Phrases
    comment_policy_words: Phrases
    counter_share: Phrases
    counter_views: Phrases
    counter_comments: Phrases
    disclaimer: Phrases
    cookies: Phrases
    reading_words: Phrases
    months: Phrases
    days: Phrases
    time_words: Phrases
    stamp_prefixes: Phrases
    byline: Phrases
    credit_words: Phrases
    stop_words: Phrases
    complementizers: Phrases
    sentence_openers: Phrases
    attribution_verbs: Phrases
    promotion: Phrases


@cache
def lexicon() -> Lexicon:
    """All lists, read once per process."""
    return Lexicon(**{f.name: load(f.name) for f in fields(Lexicon)})


@cache
def stop_words() -> frozenset[str]:
    """The stop words in match-key form (compare `match_key(word)`): for callers outside the cleaner."""
    return lexicon().stop_words.members
