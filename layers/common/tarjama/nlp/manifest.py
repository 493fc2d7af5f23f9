"""The model manifest and the on-disk layout under TARJAMA_MODEL_DIR. Pure: imports no ML library.

`describe()` on a cache hit must not pay for torch or ctranslate2, so everything a `ModelRef` needs is read
from two small JSON files: the packaged manifest (what we pin) and the metadata written next to each model
(what is actually on disk: real weights, tiny or twin, and which CTranslate2 copy exists).

Layout::

    <model_dir>/<name>/tarjama-model.json   metadata (name, hub_id, revision, kind, quantization, ct2_dir)
    <model_dir>/<name>/hf/                  transformers files (config, weights, tokenizer)
    <model_dir>/<name>/ct2-int8/            CTranslate2 copy (ct2-float32/ for the tiny models)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from tarjama.errors import ModelMissingError

Kind = Literal["real", "tiny", "twin"]
META_FILE = "tarjama-model.json"
HF_DIR = "hf"
DEFAULT_CT2_DIR = "ct2-int8"
ROLES = ("translation", "back_translation", "summarizer")
# Manifest values that are ours, not the hub config's (checked by nothing: the twins' target.spm width).
OWN_KEYS = frozenset({"target_vocab_size"})
# Keys older snapshots leave out, and the value transformers then uses.
IMPLIED: dict[str, Callable[[dict[str, Any]], Any]] = {
    "decoder_vocab_size": lambda config: config.get("vocab_size"),
    "share_encoder_decoder_embeddings": lambda config: True,
}

HOW_TO_GET = (
    "Get the real models where there is internet with `tarjama models fetch --out DIR` then "
    "`tarjama models convert --dir DIR`; for tests and local runs build tiny ones with "
    "`tarjama models tiny --out DIR`. Then set TARJAMA_MODEL_DIR=DIR."
)


@dataclass(frozen=True)
class ModelSpec:
    """One pinned model of the manifest."""

    name: str
    hub_id: str
    revision: str
    license: str
    task: str
    role: str
    architecture: str
    source_lang: str
    target_lang: str
    source_prefix: str
    config: dict[str, Any] = field(default_factory=dict)
    attribution: str = ""
    # the model card's own example: {"source", "expected"} or {"source", "expected_script"}
    smoke: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelMeta:
    """What `tarjama models ...` wrote next to a model directory."""

    name: str
    hub_id: str
    revision: str
    kind: Kind
    quantization: str  # of the CTranslate2 copy; "" when there is none
    ct2_dir: str = DEFAULT_CT2_DIR
    builder: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "hub_id": self.hub_id,
            "revision": self.revision,
            "kind": self.kind,
            "quantization": self.quantization,
            "ct2_dir": self.ct2_dir,
            "builder": self.builder,
        }


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("tarjama.nlp").joinpath("manifest.json").read_text("utf-8")
    )
    return data


@lru_cache(maxsize=1)
def load_manifest() -> dict[str, ModelSpec]:
    out: dict[str, ModelSpec] = {}
    for name, item in _raw()["models"].items():
        out[name] = ModelSpec(
            name=name,
            hub_id=item["hub_id"],
            revision=item["revision"],
            license=item["license"],
            task=item["task"],
            role=item["role"],
            architecture=item["architecture"],
            source_lang=item["source_lang"],
            target_lang=item["target_lang"],
            source_prefix=item.get("source_prefix", ""),
            config=dict(item["config"]),
            attribution=item.get("attribution", ""),
            smoke=dict(item.get("smoke", {})),
        )
    return out


def tier_models(model_type: str) -> dict[str, str]:
    """role -> model name for one tier (`quality_optimized`, `latency_optimized`)."""
    tiers: dict[str, dict[str, str]] = _raw()["model_types"]
    if model_type not in tiers:
        raise ValueError(f"unknown model type {model_type!r}; one of {sorted(tiers)}")
    return dict(tiers[model_type])


def model_types() -> list[str]:
    return list(_raw()["model_types"])


def config_mismatches(spec: ModelSpec, config: dict[str, Any]) -> list[str]:
    """Every manifest config value the downloaded (or built) config.json disagrees with, one line each.

    What `fetch` refuses a snapshot for: a checkpoint whose shape or special ids are not the published
    ones is not the model the manifest pins, whatever it is called.
    """
    out: list[str] = []
    for key, want in spec.config.items():
        if key in OWN_KEYS:
            continue
        have = config.get(key, IMPLIED[key](config) if key in IMPLIED else None)
        if have != want:
            out.append(f"{key}: manifest {want!r}, config.json {have!r}")
    return out


def model_root(model_dir: Path, name: str) -> Path:
    return Path(model_dir) / name


def hf_path(model_dir: Path, name: str) -> Path:
    return model_root(model_dir, name) / HF_DIR


def write_meta(model_dir: Path, meta: ModelMeta) -> Path:
    path = model_root(model_dir, meta.name) / META_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(meta.to_json(), indent=2) + "\n", encoding="utf-8")
    return path


def read_meta(model_dir: Path, name: str) -> ModelMeta:
    """The metadata of one model on disk; `ModelMissingError` (saying how to get it) when absent."""
    path = model_root(model_dir, name) / META_FILE
    if not path.is_file():
        spec = load_manifest()[name]
        raise ModelMissingError(
            f"Model '{name}' ({spec.hub_id}) is not in {Path(model_dir)}. {HOW_TO_GET}",
            details={"model": name, "hub_id": spec.hub_id, "model_dir": str(model_dir)},
        )
    try:
        raw = json.loads(path.read_text("utf-8"))
        return ModelMeta(
            name=raw["name"],
            hub_id=raw["hub_id"],
            revision=raw["revision"],
            kind=raw["kind"],
            quantization=raw.get("quantization", ""),
            ct2_dir=raw.get("ct2_dir", DEFAULT_CT2_DIR),
            builder=raw.get("builder", ""),
        )
    except (ValueError, KeyError) as exc:
        raise ModelMissingError(
            f"Model metadata {path} is unreadable ({exc}). {HOW_TO_GET}", details={"model": name}
        ) from exc


def ct2_path(model_dir: Path, meta: ModelMeta) -> Path | None:
    """The converted CTranslate2 directory when it exists (model.bin present)."""
    if not meta.quantization:
        return None
    path = model_root(model_dir, meta.name) / meta.ct2_dir
    return path if (path / "model.bin").is_file() else None
