"""Forced output lengths: what makes random-weight shape twins decode a real sentence's work.

Random weights end on EOS arbitrarily, so every benchmark decode is forced to a realistic length: each
sentence takes exactly round(ratio x its source pieces) steps (1.1 for ar->en, news English being about
1.1x its Arabic source in pieces) and then ends, on both sides of every comparison:

- the service path (`Ct2Translator`): `ForcedLengths`, a `DecodeHook` the benchmark installs on the
  production translator. Sentence i gets a forced prefix of n_i - 1 pieces (CTranslate2 still runs the
  decoder on every beam at every prefix step: a real decode's work) and on the next step every piece
  counts as an end token, so the sentence leaves its batch there, as at a real EOS.
- plain transformers: `EosAtLength`, a logits processor: EOS impossible before row i's length, the only
  candidate at it. The batch keeps computing finished rows (that is how transformers batches), which is
  the peer's real cost.

Nothing here is in the production translators: the service never forces a length.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from tarjama.nlp.base import TranslateOptions, Translation
from tarjama.nlp.target_vocab import ALWAYS, target_pieces

OUTPUT_RATIO = 1.1  # ar->en output pieces per source piece (~1.3 English words per Arabic word)
BACK_RATIO = 1.0  # en->ar (the summary's back-translation): Arabic pieces per English piece


def forced_length(source_pieces: int, ratio: float, cap: int) -> int:
    """Steps one sentence decodes: round(ratio x its source pieces, EOS included), within the model's cap."""
    return max(1, min(round(ratio * source_pieces), cap))


class ForcedLengths:
    """`backend_ct2.DecodeHook`: every sentence ends after exactly its forced length, shed from its batch."""

    def __init__(self, translator: Any, ratio: float) -> None:
        self.ratio = ratio
        self.cap = int(translator.max_output)
        # a piece that detokenizes to visible text (a text of bare "▁" would read as empty)
        self.filler = next(
            p for p in target_pieces(translator.hf_dir) if p not in ALWAYS and any(c.isalnum() for c in p)
        )
        vocabulary = json.loads((translator.ct2_dir / "shared_vocabulary.json").read_text("utf-8"))
        self.all_ids = list(range(len(vocabulary)))

    def lengths(self, batch: Sequence[Sequence[str]]) -> list[int]:
        return [forced_length(len(s), self.ratio, self.cap) for s in batch]

    def options(self, batch: list[list[str]], options: dict[str, Any]) -> dict[str, Any]:
        forced = self.lengths(batch)
        return {
            **options,
            "target_prefix": [[self.filler] * (n - 1) for n in forced],
            "end_token": self.all_ids,
            "return_end_token": True,  # else CTranslate2 strips every trailing "end" piece: all of them
            "min_decoding_length": 0,
            "max_decoding_length": max(forced) + 1,
        }

    def hypothesis(self, tokens: list[str], max_new_tokens: int) -> tuple[list[str], bool]:
        return tokens[:-1], True  # the last step's piece plays EOS: the sentence ended on its own


def install(translator: Any, ratio: float) -> ForcedLengths:
    hook = ForcedLengths(translator, ratio)
    translator.hook = hook
    return hook


class EosAtLength:
    """A transformers logits processor: row i (`beams` hypotheses each) emits EOS exactly at `lengths[i]`."""

    def __init__(self, lengths: Sequence[int], eos: int, beams: int) -> None:
        import torch

        self.lengths = torch.tensor(list(lengths), dtype=torch.long).repeat_interleave(beams)
        self.eos = eos

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        step = input_ids.shape[1]  # the decoder start token + the pieces so far: this is piece `step`
        ends = self.lengths == step
        before = self.lengths > step
        scores[before, self.eos] = float("-inf")
        scores[ends] = float("-inf")
        scores[ends, self.eos] = 0.0
        return scores


def resized(pieces: list[str], want: int) -> list[str]:
    """`pieces` cut (or cycled) to `want` pieces, a language prefix kept in front."""
    head = pieces[:1] if pieces and pieces[0].startswith(">>") else []
    body = pieces[len(head) :] or ["<unk>"]
    want = max(1, want)
    return head + [body[i % len(body)] for i in range(want)]


def assumed_tokenizer(tokenize: Callable[[str], list[str]], per_word: float) -> Callable[[str], list[str]]:
    """Sources cut to round(per_word x words) pieces: the real tokenizers' density, not the twins'."""

    def tokenize_assumed(text: str) -> list[str]:
        return resized(tokenize(text), round(per_word * max(1, len(text.split()))))

    return tokenize_assumed


class TwinTranslator:
    """The production translator with forced lengths installed; counts decoded against ideal pieces.

    With `pieces_per_word` every sentence's source is cut to the assumed real tokenization (the segmenter
    sees the same counts). Also turns off the retry of repetitive output (random weights repeat
    themselves; a real model rarely does).
    """

    def __init__(self, inner: Any, ratio: float, pieces_per_word: float | None = None) -> None:
        self._inner = inner
        self.ratio = ratio
        install(inner, ratio)
        self.counts = {"calls": 0, "sentences": 0, "source": 0, "forced": 0, "ideal": 0}
        self.last_ideal = 0
        if pieces_per_word is not None and not getattr(inner, "_twin_resized", False):
            inner.tokenize = assumed_tokenizer(inner.tokenize, pieces_per_word)
            inner._twin_resized = True

    def translate(self, sentences: Sequence[str], options: TranslateOptions) -> list[Translation]:
        from dataclasses import replace

        result: list[Translation] = self._inner.translate(
            sentences, replace(options, retry_no_repeat_ngram_size=0)
        )
        cap = int(self._inner.max_output)
        ideal = sum(forced_length(t.tokens_in, self.ratio, cap) for t in result if t.tokens_in)
        self.counts["calls"] += 1
        self.counts["sentences"] += sum(1 for t in result if t.tokens_in)
        self.counts["source"] += sum(t.tokens_in for t in result)
        self.counts["forced"] += sum(t.tokens_out for t in result)
        self.counts["ideal"] += ideal
        self.last_ideal = ideal
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class DecodeBudget:
    """Wraps the summarizer's CTranslate2 model so every decode runs its whole budget (the worst case)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def translate_batch(self, source: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("max_decoding_length") is not None:
            kwargs["min_decoding_length"] = kwargs["max_decoding_length"]
        return self._inner.translate_batch(source, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class TwinSummarizer:
    """The real summarizer on an input of realistic length, decoding its whole budget; returns a stand-in.

    Input: English text of `input_tokens()` BPE tokens (the article's ideal translation length, capped at
    `input_cap` when set: the summarizer-input-budget lever). The returned summary is 20 plain English
    words a sentence (the twin's own output is random text whose numbers and names the article lacks, so
    the service would fall back to extractive and skip the back-translation this way timed too).
    """

    def __init__(self, inner: Any, input_tokens: Callable[[], int], input_cap: int | None = None) -> None:
        self._inner = inner
        self._input_tokens = input_tokens
        self.input_cap = input_cap
        self._pieces: list[str] | None = None
        self.counts = {"calls": 0, "input": 0}
        if not isinstance(inner.model, DecodeBudget):
            inner.model = DecodeBudget(inner.model)

    def _text(self, tokens: int) -> str:
        from tarjama.nlp.build import corpus_lines

        tokenizer = self._inner.tokenizer  # backend_ct2.BartTokens
        if self._pieces is None:
            self._pieces = list(tokenizer.tokens(" ".join(corpus_lines("en"))))[1:-1]  # without <s>, </s>
        body = [self._pieces[i % len(self._pieces)] for i in range(max(1, tokens - 2))]
        return str(tokenizer.text(body))

    def summarize(self, text: str, max_sentences: int) -> str:
        from tarjama.nlp.build import corpus_lines

        tokens = self._input_tokens()
        if self.input_cap:
            tokens = min(tokens, self.input_cap)
        self.counts["calls"] += 1
        self.counts["input"] += tokens
        self._inner.summarize(self._text(tokens), max_sentences)
        words = [w for w in " ".join(corpus_lines("en")).lower().split() if w.isalpha()]
        parts = [" ".join(words[i * 20 : (i + 1) * 20]) for i in range(max_sentences)]
        return " ".join(p[:1].upper() + p[1:] + "." for p in parts if p)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
