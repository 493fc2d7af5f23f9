"""The language identifier: other Arabic-script languages are refused with not_arabic and their language;
Arabic news (our evaluation texts and the real seed articles, Latin names, URLs and digits included) never is.
The texts are eval/langid/*.txt (written for the evaluation; docs/cleaning.md has the figures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tarjama.errors import NotArabicError
from tarjama.langid import detector
from tarjama.text import clean
from tarjama.text.language import REFUSE_AT, Guess, check_arabic, refuses, script_text

from eval.langid_data import Sample, samples

SAMPLES = samples()
ARABIC = [s for s in SAMPLES if s.lang == "ar"]
OTHERS = [s for s in SAMPLES if s.lang != "ar"]
ARTICLE_LANGS = sorted({s.lang for s in OTHERS})


def test_the_evaluation_covers_every_language_and_kind() -> None:
    assert set(ARTICLE_LANGS) == {"fa", "ur", "ps", "ckb", "ug", "sd"}
    assert {s.kind for s in ARABIC} >= {"paragraph", "headline", "mixed", "seed-paragraph", "seed-title"}
    assert all(
        len([s for s in OTHERS if s.lang == lang and s.kind == "headline"]) >= 6 for lang in ARTICLE_LANGS
    )


@pytest.mark.parametrize("sample", ARABIC, ids=lambda s: f"{s.kind}:{s.text[:24]}")
def test_arabic_is_never_refused(sample: Sample) -> None:
    guess = check_arabic(sample.text, detector())
    assert not refuses(guess)


def _article(lang: str) -> str:
    paragraphs = [s.text for s in OTHERS if s.lang == lang and s.kind == "paragraph"]
    headline = next(s.text for s in OTHERS if s.lang == lang and s.kind == "headline")
    return "\n\n".join([headline, *paragraphs])


@pytest.mark.parametrize("lang", ARTICLE_LANGS)
def test_an_article_in_another_arabic_script_language_is_refused_by_clean(lang: str) -> None:
    with pytest.raises(NotArabicError) as err:
        clean(_article(lang), "text")
    assert err.value.code == "not_arabic" and err.value.status == 422
    expected = "ku" if lang == "ckb" else lang  # CLD2 names Central Kurdish `ku`
    assert err.value.details["language"] == expected
    assert err.value.details["confidence"] >= REFUSE_AT
    assert set(err.value.details) == {"language", "confidence"}


def test_nearly_every_paragraph_and_headline_alone_is_refused() -> None:
    """Alone, a short text may get no answer (unknown: accepted); docs/cleaning.md lists the two misses."""
    refused = []
    for sample in OTHERS:
        try:
            check_arabic(sample.text, detector())
        except NotArabicError:
            refused.append(sample)
    assert len(refused) >= 0.97 * len(OTHERS), len(refused)
    assert {s.lang for s in refused} == set(ARTICLE_LANGS)


def test_the_seed_articles_pass_clean_with_the_identifier(seeds: dict[str, str]) -> None:
    for text in seeds.values():
        assert clean(text, "text").paragraphs


def test_only_arabic_script_words_reach_the_identifier() -> None:
    text = "أعلنت شركة Apple عن هاتف iPhone 16 عبر https://www.apple.com بسعر 999"
    assert script_text(text) == "أعلنت شركة عن هاتف عبر بسعر"


def test_unsure_or_unknown_answers_accept() -> None:
    assert not refuses(Guess("fa", "Persian", 0.99, reliable=False))
    assert not refuses(Guess("fa", "Persian", REFUSE_AT - 0.01, reliable=True))
    assert not refuses(Guess("un", "Unknown", 0.0, reliable=False))
    assert not refuses(Guess("ar", "Arabic", 0.99, reliable=True))
    assert refuses(Guess("ur", "Urdu", REFUSE_AT, reliable=True))


def test_clean_uses_the_detector_it_is_given() -> None:
    seen: list[str] = []

    def sure_it_is_pashto(text: str) -> Guess:
        seen.append(text)
        return Guess("ps", "Pashto", 0.97, True)

    with pytest.raises(NotArabicError, match="Pashto"):
        clean(
            "قال الوزير إن الحكومة ستعقد اجتماعا مع النواب في بغداد يوم الأربعاء المقبل.",
            detector=sure_it_is_pashto,
        )
    assert seen == ["قال الوزير إن الحكومة ستعقد اجتماعا مع النواب في بغداد يوم الأربعاء المقبل."]


def test_text_cld2_cannot_read_is_no_opinion() -> None:
    assert detector()("\ud800\ud800 نص").language in ("un", "ar")
    assert detector()("").language == "un"


def test_the_identifier_is_not_imported_by_the_text_core_at_module_level() -> None:
    root = Path(__file__).resolve().parents[3] / "layers" / "common" / "tarjama" / "text"
    for path in root.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert not line.startswith(("import pycld2", "from tarjama.langid", "import tarjama.langid")), (
                path
            )


def test_the_letter_ratio_refusal_names_the_language_too() -> None:
    text = (
        "The minister said talks would resume next week in Cairo. Delegations from several countries will"
        " attend the meeting, which is expected to last three days."
    )
    with pytest.raises(NotArabicError) as err:
        clean(text, "text")
    assert err.value.details["language"] == "en"
    assert err.value.details["confidence"] >= 0.8
    assert err.value.details["arabic_letters"] == 0


def test_arabic_typed_with_persian_yeh_and_keheh_is_still_arabic(seeds: dict[str, str]) -> None:
    """Some Arabic sites type ی and ک (Persian keyboards): CLD2's vocabulary still says Arabic."""
    persian_keyboard = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
    for text in seeds.values():
        assert clean(text.translate(persian_keyboard), "text").paragraphs
