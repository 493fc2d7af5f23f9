"""Glossaries through the whole pipeline: tiny models for the mechanics, a lexicon translator for the
happy path, the real store on moto's server for glossaries, results and the sentence memory."""

from __future__ import annotations

from typing import Any

import pytest
from tarjama.config import Settings
from tarjama.errors import GlossaryNotFoundError
from tarjama.nlp.terms import FLAG_TERM_MISSED
from tarjama.pipeline import Digester, Ports
from tarjama.result import DigestOptions
from tarjama.store import build_store
from tarjama.store.glossaries import GlossaryStore
from tarjama.text.glossary import Term
from tarjama.text.glossary_file import build

from tests.plugins.translators import LexiconModels, LexiconTranslator

ARTICLE = (
    "قال رئيس الوزراء الكاظمي إن المحادثات ستستأنف الأسبوع المقبل في بغداد.\n\n"
    "وأضاف أن الوفد سيصل غدا.\n\n"
    "وأكد المتحدث أن قائد فيلق القدس لم يحضر الاجتماع."
)
# No piece of the tiny models' target vocabulary writes "Ω": these targets are never in their output.
UNWRITABLE = build("house", (Term("الكاظمي", "Ωkadhimi"), Term("فيلق القدس", "Ωquds")))
OPTIONS = DigestOptions(summary="none", beam_size=1)


def with_glossary(**values: Any) -> DigestOptions:
    return DigestOptions.model_validate({"summary": "none", "beam_size": 1, **values})


@pytest.fixture
def stores(dynamodb: Any, dynamo_table: str, tiny_settings: Settings) -> dict[str, Any]:
    settings = tiny_settings.model_copy(update={"table": dynamo_table})
    cache, memory = build_store(settings)
    glossaries = GlossaryStore(dynamodb, dynamo_table)
    glossaries.put(UNWRITABLE)
    return {"settings": settings, "cache": cache, "memory": memory, "glossaries": glossaries}


def digester(stores: dict[str, Any], models: Any) -> Digester:
    ports = Ports(
        models=models, cache=stores["cache"], memory=stores["memory"], glossaries=stores["glossaries"]
    )
    return Digester(stores["settings"], ports)


def test_tiny_models_report_terms_and_misses(stores: dict[str, Any], tiny_providers: dict[str, Any]) -> None:
    d = digester(stores, tiny_providers["ctranslate2"])
    plain = d.digest(ARTICLE, options=OPTIONS)
    result = d.digest(ARTICLE, options=with_glossary(glossary="house"))
    assert plain.glossary is None
    assert all(s.terms == [] for s in plain.translation.sentences)
    assert result.id != plain.id
    sentences = result.translation.sentences
    found = [[(t.ar, t.found, t.applied) for t in s.terms] for s in sentences]
    assert found == [[("الكاظمي", "الكاظمي", False)], [], [("فيلق القدس", "فيلق القدس", False)]]
    assert [FLAG_TERM_MISSED in s.flags for s in sentences] == [True, False, True]
    assert result.glossary is not None
    assert result.glossary.model_dump() == {
        "name": "house",
        "version": UNWRITABLE.version,
        "inline_version": None,
        "applied": 0,
        "missed": 2,
    }
    # the sentence without a term: the same English as without a glossary, and from the shared memory
    assert (sentences[1].en, sentences[1].flags) == (
        plain.translation.sentences[1].en,
        plain.translation.sentences[1].flags,
    )
    assert sentences[1].from_memory and not sentences[0].from_memory
    # a missed term keeps the plain translation
    assert sentences[0].en == plain.translation.sentences[0].en


def test_glossary_version_is_in_the_result_key(
    stores: dict[str, Any], tiny_providers: dict[str, Any]
) -> None:
    d = digester(stores, tiny_providers["ctranslate2"])
    first = d.digest(ARTICLE, options=with_glossary(glossary="house"))
    again = d.digest(ARTICLE, options=with_glossary(glossary="house"))
    assert again.cached and again.id == first.id
    stores["glossaries"].put(build("house", (Term("الكاظمي", "Ωk2"),)))
    replaced = d.digest(ARTICLE, options=with_glossary(glossary="house"))
    assert not replaced.cached and replaced.id != first.id
    inline = d.digest(ARTICLE, options=with_glossary(glossary="house", terms=[{"ar": "بغداد", "en": "Ωb"}]))
    assert not inline.cached and inline.id not in {first.id, replaced.id}
    assert inline.glossary is not None and inline.glossary.inline_version is not None


def test_unknown_glossary_is_404(stores: dict[str, Any], tiny_providers: dict[str, Any]) -> None:
    with pytest.raises(GlossaryNotFoundError) as info:
        digester(stores, tiny_providers["ctranslate2"]).digest(
            ARTICLE, options=with_glossary(glossary="nope")
        )
    assert info.value.status == 404


LEXICON = {
    "قال": "said",
    "رئيس": "Prime",
    "الوزراء": "Minister",
    "الكاظمي": "al-Kazemi",
    "إن": "that",
    "المحادثات": "the talks",
    "ستستأنف": "will resume",
    "الأسبوع": "week",
    "المقبل": "next",
    "في": "in",
    "بغداد": "Baghdad",
}


def test_happy_path_with_a_translator_that_copies_names(
    stores: dict[str, Any], tiny_providers: dict[str, Any]
) -> None:
    stores["glossaries"].put(build("style", (Term("الكاظمي", "Kadhimi"),)))
    models = LexiconModels(tiny_providers["ctranslate2"], LexiconTranslator(LEXICON))
    result = digester(stores, models).digest(ARTICLE, options=with_glossary(glossary="style"))
    first = result.translation.sentences[0]
    assert first.en == "said Prime Minister Kadhimi that the talks will resume week next in Baghdad"
    assert [(t.found, t.applied) for t in first.terms] == [("الكاظمي", True)]
    assert FLAG_TERM_MISSED not in first.flags
    assert result.glossary is not None and (result.glossary.applied, result.glossary.missed) == (1, 0)


def test_keep_spans_from_options_and_html(stores: dict[str, Any], tiny_providers: dict[str, Any]) -> None:
    models = LexiconModels(tiny_providers["ctranslate2"], LexiconTranslator(LEXICON))
    page = (
        "<html><body><article><h1>عنوان الخبر عن المحادثات</h1>"
        '<p>قال رئيس الوزراء إن المحادثات ستستأنف في <span translate="no">Fox News</span> الأسبوع المقبل.</p>'
        "<p>وقال المتحدث إن الوفد سيصل إلى بغداد غدا للمشاركة في الاجتماع.</p></article></body></html>"
    )
    result = digester(stores, models).digest(page, fmt="html", options=with_glossary(keep=["بغداد"]))
    uses = [(t.found, t.keep, t.applied) for s in result.translation.sentences for t in s.terms]
    assert ("Fox News", True, True) in uses
    assert (
        "بغداد",
        True,
        False,
    ) in uses  # the lexicon translates it: an Arabic kept span is reported, missed
    assert result.glossary is not None and result.glossary.name is None
