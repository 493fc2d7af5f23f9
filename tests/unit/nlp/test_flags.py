"""The pure checks behind the per-sentence flags."""

from __future__ import annotations

from tarjama.nlp.flags import has_arabic, is_repetitive, missing_numbers, numbers


def test_numbers_normalize_arabic_indic_digits_and_separators() -> None:
    assert numbers("قتل ١٢ شخصا و3٫5 مليون في ٢٠٢٠ و1,000") == {"12", "3.5", "2020", "1000"}


def test_missing_numbers_compares_after_normalizing() -> None:
    assert missing_numbers("اعتقال ١٢ شخصا عام ٢٠٢٠", "12 people were arrested in 2020") == set()
    assert missing_numbers("اعتقال ١٢ شخصا عام ٢٠٢٠", "12 people were arrested") == {"2020"}
    assert missing_numbers("لا أرقام هنا", "no numbers") == set()


def test_a_number_inside_another_does_not_count() -> None:
    assert missing_numbers("100 سفينة", "1000 ships") == {"100"}


def test_arabic_letters_are_found_but_not_arabic_punctuation() -> None:
    assert has_arabic("The minister said كركوك")
    assert not has_arabic("Casualties، 12؛ done")
    assert not has_arabic("plain English 123")


def test_repetition_detector() -> None:
    assert is_repetitive(["a", "b", "c", "c", "c", "c", "d"])  # one token four times in a row
    assert is_repetitive(["x", "a", "b", "a", "b", "a", "b", "y"])  # a bigram three times
    assert is_repetitive(["the", "man", "and", "the", "man", "and", "the", "man", "and"])
    assert not is_repetitive(["the", "man", "and", "the", "dog", "and", "the", "cat"])
    assert not is_repetitive(["very", "very", "good"])
    assert not is_repetitive([])
