"""The phrase lists as data: every file declares its match mode, each mode matches as documented, and the
files ship with the package."""

from __future__ import annotations

import tomllib
from dataclasses import fields
from fnmatch import fnmatch
from pathlib import Path

import pytest
from tarjama.text import lexicon as lexicon_module
from tarjama.text.lexicon import Lexicon, lexicon, parse

LISTS = Path(lexicon_module.__file__).parent
REPO = Path(__file__).resolve().parents[3]


def test_every_list_file_is_read_and_every_list_has_a_file() -> None:
    assert {p.stem for p in LISTS.glob("*.txt")} == {f.name for f in fields(Lexicon)}


def test_every_list_declares_a_known_match_mode() -> None:
    for path in LISTS.glob("*.txt"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.split(":", 1)[1].strip() in {"line", "prefix", "contains", "token"}, path.name


def test_the_lists_are_package_data() -> None:
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    shipped = [f"text/lexicon/{p.name}" for p in LISTS.glob("*.txt")]
    assert all(any(fnmatch(s, pat) for pat in patterns["tarjama"]) for s in shipped)


def test_a_list_without_a_mode_or_with_an_unknown_one_is_refused() -> None:
    with pytest.raises(ValueError, match="must be"):
        parse("x", "شارك\nنشر\n")
    with pytest.raises(ValueError, match="unknown match mode 'whole'"):
        parse("x", "# match: whole\nشارك\n")


def test_entries_are_folded_to_match_keys_and_comments_skipped() -> None:
    p = parse("x", "# match: line\n# a comment\nإقرأ أيضاً\n\nاقرأ ايضا\n")
    assert p.entries == ("اقرا ايضا",)


def test_line_mode_matches_the_whole_line_only() -> None:
    p = parse("x", "# match: line\nاتصل بنا\n")
    assert p.match("اتصل بنا") == "اتصل بنا"
    assert p.match("اتصل بنا اليوم") is None


def test_prefix_mode_matches_whole_leading_words_and_returns_the_longest_entry() -> None:
    p = parse("x", "# match: prefix\nاقرا\nاقرا ايضا\n")
    assert p.match("اقرا ايضا خبر اخر") == "اقرا ايضا"
    assert p.match("اقرا") == "اقرا"
    assert p.match("اقراء الخبر") is None  # a longer word that merely starts the same


def test_contains_mode_matches_anywhere_and_counts() -> None:
    p = parse("x", "# match: contains\nالحقوق محفوظه\nالنشر\n")
    assert p.match("جميع الحقوق محفوظه 2024") == "الحقوق محفوظه"
    assert p.count("حقوق النشر: جميع الحقوق محفوظه") == 2
    assert p.match("خبر عادي") is None


def test_token_mode_matches_one_word() -> None:
    p = parse("x", "# match: token\nفي\n")
    assert p.match("في") == "في" and "في" in p
    assert p.match("في بغداد") is None


def test_lists_are_read_once() -> None:
    assert lexicon() is lexicon()


def test_one_stop_word_list_serves_the_cleaner_and_the_summary() -> None:
    from tarjama.nlp import summarize

    assert not hasattr(summarize, "_STOP")
    # "في" and both spellings of "إلى" are stop words; a content word is not.
    terms = summarize._terms("ذهب الوزير إلى بغداد الى في")
    assert terms == ["ذهب", "الوزير", "بغداد"]
