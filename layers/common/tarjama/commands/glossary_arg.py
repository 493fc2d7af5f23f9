"""`--glossary FILE` of `tarjama digest` and `tarjama bulk`: a glossary file used without storing it.

The format is chosen by the extension (`.csv`, `.tsv`/`.tab`, else JSON); the glossary's name is the file's
stem made valid (`house-style.csv` -> `house-style`). Errors are the API's: `glossary_invalid` naming the
line, `glossary_too_large`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tarjama.errors import InvalidInputError
from tarjama.text.glossary_file import Glossary, build, kind_of_path, parse_terms


def add_argument(parser: Any) -> None:
    parser.add_argument(
        "--glossary",
        metavar="FILE",
        help="A glossary file (JSON, or CSV/TSV with an ar,en header) enforced on every article "
        "that does not name a stored one (docs/glossaries.md).",
    )


def load(path: str | None) -> Glossary | None:
    if path is None:
        return None
    file = Path(path)
    if not file.is_file():
        raise InvalidInputError(f"No such glossary file: {path}")
    name = re.sub(r"[^A-Za-z0-9_-]", "_", file.name.split(".")[0])[:64] or "glossary"
    return build(name, parse_terms(file.read_bytes(), kind_of_path(file.name)))
