"""`ModelProvider`: the pipeline's `ModelPort`. Describes models from JSON, loads them on first use.

`describe()` reads the packaged manifest and the metadata next to each model directory, and imports no ML
library, so a cache hit costs no torch/ctranslate2 import. The loaders run once per model, under a lock
(Lambda and the local server may call from several threads), and only from `TARJAMA_MODEL_DIR`: nothing is
ever fetched from a hub at run time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from tarjama.config import Settings
from tarjama.errors import ModelError, ModelMissingError
from tarjama.nlp.base import Summarizer, Translator
from tarjama.nlp.manifest import (
    HOW_TO_GET,
    META_FILE,
    ROLES,
    ModelMeta,
    ct2_path,
    hf_path,
    load_manifest,
    model_types,
    read_meta,
    tier_models,
)
from tarjama.nlp.target_vocab import VMAP_FILE, has_target_tokenizer
from tarjama.result import ModelRef

ROLES_BY_MODE = {
    "none": ("translation",),
    "extractive": ("translation",),
    "abstractive": ("translation", "summarizer", "back_translation"),
}


class _Loaded:
    """What the tiers of one provider share: each model (by name) loads once, whichever tier asks."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.models: dict[str, Any] = {}
        self.meta: dict[str, ModelMeta] = {}
        self.vocabulary: dict[tuple[str, str], Literal["target", "full"]] = {}
        self.tiers: dict[str, ModelProvider] = {}
        self.counters: dict[str, Callable[[str], int]] = {}


class ModelProvider:
    """Gives the models of one tier (`model_type`); `for_tier` gives the other, sharing what is loaded."""

    def __init__(
        self,
        settings: Settings,
        *,
        backend: str | None = None,
        model_type: str | None = None,
        _shared: _Loaded | None = None,
    ) -> None:
        self.settings = settings
        self.model_dir = Path(settings.model_dir)
        self.backend_setting = backend or settings.backend
        self.model_type = model_type or settings.model_type
        self.names = tier_models(self.model_type)
        self._shared = _shared or _Loaded()
        self._shared.tiers.setdefault(self.model_type, self)

    def for_tier(self, model_type: str | None) -> ModelProvider:
        """The provider of `model_type` (None: this one's); models both tiers use load once."""
        if model_type is None or model_type == self.model_type:
            return self
        with self._shared.lock:
            if model_type not in self._shared.tiers:
                # the same class: a provider that wraps its models (the benchmark's) wraps both tiers'
                self._shared.tiers[model_type] = type(self)(
                    self.settings, backend=self.backend_setting, model_type=model_type, _shared=self._shared
                )
            return self._shared.tiers[model_type]

    # description (no ML imports) -------------------------------------------------------------------

    def meta(self, name: str) -> ModelMeta:
        if name not in self._shared.meta:
            try:
                self._shared.meta[name] = read_meta(self.model_dir, name)
            except ModelMissingError as exc:
                raise self._missing(exc) from exc
        return self._shared.meta[name]

    def _missing(self, exc: ModelMissingError) -> ModelMissingError:
        """The same error, naming the tier whose model is missing (what a caller chose)."""
        if "model_type" in exc.details:
            return exc
        return ModelMissingError(
            f"The {self.model_type} models are not installed: {exc.message}",
            details={**exc.details, "model_type": self.model_type},
        )

    def backend_for(self, name: str) -> str:
        """The backend that runs `name`: the setting, or for `auto` ctranslate2 when its copy exists."""
        meta = self.meta(name)
        if self.backend_setting == "auto":
            return "ctranslate2" if ct2_path(self.model_dir, meta) is not None else "transformers"
        return self.backend_setting

    def ref(self, role: str) -> ModelRef:
        name = self.names[role]
        meta = self.meta(name)
        backend = self.backend_for(name)
        return ModelRef(
            name=name,
            hub_id=meta.hub_id,
            revision=meta.revision,
            backend=backend,
            quantization=meta.quantization if backend == "ctranslate2" else "float32",
            kind=meta.kind,
            vocabulary=self.vocabulary_for(name, backend),
        )

    def vocabulary_for(self, name: str, backend: str) -> Literal["target", "full"]:
        """`target` when the setting is on and this copy of the model can restrict its output pieces.

        From files only (no ML import), looked up once per model like its metadata: every request's cache
        key asks. A CTranslate2 copy made before the map existed stays `full`.
        """
        key = (name, backend)
        if key not in self._shared.vocabulary:
            self._shared.vocabulary[key] = self._find_vocabulary(name, backend)
        return self._shared.vocabulary[key]

    def _find_vocabulary(self, name: str, backend: str) -> Literal["target", "full"]:
        if not self.settings.target_vocab or not has_target_tokenizer(hf_path(self.model_dir, name)):
            return "full"
        if backend == "ctranslate2":
            ct2 = ct2_path(self.model_dir, self.meta(name))
            return "target" if ct2 is not None and (ct2 / VMAP_FILE).is_file() else "full"
        return "target"

    def describe(self, summary_mode: str) -> dict[str, ModelRef]:
        roles = ROLES_BY_MODE.get(summary_mode, ROLES_BY_MODE["abstractive"])
        return {role: self.ref(role) for role in roles}

    def loaded(self) -> dict[str, bool]:
        return {role: self.names[role] in self._shared.models for role in ROLES}

    def tiers(self) -> dict[str, dict[str, Any]]:
        """Every tier: its models by role and whether all of them are installed (health; files only)."""
        out: dict[str, dict[str, Any]] = {}
        for model_type in model_types():
            names = tier_models(model_type)
            present = {role: (self.model_dir / name / META_FILE).is_file() for role, name in names.items()}
            out[model_type] = {
                "models": names,
                "installed": all(present.values()),
                "missing": sorted(names[role] for role, ok in present.items() if not ok),
                "default": model_type == self.settings.model_type,
            }
        return out

    # loading ---------------------------------------------------------------------------------------

    def token_counter(self) -> Callable[[str], int]:
        """The translator's `count_tokens`, from its tokenizer alone while the model is not loaded.

        The segmenter only counts pieces: a cold start no longer loads the whole translator to do it. Counts
        are the translator's own (same tokenizer files, same language prefix, EOS included).
        """
        name = self.names["translation"]
        loaded: Translator | None = self._shared.models.get(name)
        if loaded is not None:
            return loaded.count_tokens
        with self._shared.lock:
            if name not in self._shared.counters:
                try:
                    self._shared.counters[name] = self._load_counter(name)
                except ModelMissingError as exc:
                    raise self._missing(exc) from exc
            return self._shared.counters[name]

    def _load_counter(self, name: str) -> Callable[[str], int]:
        hf = hf_path(self.model_dir, name)
        if not (hf / "config.json").is_file():
            raise ModelMissingError(
                f"Model '{name}' has no transformers files in {hf}. {HOW_TO_GET}", details={"model": name}
            )
        prefix = load_manifest()[name].source_prefix
        if self.backend_for(name) == "ctranslate2":
            from tarjama.nlp.translate import MarianVocab

            vocab = MarianVocab(hf)
            return lambda text: len(vocab.tokenize(text, prefix)) + 1
        from tarjama.nlp.backend_hf import marian_tokenizer, source_pieces

        tokenizer = marian_tokenizer(hf)
        return lambda text: len(source_pieces(tokenizer, text, prefix)) + 1

    def translator(self) -> Translator:
        model: Translator = self._get("translation")
        return model

    def back_translator(self) -> Translator:
        model: Translator = self._get("back_translation")
        return model

    def summarizer(self) -> Summarizer:
        model: Summarizer = self._get("summarizer")
        return model

    def _get(self, role: str) -> Any:
        return self.model(self.names[role])

    def model(self, name: str) -> Any:
        """Any model of the manifest by name (`fetch`/`convert` smoke-test each), loaded once."""
        model = self._shared.models.get(name)
        if model is not None:
            return model
        with self._shared.lock:
            if name not in self._shared.models:
                try:
                    self._shared.models[name] = self._load(name)
                except ModelMissingError as exc:
                    raise self._missing(exc) from exc
            return self._shared.models[name]

    def _load(self, name: str) -> Any:
        spec = load_manifest()[name]
        meta = self.meta(name)
        backend = self.backend_for(name)
        hf = hf_path(self.model_dir, name)
        threads = self.settings.model_threads()
        # ctranslate2 translators: `inter` batches decoded in parallel, sharing the thread budget
        inter = max(1, min(self.settings.inter_threads or threads, threads))
        if not (hf / "config.json").is_file():
            raise ModelMissingError(
                f"Model '{name}' has no transformers files in {hf}. {HOW_TO_GET}", details={"model": name}
            )
        try:
            if backend == "ctranslate2":
                ct2 = ct2_path(self.model_dir, meta)
                if ct2 is None:
                    raise ModelMissingError(
                        f"Model '{name}' has no CTranslate2 copy in {self.model_dir / name}. Run "
                        f"`tarjama models convert --dir {self.model_dir}`, or use --backend transformers.",
                        details={"model": name},
                    )
                if spec.architecture == "bart":
                    from tarjama.nlp.backend_ct2 import Ct2Summarizer

                    return Ct2Summarizer(hf, ct2, quantization=meta.quantization, threads=threads)
                from tarjama.nlp.backend_ct2 import Ct2Translator

                return Ct2Translator(
                    hf,
                    ct2,
                    quantization=meta.quantization,
                    threads=max(1, threads // inter),
                    inter_threads=inter,
                    source_prefix=spec.source_prefix,
                    target_lang=spec.target_lang,
                    target_vocab=self.vocabulary_for(name, backend) == "target",
                )
            if spec.architecture == "bart":
                from tarjama.nlp.backend_hf import HfSummarizer

                return HfSummarizer(hf, threads=threads)
            from tarjama.nlp.backend_hf import HfTranslator

            return HfTranslator(
                hf,
                threads=threads,
                source_prefix=spec.source_prefix,
                target_lang=spec.target_lang,
                target_vocab=self.vocabulary_for(name, backend) == "target",
            )
        except ImportError as exc:
            raise ModelError(
                f"The {backend} backend is not installed ({exc.name}); install tarjama[ml] for transformers, "
                "tarjama[inference] for ctranslate2.",
                details={"model": name, "backend": backend},
            ) from exc
