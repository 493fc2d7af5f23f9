"""A deterministic translator behind the real `Translator` interface, for what random weights cannot show.

Tiny random-weight models never copy a name through, so the happy path of glossary enforcement is tested
with this word-for-word translator: it translates the words of its lexicon, copies Latin-script words
through (as a Marian model does with names) and computes its flags with the service's own checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tarjama.nlp.base import FLAG_ARABIC_LEFT, FLAG_REPETITION, TranslateOptions, Translation
from tarjama.nlp.flags import has_arabic, is_repetitive

PUNCTUATION = ".,،؟?!:؛\"'()"


class LexiconTranslator:
    """Word for word. `copy_latin=False` drops Latin words (a model that will not copy); `loop_on_latin`
    repeats them (a model that breaks on them); `copy_arabic` passes unknown Arabic words through."""

    backend = "lexicon"
    quantization = "none"

    def __init__(
        self,
        lexicon: Mapping[str, str],
        *,
        copy_latin: bool = True,
        loop_on_latin: bool = False,
        copy_arabic: bool = False,
    ) -> None:
        self.lexicon = dict(lexicon)
        self.copy_latin = copy_latin
        self.loop_on_latin = loop_on_latin
        self.copy_arabic = copy_arabic
        self.calls: list[list[str]] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def _word(self, word: str) -> list[str]:
        bare = word.strip(PUNCTUATION)
        if not bare:
            return []
        if not has_arabic(bare):
            if self.loop_on_latin:
                return [bare] * 5
            return [bare] if self.copy_latin else []
        if bare in self.lexicon:
            return self.lexicon[bare].split()
        if bare[0] == "و" and bare[1:] in self.lexicon:
            return ["and", *self.lexicon[bare[1:]].split()]
        return [bare] if self.copy_arabic else []

    def translate(self, sentences: Sequence[str], options: TranslateOptions) -> list[Translation]:
        self.calls.append(list(sentences))
        out: list[Translation] = []
        for sentence in sentences:
            words = [w for word in sentence.split() for w in self._word(word)]
            text = " ".join(words)
            flags: list[str] = []
            if is_repetitive(words):
                flags.append(FLAG_REPETITION)
            if has_arabic(text):
                flags.append(FLAG_ARABIC_LEFT)
            out.append(
                Translation(source=sentence, text=text, tokens_in=len(sentence.split()) + 1, flags=flags)
            )
        return out


class LexiconModels:
    """A `ModelPort`: the real tiny-model provider for everything but the translator, which is `translator`.

    The pipeline then runs for real around a translator whose output a test can predict.
    """

    def __init__(self, inner: Any, translator: LexiconTranslator) -> None:
        self.inner = inner
        self._translator = translator

    def __getattr__(self, name: str) -> Any:  # describe, loaded, token_counter, summarizer, back_translator
        return getattr(self.inner, name)

    def for_tier(self, model_type: str | None) -> LexiconModels:
        return LexiconModels(self.inner.for_tier(model_type), self._translator)

    def translator(self) -> LexiconTranslator:
        return self._translator
