"""docs/architecture.md names real places: every file path and `tarjama.*` module it cites exists.

The map is only useful while it is true; a file moved or renamed without its line in the map fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
PACKAGE = ROOT / "layers" / "common"
# A path is cited from the repository root, the package's folder, inside the package, or beside the folder
# its sentence is about (the benchmarks, tarjama/api, tarjama/nlp).
BASES = (
    ROOT,
    PACKAGE,
    PACKAGE / "tarjama",
    ROOT / "benchmarks",
    PACKAGE / "tarjama" / "api",
    PACKAGE / "tarjama" / "nlp",
)
# files of the examples (an article, a job's report), not of the repository
EXAMPLES = frozenset({"a.txt", "article.txt", "report.json"})
PATH = re.compile(r"(?<![\w$</])((?:[\w.-]+/)*[\w.-]+\.(?:py|md|yaml|json|txt|toml))\b")
MODULE = re.compile(r"\btarjama(?:\.[a-z_]+)+")


def cited_paths(text: str) -> set[str]:
    return {p for p in PATH.findall(text) if not p.startswith(".") and p not in EXAMPLES}


def exists(path: str) -> bool:
    return any((base / path).exists() for base in BASES)


def module_exists(dotted: str) -> bool:
    """`tarjama.a.b` is a module or package, or `tarjama.a` holds a name `b` (e.g. `tarjama.errors.CODES`)."""
    parts = dotted.split(".")
    for n in (len(parts), len(parts) - 1):
        base = PACKAGE.joinpath(*parts[:n])
        source = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
        if n > 1 and source.exists():
            return n == len(parts) or re.search(rf"\b{parts[-1]}\b", source.read_text("utf-8")) is not None
    return False


def test_every_cited_file_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    paths = cited_paths(text)
    assert len(paths) > 20  # the map cites files; a broken pattern must not pass by finding none
    assert sorted(p for p in paths if not exists(p)) == []


def test_every_cited_module_exists() -> None:
    modules = set(MODULE.findall(DOC.read_text(encoding="utf-8")))
    assert len(modules) > 10
    assert sorted(m for m in modules if not module_exists(m)) == []


def test_the_checks_catch_a_wrong_citation() -> None:
    assert not exists("tarjama/api/routes.py")  # gone with the restructuring
    assert not module_exists("tarjama.api.routes")
    assert module_exists("tarjama.errors.CODES") and module_exists("tarjama.api")
    cited = cited_paths("see `api/app.py` and docs/api.md, not $PWD/x.py nor /v1/openapi.json or a.txt")
    assert cited == {"api/app.py", "docs/api.md"}
