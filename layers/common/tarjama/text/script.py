"""Which characters are Arabic letters: the one definition of the package.

The Arabic block's letters (U+0620-U+064A; U+066E-U+06D3 and U+06D5: the extended letters of Persian, Urdu,
Kurdish and others; U+06FA-U+06FF), the Arabic Supplement and Extended-A blocks, and the presentation forms
(text the cleaner sees is NFKC-normalized, so those only occur in model output). Not letters: harakat,
Arabic punctuation (، ؛ ؟ ۔), Arabic-Indic digits, Quranic marks. Tatweel is in the range, but normalization
removes it before anything counts letters.
"""

from __future__ import annotations

import re

ARABIC_LETTER_CLASS = (
    "\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff"
    # presentation forms: the letters and ligatures, not the ornate brackets or the signs between them
    "\ufb50-\ufbb1\ufbd3-\ufd3d\ufd50-\ufd8f\ufd92-\ufdc7\ufdf0-\ufdfb\ufe70-\ufe74\ufe76-\ufefc"
)
"""The letters, as the inside of a regex character class (for patterns that need them beside others)."""

ARABIC_LETTERS = re.compile(f"[{ARABIC_LETTER_CLASS}]+")
_LETTERS = re.compile(r"[^\W\d_]+")


def has_arabic(text: str) -> bool:
    return ARABIC_LETTERS.search(text) is not None


def letter_counts(text: str) -> tuple[int, int]:
    """(Arabic letters, all letters); linear, in C."""
    return len(text) - len(ARABIC_LETTERS.sub("", text)), len(text) - len(_LETTERS.sub("", text))
