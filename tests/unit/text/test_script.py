"""The one Arabic-letter class: every Arabic-script language's letters count, punctuation and digits don't."""

from __future__ import annotations

from tarjama.text.script import has_arabic, letter_counts


def test_arabic_and_extended_letters_count_punctuation_and_digits_do_not() -> None:
    assert letter_counts("قال") == (3, 3)
    assert letter_counts("پچژگ") == (4, 4)  # Persian letters are Arabic script
    assert letter_counts("،؛؟ ٣ 12 -") == (0, 0)
    assert letter_counts("Iraq العراق") == (6, 10)


def test_presentation_forms_are_letters_but_ornate_brackets_are_not() -> None:
    assert has_arabic("\ufefb")  # lam-alef ligature, as a model may write it
    assert not has_arabic("\ufd3e\ufd3f")
    assert not has_arabic("plain English 123")
