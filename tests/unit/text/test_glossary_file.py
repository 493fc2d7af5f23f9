"""Glossary files: formats, limits, duplicates, and the content version."""

from __future__ import annotations

import json

import pytest
from tarjama.errors import GlossaryInvalidError, GlossaryTooLargeError
from tarjama.text.glossary import Term
from tarjama.text.glossary_file import (
    MAX_TERMS,
    build,
    check_name,
    inline,
    media_kind,
    parse_terms,
    terms_version,
)

TERMS = (Term("الكاظمي", "Kadhimi"), Term("فيلق القدس", "the Quds Force"))


def invalid(body: bytes | str, kind: str) -> dict[str, object]:
    with pytest.raises(GlossaryInvalidError) as info:
        parse_terms(body, kind)
    return info.value.details


def test_json() -> None:
    body = json.dumps({"terms": [{"ar": t.ar, "en": t.en} for t in TERMS]}, ensure_ascii=False)
    assert parse_terms(body.encode(), "json") == TERMS


def test_csv_with_bom_crlf_and_quotes() -> None:
    body = '\ufeffar,en\r\nالكاظمي,Kadhimi\r\n"فيلق القدس","the Quds Force"\r\n'.encode()
    assert parse_terms(body, "csv") == TERMS


def test_csv_quoted_comma_in_target() -> None:
    body = 'ar,en\nالحشد الشعبي,"the Popular Mobilization Forces, PMF"\n'
    assert parse_terms(body, "csv") == (Term("الحشد الشعبي", "the Popular Mobilization Forces, PMF"),)


def test_tsv_columns_in_either_order() -> None:
    body = "en\tar\nKadhimi\tالكاظمي\n\nthe Quds Force\tفيلق القدس\n"
    assert parse_terms(body, "tsv") == TERMS


def test_csv_bad_header_names_line_one() -> None:
    assert invalid("source,target\nا,b\n", "csv") == {"line": 1, "reason": "bad_header"}


def test_csv_wrong_field_count_names_its_line() -> None:
    body = "ar,en\nالكاظمي,Kadhimi\nفيلق القدس,Quds,extra\n"
    assert invalid(body, "csv") == {"line": 3, "reason": "bad_row"}


def test_csv_empty_side_names_its_line() -> None:
    assert invalid("ar,en\nالكاظمي,Kadhimi\nفيلق القدس, \n", "csv") == {"line": 3, "reason": "empty"}


def test_csv_unclosed_quote_is_invalid() -> None:
    assert invalid('ar,en\n"الكاظمي,Kadhimi\n', "csv")["reason"] == "bad_row"


def test_json_syntax_error_names_its_line() -> None:
    assert invalid('{"terms": [\n{"ar": "ا", "en": }]}', "json") == {
        "line": 2,
        "column": 19,
        "reason": "bad_json",
    }


def test_json_bad_term_names_its_index() -> None:
    body = json.dumps({"terms": [{"ar": "الكاظمي", "en": "Kadhimi"}, {"ar": "فيلق", "en": 3}]})
    assert invalid(body, "json") == {"index": 1, "reason": "not_a_string"}


def test_not_utf8() -> None:
    assert invalid("ar,en\nالكاظمي,Kadhimi\n".encode("cp1256"), "csv")["reason"] == "not_utf8"


def test_term_side_over_200_bytes() -> None:
    # 101 Arabic letters are 202 bytes of UTF-8
    assert invalid(f"ar,en\n{'ب' * 101},x\n", "csv") == {"line": 2, "reason": "term_too_long"}
    assert parse_terms(f"ar,en\n{'ب' * 100},x\n", "csv")[0].en == "x"


def test_too_many_terms() -> None:
    rows = "".join(f"ب{i},t{i}\n" for i in range(MAX_TERMS + 1))
    with pytest.raises(GlossaryTooLargeError) as info:
        parse_terms("ar,en\n" + rows, "csv")
    assert info.value.status == 413
    assert info.value.details == {"terms": MAX_TERMS + 1, "limit": MAX_TERMS}


def test_exact_duplicate_kept_once() -> None:
    assert parse_terms("ar,en\nالكاظمي,Kadhimi\nالكاظمي,Kadhimi\n", "csv") == (TERMS[0],)


def test_duplicate_with_different_target_refused() -> None:
    details = invalid("ar,en\nالكاظمي,Kadhimi\nالكاظمي,al-Kazemi\n", "csv")
    assert details == {"line": 3, "first": {"line": 2}, "reason": "conflicting_duplicate"}


def test_duplicate_after_folding_with_different_target_refused() -> None:
    # "كاظمى" is the same word to the matcher (article optional, ى = ي)
    details = invalid("ar,en\nالكاظمي,Kadhimi\nكاظمى,al-Kazemi\n", "csv")
    assert details["reason"] == "conflicting_duplicate"


def test_duplicate_after_folding_with_same_target_kept() -> None:
    assert len(parse_terms("ar,en\nالكاظمي,Kadhimi\nكاظمى,Kadhimi\n", "csv")) == 2


@pytest.mark.parametrize("name", ["a", "house_style-2", "x" * 64])
def test_good_names(name: str) -> None:
    assert check_name(name) == name


@pytest.mark.parametrize("name", ["", "x" * 65, "a b", "ä", "a/b", "a.b"])
def test_bad_names(name: str) -> None:
    with pytest.raises(GlossaryInvalidError) as info:
        check_name(name)
    assert info.value.details["reason"] == "bad_name"


def test_version_is_order_free_and_content_bound() -> None:
    assert terms_version(TERMS) == terms_version(tuple(reversed(TERMS)))
    assert terms_version(TERMS) != terms_version((TERMS[0], Term("فيلق القدس", "Quds Force")))
    assert build("house", TERMS).version == terms_version(TERMS)


def test_inline_limit_is_100() -> None:
    many = [Term(f"ب{i}", "x") for i in range(101)]
    with pytest.raises(GlossaryTooLargeError):
        inline(many)
    assert len(inline(many[:100])) == 100


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("application/json; charset=utf-8", "json"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
        (None, "json"),
        ("text/plain", None),
    ],
)
def test_media_kind(header: str | None, kind: str | None) -> None:
    assert media_kind(header) == kind
