"""`tarjama digest` end to end on the seed articles and tiny models: Python and CLI, both backends, all modes.

Everything is real except the weights: the text core, the tokenizers, both runtimes, the summary logic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tarjama.cli import main
from tarjama.config import Settings, get_settings
from tarjama.nlp.base import FLAG_NUMBERS_MISSING
from tarjama.pipeline import Digester, Ports
from tarjama.result import DigestOptions, DigestResult
from tarjama.service import build_digester

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEEDS = sorted(FIXTURES.glob("00*.txt"))
BACKENDS = ["ctranslate2", "transformers"]
MODES = ["abstractive", "extractive", "none"]
STAGES = {"clean", "load", "segment", "translate", "summarize", "total"}


def check_result(result: DigestResult, raw: str, backend: str, mode: str) -> None:
    """The DESIGN.md shape, consistent with itself."""
    data = result.model_dump(mode="json")
    assert {"id", "source", "translation", "summary", "models", "cached", "timings_ms", "usage"} <= set(data)
    assert set(data["source"]) >= {"title", "paragraphs", "sentences"}
    assert set(data["translation"]) >= {"title", "text", "sentences"}
    sentences = result.source.sentences
    assert sentences and [p.ar for p in result.translation.sentences] == sentences
    assert all(p.en for p in result.translation.sentences)
    assert result.translation.text
    assert bool(result.translation.title) == bool(
        result.source.title
    )  # a title, and only then, is translated
    assert result.usage.sentences == len(sentences) and result.usage.input_chars == len(raw)
    cleaned = len(result.source.title) + sum(len(p) for p in result.source.paragraphs)
    assert result.usage.source_chars == cleaned <= len(raw)
    assert result.usage.tokens_in > len(sentences) and result.usage.tokens_out > 0
    assert set(result.timings_ms) >= STAGES
    roles = {"translation", "summarizer", "back_translation"} if mode == "abstractive" else {"translation"}
    assert set(result.models) == roles
    assert all((ref.backend, ref.kind) == (backend, "tiny") for ref in result.models.values())
    assert all(ref.quantization == "float32" for ref in result.models.values())
    if mode == "none":
        assert result.summary is None
    else:
        assert result.summary is not None and result.summary.ar and result.summary.en
        assert result.summary.requested == mode
        if result.summary.method != mode:  # only the abstractive summary falls back, and it says why
            assert (mode, result.summary.method) == ("abstractive", "extractive")
            assert result.summary.fallback_reason
    for pair in result.translation.sentences:  # flags are computed on what was really returned
        if any(ch.isdigit() for ch in pair.ar) and not any(ch.isdigit() for ch in pair.en):
            assert FLAG_NUMBERS_MISSING in pair.flags


@pytest.fixture(scope="module")
def digesters(tiny_settings: Settings, tiny_providers: dict[str, Any]) -> dict[str, Digester]:
    """One warm digester per backend (no cache: every call computes)."""
    return {b: Digester(tiny_settings, Ports(models=tiny_providers[b])) for b in BACKENDS}  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_seed_digests_on_ctranslate2(digesters: dict[str, Digester], seed: Path) -> None:
    raw = seed.read_text("utf-8")
    result = digesters["ctranslate2"].digest(raw, options=DigestOptions(summary="extractive"))
    check_result(result, raw, "ctranslate2", "extractive")
    assert result.summary is not None and result.summary.method == "extractive"
    assert result.summary.ar.split(" ")[0] in " ".join(result.source.sentences)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("backend", BACKENDS)
def test_a_seed_in_every_mode_on_both_backends(
    digesters: dict[str, Digester], backend: str, mode: str
) -> None:
    raw = SEEDS[3].read_text("utf-8")
    result = digesters[backend].digest(raw, options=DigestOptions(summary=mode), ref="r-1")
    check_result(result, raw, backend, mode)
    assert result.ref == "r-1" and not result.cached


def test_the_id_depends_on_the_backend_and_the_options(digesters: dict[str, Digester]) -> None:
    raw = SEEDS[2].read_text("utf-8")
    ids = {
        digesters[b].digest(raw, options=DigestOptions(summary=m, beam_size=1)).id
        for b in BACKENDS
        for m in ("none", "extractive")
    }
    assert len(ids) == 4


def test_build_digester_runs_from_settings(tiny_model_dir: Path) -> None:
    settings = Settings(model_dir=tiny_model_dir, threads=1, backend="auto")
    raw = SEEDS[1].read_text("utf-8")
    result = build_digester(settings).digest(raw, options=DigestOptions(summary="none", beam_size=1))
    check_result(result, raw, "ctranslate2", "none")


@pytest.fixture
def cli_env(tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TARJAMA_MODEL_DIR", str(tiny_model_dir))
    monkeypatch.setenv("TARJAMA_THREADS", "1")
    monkeypatch.delenv("TARJAMA_TABLE", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    ("backend", "mode"), [("ctranslate2", "abstractive"), ("transformers", "extractive")]
)
def test_cli_json(capsys: pytest.CaptureFixture[str], backend: str, mode: str) -> None:
    seed = SEEDS[0]
    code = main(["digest", str(seed), "--json", "--summary", mode, "--backend", backend, "--format", "text"])
    assert code == 0
    result = DigestResult.model_validate(json.loads(capsys.readouterr().out))
    check_result(result, seed.read_text("utf-8"), backend, mode)


@pytest.mark.usefixtures("cli_env")
def test_cli_readable_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", str(SEEDS[4]), "--summary", "extractive", "--beam", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ") and "## Summary [extractive]" in out
    assert "usage: " in out and "tokens in" in out
    assert "model type: quality_optimized" in out  # the default tier
    assert "model translation: Helsinki-NLP/opus-mt-tc-big-ar-en@" in out


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(
    ("model_type", "translation", "summarizer"),
    [
        ("quality_optimized", "Helsinki-NLP/opus-mt-tc-big-ar-en", "sshleifer/distilbart-cnn-12-6"),
        ("latency_optimized", "Helsinki-NLP/opus-mt-ar-en", "sshleifer/distilbart-cnn-6-6"),
    ],
)
def test_cli_model_type_chooses_the_tier(
    capsys: pytest.CaptureFixture[str], model_type: str, translation: str, summarizer: str
) -> None:
    args = ["digest", str(SEEDS[2]), "--json", "--summary", "abstractive", "--model-type", model_type]
    assert main(args) == 0
    result = DigestResult.model_validate(json.loads(capsys.readouterr().out))
    assert result.model_type == model_type
    assert result.models["translation"].hub_id == translation
    assert result.models["summarizer"].hub_id == summarizer
    assert result.translation.sentences and all(s.en or s.flags for s in result.translation.sentences)


@pytest.mark.usefixtures("cli_env")
def test_cli_missing_model_and_file_are_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", str(tmp_path / "nope.txt")]) == 2
    assert capsys.readouterr().err.startswith("tarjama: error [invalid_input]: No such file")
    os.environ["TARJAMA_MODEL_DIR"] = str(tmp_path / "empty")  # restored by monkeypatch
    get_settings.cache_clear()
    assert main(["digest", str(SEEDS[0])]) == 3
    err = capsys.readouterr().err
    assert err.startswith("tarjama: error [model_missing]:") and "tarjama models tiny --out DIR" in err
    assert "Traceback" not in err


def test_cli_in_a_real_process(tiny_model_dir: Path) -> None:
    env = {**os.environ, "TARJAMA_MODEL_DIR": str(tiny_model_dir), "TARJAMA_THREADS": "1"}
    env.pop("TARJAMA_TABLE", None)
    proc = subprocess.run(
        [sys.executable, "-m", "tarjama.cli", "digest", "-", "--json", "--summary", "none", "--beam", "1"],
        input=SEEDS[2].read_text("utf-8"),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = DigestResult.model_validate_json(proc.stdout)
    assert result.summary is None and result.models["translation"].backend == "ctranslate2"
