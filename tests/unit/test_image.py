"""layers/inference/Dockerfile: the runtime stage installs the runtime requirements and nothing that brings
torch; torch and the full weights stay in the build stage; the wheels fit the base image's glibc."""

from __future__ import annotations

import re
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.plugins.deploy import (
    DOCKERFILE,
    LAYER_REQUIREMENTS,
    REPO,
    RUNTIME_REQUIREMENTS,
    closure,
    functions,
    glibc_needed,
    load_template,
    pins,
    pyproject,
    read_requirements,
    torch_in,
)

# glibc of the bases we may build on. Lambda's python3.11 runtime (zip functions, the layer) and its image
# public.ecr.aws/lambda/python:3.11 are Amazon Linux 2; provided:al2023 is Amazon Linux 2023.
GLIBC = {
    "public.ecr.aws/lambda/provided:al2023": (2, 34),
    "public.ecr.aws/lambda/python:3.11": (2, 26),
    "python3.11 zip runtime": (2, 26),
}


@dataclass
class Stage:
    name: str
    base: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def runs(self) -> list[str]:
        return [arg for op, arg in self.instructions if op == "RUN"]

    def envs(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for op, arg in self.instructions:
            if op == "ENV":
                for token in shlex.split(arg):
                    key, _, value = token.partition("=")
                    out[key] = value
        return out


def parse_dockerfile() -> tuple[dict[str, str], list[Stage]]:
    """ARGs before the first FROM, and the stages with their instructions (continuations joined)."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    logical: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        current += " " + line[:-1] if line.endswith("\\") else " " + line
        if not line.endswith("\\"):
            logical.append(current.strip())
            current = ""
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical:
        op, _, arg = line.partition(" ")
        op = op.upper()
        if op == "ARG" and not stages:
            key, _, value = arg.partition("=")
            args[key] = value
        elif op == "FROM":
            words = arg.split()
            base = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), m.group(0)), words[0])
            name = words[2] if len(words) > 2 and words[1].upper() == "AS" else str(len(stages))
            stages.append(Stage(name, base))
        else:
            stages[-1].instructions.append((op, arg))
    return args, stages


ARGS, STAGES = parse_dockerfile()
BY_NAME = {s.name: s for s in STAGES}
FINAL = STAGES[-1]


def _lineage(stage: Stage) -> list[Stage]:
    chain = [stage]
    while chain[-1].base in BY_NAME:
        chain.append(BY_NAME[chain[-1].base])
    return chain


def _root_base(stage: Stage) -> str:
    return _lineage(stage)[-1].base


def _pip_installs(stage: Stage) -> list[str]:
    return [r for s in _lineage(stage) for r in s.runs() if "pip install" in r]


def test_runtime_stage_installs_only_the_runtime_requirements() -> None:
    installs = _pip_installs(FINAL)
    req_files = [m for r in installs for m in re.findall(r"-r\s+(\S+)", r)]
    assert req_files == ["/tmp/requirements-runtime.txt"]
    copies = [arg for op, arg in FINAL.instructions if op == "COPY" and "requirements" in arg]
    assert copies == ["layers/inference/requirements-runtime.txt /tmp/requirements-runtime.txt"]
    # the package itself without its dependencies (its `ml` extra would bring torch)
    others = [r for r in installs if "-r " not in r]
    assert others and all("--no-deps" in r for r in others), others
    assert not any("torch" in r for r in installs)


def test_runtime_requirements_are_pyprojects_core_and_inference_pins() -> None:
    project = pyproject()["project"]
    expected = pins(project["dependencies"]) | pins(project["optional-dependencies"]["inference"])
    runtime = pins(read_requirements(RUNTIME_REQUIREMENTS))
    assert {k: v for k, v in runtime.items() if k != "awslambdaric"} == expected
    assert all(v.startswith("==") for v in runtime.values())


def test_nothing_in_the_runtime_brings_torch() -> None:
    names = pins(read_requirements(RUNTIME_REQUIREMENTS))
    assert not torch_in(names)
    resolved = closure(read_requirements(RUNTIME_REQUIREMENTS))
    assert {"ctranslate2", "sentencepiece", "transformers", "tokenizers"} <= resolved
    assert not torch_in(resolved), torch_in(resolved)
    assert not torch_in(closure(read_requirements(LAYER_REQUIREMENTS)))
    assert not torch_in(pins(pyproject()["project"]["optional-dependencies"]["inference"]))


def test_torch_and_weights_stay_in_the_build_stage() -> None:
    build = BY_NAME["build"]
    torch_runs = [r for r in build.runs() if "torch" in r]
    assert torch_runs and all(
        "torch==2.13.0" in r and "download.pytorch.org/whl/cpu" in r for r in torch_runs
    )
    assert any("'.[ml]'" in r or '".[ml]"' in r for r in build.runs())
    assert any("tarjama models fetch" in r for r in build.runs())
    assert any("tarjama models convert" in r for r in build.runs())
    pruning = next(r for r in build.runs() if "-delete" in r)
    assert "*.safetensors" in pruning and "*.bin" in pruning
    from_build = [arg for op, arg in FINAL.instructions if op == "COPY" and "--from=" in arg]
    assert from_build == ["--from=build /models /opt/models"]
    assert "build" not in [s.name for s in _lineage(FINAL)]


def test_runtime_environment_matches_the_template() -> None:
    env = {k: v for s in reversed(_lineage(FINAL)) for k, v in s.envs().items()}
    assert env["HF_HUB_OFFLINE"] == "1" and env["TRANSFORMERS_OFFLINE"] == "1"
    template = load_template()
    for name, fn in functions(template).items():
        props = fn["Properties"]
        if props.get("PackageType") != "Image":
            continue
        own = props["Environment"]["Variables"]
        assert own["TARJAMA_MODEL_DIR"] == env["TARJAMA_MODEL_DIR"] == "/opt/models", name
        assert own["TARJAMA_BACKEND"] == env["TARJAMA_BACKEND"] == "ctranslate2", name
        handler = props["ImageConfig"]["Command"][0]
        assert handler.startswith("functions."), name
    copied = [arg for op, arg in FINAL.instructions if op == "COPY" and arg.startswith("functions/")]
    assert copied == ["functions/ ${LAMBDA_TASK_ROOT}/functions/"]
    assert FINAL.instructions[-1] == ("CMD", '["functions.api.app.handler"]')


def test_wheels_fit_the_glibc_of_their_base() -> None:
    """pip finds no wheel for a library whose manylinux tag is newer than the OS (the reason the image is
    not on the Amazon Linux 2 python image). The installed wheels' tags bound what each needs."""
    base = _root_base(FINAL)
    assert base in GLIBC, f"unknown base image {base}: add its glibc to GLIBC"
    for label, reqs, limit in (
        ("image", RUNTIME_REQUIREMENTS, GLIBC[base]),
        ("layer", LAYER_REQUIREMENTS, GLIBC["python3.11 zip runtime"]),
    ):
        too_new = {}
        for dist in closure(read_requirements(reqs)):
            needed = glibc_needed(dist)
            if needed is not None and needed > limit:
                too_new[dist] = needed
        assert not too_new, f"{label}: wheels need a newer glibc than {limit}: {too_new}"


def test_dockerignore_keeps_the_context_small() -> None:
    lines = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert lines[next(i for i, x in enumerate(lines) if not x.startswith("#"))] == "*"
    for needed in ("!pyproject.toml", "!layers/common/tarjama/", "!functions/",
                   "!layers/inference/requirements-runtime.txt"):  # fmt: skip
        assert needed in lines


# ------------------------------------------------------------------ tarjama.local stays on this machine

PACKAGE = REPO / "layers" / "common" / "tarjama"


def _docker_glob(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern as a regex (Go's filepath.Match plus `**`, as Docker reads it)."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def in_build_context(path: str) -> bool:
    """Whether Docker sends `path` (relative to the context) to the build, by .dockerignore's rules: the
    last matching line wins, and a line matching a parent directory matches everything under it."""
    rules = []
    for raw in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            negate = line.startswith("!")
            rules.append((negate, _docker_glob(line.lstrip("!").strip("/"))))
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    included = True
    for negate, regex in rules:
        if any(regex.fullmatch(p) for p in prefixes):
            included = negate
    return included


def test_the_dockerignore_reader_reads_docker_rules() -> None:
    """The reader itself, on rules whose outcome Docker documents."""
    assert not in_build_context("tests/unit/test_image.py")  # `*`
    assert in_build_context("functions/api/app.py")  # `!functions/` re-includes a directory
    assert not in_build_context("functions/api/__pycache__/app.cpython-311.pyc")  # `**/__pycache__`


def test_the_image_gets_the_package_without_tarjama_local() -> None:
    """The runtime stage installs the package from the build context, and the context leaves out
    tarjama/local: no deployed function ships the AWS emulation."""
    copies = [arg for op, arg in FINAL.instructions if op == "COPY" and "tarjama" in arg]
    assert copies == ["layers/common/tarjama layers/common/tarjama"]
    files = [p.relative_to(REPO).as_posix() for p in PACKAGE.rglob("*.py")]
    local = [f for f in files if f.startswith("layers/common/tarjama/local/")]
    assert local, "tarjama/local exists"
    assert not [f for f in local if in_build_context(f)]
    shipped = [f for f in files if f not in local]
    assert all(in_build_context(f) for f in shipped), [f for f in shipped if not in_build_context(f)]


def test_the_layer_build_leaves_out_tarjama_local(tmp_path: Path) -> None:
    """SAM runs `make build-CommonLayer` (BuildMethod makefile): run it, pip replaced by `true` (the
    requirements are checked elsewhere), and read what would be zipped into the layer."""
    subprocess.run(
        ["make", "-s", "-C", str(REPO / "layers" / "common"), "build-CommonLayer",
         f"ARTIFACTS_DIR={tmp_path}", "PIP=true"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    built = tmp_path / "python" / "tarjama"
    assert (built / "__init__.py").is_file()
    assert not (built / "local").exists()
    expected = {p.relative_to(PACKAGE) for p in PACKAGE.rglob("*") if p.is_file()}
    expected = {p for p in expected if p.parts[0] != "local" and "__pycache__" not in p.parts}
    got = {p.relative_to(built) for p in built.rglob("*") if p.is_file()}
    assert got == expected
