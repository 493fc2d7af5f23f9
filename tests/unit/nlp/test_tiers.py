"""The two model tiers: the tier is in every key, the result says what ran, the default is the setting's."""

from __future__ import annotations

from pathlib import Path

import pytest
from tarjama.config import Settings
from tarjama.fingerprint import article_key, sentence_key
from tarjama.nlp.models import ModelProvider
from tarjama.pipeline import Digester, Ports
from tarjama.result import DigestOptions, ModelRef
from tarjama.text.types import Article

REF = ModelRef(
    name="ar-en",
    hub_id="Helsinki-NLP/opus-mt-ar-en",
    revision="r",
    backend="ctranslate2",
    quantization="int8",
)
ARTICLE = Article(title="عنوان", paragraphs=["جملة أولى. جملة ثانية."])


def test_the_tier_is_in_the_result_key_even_with_the_same_models() -> None:
    models = {"translation": REF}
    keys = {
        article_key(ARTICLE, DigestOptions(model_type=tier), models)  # type: ignore[arg-type]
        for tier in ("quality_optimized", "latency_optimized")
    }
    assert len(keys) == 2


def test_the_tier_is_in_the_sentence_memory_key_even_with_the_same_model() -> None:
    quality = sentence_key("جملة.", REF, 4, model_type="quality_optimized")
    latency = sentence_key("جملة.", REF, 4, model_type="latency_optimized")
    assert quality != latency
    assert quality == sentence_key("جملة.", REF, 4, model_type="quality_optimized")


@pytest.fixture(scope="module")
def digester(tiny_settings: Settings) -> Digester:
    return Digester(tiny_settings, Ports(models=ModelProvider(tiny_settings, backend="ctranslate2")))


def test_each_tier_runs_its_own_models_and_says_so(digester: Digester, tiny_model_dir: Path) -> None:
    raw = (Path(__file__).resolve().parents[2] / "fixtures" / "003_7fbd2d9af04861f5.txt").read_text("utf-8")
    results = {
        tier: digester.digest(raw, options=DigestOptions(summary="abstractive", model_type=tier))  # type: ignore[arg-type]
        for tier in ("quality_optimized", "latency_optimized")
    }
    quality, latency = results["quality_optimized"], results["latency_optimized"]
    assert quality.id != latency.id
    assert (quality.model_type, latency.model_type) == ("quality_optimized", "latency_optimized")
    assert {r: m.name for r, m in quality.models.items()} == {
        "translation": "tc-big-ar-en",
        "summarizer": "summarizer",
        "back_translation": "tc-big-en-ar",
    }
    assert {r: m.name for r, m in latency.models.items()} == {
        "translation": "ar-en",
        "summarizer": "summarizer-6-6",
        "back_translation": "en-ar",
    }
    assert quality.source == latency.source  # the same article, cleaned and segmented once per tier
    default = digester.digest(raw, options=DigestOptions(summary="abstractive"))
    assert default.model_type == "quality_optimized" and default.id == quality.id  # the setting's default


def test_the_servers_default_tier_is_the_setting(tiny_settings: Settings) -> None:
    settings = tiny_settings.model_copy(update={"model_type": "latency_optimized"})
    digester = Digester(settings, Ports(models=ModelProvider(settings, backend="ctranslate2")))
    result = digester.digest("قال الوزير إن الاتفاق نهائي. وأضاف أن الموعد لم يحدد بعد.", fmt="text")
    assert result.model_type == "latency_optimized" and result.models["translation"].name == "ar-en"
    assert Settings.from_env({"TARJAMA_MODEL_TYPE": "latency_optimized"}).model_type == "latency_optimized"
    with pytest.raises(ValueError):
        Settings.from_env({"TARJAMA_MODEL_TYPE": "fastest"})
