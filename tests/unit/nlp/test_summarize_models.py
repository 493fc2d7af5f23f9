"""Summaries with the tiny models behind the ModelPort: abstractive, its fallback, both languages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from tarjama.nlp.summarize import summarize, unsupported

ENGLISH = [
    "Officials in Baghdad said 12 people died.",
    "The ministry of health confirmed the figure.",
    "Schools will reopen in September.",
]
SOURCE = [
    "قال مسؤولون في بغداد إن 12 شخصا لقوا حتفهم.",
    "وأكدت وزارة الصحة الرقم.",
    "ستفتح المدارس في سبتمبر.",
]


@dataclass
class ScriptedSummarizer:
    """Stands in for BART's *output* only, to reach each branch of the faithfulness check on purpose."""

    text: str

    def summarize(self, text: str, max_sentences: int) -> str:
        return self.text


class PortWith:
    """The tiny models' real back-translator, with a summarizer whose output the test chooses."""

    def __init__(self, provider: Any, summary: str) -> None:
        self.provider = provider
        self.scripted = ScriptedSummarizer(summary)

    def describe(self, summary: str) -> dict[str, Any]:
        return dict(self.provider.describe(summary))

    def for_tier(self, model_type: str | None) -> PortWith:
        return self

    def translator(self) -> Any:
        return self.provider.translator()

    def back_translator(self) -> Any:
        return self.provider.back_translator()

    def summarizer(self) -> ScriptedSummarizer:
        return self.scripted


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_abstractive_on_the_tiny_summarizer_gives_both_languages(
    tiny_providers: dict[str, Any], backend: str
) -> None:
    provider = tiny_providers[backend]
    article = " ".join(ENGLISH)
    written = provider.summarizer().summarize(article, 2)
    result = summarize(mode="abstractive", source=SOURCE, english=ENGLISH, max_sentences=2, models=provider)
    assert result is not None and result.ar and result.en and result.requested == "abstractive"
    # whatever the random model wrote, the method follows the faithfulness check
    if written.strip() and not unsupported(written, article):
        assert result.method == "abstractive" and result.en == written
    else:
        assert result.method == "extractive" and result.fallback_reason


def test_a_summary_with_numbers_the_article_lacks_falls_back_to_extractive(
    tiny_providers: dict[str, Any],
) -> None:
    port = PortWith(tiny_providers["ctranslate2"], "Officials in Baghdad said 40 people died.")
    result = summarize(mode="abstractive", source=SOURCE, english=ENGLISH, max_sentences=2, models=port)
    assert result is not None
    assert (result.method, result.requested) == ("extractive", "abstractive")
    assert result.fallback_reason is not None and "40" in result.fallback_reason
    assert result.ar and result.en and result.ar.split()[0] in " ".join(SOURCE)


def test_a_summary_with_an_unknown_name_falls_back(tiny_providers: dict[str, Any]) -> None:
    port = PortWith(tiny_providers["ctranslate2"], "Officials told Reuters that 12 people died.")
    result = summarize(mode="abstractive", source=SOURCE, english=ENGLISH, max_sentences=2, models=port)
    assert (
        result is not None and result.method == "extractive" and "Reuters" in (result.fallback_reason or "")
    )


def test_a_faithful_summary_is_kept_and_back_translated(tiny_providers: dict[str, Any]) -> None:
    port = PortWith(tiny_providers["transformers"], "Officials in Baghdad said 12 people died.")
    result = summarize(mode="abstractive", source=SOURCE, english=ENGLISH, max_sentences=2, models=port)
    assert result is not None and (result.method, result.requested, result.fallback_reason) == (
        "abstractive",
        "abstractive",
        None,
    )
    assert result.en == "Officials in Baghdad said 12 people died." and result.ar


def test_none_and_extractive_load_no_model(tiny_settings: Any) -> None:
    from tarjama.nlp.models import ModelProvider

    provider = ModelProvider(tiny_settings)
    assert summarize(mode="none", source=SOURCE, english=ENGLISH, max_sentences=2, models=provider) is None
    result = summarize(mode="extractive", source=SOURCE, english=ENGLISH, max_sentences=2, models=provider)
    assert result is not None and result.method == "extractive" and result.ar and result.en
    assert not any(provider.loaded().values())
