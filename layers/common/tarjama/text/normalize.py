"""Safe normalization: only changes that never change a word.

Letters are never folded (ى/ي, ة/ه, the hamza forms): that would turn one word into another. What goes is
what a reader cannot see or what has one meaning in any form: compatibility forms (NFKC: presentation forms,
full-width characters, the ellipsis character), tatweel, zero-width and bidi controls, other control
characters; Arabic-Indic and Persian digits become ASCII digits so numbers match across the pipeline
(the translator's number check, the cache key).

Every step is a character map or a linear regex, so the cost is linear in the input.
"""

from __future__ import annotations

import re
import unicodedata

# NFKC decomposes these "high hamza" letters into two characters (e.g. U+0675 -> alef + U+0674): a change
# of letters, so they are kept out of NFKC.
_NFKC_PROTECTED = re.compile("([\u0675-\u0678]+)")

TATWEEL = "\u0640"

# Invisible format characters: zero-width space/joiners, LRM/RLM/ALM, the bidi embeddings, overrides (RLO
# etc.) and isolates, word joiner and invisible operators, BOM, soft hyphen, Mongolian vowel separator,
# variation selectors (the "️" after "©").
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)

_DIGITS = {0x0660 + i: str(i) for i in range(10)} | {0x06F0 + i: str(i) for i in range(10)}
_TABLE: dict[int, str | None] = {ord(c): None for c in _INVISIBLE + TATWEEL}
_TABLE.update(_DIGITS)
_TABLE[0x066B] = "."  # Arabic decimal separator: "3٫5" -> "3.5"
_TABLE[0x066C] = ","  # Arabic thousands separator
# Line and paragraph separators of every kind become "\n"; tab and other spaces become " ".
for _c in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029":
    _TABLE[ord(_c)] = "\n"
_TABLE[ord("\t")] = " "
# Remaining C0/C1 control characters carry nothing.
for _code in [*range(0x20), *range(0x7F, 0xA0)]:
    _TABLE.setdefault(_code, None)
_TABLE[ord("\n")] = "\n"

_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _nfkc(text: str) -> str:
    if not _NFKC_PROTECTED.search(text):
        return unicodedata.normalize("NFKC", text)
    parts = _NFKC_PROTECTED.split(text)
    # Odd indices are the protected runs (the split pattern has one group).
    return "".join(p if i % 2 else unicodedata.normalize("NFKC", p) for i, p in enumerate(parts))


def normalize_chars(text: str) -> str:
    """Everything but the whitespace collapse: the cleaner still needs runs of spaces (ticker separators)."""
    text = text.replace("\r\n", "\n")
    # Translate before NFKC (NFKC would turn some controls into spaces) and after (NFKC can produce
    # characters of the table, e.g. compatibility spaces are fine but U+2026 -> "..." is kept as dots).
    return _nfkc(text.translate(_TABLE)).translate(_TABLE)


def collapse_spaces(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def normalize(text: str) -> str:
    """Safe normalization of a text; line structure is kept (one blank line at most between paragraphs)."""
    text = normalize_chars(text)
    lines = [collapse_spaces(line) for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_HARAKAT = re.compile("[\u064b-\u0652\u0670]")


def match_key(text: str) -> str:
    """A folded, lower-cased form used ONLY to match phrase lists (never output): spelling variants of the
    same chrome phrase (أيضا/أيضاً/ايضا, اعلان/إعلان) then match one entry."""
    return _HARAKAT.sub("", text).translate(_FOLD).lower()
