"""Quality checks on one translated sentence. Pure Python: the same checks run on both backends' output.

A flag never changes the output (except that `repetition` triggers one retry with n-gram blocking); it tells
a reader which sentences deserve a second look.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

# The package's one Arabic-letter class lives in the text core; re-exported for the translator's flag.
from tarjama.text.script import has_arabic

__all__ = ["has_arabic", "is_repetitive", "missing_numbers", "normalize_digits", "numbers"]

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# A number: digits with optional thousands separators and one decimal part (Arabic separators included).
_NUMBER = re.compile(r"\d+(?:[,٬]\d{3})*(?:[.٫]\d+)?")


def normalize_digits(text: str) -> str:
    return text.translate(_DIGITS)


def numbers(text: str) -> set[str]:
    """The numbers in a text, canonical: ASCII digits, no thousands separators, `.` as decimal point."""
    out: set[str] = set()
    for match in _NUMBER.finditer(normalize_digits(text)):
        value = match.group(0).replace(",", "").replace("٬", "").replace("٫", ".")
        out.add(value)
    return out


def missing_numbers(source: str, output: str) -> set[str]:
    """Numbers of the source that the output does not contain (as a number of its own)."""
    return numbers(source) - numbers(output)


def is_repetitive(tokens: Sequence[str], *, max_run: int = 3, max_ngram: int = 4) -> bool:
    """True when the output loops: a token or an n-gram (n <= max_ngram) repeated consecutively.

    A single token more than `max_run` times in a row, or an n-gram of 2..max_ngram tokens three times in a
    row. Natural text rarely does either; a degenerate decoder does both.
    """
    count = 1
    for prev, cur in itertools.pairwise(tokens):
        count = count + 1 if cur == prev else 1
        if count > max_run:
            return True
    for n in range(2, max_ngram + 1):
        for start in range(len(tokens) - 3 * n + 1):
            gram = tokens[start : start + n]
            if gram == tokens[start + n : start + 2 * n] == tokens[start + 2 * n : start + 3 * n]:
                return True
    return False
