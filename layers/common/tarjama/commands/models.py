"""`tarjama models list|fetch|convert|tiny|twin`: get, convert or build the models of the manifest.

Every sub-command writes the layout `TARJAMA_MODEL_DIR` expects (see `tarjama.nlp.manifest`), so whatever
it produced is loaded by exactly the same code at run time.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from tarjama.config import get_settings
from tarjama.errors import InvalidInputError, ModelError, TarjamaError

# Files of a hub snapshot the loaders use; everything else (TF/Flax weights, READMEs) is skipped.
SNAPSHOT_FILES = [
    "config.json",
    "generation_config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "source.spm",
    "target.spm",
    "vocab.json",
    "merges.txt",
    "tokenizer.json",
    "model.safetensors",
    "pytorch_model.bin",
]


def _default_dir(value: str | None) -> Path:
    return Path(value) if value else Path(get_settings().model_dir)


def cmd_list(args: argparse.Namespace) -> int:
    from tarjama.nlp.manifest import ct2_path, load_manifest, model_types, read_meta, tier_models

    model_dir = _default_dir(args.dir)
    rows: list[dict[str, Any]] = []
    for spec in load_manifest().values():
        row: dict[str, Any] = {
            "name": spec.name,
            "hub_id": spec.hub_id,
            "revision": spec.revision,
            "license": spec.license,
            "attribution": spec.attribution,
            "task": spec.task,
            "model_types": [t for t in model_types() if spec.name in tier_models(t).values()],
        }
        try:
            meta = read_meta(model_dir, spec.name)
            row.update(
                present=True,
                kind=meta.kind,
                revision_on_disk=meta.revision,
                ct2=meta.quantization if ct2_path(model_dir, meta) else None,
            )
        except TarjamaError:
            row.update(present=False)
        rows.append(row)
    if args.json:
        print(json.dumps({"model_dir": str(model_dir), "models": rows}, indent=2))
    else:
        print(f"model dir: {model_dir}")
        for r in rows:
            state = f"{r['kind']}, ct2={r['ct2']}" if r["present"] else "missing"
            tiers = ",".join(r["model_types"])
            print(f"  {r['name']:<14} {r['hub_id']}@{r['revision']} [{r['license']}] ({tiers}) - {state}")
    return 0


def _smoke(model_dir: Path, name: str, backend: str) -> str:
    """The model card's example through `backend`; `ModelError` (the model refused) when it fails."""
    from tarjama.config import Settings
    from tarjama.nlp.manifest import load_manifest
    from tarjama.nlp.models import ModelProvider
    from tarjama.nlp.smoke import smoke_check

    spec = load_manifest()[name]
    if spec.task != "translation":
        return ""
    provider = ModelProvider(Settings(model_dir=model_dir, threads=0), backend=backend)
    return smoke_check(spec, provider.model(name))


def _verify_snapshot(name: str, hf_dir: Path) -> None:
    """Every config value of the manifest against the downloaded config.json; a mismatch is refused."""
    from tarjama.nlp.manifest import config_mismatches, load_manifest

    spec = load_manifest()[name]
    config = json.loads((hf_dir / "config.json").read_text("utf-8"))
    wrong = config_mismatches(spec, config)
    if wrong:
        raise ModelError(
            f"{spec.hub_id}: the downloaded config.json is not the published configuration the manifest "
            f"pins ({'; '.join(wrong)}). The snapshot is refused.",
            details={"model": name, "mismatches": wrong},
        )


def _download(name: str, target: Path) -> str:
    """The pinned snapshot into `target`; returns the commit it resolved to."""
    from huggingface_hub import HfApi, snapshot_download

    from tarjama.nlp.manifest import load_manifest

    spec = load_manifest()[name]
    try:
        resolved = str(HfApi().model_info(spec.hub_id, revision=spec.revision).sha)
        pinned_hash = re.fullmatch(r"[0-9a-f]{7,40}", spec.revision) is not None
        if pinned_hash and not resolved.startswith(spec.revision):
            raise ModelError(
                f"{spec.hub_id}: revision {spec.revision} resolved to {resolved}; manifest pin is wrong.",
                details={"model": name},
            )
        snapshot_download(
            spec.hub_id, revision=resolved, local_dir=str(target), allow_patterns=SNAPSHOT_FILES
        )
    except TarjamaError:
        raise
    except Exception as exc:  # hub errors: no network, unknown repo, auth; all end here
        raise ModelError(
            f"Could not download {spec.hub_id}@{spec.revision} ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0][:200]}). `fetch` needs access to huggingface.co; elsewhere "
            "copy a fetched model directory, or build stand-ins with `tarjama models tiny --out DIR`.",
            details={"model": name, "hub_id": spec.hub_id},
        ) from exc
    return resolved


def cmd_fetch(args: argparse.Namespace) -> int:
    """Download each pinned snapshot, check its config and its smoke translation, record the commit.

    A snapshot that fails either check is deleted again: what `fetch` leaves behind is loadable and right.
    """
    from tarjama.nlp.manifest import HF_DIR, ModelMeta, load_manifest, model_root, write_meta

    try:
        import huggingface_hub  # noqa: F401
    except ImportError as exc:
        raise ModelError("`tarjama models fetch` needs huggingface_hub: install tarjama[inference].") from exc
    out = _default_dir(args.out)
    for name in args.model or list(load_manifest()):
        spec = load_manifest()[name]
        target = out / name / HF_DIR
        print(f"fetching {spec.hub_id}@{spec.revision} -> {target}", file=sys.stderr)
        resolved = _download(name, target)
        try:
            _verify_snapshot(name, target)
            meta = ModelMeta(name=name, hub_id=spec.hub_id, revision=resolved, kind="real", quantization="")
            write_meta(out, meta)
            said = _smoke(out, name, "transformers")
        except TarjamaError:
            shutil.rmtree(model_root(out, name), ignore_errors=True)
            raise
        print(f"  {name}: {resolved}; smoke: {said!r}", file=sys.stderr)
    print(f"done; now run `tarjama models convert --dir {out}`", file=sys.stderr)
    return 0


def cmd_convert(args: argparse.Namespace) -> int:
    """The CTranslate2 copies; each ends with the smoke translation on the copy, which refuses a failure.

    A refused copy is deleted and the model's metadata left as it was (its previous copy, if any, stays).
    """
    from dataclasses import replace

    from tarjama.nlp.build import convert_ct2
    from tarjama.nlp.manifest import hf_path, load_manifest, model_root, read_meta, write_meta

    model_dir = _default_dir(args.dir)
    for name in args.model or list(load_manifest()):
        meta = read_meta(model_dir, name)
        ct2_dir = f"ct2-{args.quantization}"
        started = time.perf_counter()
        print(f"converting {name} -> {ct2_dir}", file=sys.stderr)
        try:
            convert_ct2(hf_path(model_dir, name), model_root(model_dir, name) / ct2_dir, args.quantization)
        except ImportError as exc:
            raise ModelError(
                "Conversion needs ctranslate2, transformers and torch: install tarjama[ml]."
            ) from exc
        write_meta(model_dir, replace(meta, quantization=args.quantization, ct2_dir=ct2_dir))
        try:
            said = _smoke(model_dir, name, "ctranslate2")
        except TarjamaError:  # the failed copy goes; a previous copy elsewhere stays active
            shutil.rmtree(model_root(model_dir, name) / ct2_dir, ignore_errors=True)
            write_meta(model_dir, replace(meta, quantization="") if meta.ct2_dir == ct2_dir else meta)
            raise
        print(f"  {name}: {time.perf_counter() - started:.1f}s; smoke: {said!r}", file=sys.stderr)
    return 0


def _build(args: argparse.Namespace, kind: str) -> int:
    from tarjama.nlp.build import build

    if not args.out:
        raise InvalidInputError(f"`tarjama models {kind}` needs --out DIR")
    started = time.perf_counter()
    roots = build(
        Path(args.out),
        kind,  # type: ignore[arg-type]
        seed=args.seed,
        quantization=args.quantization,
        only=args.model,
    )
    took = time.perf_counter() - started
    summary = {"kind": kind, "out": str(Path(args.out)), "models": sorted(roots), "seconds": round(took, 1)}
    print(json.dumps(summary))
    return 0


def cmd_tiny(args: argparse.Namespace) -> int:
    return _build(args, "tiny")


def cmd_twin(args: argparse.Namespace) -> int:
    return _build(args, "twin")


def register(sub: Any) -> None:
    parser = sub.add_parser("models", help="List, fetch, convert or build the models of the manifest.")
    msub = parser.add_subparsers(dest="models_command", required=True, metavar="ACTION")
    from tarjama.nlp.manifest import load_manifest

    names = list(load_manifest())

    p = msub.add_parser("list", help="The manifest and what is present in the model directory.")
    p.add_argument("--dir", help="Model directory (default: TARJAMA_MODEL_DIR).")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = msub.add_parser(
        "fetch", help="Download the pinned models from the Hugging Face hub (needs internet)."
    )
    p.add_argument("--out", help="Model directory (default: TARJAMA_MODEL_DIR).")
    p.add_argument("--model", action="append", choices=names, help="Only this model (repeatable).")
    p.set_defaults(func=cmd_fetch)

    p = msub.add_parser("convert", help="Make the CTranslate2 copies (int8 by default).")
    p.add_argument("--dir", help="Model directory (default: TARJAMA_MODEL_DIR).")
    p.add_argument("--model", action="append", choices=names, help="Only this model (repeatable).")
    p.add_argument("--quantization", default="int8", choices=["int8", "int8_float32", "float32", "float16"])
    p.set_defaults(func=cmd_convert)

    for kind, func, default_q, text in (
        ("tiny", cmd_tiny, "float32", "Tiny random models of the same architectures (tests; seconds)."),
        ("twin", cmd_twin, "int8", "Random weights with the real models' exact dimensions (benchmarks)."),
    ):
        p = msub.add_parser(kind, help=text)
        p.add_argument("--out", required=True, help="Directory to write (becomes TARJAMA_MODEL_DIR).")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--model", action="append", choices=names, help="Only this model (repeatable).")
        p.add_argument("--quantization", default=default_q, choices=["int8", "int8_float32", "float32"])
        p.set_defaults(func=func)
