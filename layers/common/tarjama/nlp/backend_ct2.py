"""The CTranslate2 backend: the converted model (int8 in production), sentencepiece for tokens.

Imports ctranslate2 and sentencepiece only: no torch, no transformers. This is the production path.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from tarjama.nlp.base import TranslateOptions
from tarjama.nlp.translate import BaseTranslator, Decoded, MarianVocab, read_json, resolve_threads


def load_ct2(path: Path, threads: int, inter_threads: int = 1) -> Any:
    """`inter_threads` workers (batches decoded in parallel, weights shared), each on `threads` threads."""
    import ctranslate2

    return ctranslate2.Translator(
        str(path),
        device="cpu",
        compute_type="default",
        intra_threads=resolve_threads(threads),
        inter_threads=max(1, inter_threads),
    )


class DecodeHook(Protocol):
    """Changes how a batch is decoded. None in the service; the benchmark installs one (forced lengths).

    `options` gets the batch and the translator's own `translate_batch` options and returns the ones to
    use; `hypothesis` turns one result's pieces into (pieces, ended on its own), or None to keep the default.
    """

    def options(self, batch: list[list[str]], options: dict[str, Any]) -> dict[str, Any]: ...

    def hypothesis(self, tokens: list[str], max_new_tokens: int) -> tuple[list[str], bool] | None: ...


class Ct2Translator(BaseTranslator):
    backend = "ctranslate2"

    def __init__(
        self,
        hf_dir: Path,
        ct2_dir: Path,
        *,
        quantization: str,
        threads: int = 0,
        inter_threads: int = 1,
        source_prefix: str = "",
        target_lang: str = "en",
        target_vocab: bool = False,
    ) -> None:
        super().__init__(hf_dir, source_prefix=source_prefix, target_lang=target_lang)
        self.quantization = quantization
        # the copy's vocabulary map (target_vocab.py): only the pieces the target tokenizer can write
        self.target_vocab = target_vocab
        self.vocab = MarianVocab(hf_dir)
        self.parallel_batches = max(1, inter_threads)
        self.model = load_ct2(ct2_dir, threads, self.parallel_batches)
        self.hf_dir, self.ct2_dir = hf_dir, ct2_dir
        self.hook: DecodeHook | None = None

    def tokenize(self, text: str) -> list[str]:
        return self.vocab.tokenize(text, self.source_prefix)

    def detokenize(self, tokens: Sequence[str]) -> str:
        return self.vocab.detokenize(tokens)

    def _options(
        self, batch: list[list[str]], *, beam_size: int, max_new_tokens: int, no_repeat_ngram_size: int
    ) -> dict[str, Any]:
        options: dict[str, Any] = {
            "max_batch_size": len(batch),
            "beam_size": beam_size,
            "max_decoding_length": max_new_tokens,
            "min_decoding_length": 1,  # CTranslate2's own default
            "no_repeat_ngram_size": no_repeat_ngram_size,
            "length_penalty": 1.0,
            "return_scores": True,
            "use_vmap": self.target_vocab,
        }
        return self.hook.options(batch, options) if self.hook is not None else options

    def _hypotheses(self, results: Sequence[Any], max_new_tokens: int) -> list[Decoded]:
        out: list[Decoded] = []
        for result in results:
            tokens = list(result.hypotheses[0])
            score = float(result.scores[0]) if result.scores else None
            hooked = self.hook.hypothesis(tokens, max_new_tokens) if self.hook is not None else None
            if hooked is not None:
                out.append(Decoded(tokens=hooked[0], finished=hooked[1], score=score))
                continue
            # CTranslate2 strips EOS; a hypothesis that used every step did not end on its own
            out.append(Decoded(tokens=tokens, finished=len(tokens) < max_new_tokens, score=score))
        return out

    def _decode(
        self, batch: list[list[str]], *, beam_size: int, max_new_tokens: int, no_repeat_ngram_size: int
    ) -> list[Decoded]:
        options = self._options(
            batch,
            beam_size=beam_size,
            max_new_tokens=max_new_tokens,
            no_repeat_ngram_size=no_repeat_ngram_size,
        )
        return self._hypotheses(self.model.translate_batch(batch, **options), max_new_tokens)

    def _decode_all(
        self, batches: list[list[list[str]]], options: TranslateOptions, ngram: int
    ) -> list[list[Decoded]]:
        """All batches submitted at once: CTranslate2's `inter_threads` workers decode them in parallel.

        Each batch is exactly the batch the sequential path would decode (same sentences, same lengths),
        so the output is the same; a batch that fails is redone through `_decode_safely`.
        """
        if self.parallel_batches <= 1 or len(batches) <= 1:
            return super()._decode_all(batches, options, ngram)
        pending: list[tuple[list[Any] | None, int]] = []
        for batch in batches:
            most = self.batch_max_new_tokens(batch, options)
            kwargs = self._options(
                batch, beam_size=options.beam_size, max_new_tokens=most, no_repeat_ngram_size=ngram
            )
            try:
                futures = self.model.translate_batch(batch, asynchronous=True, **kwargs)
            except Exception:  # any failure: redone batch by batch, isolated to its sentence
                futures = None
            pending.append((futures, most))
        out: list[list[Decoded]] = []
        for batch, (futures, most) in zip(batches, pending, strict=True):
            try:
                if futures is None:
                    raise RuntimeError("submission failed")
                out.append(self._hypotheses([f.result() for f in futures], most))
            except Exception:  # any failure: redone batch by batch, isolated to its sentence
                out.append(self._decode_safely(batch, options, ngram))
        return out


class BartTokens:
    """The summarizer's byte-level BPE from the snapshot's tokenizer.json, with `tokenizers` alone.

    transformers' AutoTokenizer loads the same file, but importing transformers where torch is installed
    imports torch too (seconds and hundreds of MB on the fast path). A test checks both give the same
    tokens and text. Snapshots without tokenizer.json fall back to AutoTokenizer.
    """

    def __init__(self, hf_dir: Path, max_positions: int) -> None:
        self._fast: Any = None
        self._auto: Any = None
        self.max_positions = max_positions
        if (hf_dir / "tokenizer.json").is_file():
            from tokenizers import Tokenizer

            self._fast = Tokenizer.from_file(str(hf_dir / "tokenizer.json"))
            self._fast.no_padding()
            self._fast.enable_truncation(max_length=max_positions)
            config = read_json(hf_dir / "tokenizer_config.json")
            names = (
                "bos_token",
                "eos_token",
                "unk_token",
                "sep_token",
                "pad_token",
                "cls_token",
                "mask_token",
            )
            self.special = {str(config[k]) for k in names if isinstance(config.get(k), str)}
        else:
            from transformers import AutoTokenizer

            self._auto = AutoTokenizer.from_pretrained(str(hf_dir))
            self.special = set(self._auto.all_special_tokens)

    def tokens(self, text: str) -> list[str]:
        """Source tokens with <s> and </s>, cut to the model's positions."""
        if self._fast is not None:
            return list(self._fast.encode(text).tokens)
        ids = self._auto(text, truncation=True, max_length=self.max_positions)["input_ids"]
        return list(self._auto.convert_ids_to_tokens(ids))

    def text(self, tokens: Sequence[str]) -> str:
        body = [t for t in tokens if t not in self.special]
        if self._fast is not None:
            ids = [self._fast.token_to_id(t) for t in body]
            return str(self._fast.decode([i for i in ids if i is not None], skip_special_tokens=True))
        return str(self._auto.convert_tokens_to_string(body))


class Ct2Summarizer:
    """BART-family summarizer on CTranslate2; the tokenizer is the snapshot's own (`BartTokens`)."""

    def __init__(self, hf_dir: Path, ct2_dir: Path, *, quantization: str, threads: int = 0) -> None:
        self.backend = "ctranslate2"
        self.quantization = quantization
        self.generation = read_json(hf_dir / "generation_config.json")
        self.max_positions = int(read_json(hf_dir / "config.json").get("max_position_embeddings", 1024))
        self.tokenizer = BartTokens(hf_dir, self.max_positions)
        # one article at a time: a single worker with every thread (inter_threads would leave cores idle)
        self.model = load_ct2(ct2_dir, threads, 1)

    def summarize(self, text: str, max_sentences: int) -> str:
        from tarjama.nlp.summarize import first_sentences, summary_token_limits

        source = self.tokenizer.tokens(text)
        gen = self.generation
        least, most = summary_token_limits(
            max_sentences, int(gen.get("min_length", 0)), int(gen.get("max_length", 142))
        )
        result = self.model.translate_batch(
            [source],
            beam_size=int(gen.get("num_beams", 4)),
            max_decoding_length=most,
            min_decoding_length=max(1, least),
            no_repeat_ngram_size=int(gen.get("no_repeat_ngram_size", 0)),
            length_penalty=float(gen.get("length_penalty", 1.0)),
        )[0]
        hypothesis = list(result.hypotheses[0])
        summary = self.tokenizer.text(hypothesis)
        return first_sentences(summary, max_sentences, cut=len(hypothesis) >= most)
