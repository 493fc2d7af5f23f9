"""The ports of the pipeline: what `Digester` needs from the outside, as Protocols.

The adapters live elsewhere (`tarjama.nlp.models.ModelProvider`, `tarjama.store.results`,
`tarjama.store.memory`), and so do the test doubles: the pipeline and the summarizer depend on these shapes
only, so neither imports an adapter, and no adapter imports the pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from tarjama.nlp.base import Summarizer, Translator
from tarjama.result import DigestResult, ModelRef
from tarjama.text.glossary_file import Glossary


class SummaryModelPort(Protocol):
    """The models of the abstractive summary (`tarjama.nlp.summarize` needs no more)."""

    def summarizer(self) -> Summarizer: ...

    def back_translator(self) -> Translator: ...


class ModelPort(SummaryModelPort, Protocol):
    """Gives the models, loading them on first use. `describe` and `loaded` load and import nothing heavy."""

    def describe(self, summary: str) -> dict[str, ModelRef]: ...

    def for_tier(self, model_type: str | None) -> ModelPort:
        """The models of one tier (`DigestOptions.model_type`); None = the server's default."""
        ...

    def loaded(self) -> dict[str, bool]:
        """For each role (`translation`, `summarizer`, `back_translation`): is its model in memory?"""
        ...

    def token_counter(self) -> Callable[[str], int]:
        """The translator's source-token count (EOS included), from its tokenizer alone (segmenting)."""
        ...

    def translator(self) -> Translator: ...


class ResultCachePort(Protocol):
    def get(self, key: str, *, strict: bool = False) -> DigestResult | None:
        """None on a miss; with `strict`, a store outage raises `StoreUnavailableError` instead."""
        ...

    def put(self, result: DigestResult) -> None: ...

    def lease(self, key: str) -> AbstractContextManager[DigestResult | None]:
        """Hold the compute lease for `key`; yields a result if another worker finished it meanwhile.

        Raises `InProgressError` when another holder keeps the lease past the wait budget.
        """
        ...


class MemoryPort(Protocol):
    """Sentence translations by `sentence_key`; a value is `(english, flags)`."""

    def lookup(self, keys: Sequence[str]) -> dict[str, tuple[str, list[str]]]: ...

    def store(self, items: Mapping[str, tuple[str, list[str]]]) -> None: ...


class GlossaryPort(Protocol):
    """Stored glossaries by name (`tarjama.store.glossaries.GlossaryStore`)."""

    def get(self, name: str) -> Glossary:
        """The glossary; `GlossaryNotFoundError` (404) when there is none."""
        ...


@dataclass
class Ports:
    models: ModelPort
    cache: ResultCachePort | None = None
    memory: MemoryPort | None = None
    glossaries: GlossaryPort | None = None
