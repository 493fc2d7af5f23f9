"""The CTranslate2 backend: the converted model (int8 in production), sentencepiece for tokens.

Imports ctranslate2 and sentencepiece only: no torch, no transformers. This is the production path.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tarjama.nlp.translate import BaseTranslator, Decoded, MarianVocab, read_json, resolve_threads


def load_ct2(path: Path, threads: int) -> Any:
    import ctranslate2

    return ctranslate2.Translator(
        str(path),
        device="cpu",
        compute_type="default",
        intra_threads=resolve_threads(threads),
        inter_threads=1,
    )


class Ct2Translator(BaseTranslator):
    backend = "ctranslate2"

    def __init__(
        self,
        hf_dir: Path,
        ct2_dir: Path,
        *,
        quantization: str,
        threads: int = 0,
        source_prefix: str = "",
        target_lang: str = "en",
    ) -> None:
        super().__init__(hf_dir, source_prefix=source_prefix, target_lang=target_lang)
        self.quantization = quantization
        self.vocab = MarianVocab(hf_dir)
        self.model = load_ct2(ct2_dir, threads)

    def tokenize(self, text: str) -> list[str]:
        return self.vocab.tokenize(text, self.source_prefix)

    def detokenize(self, tokens: Sequence[str]) -> str:
        return self.vocab.detokenize(tokens)

    def _decode(
        self, batch: list[list[str]], *, beam_size: int, max_new_tokens: int, no_repeat_ngram_size: int
    ) -> list[Decoded]:
        results = self.model.translate_batch(
            batch,
            beam_size=beam_size,
            max_batch_size=len(batch),
            max_decoding_length=max_new_tokens,
            no_repeat_ngram_size=no_repeat_ngram_size,
            length_penalty=1.0,
            return_scores=True,
        )
        out: list[Decoded] = []
        for result in results:
            tokens = list(result.hypotheses[0])
            # CTranslate2 strips EOS; a hypothesis that used every step did not end on its own
            finished = len(tokens) < max_new_tokens
            score = float(result.scores[0]) if result.scores else None
            out.append(Decoded(tokens=tokens, finished=finished, score=score))
        return out


class Ct2Summarizer:
    """BART-family summarizer on CTranslate2; the tokenizer is the snapshot's own (transformers)."""

    def __init__(self, hf_dir: Path, ct2_dir: Path, *, quantization: str, threads: int = 0) -> None:
        from transformers import AutoTokenizer

        self.backend = "ctranslate2"
        self.quantization = quantization
        self.tokenizer = AutoTokenizer.from_pretrained(str(hf_dir))
        self.generation = read_json(hf_dir / "generation_config.json")
        self.max_positions = int(read_json(hf_dir / "config.json").get("max_position_embeddings", 1024))
        self.model = load_ct2(ct2_dir, threads)

    def summarize(self, text: str, max_sentences: int) -> str:
        from tarjama.nlp.summarize import first_sentences

        ids = self.tokenizer(text, truncation=True, max_length=self.max_positions)["input_ids"]
        source = self.tokenizer.convert_ids_to_tokens(ids)
        gen = self.generation
        result = self.model.translate_batch(
            [source],
            beam_size=int(gen.get("num_beams", 4)),
            max_decoding_length=int(gen.get("max_length", 142)),
            min_decoding_length=int(gen.get("min_length", 0)),
            no_repeat_ngram_size=int(gen.get("no_repeat_ngram_size", 0)),
            length_penalty=float(gen.get("length_penalty", 1.0)),
        )[0]
        tokens = [t for t in result.hypotheses[0] if t not in self.tokenizer.all_special_tokens]
        summary = self.tokenizer.convert_tokens_to_string(tokens)
        return first_sentences(str(summary), max_sentences)
