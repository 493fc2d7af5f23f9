"""The cache around the whole pipeline: real tiny models, real DynamoDB/S3 HTTP endpoint (moto's server).

Model calls are counted by wrapping the real model provider and translator (no mock): what a test counts
is what the real translator was asked to do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
import pytest
from tarjama.config import Settings
from tarjama.nlp.base import Summarizer, TranslateOptions, Translation, Translator
from tarjama.observability import metric_counts
from tarjama.pipeline import Digester, Ports
from tarjama.result import DigestOptions, DigestResult, ModelRef
from tarjama.store import build_store
from tarjama.store.clients import store_config
from tarjama.store.degrade import Degrader
from tarjama.store.memory import TranslationMemory
from tarjama.store.results import LeasePolicy, ResultCache

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEEDS = sorted(FIXTURES.glob("0*.txt"))
OPTIONS = DigestOptions(summary="extractive", beam_size=1)


class CountingTranslator:
    """The real translator, counting the sentences it is asked to translate."""

    def __init__(self, inner: Translator) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.quantization = inner.quantization
        self.sentences: list[str] = []
        self._lock = threading.Lock()

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def translate(self, sentences: Sequence[str], options: TranslateOptions) -> list[Translation]:
        with self._lock:
            self.sentences.extend(sentences)
        return self.inner.translate(sentences, options)


class CountingModels:
    """The real `ModelProvider`, counting how often a model is asked for (each miss asks once)."""

    def __init__(self, settings: Settings) -> None:
        from tarjama.nlp.models import ModelProvider

        self.inner = ModelProvider(settings, backend="ctranslate2")
        self.translator_requests = 0
        self._translator: CountingTranslator | None = None
        self._lock = threading.Lock()

    def describe(self, summary: str) -> dict[str, ModelRef]:
        return self.inner.describe(summary)

    def loaded(self) -> dict[str, bool]:
        return self.inner.loaded()

    def token_counter(self) -> Callable[[str], int]:
        return self.inner.token_counter()

    def for_tier(self, model_type: str | None) -> Any:
        """This wrapper serves the default tier; another tier is the real provider's."""
        return self if model_type in (None, self.inner.model_type) else self.inner.for_tier(model_type)

    def translator(self) -> CountingTranslator:
        with self._lock:
            self.translator_requests += 1
            if self._translator is None:
                self._translator = CountingTranslator(self.inner.translator())
            return self._translator

    def back_translator(self) -> Translator:
        return self.inner.back_translator()

    def summarizer(self) -> Summarizer:
        return self.inner.summarizer()

    @property
    def translated(self) -> list[str]:
        return self._translator.sentences if self._translator else []


@pytest.fixture
def settings(tiny_settings: Settings, store_settings: Settings) -> Settings:
    return tiny_settings.model_copy(
        update={"table": store_settings.table, "results_bucket": store_settings.results_bucket}
    )


def _digester(settings: Settings, **ports: Any) -> tuple[Digester, CountingModels]:
    models = CountingModels(settings)
    return Digester(settings, Ports(models=models, **ports)), models


def _store(settings: Settings) -> dict[str, Any]:
    cache, memory = build_store(settings.model_copy(update={"lease_wait_seconds": 120.0}))
    return {"cache": cache, "memory": memory}


def _same(a: DigestResult, b: DigestResult) -> None:
    assert a.id == b.id
    assert a.translation == b.translation
    assert a.summary == b.summary
    assert a.source == b.source


def test_second_digest_is_a_hit_and_loads_no_model(settings: Settings) -> None:
    raw = SEEDS[0].read_text(encoding="utf-8")
    first_digester, first_models = _digester(settings, **_store(settings))
    first = first_digester.digest(raw, options=OPTIONS)
    assert first.cached is False
    assert first_models.translator_requests == 1

    # A new process, as it were: a fresh provider that has loaded nothing.
    digester, models = _digester(settings, **_store(settings))
    second = digester.digest(raw, options=OPTIONS, ref="again")
    assert second.cached is True
    assert second.ref == "again"
    _same(first, second)
    assert models.translator_requests == 0
    assert not any(models.inner.loaded().values())


def test_shared_sentences_are_translated_once(settings: Settings) -> None:
    one = SEEDS[0].read_text(encoding="utf-8")
    two = SEEDS[1].read_text(encoding="utf-8")
    digester, models = _digester(settings, **_store(settings))
    first = digester.digest(one, options=OPTIONS)
    assert first.usage.sentences_from_memory == 0
    before = len(models.translated)
    # The second article quotes the first article's body after its own.
    second = digester.digest(two + "\n\n" + "\n\n".join(first.source.paragraphs), options=OPTIONS)
    asked = models.translated[before:]
    shared = set(first.source.sentences) & set(second.source.sentences)
    assert shared
    assert not shared & set(asked)  # no shared sentence went to the model again
    from_memory = [p for p in second.translation.sentences if p.from_memory]
    assert {p.ar for p in from_memory} == shared
    assert second.usage.sentences_from_memory == len(from_memory)
    # ... and they read exactly as the model translated them the first time.
    first_en = {p.ar: p.en for p in first.translation.sentences}
    assert all(p.en == first_en[p.ar] for p in from_memory)


def test_twenty_concurrent_requests_compute_once(settings: Settings) -> None:
    raw = SEEDS[2].read_text(encoding="utf-8")
    digester, models = _digester(settings, **_store(settings))
    start = threading.Barrier(20)

    def request(_: int) -> DigestResult:
        start.wait(60)
        return digester.digest(raw, options=OPTIONS)

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(request, range(20)))
    assert models.translator_requests == 1
    assert [r.cached for r in results].count(False) == 1
    assert len({r.translation.text for r in results}) == 1


def test_result_over_400kb_round_trips_through_s3(settings: Settings, s3: Any) -> None:
    """A long article of incompressible text: its gzip'd result cannot fit in an item."""
    import random

    rng = random.Random(7)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 8))) for _ in range(40_000)]
    paragraphs = [" ".join(words[i : i + 40]) + "." for i in range(0, len(words), 40)]
    raw = "\n\n".join(paragraphs)
    big = settings.model_copy(update={"max_chars": len(raw) + 1})
    digester, _ = _digester(big, **_store(big))
    first = digester.digest(raw, fmt="text", options=DigestOptions(summary="none", beam_size=1))
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=settings.results_bucket).get("Contents", [])]
    assert keys == [f"cache/results/{first.id}.json.gz"]
    fresh, models = _digester(big, **_store(big))
    second = fresh.digest(raw, fmt="text", options=DigestOptions(summary="none", beam_size=1))
    assert second.cached is True
    assert models.translator_requests == 0
    _same(first, second)


def _reference(settings: Settings, raw: str) -> DigestResult:
    digester, _ = _digester(settings.model_copy(update={"table": None}))
    return digester.digest(raw, options=OPTIONS)


def test_unreachable_table_still_returns_a_correct_result(settings: Settings, closed_endpoint: str) -> None:
    raw = SEEDS[3].read_text(encoding="utf-8")
    client = boto3.client("dynamodb", endpoint_url=closed_endpoint, config=store_config(max_attempts=2))
    degrader = Degrader()
    ports = {
        "cache": ResultCache(client, "unreachable", lease=LeasePolicy(wait_seconds=1), degrader=degrader),
        "memory": TranslationMemory(client, "unreachable", degrader=degrader),
    }
    before = metric_counts["CacheDegraded"]
    digester, _ = _digester(settings, **ports)
    result = digester.digest(raw, options=OPTIONS)
    assert result.cached is False
    _same(result, _reference(settings, raw))
    assert metric_counts["CacheDegraded"] > before


def test_throttled_table_still_returns_a_correct_result(settings: Settings, fault_proxy: Any) -> None:
    raw = SEEDS[4].read_text(encoding="utf-8")
    client = boto3.client("dynamodb", endpoint_url=fault_proxy.url, config=store_config(max_attempts=2))
    degrader = Degrader()
    ports = {
        "cache": ResultCache(client, settings.table or "", degrader=degrader),
        "memory": TranslationMemory(client, settings.table or "", degrader=degrader),
    }
    fault_proxy.mode = "throttle"
    before = metric_counts["CacheDegraded"]
    digester, _ = _digester(settings, **ports)
    result = digester.digest(raw, options=OPTIONS)
    assert result.cached is False
    _same(result, _reference(settings, raw))
    assert metric_counts["CacheDegraded"] >= before + 4  # get, lease, lookup, store, put: each degraded
    # The table recovers: the next request stores, the one after hits.
    fault_proxy.mode = "forward"
    assert digester.digest(raw, options=OPTIONS).cached is False
    assert digester.digest(raw, options=OPTIONS).cached is True
