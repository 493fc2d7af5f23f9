"""The Arabic text core: clean a scraped page, normalize safely, split into sentences.

Pure: no I/O, no AWS, no ML. See docs/cleaning.md for the rules.
"""

from tarjama.text.clean import clean
from tarjama.text.normalize import normalize
from tarjama.text.segment import segment, segment_article
from tarjama.text.types import Article, InputFormat, Removed, Sentence

__all__ = [
    "Article",
    "InputFormat",
    "Removed",
    "Sentence",
    "clean",
    "normalize",
    "segment",
    "segment_article",
]
