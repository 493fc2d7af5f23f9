"""Glossary enforcement: the happy path on a deterministic translator, the mechanics on the tiny models."""

from __future__ import annotations

from typing import Any

import pytest
from tarjama.nlp.base import FLAG_ARABIC_LEFT, FLAG_REPETITION, TranslateOptions
from tarjama.nlp.terms import FLAG_TERM_MISSED, Hit, TermSet, contains, finish, inject, translate_with_terms
from tarjama.text.glossary import Term

from tests.plugins.translators import LexiconTranslator

LEXICON = {"قال": "said", "الكاظمي": "al-Kazemi", "للكاظمي": "to al-Kazemi", "إن": "that", "ل": "to"}
KADHIMI = Term("الكاظمي", "Kadhimi")
OPTIONS = TranslateOptions()


def run(translator: LexiconTranslator, sentences: list[str], terms: TermSet) -> list[Any]:
    hits = [terms.hits(s) for s in sentences]
    out = translate_with_terms(translator, sentences, hits, OPTIONS)
    return [(t, finish(t, h)[1]) for t, h in zip(out, hits, strict=True)]


def hit(en: str, *, keep: bool = False) -> Hit:
    return Hit("x", en, "x", 0, 1, keep=keep)


def test_injected_term_is_applied() -> None:
    translator = LexiconTranslator(LEXICON)
    ((t, uses),) = run(translator, ["قال للكاظمي"], TermSet([KADHIMI]))
    assert t.text == "said to Kadhimi"
    assert t.source == "قال للكاظمي"  # the original sentence, not the injected one
    assert FLAG_TERM_MISSED not in t.flags
    assert [(u.ar, u.en, u.found, u.applied) for u in uses] == [("الكاظمي", "Kadhimi", "للكاظمي", True)]
    assert translator.calls == [["قال للكاظمي"], ["قال ل Kadhimi"]]


def test_term_already_in_the_plain_output_is_not_redecoded() -> None:
    translator = LexiconTranslator({**LEXICON, "الكاظمي": "Kadhimi"})
    ((t, uses),) = run(translator, ["قال الكاظمي"], TermSet([KADHIMI]))
    assert (t.text, uses[0].applied) == ("said Kadhimi", True)
    assert len(translator.calls) == 1


def test_model_that_does_not_copy_keeps_plain_output_and_flags_term_missed() -> None:
    translator = LexiconTranslator(LEXICON, copy_latin=False)
    ((t, uses),) = run(translator, ["قال الكاظمي"], TermSet([KADHIMI]))
    assert t.text == "said al-Kazemi"
    assert t.flags == [FLAG_TERM_MISSED]
    assert uses[0].applied is False


def test_broken_enforced_output_falls_back_to_plain() -> None:
    translator = LexiconTranslator(LEXICON, loop_on_latin=True)
    ((t, uses),) = run(translator, ["قال الكاظمي"], TermSet([KADHIMI]))
    assert t.text == "said al-Kazemi"  # the looping "Kadhimi Kadhimi ..." was refused
    assert FLAG_REPETITION not in t.flags
    assert FLAG_TERM_MISSED in t.flags
    assert uses[0].applied is False


def test_sentences_without_terms_are_untouched() -> None:
    sentences = ["قال إن", "قال الكاظمي", "إن"]
    plain = LexiconTranslator(LEXICON).translate(sentences, OPTIONS)
    result = run(LexiconTranslator(LEXICON), sentences, TermSet([KADHIMI]))
    assert [(t.text, t.flags) for t, _ in result][0::2] == [(p.text, p.flags) for p in plain][0::2]
    assert [uses for _, uses in result][0::2] == [[], []]


def test_latin_keep_span_is_kept() -> None:
    translator = LexiconTranslator(LEXICON)
    ((t, uses),) = run(translator, ["قال iPhone 15"], TermSet(keep=["iPhone 15"]))
    assert "iPhone 15" in t.text
    assert [(u.found, u.applied, u.keep) for u in uses] == [("iPhone 15", True, True)]


def test_arabic_keep_span_kept_does_not_raise_arabic_left() -> None:
    translator = LexiconTranslator(LEXICON, copy_arabic=True)
    ((t, uses),) = run(translator, ["قال صباح الخير"], TermSet(keep=["صباح الخير"]))
    assert t.text == "said صباح الخير"
    assert FLAG_ARABIC_LEFT not in t.flags
    assert uses[0].applied is True


def test_arabic_left_stays_when_other_arabic_is_left() -> None:
    translator = LexiconTranslator(LEXICON, copy_arabic=True)
    ((t, _),) = run(translator, ["قال صباح الخير يا"], TermSet(keep=["صباح الخير"]))
    assert FLAG_ARABIC_LEFT in t.flags


def test_keep_span_wins_over_an_overlapping_term() -> None:
    terms = TermSet([KADHIMI], keep=["الكاظمي"])
    (h,) = terms.hits("قال الكاظمي")
    assert (h.keep, h.en) == (True, "الكاظمي")


def test_inject_keeps_clitics_and_drops_the_article() -> None:
    terms = TermSet([KADHIMI, Term("فيلق القدس", "the Quds Force")])
    text = "قال للكاظمي وبفيلق القدس."
    assert inject(text, terms.hits(text)) == "قال ل Kadhimi وب the Quds Force."


@pytest.mark.parametrize(
    ("english", "target", "expected"),
    [
        ("Kadhimi said", "Kadhimi", True),
        ("kadhimi said", "Kadhimi", True),
        ("Kadhimiya said", "Kadhimi", False),
        ("al-Kadhimi said", "Kadhimi", True),  # a hyphen is a word boundary
        ("Quds Force's commander", "the Quds Force", True),
        ("the Quds  Force", "the Quds Force", True),
        ("Quds commander", "the Quds Force", False),
    ],
)
def test_contains_term_target(english: str, target: str, expected: bool) -> None:
    assert contains(english, hit(target)) is expected


def test_contains_keep_span_is_exact() -> None:
    assert contains("the iPhone 15", hit("iPhone 15", keep=True))
    assert not contains("the iphone 15", hit("iPhone 15", keep=True))


# ---------------------------------------------------------------------------------- tiny models

UNWRITABLE = Term("الكاظمي", "Ωmega")  # no piece of the tiny target vocabulary writes "Ω"


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_tiny_model_sentences_without_terms_get_identical_tokens(
    tiny_providers: dict[str, Any], seed_sentences: list[str], backend: str
) -> None:
    translator = tiny_providers[backend].translator()
    sentences = [*seed_sentences[:4], "قال الكاظمي إن المحادثات ستستأنف."]
    plain = translator.translate(sentences, OPTIONS)
    terms = TermSet([UNWRITABLE])
    hits = [terms.hits(s) for s in sentences]
    assert [bool(h) for h in hits] == [False, False, False, False, True]
    enforced = translate_with_terms(translator, sentences, hits, OPTIONS)
    for p, e in zip(plain[:4], enforced[:4], strict=True):
        assert (e.text, e.tokens_out, e.score, e.flags) == (p.text, p.tokens_out, p.score, p.flags)
    # the term sentence: the target cannot be written, so the plain output stays, flagged
    assert enforced[4].text == plain[4].text
    assert enforced[4].flags == [*plain[4].flags, FLAG_TERM_MISSED]
    assert finish(enforced[4], hits[4])[1][0].applied is False
