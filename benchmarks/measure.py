"""The measurements, each run by `benchmarks.child` in its own process (or in-process for the smoke test).

Every function takes the JSON arguments `run.py` sends and returns one schema object. Inputs are always
the seed articles' sentences, cut to the assumed real tokenization (common.AR_PIECES_PER_WORD), and every
sentence decodes its own forced length (forcing.py) on every side.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import (
    AR_PIECES_PER_WORD,
    EN_PIECES_PER_WORD,
    MAX_SENTENCE_TOKENS,
    load_average,
    peak_rss_mb,
    seed_files,
    seed_sentences,
)
from benchmarks.forcing import (
    BACK_RATIO,
    OUTPUT_RATIO,
    EosAtLength,
    TwinSummarizer,
    TwinTranslator,
    assumed_tokenizer,
    forced_length,
)
from benchmarks.schema import E2E, ArticleRun, ColdStart, FixedRow, HeadlineSide, Memory, Rate


def settings_for(args: dict[str, Any]) -> Any:
    """The service's settings for one measurement: its defaults, the model dir, and the variant's changes."""
    from tarjama.config import Settings

    changes = {
        k: args[k]
        for k in ("threads", "inter_threads", "batch_size", "batch_tokens", "target_vocab")
        if k in args
    }
    return Settings(model_dir=Path(args["model_dir"]), models="twin", backend="ctranslate2", **changes)


def twin_provider(settings: Any, tier: str, args: dict[str, Any]) -> Any:
    """The real `ModelProvider` whose models decode forced lengths (and the assumed tokenization)."""
    from tarjama.nlp.models import ModelProvider

    twins: dict[str, Any] = {}
    summary_beam, input_cap = args.get("summary_beam"), args.get("summary_input_cap")

    class TwinProvider(ModelProvider):
        def model(self, name: str) -> Any:
            if name in twins:
                return twins[name]
            inner = super().model(name)
            role = {v: k for k, v in self.names.items()}.get(name, "translation")
            if role == "summarizer":
                if summary_beam:
                    inner.generation = {**inner.generation, "num_beams": int(summary_beam)}
                translator: Any = self.translator()
                twins[name] = TwinSummarizer(inner, lambda: int(translator.last_ideal), input_cap)
            elif role == "back_translation":
                twins[name] = TwinTranslator(inner, BACK_RATIO, EN_PIECES_PER_WORD)
            else:
                twins[name] = TwinTranslator(inner, OUTPUT_RATIO, AR_PIECES_PER_WORD)
            return twins[name]

    provider = TwinProvider(settings, model_type=tier)
    if args.get("summarizer"):  # a lever: this tier with another summarizer
        provider.names = {**provider.names, "summarizer": str(args["summarizer"])}
    return provider


# ------------------------------------------------------------------------------------------- headline


def headline_sentences(model_dir: Path, name: str, count: int) -> list[list[str]]:
    """The seed sentences as source pieces (+ EOS) at the assumed tokenization: the same on both sides."""
    from tarjama.nlp.translate import EOS, MarianVocab

    vocab = MarianVocab(model_dir / name / "hf")
    tokenize = assumed_tokenizer(vocab.tokenize, AR_PIECES_PER_WORD)
    texts = seed_sentences(tokenize)
    if 0 < count < len(texts):  # spread over the five articles, in their order
        texts = [texts[i * len(texts) // count] for i in range(count)]
    return [[*tokenize(t)[: MAX_SENTENCE_TOKENS - 1], EOS] for t in texts]


def headline_service(args: dict[str, Any]) -> HeadlineSide:
    """The production translator (ctranslate2 int8, target vocabulary, its own sorted batches)."""
    from tarjama.nlp.base import TranslateOptions
    from tarjama.nlp.models import ModelProvider

    settings = settings_for(args)
    provider = ModelProvider(settings, model_type=args["tier"])
    name = provider.names["translation"]
    translator: Any = provider.translator()
    sources = headline_sentences(settings.model_dir, name, int(args["sentences"]))
    twin = TwinTranslator(translator, OUTPUT_RATIO)
    by_text = {i: s for i, s in enumerate(sources)}
    translator.tokenize = lambda text: by_text[int(text)][:-1]  # the pieces exactly: no re-tokenizing
    options = TranslateOptions(beam_size=int(args["beam"]), batch_size=settings.batch_size)
    twin.translate(["0", "1"], options)  # warm-up: first-call allocations
    before = dict(twin.counts)
    started = time.perf_counter()
    twin.translate([str(i) for i in range(len(sources))], options)
    seconds = time.perf_counter() - started
    return _side(
        args,
        "service",
        name=name,
        sources=sources,
        ideal=twin.counts["ideal"] - before["ideal"],
        decoded=twin.counts["forced"] - before["forced"],
        seconds=seconds,
    )


def headline_peer(args: dict[str, Any]) -> HeadlineSide:
    """Plain transformers fp32 (`MarianMTModel.generate`, its own defaults) on the same sentences/batches."""
    import json

    import torch
    import transformers

    tf: Any = transformers
    model_dir = Path(args["model_dir"])
    from tarjama.nlp.manifest import tier_models

    name = tier_models(args["tier"])["translation"]
    hf = model_dir / name / "hf"
    torch.set_num_threads(int(args["threads"]))
    model = tf.MarianMTModel.from_pretrained(str(hf)).eval()
    vocab: dict[str, int] = json.loads((hf / "vocab.json").read_text("utf-8"))
    sources = headline_sentences(model_dir, name, int(args["sentences"]))
    cap = int(model.generation_config.max_length or 512) - 1
    beam, size = int(args["beam"]), int(args["batch_size"])
    order = sorted(range(len(sources)), key=lambda i: (-len(sources[i]), i))  # the service's batches
    batches = [[sources[i] for i in order[s : s + size]] for s in range(0, len(order), size)]
    pad, eos = int(model.config.pad_token_id), int(model.config.eos_token_id)

    def generate(batch: list[list[str]]) -> int:
        ids = [[vocab[p] for p in s] for s in batch]
        width = max(len(x) for x in ids)
        input_ids = torch.full((len(ids), width), pad, dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.long)
        for row, x in enumerate(ids):
            input_ids[row, : len(x)] = torch.tensor(x)
            mask[row, : len(x)] = 1
        lengths = [forced_length(len(s), OUTPUT_RATIO, cap) for s in batch]
        with torch.inference_mode():
            out = model.generate(
                input_ids=input_ids,
                attention_mask=mask,
                num_beams=beam,
                do_sample=False,
                max_new_tokens=max(lengths),
                logits_processor=tf.LogitsProcessorList([EosAtLength(lengths, eos, beam)]),
            )
        return sum(row[1:].tolist().index(eos) + 1 for row in out)

    generate(batches[0][:2])  # warm-up
    started = time.perf_counter()
    decoded = sum(generate(b) for b in batches)
    seconds = time.perf_counter() - started
    ideal = sum(forced_length(len(s), OUTPUT_RATIO, cap) for s in sources)
    return _side(args, "peer", name=name, sources=sources, ideal=ideal, decoded=decoded, seconds=seconds)


def _side(
    args: dict[str, Any],
    side: str,
    *,
    name: str,
    sources: list[list[str]],
    ideal: int,
    decoded: int,
    seconds: float,
) -> HeadlineSide:
    return HeadlineSide(
        tier=args["tier"],
        side=side,
        model=name,
        sentences=len(sources),
        source_tokens=sum(len(s) for s in sources),
        ideal_tokens=ideal,
        decoded_tokens=decoded,
        rate=Rate(tokens=ideal, seconds=round(seconds, 4)),
        peak_rss_mb=peak_rss_mb(),
        load_average_at_start=load_average(),
    )


# ------------------------------------------------------------------------------------------- fixed length


def fixed(args: dict[str, Any]) -> list[FixedRow]:
    """Output tokens/s at a fixed length (>= 48 tokens a sentence), one backend, each batch size."""
    import ctranslate2
    from tarjama.nlp.manifest import ct2_path, read_meta, tier_models

    model_dir, backend, tokens = Path(args["model_dir"]), args["backend"], int(args["tokens"])
    name = tier_models(args["tier"])["translation"]
    sources = headline_sentences(model_dir, name, int(args["sentences"]))
    rows: list[FixedRow] = []
    if backend.startswith("ct2"):
        ct2 = ct2_path(model_dir, read_meta(model_dir, name))
        assert ct2 is not None, f"no CTranslate2 copy of {name}"
        model: Any = ctranslate2.Translator(
            str(ct2), device="cpu", compute_type="int8", intra_threads=int(args["threads"])
        )
        vmap = backend.endswith("target_vocab")

        def run(batch: list[list[str]]) -> int:
            out = model.translate_batch(
                batch,
                beam_size=int(args["beam"]),
                min_decoding_length=tokens,
                max_decoding_length=tokens,
                use_vmap=vmap,
            )
            return sum(len(r.hypotheses[0]) for r in out)
    else:
        run = _transformers_fixed(model_dir / name / "hf", int(args["threads"]), int(args["beam"]), tokens)
    run(sources[:1])  # warm-up
    for size in args["batches"]:
        started = time.perf_counter()
        produced = sum(run(sources[i : i + size]) for i in range(0, len(sources), size))
        seconds = time.perf_counter() - started
        rows.append(
            FixedRow(
                tier=args["tier"],
                backend=backend,
                beam=int(args["beam"]),
                batch=size,
                tokens_per_sentence=tokens,
                sentences=len(sources),
                rate=Rate(tokens=produced, seconds=round(seconds, 4)),
                peak_rss_mb=peak_rss_mb(),
            )
        )
    return rows


def _transformers_fixed(hf: Path, threads: int, beam: int, tokens: int) -> Any:
    import json

    import torch
    import transformers

    tf: Any = transformers
    torch.set_num_threads(threads)
    model = tf.MarianMTModel.from_pretrained(str(hf)).eval()
    vocab: dict[str, int] = json.loads((hf / "vocab.json").read_text("utf-8"))
    pad = int(model.config.pad_token_id)

    def run(batch: list[list[str]]) -> int:
        ids = [[vocab[p] for p in s] for s in batch]
        width = max(len(x) for x in ids)
        input_ids = torch.full((len(ids), width), pad, dtype=torch.long)
        for row, x in enumerate(ids):
            input_ids[row, : len(x)] = torch.tensor(x)
        with torch.inference_mode():
            out = model.generate(
                input_ids=input_ids,
                attention_mask=(input_ids != pad).long(),
                num_beams=beam,
                do_sample=False,
                min_new_tokens=tokens,
                max_new_tokens=tokens,
            )
        return int(out.shape[0] * (out.shape[1] - 1))

    return run


# ------------------------------------------------------------------------------------------- end to end


class _WriteFirstCache:
    """An in-memory result cache that misses until `reading` is set: the timed runs are uncached."""

    def __init__(self) -> None:
        self.reading = False
        self.items: dict[str, Any] = {}

    def get(self, key: str, *, strict: bool = False) -> Any:
        return self.items.get(key) if self.reading else None

    def put(self, result: Any) -> None:
        self.items[result.id] = result

    def lease(self, key: str) -> Any:
        from contextlib import nullcontext

        return nullcontext(None)


def end_to_end(args: dict[str, Any]) -> E2E:
    """Every seed article through the real Digester (cache off), warm, one tier and summary mode."""
    from tarjama.pipeline import Digester, Ports
    from tarjama.result import DigestOptions

    settings = settings_for(args)
    provider = twin_provider(settings, args["tier"], args)
    cache = _WriteFirstCache()
    digester = Digester(settings, Ports(models=provider, cache=cache))
    options = DigestOptions(summary=args["summary"], beam_size=int(args["beam"]), model_type=args["tier"])
    files = seed_files()[: int(args.get("articles", 0)) or None]
    started = time.perf_counter()
    opening = "\n".join(seed_files()[-1].read_text("utf-8").splitlines()[:6])
    digester.digest(opening, options=options)  # warm-up: loads the models, first-call allocations
    warmup_s = time.perf_counter() - started
    articles = [_article(digester, provider, path, options) for path in files]
    cache.reading = True  # the same articles again: what a cache hit costs (no DynamoDB latency)
    hits = []
    for path in files:
        started = time.perf_counter()
        assert digester.digest(path.read_text("utf-8"), options=options).cached
        hits.append(time.perf_counter() - started)
    return E2E(
        tier=args["tier"],
        summary=args["summary"],
        variant=args.get("variant", "default"),
        note=args.get("note", ""),
        articles=articles,
        cache_hit_mean_s=round(sum(hits) / len(hits), 4),
        first_article_with_load_s=round(warmup_s, 3),
        compute_types={role: _compute_type(provider, role) for role in provider.names},
        models=dict(provider.names),
        torch_imported="torch" in sys.modules,
        peak_rss_mb=peak_rss_mb(),
        load_average_at_start=load_average(),
    )


def _counts(provider: Any) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for role, name in provider.names.items():
        model = provider.model(name) if name in provider._shared.models else None
        if model is not None and hasattr(model, "counts"):
            out[role] = dict(model.counts)
    return out


def _article(digester: Any, provider: Any, path: Path, options: Any) -> ArticleRun:
    raw = path.read_text("utf-8")
    before = _counts(provider)
    started = time.perf_counter()
    result = digester.digest(raw, options=options)
    seconds = time.perf_counter() - started
    after = _counts(provider)
    delta = {r: {k: v - before.get(r, {}).get(k, 0) for k, v in c.items()} for r, c in after.items()}
    source = result.source
    return ArticleRun(
        file=path.name,
        seconds=round(seconds, 3),
        timings_ms=result.timings_ms,
        sentences=result.usage.sentences,
        words=len(source.title.split()) + sum(len(p.split()) for p in source.paragraphs),
        tokens_in=result.usage.tokens_in,
        tokens_out=result.usage.tokens_out,
        decoded=delta,
        raw_chars=len(raw),
        clean_chars=len(source.title) + sum(len(p) for p in source.paragraphs),
        summary_method=result.summary.method if result.summary else None,
    )


def _compute_type(provider: Any, role: str) -> str | None:
    name = provider.names[role]
    if name not in provider._shared.models:
        return None
    inner = getattr(provider._shared.models[name], "model", None)
    inner = getattr(inner, "_inner", inner)  # DecodeBudget
    value = getattr(inner, "compute_type", None)
    return str(value) if value is not None else None


# ------------------------------------------------------------------------------------------- memory, cold


def memory(args: dict[str, Any]) -> Memory:
    """Every model of both tiers loaded and used in one process (abstractive: all three roles each)."""
    from tarjama.pipeline import Digester, Ports
    from tarjama.result import DigestOptions

    settings = settings_for(args)
    provider = twin_provider(settings, args["tiers"][0], args)
    digester = Digester(settings, Ports(models=provider))
    text = "\n".join(seed_files()[0].read_text("utf-8").splitlines()[:8])
    for tier in args["tiers"]:
        digester.digest(text, options=DigestOptions(summary="abstractive", model_type=tier))
    return Memory(models=sorted(provider._shared.models), peak_rss_mb=peak_rss_mb())


def cold_start(args: dict[str, Any], started: float) -> ColdStart:
    """Import, load, first sentence of one tier's translator, from this fresh process's first line."""
    t0 = time.perf_counter()
    import ctranslate2  # noqa: F401
    import sentencepiece  # noqa: F401
    import tarjama.nlp.backend_ct2  # noqa: F401
    from tarjama.nlp.base import TranslateOptions

    t1 = time.perf_counter()
    provider = twin_provider(settings_for(args), args["tier"], args)
    translator = provider.translator()
    t2 = time.perf_counter()
    translator.translate([seed_sentences()[1]], TranslateOptions())
    t3 = time.perf_counter()
    return ColdStart(
        tier=args["tier"],
        import_s=round(t1 - t0, 3),
        load_s=round(t2 - t1, 3),
        first_result_s=round(t3 - t2, 3),
        total_s=round(t3 - started, 3),
        peak_rss_mb=peak_rss_mb(),
    )
