"""Cache keys. Everything that shapes a result is in its key, so a change of any of it is a miss."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from tarjama import PIPELINE_VERSION
from tarjama.result import DigestOptions, ModelRef
from tarjama.text.types import Article


def _digest(payload: Any) -> str:
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _model_key(ref: ModelRef) -> dict[str, str]:
    return {
        "hub_id": ref.hub_id,
        "revision": ref.revision,
        "backend": ref.backend,
        "quantization": ref.quantization,
        "kind": ref.kind,
        "vocabulary": ref.vocabulary,
    }


def article_key(article: Article, options: DigestOptions, models: Mapping[str, ModelRef]) -> str:
    """The article result's id: cleaned text, options (the tier among them), models (id, revision, backend,
    quantization), pipeline version."""
    payload = {
        "v": PIPELINE_VERSION,
        "title": article.title,
        "paragraphs": article.paragraphs,
        "options": options.model_dump(mode="json"),
        "models": {name: _model_key(ref) for name, ref in sorted(models.items())},
    }
    return "a_" + _digest(payload)[:40]


def sentence_key(sentence: str, model: ModelRef, beam_size: int, *, model_type: str) -> str:
    """Translation memory key: the normalized sentence, the tier and exactly what would translate it."""
    payload = {
        "v": PIPELINE_VERSION,
        "s": sentence,
        "m": _model_key(model),
        "beam": beam_size,
        "tier": model_type,
    }
    return "s_" + _digest(payload)[:40]
