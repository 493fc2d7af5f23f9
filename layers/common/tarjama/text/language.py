"""Is an Arabic-script article Arabic? The decision, pure: the language identifier is passed in.

The letter ratio in `clean` tells Arabic script from Latin; it cannot tell Arabic from Persian, Urdu, Pashto,
Kurdish, Uyghur or Sindhi, which an Arabic model would "translate" into nonsense (and the cache would keep
it). A real identifier can (`tarjama.langid`: CLD2, whose model is compiled into its wheel; docs/cleaning.md
has the comparison of candidates and the evaluation behind the threshold).

Only the article's Arabic-script words are shown to the identifier: Latin names, URLs and digits in an Arabic
article say nothing about which Arabic-script language it is, and the ratio pre-check already refused pages
that are mostly Latin. A wrongly refused article is worse than a wrongly accepted one, so the article is
refused only when the identifier is sure (reliable, and most of the text in one other language); an unknown
or unsure answer accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from tarjama.errors import NotArabicError
from tarjama.text.script import ARABIC_LETTER_CLASS

ARABIC = "ar"
UNKNOWN = "un"
# Share of the text the identifier must put in one other language to refuse. On our evaluation (docs/
# cleaning.md) CLD2 put 97-99 % of every Persian, Urdu, Pashto, Sorani, Uyghur and Sindhi text in its
# language and never named another language for Arabic text (mixed with Latin names, URLs, dialect words
# and Persian quotes included); 0.8 leaves a wide margin on the side of accepting.
REFUSE_AT = 0.8
# The identifier reads at most this much of an article: the language of a news article does not change
# after its first pages, and the check must stay cheap on a 1 MB body.
MAX_CHARS = 20_000
_SCRIPT_WORD = re.compile(rf"\S*[{ARABIC_LETTER_CLASS}]\S*")


@dataclass(frozen=True)
class Guess:
    """The identifier's answer: an ISO 639 code (`un` when unknown), its name, the share of the text in it
    (0..1) and whether the identifier itself calls the answer reliable."""

    language: str
    name: str
    confidence: float
    reliable: bool


Detector = Callable[[str], Guess]


def script_text(text: str) -> str:
    """The Arabic-script words of a text, in order (Latin words, URLs and bare numbers left out)."""
    return " ".join(_SCRIPT_WORD.findall(text[: MAX_CHARS * 2]))[:MAX_CHARS]


def refuses(guess: Guess, threshold: float = REFUSE_AT) -> bool:
    return guess.reliable and guess.language not in (ARABIC, UNKNOWN) and guess.confidence >= threshold


def check_arabic(text: str, detector: Detector, *, threshold: float = REFUSE_AT) -> Guess:
    """The identifier's guess for the text's Arabic-script words; raises NotArabicError when it is sure the
    text is another language (`details`: language, confidence)."""
    guess = detector(script_text(text))
    if refuses(guess, threshold):
        raise NotArabicError(
            f"The article is in {guess.name} ({guess.language}), not Arabic "
            f"(identified with confidence {guess.confidence:.2f}); tarjama translates Arabic articles.",
            details={"language": guess.language, "confidence": round(guess.confidence, 2)},
        )
    return guess
