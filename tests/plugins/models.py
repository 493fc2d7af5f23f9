"""Tiny models, built once per test session with the real builder (`tarjama models tiny`).

Locally they are cached under `.models/tiny-<hash>` where the hash covers the builder, the manifest and the
training corpora, so a change to any of them rebuilds and reruns are instant. On CI (`CI` set) they are
built fresh into the session's temporary directory.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from tarjama.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def tiny_hash() -> str:
    from tarjama.nlp.build import BUILDER_VERSION

    pkg = resources.files("tarjama.nlp")
    digest = hashlib.sha256(BUILDER_VERSION.encode())
    for name in ("build.py", "target_vocab.py", "manifest.json", "corpus/ar.txt", "corpus/en.txt"):
        digest.update(pkg.joinpath(name).read_bytes())
    return digest.hexdigest()[:12]


def build_tiny(target: Path) -> Path:
    """Build into a sibling temporary directory, then rename: a crashed build never looks complete."""
    from tarjama.nlp.build import build

    if (target / "summarizer" / "tarjama-model.json").is_file():
        return target
    partial = target.with_name(target.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    build(partial, "tiny")
    try:
        partial.rename(target)
    except OSError:  # another session finished first
        shutil.rmtree(partial, ignore_errors=True)
    return target


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """TARJAMA_MODEL_DIR holding the tiny ar-en, en-ar and summarizer models (+ CTranslate2 float32)."""
    if os.environ.get("CI"):
        return build_tiny(tmp_path_factory.mktemp("models") / "tiny")
    return build_tiny(ROOT / ".models" / f"tiny-{tiny_hash()}")


@pytest.fixture(scope="session")
def tiny_settings(tiny_model_dir: Path) -> Settings:
    return Settings(model_dir=tiny_model_dir, models="tiny", threads=1, batch_size=16)


@pytest.fixture(scope="session")
def tiny_providers(tiny_settings: Settings) -> Iterator[dict[str, object]]:
    """One `ModelProvider` per backend for the session: each model loads once, as in a warm Lambda."""
    from tarjama.nlp.models import ModelProvider

    yield {
        "ctranslate2": ModelProvider(tiny_settings, backend="ctranslate2"),
        "transformers": ModelProvider(tiny_settings, backend="transformers"),
    }


@pytest.fixture(scope="session")
def seed_sentences() -> list[str]:
    """Twelve real lines of a seed article, of varied lengths (a few words to a long paragraph)."""
    text = (ROOT / "tests" / "fixtures" / "001_41a3ad0639280a39.txt").read_text("utf-8")
    lines = [line.strip() for line in text.splitlines() if len(line.split()) >= 3]
    return lines[:12]
