"""The import rules of docs/architecture.md, read from the source with `ast` (nothing is imported).

1. The text core (`tarjama.text`) imports nothing of AWS, the ML libraries or the settings: it is pure,
   so it runs (and is tested) anywhere, and a cleaning rule can never reach the network or a model.
2. No import cycle between tarjama's parts (its subpackages and top modules) at module level: the layers
   point one way (functions -> api/bulk -> pipeline -> text/nlp/store). Imports inside functions (lazy,
   to keep cold starts light) and under `if TYPE_CHECKING:` do not count.
3. The Lambda functions (functions/*) import only the package's public entry points, so that a module
   moving inside the package never breaks a deployed handler.

Each checker is also run on a synthetic bad module, so each rule is shown to fail when broken.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "layers" / "common" / "tarjama"
FUNCTIONS = ROOT / "functions"

TEXT_FORBIDDEN = (
    "boto3",
    "botocore",
    "aws_lambda_powertools",
    "torch",
    "transformers",
    "ctranslate2",
    "tarjama.config",
    "tarjama.store",
    "tarjama.nlp",
)
# What a Lambda function may import from the package: the composition roots and the handlers' objects.
ENTRY_POINTS = {
    "tarjama.api.app": {"Api", "create_app", "failure"},
    "tarjama.bulk.split": {"Splitter", "build_splitter"},
    "tarjama.bulk.worker": {"Worker", "build_worker"},
    "tarjama.config": {"Settings", "get_settings"},
    "tarjama.observability": {"get_tracer"},
    "tarjama.service": {"build_digester"},
}


@dataclass(frozen=True)
class Import:
    module: str  # the module imported from (absolute)
    names: tuple[str, ...]  # the names taken from it (empty for `import x`)
    line: int
    top_level: bool  # executed when the importing module is imported


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(source: str, module: str, *, is_package: bool = False) -> Iterator[Import]:
    """Every import of `source` (the module `module`), relative ones made absolute."""

    def visit(node: ast.AST, top_level: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(alias.name, (), child.lineno, top_level)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = module.split(".")
                    parent = parent if is_package else parent[:-1]
                    parent = parent[: len(parent) - (child.level - 1)]
                    base = ".".join([*parent, base] if base else parent)
                yield Import(base, tuple(a.name for a in child.names), child.lineno, top_level)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from visit(child, False)
            elif isinstance(child, ast.If) and _is_type_checking(child):
                for sub in child.orelse:
                    yield from visit(ast.Module(body=[sub], type_ignores=[]), top_level)
            else:
                yield from visit(child, top_level)

    yield from visit(ast.parse(source), True)


def _matches(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


# --------------------------------------------------------------------------------------------- checkers


def text_core_violations(sources: dict[str, str], packages: frozenset[str] = frozenset()) -> list[str]:
    """`module:line imports x` for every import of a forbidden library or layer from `tarjama.text`."""
    out = []
    for module, source in sources.items():
        if not _matches(module, "tarjama.text"):
            continue
        for imp in imports(source, module, is_package=module in packages):
            for name in [imp.module, *(f"{imp.module}.{n}" for n in imp.names)]:
                if any(_matches(name, bad) for bad in TEXT_FORBIDDEN):
                    out.append(f"{module}:{imp.line} imports {name}")
    return out


def part_of(module: str) -> str:
    """The part a module belongs to: `tarjama.text.clean` -> `tarjama.text`, `tarjama.pipeline` itself."""
    return ".".join(module.split(".")[:2])


def import_graph(sources: dict[str, str], packages: set[str]) -> dict[str, set[str]]:
    """Which parts each part imports at module level."""
    parts = {part_of(m) for m in sources}
    graph: dict[str, set[str]] = {}
    for module, source in sources.items():
        here = part_of(module)
        for imp in imports(source, module, is_package=module in packages):
            if not imp.top_level:
                continue
            targets = [imp.module, *(f"{imp.module}.{n}" for n in imp.names)]
            for target in targets:
                there = part_of(target)
                if _matches(target, "tarjama") and target != "tarjama" and there != here and there in parts:
                    graph.setdefault(here, set()).add(there)
    return graph


def part_cycles(sources: dict[str, str], packages: set[str]) -> list[list[str]]:
    """Cycles of module-level imports between tarjama's parts (each cycle once, as a path)."""
    graph = import_graph(sources, packages)
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt == path[0]:
                key = frozenset(path)
                if key not in seen:
                    seen.add(key)
                    cycles.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:  # each cycle from its smallest part only
                walk(nxt, [*path, nxt])

    for start in sorted(graph):
        walk(start, [start])
    return cycles


def entry_point_violations(sources: dict[str, str]) -> list[str]:
    """Imports of the package by a Lambda function that are not among `ENTRY_POINTS`."""
    out = []
    for module, source in sources.items():
        for imp in imports(source, module):
            if not _matches(imp.module, "tarjama"):
                continue
            allowed = ENTRY_POINTS.get(imp.module)
            if allowed is None or not imp.names or not set(imp.names) <= allowed:
                out.append(f"{module}:{imp.line} imports {imp.module} {list(imp.names)}")
    return out


# --------------------------------------------------------------------------------------------- the tree


def package_sources() -> tuple[dict[str, str], set[str]]:
    sources, packages = {}, set()
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path, PACKAGE.parent)
        sources[name] = path.read_text(encoding="utf-8")
        if path.name == "__init__.py":
            packages.add(name)
    return sources, packages


def function_sources() -> dict[str, str]:
    return {module_name(p, ROOT): p.read_text(encoding="utf-8") for p in FUNCTIONS.rglob("*.py")}


def test_the_text_core_imports_no_aws_ml_or_settings() -> None:
    sources, packages = package_sources()
    assert any(_matches(m, "tarjama.text") for m in sources)
    assert text_core_violations(sources, frozenset(packages)) == []


def test_no_import_cycle_between_the_parts_of_the_package() -> None:
    sources, packages = package_sources()
    graph = import_graph(sources, packages)
    assert "tarjama.pipeline" in graph["tarjama.api"]  # the graph is read at all
    assert "tarjama.text" in graph["tarjama.pipeline"]
    assert part_cycles(sources, packages) == []


def test_functions_import_only_public_entry_points() -> None:
    sources = function_sources()
    assert set(sources) >= {"functions.api.app", "functions.worker.app", "functions.bulk_split.app"}
    assert entry_point_violations(sources) == []


# --------------------------------------------------------------------------------------------- they can fail


def test_a_text_module_importing_boto3_or_the_settings_is_caught() -> None:
    bad = {
        "tarjama.text.bad": (
            "from __future__ import annotations\n"
            "import boto3\n"
            "from tarjama import config\n"
            "def later():\n"
            "    from tarjama.nlp.models import ModelProvider\n"
        ),
        "tarjama.text.fine": "from tarjama.errors import NotArabicError\nfrom . import normalize\n",
        "tarjama.api.other": "import boto3\n",  # not the text core: allowed
    }
    assert text_core_violations(bad) == [
        "tarjama.text.bad:2 imports boto3",
        "tarjama.text.bad:3 imports tarjama.config",
        "tarjama.text.bad:5 imports tarjama.nlp.models",
        "tarjama.text.bad:5 imports tarjama.nlp.models.ModelProvider",
    ]


def test_a_cycle_between_parts_is_caught_but_not_a_lazy_or_type_only_import() -> None:
    sources = {
        "tarjama.pipeline": "from tarjama.store.results import ResultCache\n",
        "tarjama.store.results": "from tarjama import pipeline\n",  # pipeline -> store -> pipeline
        "tarjama.nlp.summarize": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n"
            "    from tarjama.pipeline import Digester\n"
            "def f():\n"
            "    from tarjama.pipeline import Digester\n"
        ),
        "tarjama.text.clean": "from .normalize import normalize\n",  # inside one part
    }
    assert part_cycles(sources, set()) == [["tarjama.pipeline", "tarjama.store", "tarjama.pipeline"]]
    del sources["tarjama.store.results"]
    assert part_cycles(sources, set()) == []


def test_a_function_importing_an_internal_module_is_caught() -> None:
    bad = {
        "functions.api.app": (
            "from tarjama.api.app import create_app\nfrom tarjama.api.routers.digests import x\n"
        ),
        "functions.worker.app": "import tarjama.bulk.worker\nfrom tarjama.config import _private\n",
    }
    assert entry_point_violations(bad) == [
        "functions.api.app:2 imports tarjama.api.routers.digests ['x']",
        "functions.worker.app:1 imports tarjama.bulk.worker []",
        "functions.worker.app:2 imports tarjama.config ['_private']",
    ]


@pytest.mark.parametrize(
    ("module", "is_package", "source", "expected"),
    [
        ("tarjama.text.clean", False, "from .normalize import x", "tarjama.text.normalize"),
        ("tarjama.text", True, "from .normalize import x", "tarjama.text.normalize"),
        ("tarjama.text.clean", False, "from .. import errors", "tarjama"),
        ("tarjama.text.clean", False, "from ..errors import X", "tarjama.errors"),
    ],
)
def test_relative_imports_are_resolved(module: str, is_package: bool, source: str, expected: str) -> None:
    assert [i.module for i in imports(source, module, is_package=is_package)] == [expected]
