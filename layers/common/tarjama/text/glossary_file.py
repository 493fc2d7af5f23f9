"""Glossary files: parsing (JSON, CSV, TSV), limits, and the content version. Pure: no I/O, no AWS.

Formats (docs/glossaries.md):
- JSON: `{"terms": [{"ar": "...", "en": "..."}, ...]}`.
- CSV / TSV with a header row naming the columns `ar` and `en` (either order): Amazon Translate's
  terminology file for one direction. A UTF-8 BOM, quoted fields and CRLF line ends are accepted.

Limits, like Amazon Translate's: a name is `[A-Za-z0-9_-]{1,64}`; at most 10,000 terms; a term side is
1..200 bytes of UTF-8 once its outer whitespace is stripped. Duplicates: the same entry twice with the
same target is kept once; two entries that match the same words (equal after folding, e.g. "الكاظمي" and
"كاظمي") with different targets are refused, naming both lines, as the matcher could not tell which to use.

A malformed file is refused with `glossary_invalid` and `details` `{"line": n, "reason": ...}` (CSV/TSV
lines count from 1, the header being line 1; JSON entries are named by `index`, JSON syntax by `line`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tarjama.errors import GlossaryInvalidError, GlossaryTooLargeError
from tarjama.text.glossary import Term, entry_key

NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_TERMS = 10_000
MAX_INLINE_TERMS = 100
MAX_TERM_BYTES = 200

JSON_TYPES = frozenset({"application/json"})
CSV_TYPES = frozenset({"text/csv", "application/csv"})
TSV_TYPES = frozenset({"text/tab-separated-values", "text/tsv"})


@dataclass(frozen=True)
class Glossary:
    """A validated glossary. `version` is a hash of its normalized terms (order and exact repeats aside)."""

    name: str
    terms: tuple[Term, ...]
    version: str


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise GlossaryInvalidError(
            "A glossary name is 1 to 64 of A-Z, a-z, 0-9, '_' and '-'.",
            details={"reason": "bad_name", "name": name[:80]},
        )
    return name


def terms_version(terms: Sequence[Term]) -> str:
    """Content hash of the terms: the same terms in any order give the same version."""
    blob = json.dumps(sorted([t.ar, t.en] for t in terms), ensure_ascii=False, separators=(",", ":"))
    return "g_" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:24]


def _invalid(reason: str, message: str, where: dict[str, Any]) -> GlossaryInvalidError:
    return GlossaryInvalidError(message, details={**where, "reason": reason})


def _side(value: Any, side: str, where: dict[str, Any]) -> str:
    if not isinstance(value, str):
        raise _invalid("not_a_string", f"`{side}` must be a string.", where)
    text = value.strip()
    if not text:
        raise _invalid("empty", f"`{side}` is empty.", where)
    size = len(text.encode("utf-8"))
    if size > MAX_TERM_BYTES:
        raise _invalid("term_too_long", f"`{side}` has {size} bytes; the limit is {MAX_TERM_BYTES}.", where)
    if any(c in text for c in "\n\r\t") or any(ord(c) < 0x20 for c in text):
        raise _invalid("control_character", f"`{side}` holds a line break or control character.", where)
    return text


def check_terms(
    rows: Sequence[tuple[Any, Any, dict[str, Any]]], *, limit: int = MAX_TERMS
) -> tuple[Term, ...]:
    """Validated terms from (ar, en, where) rows; `where` names the row in errors."""
    if len(rows) > limit:
        raise GlossaryTooLargeError(
            f"The glossary has {len(rows):,} terms; the limit is {limit:,}.",
            details={"terms": len(rows), "limit": limit},
        )
    terms: list[Term] = []
    by_key: dict[tuple[str, ...], tuple[Term, dict[str, Any]]] = {}
    for ar, en, where in rows:
        term = Term(_side(ar, "ar", where), _side(en, "en", where))
        key = entry_key(term.ar)
        if not key:
            raise _invalid("no_letters", "`ar` holds no letter to match.", where)
        if key in by_key:
            first, first_where = by_key[key]
            if first.en != term.en:
                raise _invalid(
                    "conflicting_duplicate",
                    f"{term.ar!r} matches the same words as {first.ar!r} with a different target.",
                    {**where, "first": first_where},
                )
            if first.ar == term.ar:
                continue  # the same entry again: kept once
        else:
            by_key[key] = (term, where)
        terms.append(term)
    return tuple(terms)


def _decode(body: bytes | str) -> str:
    if isinstance(body, str):
        return body.removeprefix("\ufeff")
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _invalid("not_utf8", "The glossary is not UTF-8.", {"byte": exc.start}) from exc


def _rows_json(text: str) -> list[tuple[Any, Any, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = {"line": exc.lineno, "column": exc.colno}
        raise _invalid("bad_json", f"Not JSON: {exc.msg}.", where) from exc
    except (ValueError, RecursionError) as exc:  # any other refusal of the parser: a number of thousands
        # of digits (int() refuses more than 4,300), nesting deeper than the interpreter's stack
        raise _invalid(
            "bad_json", "Not JSON this service can read (a number too long or nesting too deep).", {}
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise _invalid("bad_shape", 'Expected {"terms": [{"ar": ..., "en": ...}, ...]}.', {})
    extra = sorted(set(data) - {"terms", "name"})
    if extra:
        raise _invalid("unknown_field", f"Unknown field {extra[0]!r}.", {"field": extra[0]})
    rows: list[tuple[Any, Any, dict[str, Any]]] = []
    for i, item in enumerate(data["terms"]):
        where = {"index": i}
        if not isinstance(item, dict):
            raise _invalid("bad_shape", 'Each term is an object {"ar": ..., "en": ...}.', where)
        unknown = sorted(set(item) - {"ar", "en"})
        if unknown:
            raise _invalid("unknown_field", f"Unknown field {unknown[0]!r} in a term.", where)
        rows.append((item.get("ar"), item.get("en"), where))
    return rows


def _rows_delimited(text: str, delimiter: str) -> list[tuple[Any, Any, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[Any, Any, dict[str, Any]]] = []
    columns: tuple[int, int] | None = None
    try:
        for record in reader:
            line = reader.line_num
            if not any(field.strip() for field in record):
                continue  # blank line
            if columns is None:
                header = [field.strip().lower() for field in record]
                if sorted(header) != ["ar", "en"]:
                    raise _invalid(
                        "bad_header", "The first line must name the columns: ar, en.", {"line": line}
                    )
                columns = (header.index("ar"), header.index("en"))
                continue
            if len(record) != 2:
                raise _invalid("bad_row", f"Expected 2 fields, found {len(record)}.", {"line": line})
            rows.append((record[columns[0]], record[columns[1]], {"line": line}))
    except csv.Error as exc:
        raise _invalid("bad_row", f"Malformed line: {exc}.", {"line": reader.line_num}) from exc
    if columns is None:
        raise _invalid("bad_header", "The file is empty; the first line must be: ar, en.", {"line": 1})
    return rows


def media_kind(content_type: str | None) -> str | None:
    """`json`, `csv` or `tsv` for a Content-Type header (parameters such as charset ignored)."""
    mime = (content_type or "application/json").split(";")[0].strip().lower()
    if mime in JSON_TYPES:
        return "json"
    if mime in CSV_TYPES:
        return "csv"
    if mime in TSV_TYPES:
        return "tsv"
    return None


def parse_terms(body: bytes | str, kind: str) -> tuple[Term, ...]:
    """Terms of a glossary file of `kind` (`json`, `csv`, `tsv`), validated and limited."""
    text = _decode(body)
    if kind == "json":
        rows = _rows_json(text)
    elif kind in ("csv", "tsv"):
        rows = _rows_delimited(text, "," if kind == "csv" else "\t")
    else:  # pragma: no cover - callers map the media type first
        raise ValueError(kind)
    return check_terms(rows)


def kind_of_path(path: str) -> str:
    """The format of a glossary file by its extension (the CLI's `--glossary FILE`)."""
    lower = path.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith((".tsv", ".tab")):
        return "tsv"
    return "json"


def build(name: str, terms: Sequence[Term]) -> Glossary:
    return Glossary(name=check_name(name), terms=tuple(terms), version=terms_version(terms))


def inline(raw: Sequence[Any]) -> tuple[Term, ...]:
    """`options.terms`: at most 100, the same rules as a file; errors name the term's `index`."""
    rows = [(getattr(t, "ar", None), getattr(t, "en", None), {"index": i}) for i, t in enumerate(raw)]
    return check_terms(rows, limit=MAX_INLINE_TERMS)
