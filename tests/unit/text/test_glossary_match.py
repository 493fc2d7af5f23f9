"""Glossary matching: one test per rule of docs/glossaries.md, then properties on generated text."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tarjama.text.glossary import Matcher, Term, find_terms, fold

KADHIMI = Term("الكاظمي", "Kadhimi")
QUDS = Term("فيلق القدس", "the Quds Force")
SECURITY = Term("أمن", "security")
IRAQ = Term("العراق", "Iraq")


def found(text: str, *terms: Term) -> list[str]:
    return [m.found for m in find_terms(text, terms)]


# ------------------------------------------------------------------------------------------ rules


def test_whole_words_only_not_inside_a_word() -> None:
    assert found("قال الكاظمي اليوم", KADHIMI) == ["الكاظمي"]
    assert found("قال الكاظميون اليوم", KADHIMI) == []
    assert found("قالأمن", SECURITY) == []


def test_suffixes_never_match() -> None:
    assert found("الأمن", SECURITY) == ["الأمن"]
    assert found("الأمنية", SECURITY) == []
    assert found("أمني", SECURITY) == []
    assert found("العراقية", IRAQ) == []


def test_conjunctions_attach() -> None:
    assert found("والكاظمي فالكاظمي", KADHIMI) == ["والكاظمي", "فالكاظمي"]


def test_prepositions_attach() -> None:
    assert found("بالكاظمي كالكاظمي", KADHIMI) == ["بالكاظمي", "كالكاظمي"]


def test_conjunction_then_preposition_then_article() -> None:
    assert found("وبالعراق فبالعراق وكالعراق", IRAQ) == ["وبالعراق", "فبالعراق", "وكالعراق"]


def test_clitics_out_of_order_do_not_match() -> None:
    # the preposition comes after the conjunction, never before it
    assert found("بوالعراق", IRAQ) == []


def test_lam_plus_article_is_written_double_lam() -> None:
    assert found("قال للكاظمي وللكاظمي", KADHIMI) == ["للكاظمي", "وللكاظمي"]


def test_three_lams_are_written_two() -> None:
    meat = Term("اللحم", "meat")
    assert found("للحم", meat) == ["للحم"]


def test_entry_without_article_matches_word_with_it() -> None:
    assert found("والأمن", SECURITY) == ["والأمن"]


def test_entry_with_article_matches_bare_word() -> None:
    assert found("حكومة كاظمي", KADHIMI) == ["كاظمي"]


def test_short_entry_keeps_its_article() -> None:
    # "الله" is not reduced to "له" ("to him")
    allah = Term("الله", "God")
    assert found("قال له", allah) == []
    assert found("والله", allah) == ["والله"]


def test_hamza_forms_fold_to_alef() -> None:
    assert found("امن", SECURITY) == ["امن"]
    assert found("الأمن", Term("الامن", "security")) == ["الأمن"]
    assert found("إيران", Term("ايران", "Iran")) == ["إيران"]
    assert found("آمال", Term("امال", "Amal")) == ["آمال"]
    assert found("ٱمال", Term("امال", "Amal")) == ["ٱمال"]


def test_alef_maqsura_folds_to_ya() -> None:
    assert found("مصطفي", Term("مصطفى", "Mustafa")) == ["مصطفي"]


def test_final_ta_marbuta_folds_to_ha() -> None:
    assert found("حماه", Term("حماة", "Hama")) == ["حماه"]


def test_tatweel_ignored() -> None:
    assert found("الكـــاظمي", KADHIMI) == ["الكـــاظمي"]


def test_diacritics_ignored_and_kept_in_found() -> None:
    assert found("الكَاظِمِيّ", KADHIMI) == ["الكَاظِمِيّ"]


def test_folding_never_changes_the_reported_text() -> None:
    text = "قال لِلكاظمى"
    (match,) = find_terms(text, [KADHIMI])
    assert text[match.start : match.end] == match.found == "لِلكاظمى"


def test_multi_word_term_across_one_space() -> None:
    assert found("قائد فيلق القدس", QUDS) == ["فيلق القدس"]
    assert found("فيلق  القدس", QUDS) == []  # two spaces: not one phrase
    assert found("فيلق\nالقدس", QUDS) == []


def test_multi_word_term_clitics_on_first_word_only() -> None:
    assert found("بفيلق القدس", QUDS) == ["بفيلق القدس"]
    assert found("فيلق والقدس", QUDS) == []


def test_multi_word_term_last_word_takes_no_suffix() -> None:
    assert found("فيلق القدسي", QUDS) == []


def test_longest_match_first() -> None:
    force = Term("فيلق", "corps")
    matches = find_terms("بفيلق القدس وفيلق", [force, QUDS])
    assert [(m.found, m.term.en) for m in matches] == [("بفيلق القدس", "the Quds Force"), ("وفيلق", "corps")]


def test_no_overlaps() -> None:
    a = Term("مجلس الأمن", "the Security Council")
    b = Term("الأمن القومي", "national security")
    matches = find_terms("مجلس الأمن القومي", [a, b])
    assert [m.found for m in matches] == ["الأمن القومي"]  # the longer of two overlapping matches


def test_overlap_of_equal_length_leftmost_wins() -> None:
    a = Term("باب جدي", "a")
    b = Term("جدي هود", "b")
    assert found("باب جدي هود", a, b) == ["باب جدي"]


def test_latin_entries_ignore_case() -> None:
    assert found("قالت cnn إن", Term("CNN", "CNN")) == ["cnn"]


def test_match_reports_stem_and_prefix() -> None:
    (m,) = find_terms("وللكاظمي", [KADHIMI])
    assert (m.start, m.stem, m.end, m.prefix) == (0, 3, 8, "ول")


def test_empty_matcher_is_false_and_finds_nothing() -> None:
    assert not Matcher([])
    assert Matcher([]).find("الكاظمي") == []


def test_fold_collapses_spaces() -> None:
    assert fold(" فيلق   القُدس ") == "فيلق القدس"


# ------------------------------------------------------------------------------------- properties

FILLER = ["قال", "وزير", "الخارجية", "في", "بغداد", "على", "من", "المحادثات", "ستستأنف", "الأسبوع", "2024"]
TERMS = [KADHIMI, QUDS, SECURITY, IRAQ, Term("الحشد الشعبي", "the PMF"), Term("البيشمركة", "the Peshmerga")]
CONJUNCTIONS = ["", "و", "ف"]
PREPOSITIONS = ["", "ب", "ك", "ل"]
SUFFIXES = ["ي", "ية", "ون", "ين", "ها", "هم", "ات"]


def written(ar: str, conj: str, prep: str, article: bool) -> str:
    """The term as a writer spells it after these clitics (ل + ال is written لل)."""
    stem = ar[2:] if ar.startswith("ال") else ar
    if not article:
        return conj + prep + stem
    return conj + ("لل" if prep == "ل" else prep + "ال") + stem


CLITICS = st.tuples(st.sampled_from(CONJUNCTIONS), st.sampled_from(PREPOSITIONS), st.booleans())


# A term written with clitics among filler words: found at its span as it is, never with a suffix.
AMONG_FILLER: dict[str, st.SearchStrategy[Any]] = {
    "before": st.lists(st.sampled_from(FILLER), max_size=6),
    "after": st.lists(st.sampled_from(FILLER), max_size=6),
    "term": st.sampled_from(TERMS),
    "clitics": CLITICS,
}


@settings(max_examples=300)
@given(**AMONG_FILLER)
def test_term_with_clitics_is_found_at_its_span(
    before: list[str], after: list[str], term: Term, clitics: tuple[str, str, bool]
) -> None:
    word = written(term.ar, *clitics)
    text = " ".join([*before, word, *after])
    start = len(" ".join(before)) + (1 if before else 0)
    matches = find_terms(text, [term])
    assert [(m.start, m.end, m.found) for m in matches] == [(start, start + len(word), word)]


RANDOM_WORDS = st.text(
    alphabet=st.sampled_from("ابتثجحخدذرزسشصضطظعغفقكلمنهويةىأإآءئؤ"), min_size=1, max_size=9
)
SEPARATORS = st.sampled_from([" ", "، ", ". ", "\n", " (", ") "])


@settings(max_examples=300)
@given(
    before=st.lists(RANDOM_WORDS, max_size=8),
    after=st.lists(RANDOM_WORDS, max_size=8),
    seps=st.lists(SEPARATORS, min_size=18, max_size=18),
    term=st.sampled_from(TERMS),
    clitics=CLITICS,
)
def test_term_in_random_arabic_text_is_found_at_its_span(
    before: list[str], after: list[str], seps: list[str], term: Term, clitics: tuple[str, str, bool]
) -> None:
    def join(words: list[str], offset: int) -> str:
        return "".join(w + seps[offset + i] for i, w in enumerate(words))

    head, tail = join(before, 0), join(after, 9)
    assume(not find_terms(head, [term]) and not find_terms(tail, [term]))
    word = written(term.ar, *clitics)
    text = head + word + " " + tail
    matches = find_terms(text, [term])
    assert [(m.start, m.end, m.found) for m in matches] == [(len(head), len(head) + len(word), word)]


@settings(max_examples=300)
@given(**AMONG_FILLER, suffix=st.sampled_from(SUFFIXES))
def test_term_with_a_suffix_is_never_found(
    before: list[str], after: list[str], term: Term, clitics: tuple[str, str, bool], suffix: str
) -> None:
    text = " ".join([*before, written(term.ar, *clitics) + suffix, *after])
    assert find_terms(text, [term]) == []


@settings(max_examples=200)
@given(text=st.text(alphabet=st.sampled_from("الكاظميوبفلقدس ـًٌٍَُِّْأإآىة\n.،"), max_size=80))
def test_matches_are_ordered_disjoint_and_report_the_text(text: str) -> None:
    matches = find_terms(text, TERMS)
    for m in matches:
        assert text[m.start : m.end] == m.found
        assert m.start <= m.stem < m.end
    for a, b in itertools.pairwise(matches):
        assert a.end <= b.start
