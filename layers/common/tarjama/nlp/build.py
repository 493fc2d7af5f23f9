"""Builds stand-in models: tiny (tests) and shape twins (benchmarks), in the layout real models use.

Everything but the weights is the real thing: the same model classes (MarianMTModel, BART), the same
tokenizer classes (MarianTokenizer on sentencepiece models, byte-level BPE for BART), `save_pretrained`
exactly as a hub snapshot is laid out, and the same CTranslate2 conversion. So the loading code, the
backends and the pipeline run on them unchanged; only the output is nonsense.

- tiny: a few thousand parameters per model, tokenizers trained on the packaged sample corpora
  (`corpus/ar.txt` = the seed articles, `corpus/en.txt`); CTranslate2 copies in float32 so they can be
  compared token for token with transformers.
- twin: random weights with the manifest's exact real dimensions; the tiny tokenizers' vocabularies are
  padded with unreachable filler entries up to the real vocabulary size (so embedding and output-projection
  cost is the real one); CTranslate2 copies in int8, as in production.

Imports torch, transformers, sentencepiece, tokenizers and ctranslate2: only ever called from
`tarjama models tiny|twin` and the test fixtures.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from tarjama.nlp.manifest import HF_DIR, Kind, ModelMeta, ModelSpec, load_manifest, write_meta
from tarjama.nlp.target_vocab import has_target_tokenizer, target_pieces, write_vmap

# Bump whenever the built models change: test fixtures cache tiny models under a hash of this.
BUILDER_VERSION = "tiny-5"

# Tiny dimensions; every architecture flag (activation, embedding scaling and normalization, shared
# embeddings, special ids' places) comes from the manifest entry, so a tiny tc-big is built like tc-big.
TINY_MARIAN = {
    "d_model": 32,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "encoder_attention_heads": 4,
    "decoder_attention_heads": 4,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
    "max_position_embeddings": 128,
}
# The same tiny shape, with room for a whole article's translation as input.
TINY_BART = {**TINY_MARIAN, "max_position_embeddings": 256}
FLAGS = ("activation_function", "scale_embedding", "normalize_embedding")
SPM_VOCAB = {"ar": 1200, "en": 600}
BPE_VOCAB = 900
# BART's special ids as the published distilbart configs give them (model config and generation config)
BART_TOKEN_IDS = {
    "bos_token_id": 0,
    "pad_token_id": 1,
    "eos_token_id": 2,
    "decoder_start_token_id": 2,
    "forced_bos_token_id": 0,
    "forced_eos_token_id": 2,
}
MARIAN_SPECIALS = ("</s>", "<unk>")
MARIAN_FILLER = "▁<twin"  # twin vocabulary padding: "▁<twin0>", "▁<twin1>", ...
SPM_SPECIALS = {"<unk>", "<s>", "</s>"}


def corpus_lines(lang: str) -> list[str]:
    text = resources.files("tarjama.nlp").joinpath(f"corpus/{lang}.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------ tokenizers


def train_spm(lang: str, path: Path) -> list[str]:
    """A unigram sentencepiece model on the sample corpus; returns its pieces in id order."""
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus_lines(lang)),
        model_writer=buffer,
        vocab_size=SPM_VOCAB[lang],
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        split_digits=True,
        num_threads=1,
        minloglevel=2,
    )
    path.write_bytes(buffer.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=buffer.getvalue())
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def marian_vocab(
    source: list[str], target: list[str], extra: list[str], size: int | None, *, eos_at: int = 0
) -> dict[str, int]:
    """A joint Marian vocabulary: `</s>` at `eos_at`, `<unk>`, language tokens, pieces, fillers, `<pad>` last.

    opus-mt puts `</s>` first (id 0); opus-mt-tc-big has it among the pieces (25,894 of 61,109 for ar-en),
    and a builder that always put it first would hide code that assumes id 0. CTranslate2 drops the last
    entry (`<pad>`) on conversion, exactly as for the published models.
    """
    tokens: list[str] = ["<unk>", *extra]
    seen = {*tokens, "</s>"}
    for piece in [*source, *target]:
        if piece not in SPM_SPECIALS and piece not in seen:
            seen.add(piece)
            tokens.append(piece)
    if size is not None:
        if len(tokens) + 2 > size or eos_at >= size - 1:
            raise ValueError(f"vocabulary of {len(tokens) + 2} entries (eos at {eos_at}) exceeds {size}")
        tokens.extend(f"{MARIAN_FILLER}{i}>" for i in range(size - len(tokens) - 2))
    tokens.insert(min(eos_at, len(tokens)), "</s>")
    tokens.append("<pad>")
    return {token: i for i, token in enumerate(tokens)}


def tiny_eos_at(spec: ModelSpec, source_pieces: int) -> int:
    """Where `</s>` goes in a tiny vocabulary: first, or (like tc-big) after the source pieces."""
    return 0 if int(spec.config.get("eos_token_id", 0)) == 0 else source_pieces


def marian_config(spec: ModelSpec, dims: dict[str, Any], vocab: dict[str, int]) -> Any:
    """The MarianConfig of a built model: `dims`, the manifest's flags, ids from the vocabulary."""
    import transformers

    tf: Any = transformers
    pad, eos = len(vocab) - 1, vocab["</s>"]
    flags = {k: spec.config[k] for k in FLAGS if k in spec.config}
    return tf.MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        **dims,
        **flags,
        pad_token_id=pad,
        eos_token_id=eos,
        decoder_start_token_id=pad,
        forced_eos_token_id=eos,
        share_encoder_decoder_embeddings=bool(spec.config.get("share_encoder_decoder_embeddings", True)),
        static_position_embeddings=True,
        dropout=0.1,
        attention_dropout=0.0,
        activation_dropout=0.0,
    )


def train_bpe(out: Path, size: int | None) -> int:
    """A byte-level BPE (BART/RoBERTa format: vocab.json + merges.txt); returns the vocabulary size."""
    from tokenizers import ByteLevelBPETokenizer

    tokenizer = ByteLevelBPETokenizer()
    tokenizer.train_from_iterator(
        corpus_lines("en"),
        vocab_size=BPE_VOCAB,
        min_frequency=2,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        show_progress=False,
    )
    tokenizer.save_model(str(out))
    vocab: dict[str, int] = json.loads((out / "vocab.json").read_text("utf-8"))
    if size is not None:
        mask = vocab.pop("<mask>")
        ordered = sorted(vocab.items(), key=lambda kv: kv[1])
        tokens = [t for t, _ in ordered if t != "<mask>"]
        assert mask >= 0
        tokens.extend(f"Ġtwin{i}" for i in range(size - len(tokens) - 1))
        tokens.append("<mask>")
        vocab = {t: i for i, t in enumerate(tokens)}
        (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    return len(vocab)


# ------------------------------------------------------------------------------------------ models


def _marian(spec: ModelSpec, dims: dict[str, Any], out: Path, kind: Kind, seed: int) -> Path:
    import torch
    import transformers

    tf: Any = transformers  # untyped library: keep mypy's strictness for our own code

    hf = out / spec.name / HF_DIR
    hf.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src_spm, tgt_spm = Path(tmp) / "source.spm", Path(tmp) / "target.spm"
        source = train_spm(spec.source_lang, src_spm)
        target = train_spm(spec.target_lang, tgt_spm)
        extra = [spec.source_prefix] if spec.source_prefix else []
        size = spec.config["vocab_size"] if kind == "twin" else None
        eos_at = int(spec.config.get("eos_token_id", 0)) if kind == "twin" else tiny_eos_at(spec, len(source))
        vocab = marian_vocab(source, target, extra, size, eos_at=eos_at)
        (Path(tmp) / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
        tokenizer = tf.MarianTokenizer(
            source_spm=str(src_spm),
            target_spm=str(tgt_spm),
            vocab=str(Path(tmp) / "vocab.json"),
            source_lang=spec.source_lang,
            target_lang=spec.target_lang,
            model_max_length=dims["max_position_embeddings"],
        )
        tokenizer.save_pretrained(str(hf))
    pad, eos = len(vocab) - 1, vocab["</s>"]
    config = marian_config(spec, dims, vocab)
    torch.manual_seed(seed)
    model = tf.MarianMTModel(config).eval()
    with torch.no_grad():  # the decoder starts from pad's embedding; Marian keeps that row zero
        model.get_input_embeddings().weight[pad].zero_()
    model.generation_config = tf.GenerationConfig(
        bad_words_ids=[[pad]],
        decoder_start_token_id=pad,
        eos_token_id=eos,
        forced_eos_token_id=eos,
        pad_token_id=pad,
        num_beams=4,
        max_length=24 if kind == "tiny" else dims["max_position_embeddings"],
    )
    model.save_pretrained(str(hf))
    return hf


def _bart(spec: ModelSpec, dims: dict[str, Any], out: Path, kind: Kind, seed: int) -> Path:
    import torch
    import transformers

    tf: Any = transformers

    hf = out / spec.name / HF_DIR
    hf.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        size = train_bpe(Path(tmp), spec.config["vocab_size"] if kind == "twin" else None)
        # loaded from vocab.json + merges.txt the way a hub snapshot of BART-CNN is
        tokenizer = tf.RobertaTokenizer.from_pretrained(tmp, model_max_length=dims["max_position_embeddings"])
        tokenizer.save_pretrained(str(hf))
        for name in ("vocab.json", "merges.txt"):
            shutil.copy(Path(tmp) / name, hf / name)
    flags = {k: spec.config[k] for k in FLAGS if k in spec.config}
    config = tf.BartConfig(
        vocab_size=size,
        **dims,
        **flags,
        **BART_TOKEN_IDS,
        dropout=0.1,
        # keys the published BART-CNN config.json carries (CTranslate2's converter reads them)
        normalize_before=False,
        add_final_layer_norm=False,
        static_position_embeddings=False,
        add_bias_logits=False,
    )
    torch.manual_seed(seed + 1)
    model = tf.BartForConditionalGeneration(config).eval()
    model.generation_config = tf.GenerationConfig(
        **BART_TOKEN_IDS,
        num_beams=4,
        no_repeat_ngram_size=3,
        length_penalty=2.0,
        min_length=4 if kind == "tiny" else 56,
        max_length=40 if kind == "tiny" else 142,
    )
    model.save_pretrained(str(hf))
    return hf


def convert_ct2(hf: Path, out: Path, quantization: str, *, target_size: int | None = None) -> Path:
    """The CTranslate2 copy of a transformers model directory (also what `tarjama models convert` runs).

    A Marian model's copy gets its target vocabulary map (`target_vocab`). `target_size` (shape twins only)
    tops the map up with filler entries to the real target tokenizer's size, so the restricted output
    projection has the real width.
    """
    from ctranslate2.converters import TransformersConverter

    TransformersConverter(str(hf)).convert(str(out), quantization=quantization, force=True)
    if has_target_tokenizer(hf):
        pieces = target_pieces(hf)
        if target_size is not None and len(pieces) < target_size:
            vocab: dict[str, int] = json.loads((hf / "vocab.json").read_text("utf-8"))
            fillers = [p for p in vocab if p.startswith(MARIAN_FILLER)]
            pieces += fillers[: target_size - len(pieces)]
        write_vmap(out, pieces)
    return out


def build(
    out: Path,
    kind: Kind,
    *,
    seed: int = 0,
    quantization: str | None = None,
    only: Sequence[str] | None = None,
) -> dict[str, Path]:
    """Builds the models of the manifest (or `only` some) as `kind` (tiny or twin) under `out`."""
    if kind not in ("tiny", "twin"):
        raise ValueError(f"cannot build {kind!r} models")
    import torch

    quantization = quantization or ("float32" if kind == "tiny" else "int8")
    out.mkdir(parents=True, exist_ok=True)
    roots: dict[str, Path] = {}
    torch_threads = torch.get_num_threads()
    for spec in load_manifest().values():
        if only and spec.name not in only:
            continue
        base = TINY_MARIAN if spec.architecture == "marian" else TINY_BART
        dims = dict(base) if kind == "tiny" else {k: spec.config[k] for k in base}
        root = out / spec.name
        if root.exists():
            shutil.rmtree(root)
        builder = _marian if spec.architecture == "marian" else _bart
        hf = builder(spec, dims, out, kind, seed)
        ct2_dir = f"ct2-{quantization}"
        target_size = spec.config.get("target_vocab_size") if kind == "twin" else None
        convert_ct2(hf, root / ct2_dir, quantization, target_size=target_size)
        write_meta(
            out,
            ModelMeta(
                name=spec.name,
                hub_id=spec.hub_id,
                revision=spec.revision,
                kind=kind,
                quantization=quantization,
                ct2_dir=ct2_dir,
                builder=BUILDER_VERSION,
            ),
        )
        roots[spec.name] = root
    torch.set_num_threads(torch_threads)
    return roots
