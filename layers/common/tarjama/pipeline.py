"""The path of one article: clean -> segment -> translate -> summarize -> assemble, with the cache around it.

Like a transformers pipeline: `preprocess` (clean, segment: pure, and segmenting needs only the translator's
tokenizer), `forward` (translate through the sentence memory, summarize: the only step that runs a model),
`postprocess` (assemble the `DigestResult`). The ports (`tarjama.ports`: models, result cache, translation
memory) are passed in, so the CLI, the Lambda handlers and the tests each give their own.

Nothing here imports torch or ctranslate2: `ModelPort.describe()` reads the manifest only, and the models
load on the first cache miss.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from tarjama import PIPELINE_VERSION, glossing
from tarjama.config import ModelType, Settings
from tarjama.errors import TooLargeError
from tarjama.fingerprint import article_key, sentence_key
from tarjama.nlp.base import FLAG_MODEL_ERROR, TranslateOptions, Translation, Translator
from tarjama.nlp.terms import Hit
from tarjama.ports import MemoryPort, ModelPort, Ports, ResultCachePort
from tarjama.result import (
    DigestOptions,
    DigestResult,
    ModelRef,
    SentencePair,
    SourceView,
    Summary,
    TranslationView,
    Usage,
)
from tarjama.text.glossary_file import Glossary
from tarjama.text.types import Article, InputFormat, Sentence

__all__ = [
    "Digester",
    "MemoryPort",
    "ModelPort",
    "Ports",
    "ResultCachePort",
    "check_size",
    "effective_options",
]

MAX_SENTENCE_TOKENS = 200  # opus-mt was trained on sentences; its position table holds 512


def check_size(raw: str, max_chars: int) -> None:
    """The article-size limit, for every entry point (API, CLI, bulk): `413 too_large` over `max_chars`."""
    if len(raw) > max_chars:
        raise TooLargeError(
            f"The article has {len(raw):,} characters; the limit is {max_chars:,}.",
            details={"chars": len(raw), "limit_chars": max_chars},
        )


def effective_options(requested: DigestOptions | None, settings: Settings) -> DigestOptions:
    """The caller's options over the server's settings: only the fields the caller actually set win."""
    base: dict[str, object] = {
        "summary": settings.summary,
        "summary_sentences": settings.summary_sentences,
        "beam_size": settings.beam_size,
        "model_type": settings.model_type,  # the tier is in the result's key: always resolved
    }
    if requested is not None:
        chosen = {name: getattr(requested, name) for name in requested.model_fields_set}
        base.update(
            {name: value for name, value in chosen.items() if value is not None or name != "model_type"}
        )
    return DigestOptions.model_validate(base)


@dataclass
class Preprocessed:
    """What `preprocess` hands to `forward`: the clean article and its sentences."""

    article: Article
    sentences: list[Sentence]
    terms: glossing.RequestTerms | None = None  # the request's glossary, terms and kept spans

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]


@dataclass
class Forwarded:
    """What the models produced: the title's and every sentence's translation, and the summary."""

    title: Translation | None
    translations: list[Translation]
    from_memory: set[int]
    summary: Summary | None
    hits: list[list[Hit]] | None = None  # each sentence's glossary hits (with a glossary only)


@dataclass
class _Clock:
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round((time.perf_counter() - start) * 1000, 2)


class Digester:
    """Digests articles. Cheap to build; holds no model until the first miss asks for one."""

    max_sentence_tokens = MAX_SENTENCE_TOKENS

    def __init__(self, settings: Settings, ports: Ports, *, glossary: Glossary | None = None) -> None:
        self.settings = settings
        self.ports = ports
        self.glossary = glossary  # applied to every article that names no glossary (`--glossary FILE`)

    def clean(self, raw: str, fmt: InputFormat = "auto") -> Article:
        from tarjama.text import clean

        check_size(raw, self.settings.max_chars)
        return clean(raw, fmt)

    # the whole path ------------------------------------------------------------------------------

    def digest(
        self,
        raw: str,
        *,
        fmt: InputFormat = "auto",
        options: DigestOptions | None = None,
        ref: str | None = None,
        glossary: Glossary | None = None,
    ) -> DigestResult:
        """`glossary`: one the caller loaded (`--glossary FILE`), used unless the options name another."""
        options = effective_options(options, self.settings)
        clock = _Clock()
        started = time.perf_counter()
        with clock.stage("clean"):
            article = self.clean(raw, fmt)
        models = self._port(options).describe(options.summary)
        terms = glossing.resolve(
            options,
            glossaries=self.ports.glossaries,
            glossary=glossary or self.glossary,
            page_keep=article.keep,
        )
        key = glossing.article_key(article_key(article, options, models), terms)
        cache = self.ports.cache
        if cache is not None:
            hit = cache.get(key)
            if hit is not None:
                return self._as_hit(hit, ref, clock, started)
            with cache.lease(key) as finished:
                if finished is not None:
                    return self._as_hit(finished, ref, clock, started)
                result = self._compute(
                    key, article, options, models, terms, clock=clock, input_chars=len(raw)
                )
                if _cacheable(result):
                    cache.put(result)
        else:
            result = self._compute(key, article, options, models, terms, clock=clock, input_chars=len(raw))
        result.ref = ref
        result.timings_ms = {**clock.timings, "total": round((time.perf_counter() - started) * 1000, 2)}
        return result

    def _port(self, options: DigestOptions) -> ModelPort:
        """The models of the request's tier (`options.model_type`)."""
        return self.ports.models.for_tier(options.model_type)

    def _as_hit(self, hit: DigestResult, ref: str | None, clock: _Clock, started: float) -> DigestResult:
        out = hit.model_copy(deep=True)
        out.cached = True
        out.ref = ref
        out.timings_ms = {**clock.timings, "total": round((time.perf_counter() - started) * 1000, 2)}
        return out

    def _compute(
        self,
        key: str,
        article: Article,
        options: DigestOptions,
        models: Mapping[str, ModelRef],
        terms: glossing.RequestTerms | None = None,
        *,
        clock: _Clock,
        input_chars: int,
    ) -> DigestResult:
        pre = self.preprocess(article, clock, self._port(options), terms)
        out = self.forward(pre, options, models, clock)
        return postprocess(key, pre, out, models, input_chars=input_chars, model_type=options.model_type)

    # preprocess ----------------------------------------------------------------------------------

    def preprocess(
        self,
        article: Article,
        clock: _Clock,
        port: ModelPort | None = None,
        terms: glossing.RequestTerms | None = None,
    ) -> Preprocessed:
        """The article's sentences, each within the translator's token budget (its tokenizer only)."""
        from tarjama.text import segment_article

        with clock.stage("segment"):
            length = (port or self.ports.models).token_counter()
            sentences = segment_article(article, max_length=self.max_sentence_tokens, length=length)
        return Preprocessed(article, sentences, terms)

    # forward -------------------------------------------------------------------------------------

    def forward(
        self, pre: Preprocessed, options: DigestOptions, models: Mapping[str, ModelRef], clock: _Clock
    ) -> Forwarded:
        """Translate (title with the sentences, through the memory), then summarize."""
        port = self._port(options)
        with clock.stage("load"):  # a no-op once warm; on a cold start, the model load
            translator = port.translator()
        topts = TranslateOptions(
            beam_size=options.beam_size,
            batch_size=self.settings.batch_size,
            batch_tokens=self.settings.batch_tokens,
        )
        texts = pre.texts
        title_text = pre.article.title
        with clock.stage("translate"):
            # The title rides along with the sentences so it, too, goes through the translation memory.
            items = [title_text, *texts] if title_text else texts
            hits: list[list[Hit]] | None = None
            tier = str(options.model_type)
            if pre.terms is None:
                translated, remembered = self._translate(
                    translator, items, models["translation"], topts, tier
                )
            else:  # enforced and verified (tarjama.glossing), through the same memory
                model = models["translation"]
                translated, remembered, hits = glossing.translate(
                    translator,
                    items,
                    topts,
                    pre.terms,
                    memory=self.ports.memory,
                    plain_key=lambda text: sentence_key(text, model, topts.beam_size, model_type=tier),
                )
            offset = 1 if title_text else 0
            title = translated[0] if title_text else None
            translations = translated[offset:]
            from_memory = {i - offset for i in remembered if i >= offset}
        with clock.stage("summarize"):
            summary = self._summarize(port, texts, [t.text for t in translations], options)
        return Forwarded(title, translations, from_memory, summary, hits[offset:] if hits else None)

    def _translate(
        self,
        translator: Translator,
        texts: list[str],
        model: ModelRef,
        options: TranslateOptions,
        model_type: str,
    ) -> tuple[list[Translation], set[int]]:
        """Translate through the memory: look every sentence up at once, translate only the misses."""
        memory = self.ports.memory
        if memory is None:
            return translator.translate(texts, options), set()
        key_of = {t: sentence_key(t, model, options.beam_size, model_type=model_type) for t in texts}
        known = memory.lookup(sorted(set(key_of.values())))
        missing = sorted(t for t, k in key_of.items() if k not in known)  # each distinct sentence once
        fresh = dict(zip(missing, translator.translate(missing, options), strict=True)) if missing else {}
        # A sentence the model failed on is not remembered: the next article retries it.
        keep = {key_of[t]: (tr.text, tr.flags) for t, tr in fresh.items() if FLAG_MODEL_ERROR not in tr.flags}
        if keep:
            memory.store(keep)
        out: list[Translation] = []
        from_memory: set[int] = set()
        for i, text in enumerate(texts):
            if text in fresh:
                out.append(fresh[text])
            else:
                en, flags = known[key_of[text]]
                out.append(Translation(source=text, text=en, flags=list(flags)))
                from_memory.add(i)
        return out, from_memory

    def _summarize(
        self, port: ModelPort, source: list[str], english: list[str], options: DigestOptions
    ) -> Summary | None:
        from tarjama.nlp.summarize import summarize

        return summarize(
            mode=options.summary,
            source=source,
            english=english,
            max_sentences=options.summary_sentences,
            models=port,
        )


# --------------------------------------------------------------------------------------------- postprocess


def postprocess(
    key: str,
    pre: Preprocessed,
    out: Forwarded,
    models: Mapping[str, ModelRef],
    *,
    input_chars: int,
    model_type: ModelType | None = None,
) -> DigestResult:
    """The result of one computed article (`ref` and timings are the caller's)."""
    article, sentences, translations, title = pre.article, pre.sentences, out.translations, out.title
    uses, glossary = (None, None)
    if pre.terms is not None and out.hits is not None:
        uses, glossary = glossing.report(pre.terms, translations, out.hits)
    return DigestResult(
        id=key,
        ref=None,
        source=SourceView(title=article.title, paragraphs=article.paragraphs, sentences=pre.texts),
        translation=TranslationView(
            title=title.text if title else "",
            text=_join_paragraphs(sentences, translations),
            sentences=[
                SentencePair(
                    ar=t.source,
                    en=t.text,
                    flags=t.flags,
                    from_memory=i in out.from_memory,
                    terms=uses[i] if uses else [],
                )
                for i, t in enumerate(translations)
            ],
        ),
        summary=out.summary,
        models=dict(models),
        usage=Usage(
            source_chars=len(article.title) + sum(len(p) for p in article.paragraphs),
            input_chars=input_chars,
            sentences=len(sentences),
            tokens_in=sum(t.tokens_in for t in translations) + (title.tokens_in if title else 0),
            tokens_out=sum(t.tokens_out for t in translations) + (title.tokens_out if title else 0),
            sentences_from_memory=len(out.from_memory),
        ),
        pipeline_version=PIPELINE_VERSION,
        model_type=model_type,
        glossary=glossary,
    )


def _cacheable(result: DigestResult) -> bool:
    """A result holding a model failure is served but not cached, so a retry can do better."""
    return not any(FLAG_MODEL_ERROR in s.flags for s in result.translation.sentences)


def _join_paragraphs(sentences: Sequence[Sentence], translations: Sequence[Translation]) -> str:
    """English text with the source's paragraph breaks; cut pieces of one sentence join with a space."""
    paragraphs: list[list[str]] = []
    last = None
    for sentence, translation in zip(sentences, translations, strict=True):
        if sentence.paragraph != last:
            paragraphs.append([])
            last = sentence.paragraph
        paragraphs[-1].append(translation.text)
    return "\n\n".join(" ".join(p) for p in paragraphs)
