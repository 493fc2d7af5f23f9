"""The glossary step between options and enforcer: resolution, cache keys, the memory (moto's server)."""

from __future__ import annotations

from typing import Any

import pytest
from tarjama.errors import GlossaryInvalidError, GlossaryNotFoundError
from tarjama.glossing import article_key, report, resolve, sentence_key, translate
from tarjama.nlp.base import TranslateOptions
from tarjama.nlp.terms import FLAG_TERM_MISSED
from tarjama.result import DigestOptions
from tarjama.store.glossaries import GlossaryStore
from tarjama.store.memory import TranslationMemory
from tarjama.text.glossary import Term
from tarjama.text.glossary_file import build

from tests.plugins.translators import LexiconTranslator

LEXICON = {"قال": "said", "الكاظمي": "al-Kazemi", "إن": "that", "المحادثات": "the talks", "ستستأنف": "resume"}
HOUSE = build("house", (Term("الكاظمي", "Kadhimi"),))
OPTIONS = TranslateOptions()


def opts(**values: Any) -> DigestOptions:
    return DigestOptions.model_validate(values)


def plain_key(text: str) -> str:
    return "s_plain_" + text


def test_no_glossary_no_terms() -> None:
    assert resolve(opts()) is None


def test_named_glossary_from_the_store(dynamodb: Any, dynamo_table: str) -> None:
    store = GlossaryStore(dynamodb, dynamo_table)
    store.put(HOUSE)
    terms = resolve(opts(glossary="house"), glossaries=store)
    assert terms is not None
    assert (terms.name, terms.version, terms.inline_version) == ("house", HOUSE.version, None)


def test_unknown_name_is_404(dynamodb: Any, dynamo_table: str) -> None:
    with pytest.raises(GlossaryNotFoundError):
        resolve(opts(glossary="nope"), glossaries=GlossaryStore(dynamodb, dynamo_table))


def test_name_without_a_store_is_404() -> None:
    with pytest.raises(GlossaryNotFoundError):
        resolve(opts(glossary="house"))


def test_glossary_given_by_the_caller_needs_no_store() -> None:
    terms = resolve(opts(), glossary=HOUSE)
    assert terms is not None and terms.version == HOUSE.version


def test_inline_terms_win_a_clash_with_the_glossary() -> None:
    terms = resolve(opts(terms=[{"ar": "كاظمي", "en": "al-Kadhimi"}]), glossary=HOUSE)
    assert terms is not None
    assert [h.en for h in terms.termset.hits("قال الكاظمي")] == ["al-Kadhimi"]


def test_inline_conflicting_duplicates_are_invalid() -> None:
    bad = [{"ar": "الكاظمي", "en": "Kadhimi"}, {"ar": "كاظمي", "en": "Kazemi"}]
    with pytest.raises(GlossaryInvalidError):
        resolve(opts(terms=bad))


def test_inline_terms_over_100_refused_by_the_schema() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        opts(terms=[{"ar": f"ب{i}", "en": "x"} for i in range(101)])


def test_article_key_moves_with_the_glossary_version_and_inline_terms() -> None:
    base = "a_base"
    assert article_key(base, None) == base
    v1 = resolve(opts(), glossary=HOUSE)
    v2 = resolve(opts(), glossary=build("house", (Term("الكاظمي", "al-Kazemi"),)))
    with_inline = resolve(opts(terms=[{"ar": "العراق", "en": "Iraq"}]), glossary=HOUSE)
    with_keep = resolve(opts(keep=["iPhone"]), glossary=HOUSE)
    keys = {article_key(base, t) for t in (v1, v2, with_inline, with_keep)}
    assert len(keys) == 4 and base not in keys
    assert article_key(base, v1) == article_key(base, resolve(opts(), glossary=HOUSE))


def test_sentence_keys_include_terms_only_where_a_term_is() -> None:
    terms = resolve(opts(), glossary=HOUSE)
    assert terms is not None
    assert sentence_key("s_x", terms.termset.hits("قال إن")) == "s_x"
    assert sentence_key("s_x", terms.termset.hits("قال الكاظمي")) != "s_x"


def test_memory_shares_sentences_without_terms(dynamodb: Any, dynamo_table: str) -> None:
    memory = TranslationMemory(dynamodb, dynamo_table)
    terms = resolve(opts(), glossary=HOUSE)
    assert terms is not None
    texts = ["قال إن المحادثات ستستأنف", "قال الكاظمي"]
    # a request without a glossary filled the memory under the plain keys
    plain = LexiconTranslator(LEXICON).translate(texts, OPTIONS)
    memory.store({plain_key(t.source): (t.text, t.flags) for t in plain})

    translator = LexiconTranslator(LEXICON)
    out, from_memory, _ = translate(translator, texts, OPTIONS, terms, memory=memory, plain_key=plain_key)
    assert from_memory == {0}  # the sentence without a term came from the shared memory
    assert translator.calls[0] == ["قال الكاظمي"]  # only the term sentence was translated
    assert out[1].text == "said Kadhimi"

    # the term sentence is now remembered under its own key, not the plain one
    again = LexiconTranslator(LEXICON)
    out2, from_memory2, _ = translate(again, texts, OPTIONS, terms, memory=memory, plain_key=plain_key)
    assert from_memory2 == {0, 1} and again.calls == []
    assert out2[1].text == "said Kadhimi"
    assert memory.lookup([plain_key("قال الكاظمي")])[plain_key("قال الكاظمي")][0] == "said al-Kazemi"


def test_remembered_miss_keeps_its_flag_and_report(dynamodb: Any, dynamo_table: str) -> None:
    memory = TranslationMemory(dynamodb, dynamo_table)
    terms = resolve(opts(), glossary=HOUSE)
    assert terms is not None
    texts = ["قال الكاظمي"]
    for _ in range(2):
        out, _, hits = translate(
            LexiconTranslator(LEXICON, copy_latin=False),
            texts,
            OPTIONS,
            terms,
            memory=memory,
            plain_key=plain_key,
        )
        assert out[0].flags == [FLAG_TERM_MISSED]
    uses, view = report(terms, out, hits)
    assert [(u.found, u.applied) for u in uses[0]] == [("الكاظمي", False)]
    assert (view.name, view.version, view.applied, view.missed) == ("house", HOUSE.version, 0, 1)
