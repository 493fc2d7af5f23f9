"""Value types of the text core. Pure data: no I/O, no AWS, no ML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

InputFormat = Literal["auto", "text", "html"]


@dataclass(frozen=True)
class Removed:
    """A line the cleaner dropped, and why (a stable reason code such as `ticker` or `share`)."""

    text: str
    reason: str


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: list[str]
    removed: list[Removed] = field(default_factory=list)
    # spans the page marks do-not-translate (HTML `translate="no"`, class `notranslate`): kept verbatim
    keep: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Sentence:
    """One unit for the translator. `piece` is set (0, 1, ...) when a too-long sentence was cut."""

    text: str
    paragraph: int = 0
    piece: int | None = None
