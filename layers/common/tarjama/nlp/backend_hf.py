"""The transformers backend: MarianMTModel + MarianTokenizer on PyTorch, the reference implementation.

Decoding options mirror the CTranslate2 backend exactly (beam size, max new tokens, n-gram blocking, length
penalty 1, `<pad>` never generated, no forced EOS), so greedy output is token-for-token the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tarjama.nlp.target_vocab import target_pieces
from tarjama.nlp.translate import SPECIAL, BaseTranslator, Decoded, resolve_threads


def set_threads(threads: int) -> None:
    import torch

    torch.set_num_threads(resolve_threads(threads))


class TargetVocabulary:
    """A logits processor: only the target vocabulary's pieces stay candidates.

    A mask, like transformers' own processors: its beam scores stay the full softmax's log-probabilities
    (CTranslate2 renormalizes over the kept pieces); greedy output and its scores, which transformers
    normalizes after processing, are the same on both. Either way a decoder that puts no weight outside the
    set decodes exactly as without the mask.
    """

    def __init__(self, allowed: Sequence[int]) -> None:
        self.allowed = sorted(set(allowed))
        self._blocked: Any = None

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        if self._blocked is None or self._blocked.shape[0] != scores.shape[-1]:
            blocked = torch.ones(scores.shape[-1], dtype=torch.bool)
            blocked[torch.tensor(self.allowed, dtype=torch.long)] = False
            self._blocked = blocked
        return scores.masked_fill(self._blocked, float("-inf"))


def marian_tokenizer(hf_dir: Path) -> Any:
    """The snapshot's MarianTokenizer alone, no weights: the translator's, and the segmenter's counter."""
    import warnings

    import transformers

    tf: Any = transformers
    with warnings.catch_warnings():  # sacremoses is optional; without it Marian skips punct normalizing
        warnings.filterwarnings("ignore", message=".*sacremoses.*")
        return tf.MarianTokenizer.from_pretrained(str(hf_dir))


def source_pieces(tokenizer: Any, text: str, prefix: str) -> list[str]:
    """Source pieces without EOS, with the language prefix when the model needs one."""
    pieces: list[str] = tokenizer.tokenize(text)
    if prefix and (not pieces or pieces[0] != prefix):
        pieces = [prefix, *pieces]
    return pieces


class HfTranslator(BaseTranslator):
    backend = "transformers"
    quantization = "float32"

    def __init__(
        self,
        hf_dir: Path,
        *,
        threads: int = 0,
        source_prefix: str = "",
        target_lang: str = "en",
        target_vocab: bool = False,
    ) -> None:
        super().__init__(hf_dir, source_prefix=source_prefix, target_lang=target_lang)
        import transformers

        tf: Any = transformers

        set_threads(threads)
        self.tokenizer: Any = marian_tokenizer(hf_dir)
        self.model: Any = tf.MarianMTModel.from_pretrained(str(hf_dir)).eval()
        self.pad_id = int(self.model.config.pad_token_id)
        self.eos_id = int(self.model.config.eos_token_id)
        self.target_vocab = target_vocab
        self._processors: Any = None
        if target_vocab:  # the same set CTranslate2's vocabulary map scores (target_vocab.py)
            allowed = self.tokenizer.convert_tokens_to_ids(target_pieces(hf_dir))
            self._processors = tf.LogitsProcessorList([TargetVocabulary(allowed)])

    def tokenize(self, text: str) -> list[str]:
        return source_pieces(self.tokenizer, text, self.source_prefix)

    def detokenize(self, tokens: Sequence[str]) -> str:
        pieces = [t for t in tokens if t not in SPECIAL]
        return str(self.tokenizer.spm_target.decode_pieces(pieces)).replace("▁", " ").strip()

    def _decode(
        self, batch: list[list[str]], *, beam_size: int, max_new_tokens: int, no_repeat_ngram_size: int
    ) -> list[Decoded]:
        import torch

        ids = [self.tokenizer.convert_tokens_to_ids(tokens) for tokens in batch]
        width = max(len(x) for x in ids)
        input_ids = torch.full((len(ids), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.long)
        for row, x in enumerate(ids):
            input_ids[row, : len(x)] = torch.tensor(x, dtype=torch.long)
            mask[row, : len(x)] = 1
        with torch.inference_mode():
            out = self.model.generate(
                input_ids=input_ids,
                attention_mask=mask,
                num_beams=beam_size,
                do_sample=False,
                max_length=max_new_tokens + 1,  # the decoder start token counts
                min_length=0,
                no_repeat_ngram_size=no_repeat_ngram_size,
                length_penalty=1.0,
                early_stopping=True,
                forced_eos_token_id=None,
                bad_words_ids=[[self.pad_id]],
                logits_processor=self._processors,
                return_dict_in_generate=True,
                output_scores=True,
            )
            beam_indices = getattr(out, "beam_indices", None)
            steps = self.model.compute_transition_scores(
                out.sequences, out.scores, beam_indices, normalize_logits=beam_indices is None
            )
        decoded: list[Decoded] = []
        for row in range(len(ids)):
            generated = out.sequences[row, 1:].tolist()  # drop the decoder start token
            finished = self.eos_id in generated
            length = generated.index(self.eos_id) + 1 if finished else len(generated)
            body = [t for t in generated[:length] if t not in (self.eos_id, self.pad_id)]
            logps = steps[row, :length]
            logps = logps[torch.isfinite(logps)]
            score = float(logps.mean()) if logps.numel() else None
            tokens: list[str] = self.tokenizer.convert_ids_to_tokens(body)
            decoded.append(Decoded(tokens=tokens, finished=finished, score=score))
        return decoded


class HfSummarizer:
    """BART-family English summarizer on PyTorch; generation settings from the snapshot's own config."""

    backend = "transformers"
    quantization = "float32"

    def __init__(self, hf_dir: Path, *, threads: int = 0) -> None:
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        set_threads(threads)
        self.tokenizer: Any = AutoTokenizer.from_pretrained(str(hf_dir))
        self.model: Any = AutoModelForSeq2SeqLM.from_pretrained(str(hf_dir)).eval()
        self.max_positions = int(self.model.config.max_position_embeddings)

    def summarize(self, text: str, max_sentences: int) -> str:
        import torch

        from tarjama.nlp.summarize import first_sentences, summary_token_limits

        gen = self.model.generation_config
        least, most = summary_token_limits(
            max_sentences, int(gen.min_length or 0), int(gen.max_length or 142)
        )
        inputs = self.tokenizer(text, truncation=True, max_length=self.max_positions, return_tensors="pt")
        with torch.inference_mode():
            # the model's own beam, penalties and n-gram blocking; lengths follow the requested sentences
            # (max_length counts the decoder start token, as in the snapshot's generation config)
            out = self.model.generate(**inputs, max_length=most + 1, min_length=least + 1 if least else 0)
        summary = self.tokenizer.decode(out[0], skip_special_tokens=True)
        return first_sentences(str(summary), max_sentences, cut=int(out.shape[1]) >= most + 1)
