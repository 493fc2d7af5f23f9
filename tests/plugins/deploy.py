"""Helpers for the deploy checks (test_template.py, test_image.py, the reliability suite's security review):
the template as data (its functions, their handlers and IAM statements), requirement closures from
installed metadata, and "an environment with only these distributions" built from symlinks.

Why symlinks: creating a venv per function and installing from an index is slow and needs the network.
The .venv already holds every pinned distribution; a directory that links only the files of a closure's
distributions (their RECORD) is, for imports, exactly the site-packages that closure would install.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "template.yaml"
LAYER_REQUIREMENTS = REPO / "layers" / "common" / "requirements.txt"
RUNTIME_REQUIREMENTS = REPO / "layers" / "inference" / "requirements-runtime.txt"
DOCKERFILE = REPO / "layers" / "inference" / "Dockerfile"
TOOLS_PYTHON = REPO / ".tools" / "bin" / "python"

# What pulls in the PyTorch stack (never in the image's runtime or the layer).
TORCH_STACK = {"torch", "triton", "torchvision", "torchaudio", "accelerate"}
TORCH_PREFIXES = ("nvidia-",)
# In the image only (the Lambda runtime client; its wheel is manylinux2014 and needs no ML library): not in
# .venv, so left out of the closures computed here.
IMAGE_ONLY = {"awslambdaric"}


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags: `!Ref X` is {"Ref": "X"}, `!Sub s` is {"Fn::Sub": s}.

    Kept apart from the store's loader so these checks do not depend on code they check.
    """


def _construct_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    key = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    return {key: value}


_CfnLoader.add_multi_constructor("!", _construct_tag)


def load_template(path: Path = TEMPLATE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_CfnLoader)  # a SafeLoader subclass
    assert isinstance(data, dict)
    return data


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: res for name, res in template["Resources"].items() if res["Type"] == "AWS::Serverless::Function"
    }


# ------------------------------------------------------------------------------------ requirements


def handler_entry(function: dict[str, Any]) -> tuple[list[Path], str, str]:
    """(code roots, module, callable) of a function resource, as Lambda will resolve them."""
    props = function["Properties"]
    if props.get("PackageType") == "Image":
        handler = props["ImageConfig"]["Command"][0]
        module, attr = handler.rsplit(".", 1)
        return [REPO], module, attr  # the Dockerfile copies functions/ into the task root
    module, attr = props["Handler"].rsplit(".", 1)
    return [REPO / props["CodeUri"]], module, attr


def statements(function: dict[str, Any]) -> list[dict[str, Any]]:
    """The IAM statements of a function resource (every policy must be written as explicit statements)."""
    out: list[dict[str, Any]] = []
    for policy in function["Properties"].get("Policies", []):
        assert isinstance(policy, dict) and "Statement" in policy, "use explicit statements"
        out.extend(policy["Statement"])
    return out


def actions(statement: dict[str, Any]) -> list[str]:
    found = statement["Action"]
    return [found] if isinstance(found, str) else list(found)


def read_requirements(path: Path) -> list[Requirement]:
    reqs = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            reqs.append(Requirement(line))
    return reqs


def pyproject() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def pins(reqs: Iterable[Requirement | str]) -> dict[str, str]:
    """name -> specifier, for comparing pinned lists (self-references like `tarjama[inference]` skipped)."""
    out: dict[str, str] = {}
    for req in reqs:
        r = Requirement(req) if isinstance(req, str) else req
        if canonicalize_name(r.name) == "tarjama":
            continue
        out[canonicalize_name(r.name)] = str(r.specifier)
    return out


def closure(reqs: Iterable[Requirement]) -> set[str]:
    """Every distribution the requirements install, resolved from the installed metadata (markers evaluated
    for this interpreter, extras followed only where asked for)."""
    env: dict[str, str] = {k: str(v) for k, v in default_environment().items()}
    seen: set[str] = set()
    todo: list[tuple[Requirement, frozenset[str]]] = [
        (r, frozenset()) for r in reqs if canonicalize_name(r.name) not in IMAGE_ONLY
    ]
    extras_seen: set[tuple[str, str]] = set()
    while todo:
        req, parent_extras = todo.pop()
        if req.marker is not None:
            ok = any(req.marker.evaluate({**env, "extra": e}) for e in (parent_extras or {""}))  # type: ignore[arg-type]
            if not ok:
                continue
        name = canonicalize_name(req.name)
        new_extras = {e for e in req.extras if (name, e) not in extras_seen}
        if name in seen and not new_extras:
            continue
        seen.add(name)
        extras_seen.update((name, e) for e in new_extras)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError as exc:  # pragma: no cover - a broken .venv
            raise AssertionError(f"{name} is required but not installed in {sys.prefix}") from exc
        for sub in dist.requires or []:
            todo.append((Requirement(sub), frozenset(req.extras)))
    return seen


def torch_in(names: Iterable[str]) -> set[str]:
    return {n for n in names if n in TORCH_STACK or n.startswith(TORCH_PREFIXES)}


# ------------------------------------------------------------------------------- isolated imports


def site_with_only(dists: Iterable[str], target: Path) -> Path:
    """A site-packages directory linking only the files of `dists` (from their RECORD)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in sorted(dists):
        dist = metadata.distribution(name)
        base = Path(str(dist.locate_file("")))
        for rel in dist.files or []:
            parts = Path(str(rel)).parts
            if not parts or parts[0] in ("..", "/") or parts[0].endswith(".pth"):
                continue
            top = parts[0]
            link = target / top
            if not link.exists() and (base / top).exists():
                os.symlink(base / top, link)
    return target


_PROBE = r"""
import importlib, json, sys
paths, module, attr, extra = json.loads(sys.argv[1])
sys.path[:0] = paths
mod = importlib.import_module(module)
fn = getattr(mod, attr)
for name in extra:
    importlib.import_module(name)
print(json.dumps({"callable": callable(fn), "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def probe_import(
    paths: list[Path], module: str, attr: str, extra: Iterable[str] = (), env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Imports `module.attr` in a fresh interpreter whose only importable code is `paths` + the stdlib
    (`-I -S`: no user site, no site-packages, no PYTHON* variables). Returns callable + top-level modules."""
    arg = json.dumps([[str(p) for p in paths], module, attr, list(extra)])
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", _PROBE, arg],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, f"importing {module}.{attr} failed:\n{proc.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# ------------------------------------------------------------------------------------- wheel tags

_GLIBC = re.compile(r"manylinux_(\d+)_(\d+)_|manylinux(2014|2010|1)_")
_LEGACY = {"2014": (2, 17), "2010": (2, 12), "1": (2, 5)}


def glibc_needed(dist_name: str) -> tuple[int, int] | None:
    """The lowest glibc among the installed wheel's tags (None for pure Python); an upper bound of what
    the distribution needs, since pip picked the best wheel for this machine."""
    dist = metadata.distribution(dist_name)
    wheel = dist.read_text("WHEEL") or ""
    versions: list[tuple[int, int]] = []
    for line in wheel.splitlines():
        if not line.startswith("Tag:"):
            continue
        m = _GLIBC.search(line)
        if m and m.group(3):
            versions.append(_LEGACY[m.group(3)])
        elif m:
            versions.append((int(m.group(1)), int(m.group(2))))
    return min(versions) if versions else None
