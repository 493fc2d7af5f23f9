"""The target vocabulary: the output pieces a Marian translator's own target tokenizer can write.

Marian checkpoints from OPUS-MT share one vocabulary between encoder and decoder (62,834 entries for
ar-en): the source sentencepiece model's pieces and the target one's. The decoder was only ever trained to
produce target pieces, yet scores all of them at every step; its output projection is ~40% of the
floating-point work of a beam-4 step and more than half of the weight bytes it streams. Scoring only the
target pieces (CTranslate2's vocabulary map, `use_vmap`; a logits mask on transformers) does the same
search over the pieces the model actually writes: the output is the same whenever the model puts no
weight on a piece its target tokenizer cannot write (a trained model puts ~none: such pieces never appear
in its training targets), and when it would have, the full-vocabulary output was a piece `target.spm`
cannot detokenize anyway.

The set is fixed per model, written next to the CTranslate2 copy as `vmap.txt` (one line: an empty source
n-gram, which CTranslate2 reads as "always a candidate") when the copy is made.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

VMAP_FILE = "vmap.txt"
# Always writable: the end of a sentence, and the unknown piece (CTranslate2 adds both to any map anyway).
ALWAYS = ("</s>", "<unk>")


def has_target_tokenizer(hf_dir: Path) -> bool:
    """A Marian snapshot (separate target sentencepiece model): the only kind the set applies to."""
    return (hf_dir / "target.spm").is_file() and (hf_dir / "vocab.json").is_file()


def target_pieces(hf_dir: Path) -> list[str]:
    """The joint vocabulary's entries the target tokenizer knows, in vocabulary order, plus `ALWAYS`.

    Language tokens (`>>ara<<`) and `<pad>` are source-side or never produced, so they stay out.
    """
    import sentencepiece as spm

    target = spm.SentencePieceProcessor(model_file=str(hf_dir / "target.spm"))
    known = {
        target.id_to_piece(i)
        for i in range(target.get_piece_size())
        if not (target.is_control(i) or target.is_unknown(i))
    }
    vocab: dict[str, int] = json.loads((hf_dir / "vocab.json").read_text("utf-8"))
    return [p for p, _ in sorted(vocab.items(), key=lambda kv: kv[1]) if p in known or p in ALWAYS]


def write_vmap(ct2_dir: Path, pieces: Sequence[str]) -> Path:
    """CTranslate2's vocabulary-map file with one always-on line: `use_vmap` then scores only `pieces`."""
    path = ct2_dir / VMAP_FILE
    path.write_text("\t" + " ".join(pieces) + "\n", "utf-8")
    return path


def read_vmap(ct2_dir: Path) -> list[str]:
    """The pieces of a vocabulary map written by `write_vmap` (empty when there is none)."""
    path = ct2_dir / VMAP_FILE
    if not path.is_file():
        return []
    line = path.read_text("utf-8").split("\n", 1)[0]
    return line.split("\t", 1)[1].split(" ") if "\t" in line else []
