from __future__ import annotations

import pytest
from tarjama.text import normalize


def test_arabic_indic_and_persian_digits_become_ascii() -> None:
    assert normalize("عام ٢٠٢٤ و۱۴۰۳") == "عام 2024 و1403"


def test_arabic_decimal_separator_becomes_a_dot() -> None:
    assert normalize("٣٫٥ بالمئة") == "3.5 بالمئة"


def test_tatweel_removed() -> None:
    assert normalize("العـــراق بـ1.35") == "العراق ب1.35"


@pytest.mark.parametrize(
    "control",
    [
        "\u200b",
        "\u200c",
        "\u200d",
        "\u200e",
        "\u200f",
        "\u202b",
        "\u202e",
        "\u2066",
        "\u2069",
        "\ufeff",
        "\u061c",
        "\u00ad",
    ],
)
def test_invisible_and_bidi_controls_removed(control: str) -> None:
    assert normalize(f"مر{control}حبا") == "مرحبا"


def test_rlo_override_cannot_reorder_text() -> None:
    assert normalize("\u202eabc\u202c عربي") == "abc عربي"


def test_c0_and_c1_controls_removed_newlines_kept() -> None:
    assert normalize("سطر\x00\x07 أول\r\nسطر\x85ثان") == "سطر أول\nسطر\nثان"


def test_whitespace_collapsed_inside_lines_and_between_paragraphs() -> None:
    assert normalize("  كلمة\u00a0\u00a0 \t أخرى  \n\n\n\nفقرة  ") == "كلمة أخرى\n\nفقرة"


@pytest.mark.parametrize(
    "word", ["مستشفى", "على", "إلى", "مدرسة", "أحمد", "إيران", "آخر", "مؤتمر", "رئيس", "ماء", "ٱلله", "ٵ"]
)
def test_letters_never_folded(word: str) -> None:
    assert normalize(word) == word


def test_nfkc_turns_presentation_forms_into_letters() -> None:
    assert normalize("ﻻ ﺍﻟﺴﻼﻡ") == "لا السلام"


def test_nfkc_ellipsis_and_fullwidth() -> None:
    assert normalize("انتهى… ＡＢ") == "انتهى... AB"


def test_variation_selector_after_copyright_sign_removed() -> None:
    assert normalize("©\ufe0f 2024") == "© 2024"


def test_harakat_are_kept() -> None:
    assert normalize("متعاقدَين") == "متعاقدَين"


def test_idempotent_on_sample() -> None:
    text = "العـراق \u200f٢٠٢٤\n\n\nنص"
    assert normalize(normalize(text)) == normalize(text)
