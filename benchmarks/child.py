"""One measurement, run in its own process so its peak RSS and its imports are its own.

`python -m benchmarks.child MODE JSON-ARGS` prints one JSON object on its last stdout line. The same
functions run in-process for the smoke test (`run.py --in-process`).
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()  # before any heavy import: the cold-start step measures from here

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from benchmarks.common import (  # noqa: E402
    AR_PIECES_PER_WORD,
    BACK_RATIO,
    EN_PIECES_PER_WORD,
    MAX_SENTENCE_TOKENS,
    OUTPUT_RATIO,
    TwinSummarizer,
    TwinTranslator,
    article_sentences,
    peak_rss_mb,
    seed_files,
    seed_sentences,
)

BACKENDS = ("transformers_fp32", "transformers_int8", "ct2_int8", "ct2_fp32", "ct2_int8_target_vocab")


# ------------------------------------------------------------------------------------------- inputs


def _pool(hf_dir: Path, count: int) -> list[list[str]]:
    """`count` seed sentences as source pieces + EOS, in a fixed mixed order (not sorted by length)."""
    from tarjama.nlp.translate import EOS, MarianVocab

    vocab = MarianVocab(hf_dir)
    sentences = seed_sentences(vocab.tokenize)
    # interleave the articles' sentences deterministically: a spread of lengths in any prefix
    order = sorted(range(len(sentences)), key=lambda i: (i * 7919) % len(sentences))
    pieces = [[*vocab.tokenize(sentences[i])[: MAX_SENTENCE_TOKENS - 1], EOS] for i in order]
    while len(pieces) < count:
        pieces = pieces + pieces
    return pieces[:count]


def chunks(pool: list[list[str]], batch: int, *, sort: bool) -> list[list[list[str]]]:
    items = sorted(pool, key=len, reverse=True) if sort else list(pool)
    return [items[i : i + batch] for i in range(0, len(items), batch)]


# ------------------------------------------------------------------------------------------- throughput


class _Runner:
    """One backend, loaded once; `run(batch, beam, tokens)` decodes exactly `tokens` per sentence."""

    def __init__(self, backend: str, model_dir: Path, threads: int, inter_threads: int = 1) -> None:
        self.backend = backend
        self.hf_dir = model_dir / "ar-en" / "hf"
        # the production path: only the target tokenizer's pieces scored (the copy's vmap.txt)
        self.use_vmap = backend.endswith("_target_vocab")
        started = time.perf_counter()
        if backend.startswith("transformers"):
            import torch
            import transformers

            tf: Any = transformers
            quantize: Any = torch.ao.quantization.quantize_dynamic
            torch.set_num_threads(threads)
            model: Any = tf.MarianMTModel.from_pretrained(str(self.hf_dir)).eval()
            if backend == "transformers_int8":
                warnings.filterwarnings("ignore", category=DeprecationWarning)
                model = quantize(model, {torch.nn.Linear}, dtype=torch.qint8)
            self.model = model
            self.vocab: dict[str, int] = json.loads((self.hf_dir / "vocab.json").read_text("utf-8"))
            self.pad = int(model.config.pad_token_id)
        else:
            import ctranslate2
            from tarjama.nlp.manifest import ct2_path, read_meta

            ct2 = ct2_path(model_dir, read_meta(model_dir, "ar-en"))
            if ct2 is None:
                raise SystemExit(f"no CTranslate2 copy of ar-en in {model_dir}")
            compute = "int8" if backend.startswith("ct2_int8") else "float32"
            self.model = ctranslate2.Translator(
                str(ct2),
                device="cpu",
                compute_type=compute,
                intra_threads=threads,
                inter_threads=inter_threads,
            )
        self.load_s = time.perf_counter() - started

    def run(self, batch: list[list[str]], beam: int, tokens: int, max_batch_size: int = 0) -> int:
        if self.backend.startswith("transformers"):
            import torch

            ids = [[self.vocab[p] for p in s] for s in batch]
            width = max(len(x) for x in ids)
            input_ids = torch.full((len(ids), width), self.pad, dtype=torch.long)
            mask = torch.zeros((len(ids), width), dtype=torch.long)
            for row, x in enumerate(ids):
                input_ids[row, : len(x)] = torch.tensor(x)
                mask[row, : len(x)] = 1
            with torch.inference_mode():
                out = self.model.generate(
                    input_ids=input_ids,
                    attention_mask=mask,
                    num_beams=beam,
                    do_sample=False,
                    min_new_tokens=tokens,
                    max_new_tokens=tokens,
                )
            return int(out.shape[0] * (out.shape[1] - 1))
        results = self.model.translate_batch(
            batch,
            beam_size=beam,
            min_decoding_length=tokens,
            max_decoding_length=tokens,
            max_batch_size=max_batch_size or len(batch),
            use_vmap=self.use_vmap,
        )
        return sum(len(r.hypotheses[0]) for r in results)


def throughput(args: dict[str, Any]) -> dict[str, Any]:
    """Output tokens/s of one backend, for each beam and batch size, on the same inputs."""
    model_dir = Path(args["model_dir"])
    runner = _Runner(args["backend"], model_dir, args["threads"], args.get("inter_threads", 1))
    tokens = args["tokens"]
    entries = []
    for beam in args["beams"]:
        runner.run(_pool(runner.hf_dir, 1), beam, min(tokens, 4))  # warm-up: first-call allocations
        rows = []
        for batch in args["batch_sizes"]:
            pool = _pool(runner.hf_dir, max(batch, args["sentences"]))
            work = chunks(pool, batch, sort=args.get("sort", True))
            started = time.perf_counter()
            produced = sum(runner.run(b, beam, tokens, args.get("max_batch_size", 0)) for b in work)
            seconds = time.perf_counter() - started
            rows.append(
                {
                    "batch": batch,
                    "sentences": len(pool),
                    "source_tokens": sum(len(s) for s in pool),
                    "output_tokens": produced,
                    "seconds": round(seconds, 4),
                    "tokens_per_s": round(produced / seconds, 2),
                }
            )
        entries.append(
            {
                "backend": args["backend"],
                "beam": beam,
                "threads": args["threads"],
                "inter_threads": args.get("inter_threads", 1),
                "sort": args.get("sort", True),
                "load_s": round(runner.load_s, 3),
                "rows": rows,
            }
        )
    return {"entries": entries, "peak_rss_mb": peak_rss_mb()}


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

    @contextmanager
    def lease(self, key: str) -> Iterator[Any]:
        yield None


def _provider(settings: Any, args: dict[str, Any]) -> Any:
    """The real provider; translators force their output lengths per batch, the summarizer its budget.

    `tokenization`: "assumed" cuts sources to the assumed real pieces per word (common.py), "twin" keeps
    the twin's own tokenizer (2.1 pieces per Arabic word: pessimistic).
    """
    from tarjama.nlp.models import ModelProvider

    assumed = args.get("tokenization", "assumed") == "assumed"
    ratio = float(args.get("ratio", OUTPUT_RATIO))
    back_ratio = float(args.get("back_ratio", BACK_RATIO))
    summary_beam = args.get("summary_beam")

    class TwinProvider(ModelProvider):
        def _get(self, role: str) -> Any:
            model = super()._get(role)
            if isinstance(model, TwinTranslator | TwinSummarizer):
                return model
            if role == "summarizer":
                if summary_beam and hasattr(model, "generation"):
                    model.generation = {**model.generation, "num_beams": int(summary_beam)}
                translator = self._get("translation")
                wrapped: Any = TwinSummarizer(model, lambda: int(translator.last_ideal))
            elif role == "back_translation":
                wrapped = TwinTranslator(model, back_ratio, EN_PIECES_PER_WORD if assumed else None)
            else:
                wrapped = TwinTranslator(model, ratio, AR_PIECES_PER_WORD if assumed else None)
            self._loaded[role] = wrapped
            return wrapped

    return TwinProvider(settings)


def _compute_type(model: Any) -> str | None:
    inner = getattr(model, "model", None)
    inner = getattr(inner, "_inner", inner)  # ForcedLength
    value = getattr(inner, "compute_type", None)
    return str(value) if value is not None else None


def end_to_end(args: dict[str, Any]) -> dict[str, Any]:
    """Every seed article through the real Digester (cache off), warm, in one summary mode."""
    from tarjama.config import Settings
    from tarjama.pipeline import Digester, Ports
    from tarjama.result import DigestOptions

    extra: dict[str, Any] = {}
    if args.get("inter_threads") is not None:
        extra["inter_threads"] = args["inter_threads"]
    if args.get("target_vocab") is not None:
        extra["target_vocab"] = bool(args["target_vocab"])
    settings = Settings(
        model_dir=Path(args["model_dir"]),
        models="twin",
        backend=args["backend"],
        threads=args["threads"],
        batch_size=args["batch_size"],
        **extra,
    )
    cache = _WriteFirstCache()
    provider = _provider(settings, args)
    digester = Digester(settings, Ports(models=provider, cache=cache))
    options = DigestOptions(summary=args["summary"], beam_size=args["beam"])
    files = seed_files()[: args.get("articles") or None]
    started = time.perf_counter()
    # warm-up (loads the models, first-call allocations) on the last seed article's opening paragraphs
    opening = "\n".join(seed_files()[-1].read_text("utf-8").splitlines()[:6])
    digester.digest(opening, options=options)
    warmup_s = time.perf_counter() - started

    def counts() -> dict[str, dict[str, int]]:
        return {
            role: dict(model.counts)
            for role, model in provider._loaded.items()
            if isinstance(model, TwinTranslator | TwinSummarizer)
        }

    articles: list[dict[str, Any]] = []
    for path in files:
        raw = path.read_text("utf-8")
        before = counts()
        started = time.perf_counter()
        result = digester.digest(raw, options=options)
        seconds = time.perf_counter() - started
        after = counts()
        delta = {
            role: {k: v - before.get(role, {}).get(k, 0) for k, v in c.items()} for role, c in after.items()
        }
        source_chars = len(result.source.title) + sum(len(p) for p in result.source.paragraphs)
        words = len(result.source.title.split()) + sum(len(p.split()) for p in result.source.paragraphs)
        articles.append(
            {
                "file": path.name,
                "seconds": round(seconds, 3),
                "timings_ms": result.timings_ms,
                "sentences": result.usage.sentences,
                "words": words,
                "tokens_in": result.usage.tokens_in,
                "tokens_out": result.usage.tokens_out,
                "decoded": delta,
                "raw_chars": len(raw),
                "clean_chars": source_chars,
                "summary_method": result.summary.method if result.summary else None,
            }
        )
    cache.reading = True  # now the same articles again: what a cache hit costs (no DynamoDB latency)
    hits = []
    for path in files:
        raw = path.read_text("utf-8")
        started = time.perf_counter()
        assert digester.digest(raw, options=options).cached
        hits.append(time.perf_counter() - started)
    loaded = provider._loaded
    return {
        "summary": args["summary"],
        "tokenization": args.get("tokenization", "assumed"),
        "cache_hit_mean_s": round(sum(hits) / len(hits), 4),
        "backend": args["backend"],
        "threads": args["threads"],
        "inter_threads": getattr(loaded.get("translation"), "parallel_batches", None),
        "batch_size": args["batch_size"],
        "beam": args["beam"],
        "compute_types": {role: _compute_type(m) for role, m in loaded.items()},
        "target_vocab": {role: bool(getattr(m, "target_vocab", False)) for role, m in loaded.items()},
        "summary_generation": dict(getattr(loaded.get("summarizer"), "generation", {}) or {}),
        "torch_imported": "torch" in sys.modules,
        "first_article_with_load_s": round(warmup_s, 3),
        "articles": articles,
        "mean_s": round(sum(a["seconds"] for a in articles) / len(articles), 3),
        "peak_rss_mb": peak_rss_mb(),
    }


# ------------------------------------------------------------------------------------------- threading


def thread_settings(args: dict[str, Any]) -> dict[str, Any]:
    """Intra- vs inter-op threads side by side, in one process, alternating, on whole articles.

    Each configuration is the production `Ct2Translator` (ar-en twin, int8) given one seed article per
    `translate` call (forced lengths, assumed tokenization); repeated `reps` times in turn, the median kept.
    Output of every configuration is compared token for token with the first one's.
    """
    from dataclasses import replace
    from statistics import median

    from tarjama.nlp.backend_ct2 import Ct2Translator
    from tarjama.nlp.base import TranslateOptions
    from tarjama.nlp.manifest import ct2_path, read_meta
    from tarjama.nlp.target_vocab import VMAP_FILE

    model_dir = Path(args["model_dir"])
    meta = read_meta(model_dir, "ar-en")
    ct2 = ct2_path(model_dir, meta)
    assert ct2 is not None
    threads = int(args["threads"])
    configs: dict[str, tuple[int, int]] = {
        f"intra_{threads}_inter_1": (threads, 1),
        f"intra_1_inter_{threads}": (1, threads),
        "intra_1_inter_1": (1, 1),
    }
    models: dict[str, Any] = {}
    for name, (intra, inter) in configs.items():
        model = Ct2Translator(
            model_dir / "ar-en" / "hf",
            ct2,
            quantization=meta.quantization,
            threads=intra,
            inter_threads=inter,
            target_vocab=(ct2 / VMAP_FILE).is_file(),  # as the service runs it
        )
        models[name] = TwinTranslator(model, OUTPUT_RATIO, AR_PIECES_PER_WORD)
    first = next(iter(models.values()))
    articles = article_sentences(first.tokenize)[: args.get("articles") or None]
    options = TranslateOptions(beam_size=int(args.get("beam", 4)), batch_size=int(args["batch_size"]))
    for model in models.values():  # warm-up
        model.translate(articles[0][:2], options)
    times: dict[str, list[float]] = {name: [] for name in models}
    forced: dict[str, int] = {}
    ideal = 0
    for _ in range(int(args.get("reps", 3))):
        for name, model in models.items():
            before, before_ideal = model.counts["forced"], model.counts["ideal"]
            started = time.perf_counter()
            for sentences in articles:
                model.translate(sentences, options)
            times[name].append(time.perf_counter() - started)
            forced[name] = model.counts["forced"] - before
            ideal = model.counts["ideal"] - before_ideal
    # identical output: unforced decoding under a length cap that does not depend on the batch (12 new
    # tokens), so only the batching and threading differ
    same_cap = replace(options, max_length_a=0.0, max_length_b=12, retry_no_repeat_ngram_size=0)
    outputs = {
        name: [[t.text for t in model._inner.translate(sentences, same_cap)] for sentences in articles[:2]]
        for name, model in models.items()
    }
    reference = outputs[next(iter(outputs))]
    return {
        "threads": threads,
        "articles": len(articles),
        "reps": int(args.get("reps", 3)),
        "ideal_tokens_per_pass": ideal,
        "configs": {
            name: {
                "intra_threads": configs[name][0],
                "inter_threads": configs[name][1],
                "seconds": [round(t, 3) for t in times[name]],
                "median_s_per_article": round(median(times[name]) / len(articles), 3),
                "forced_tokens_per_pass": forced[name],
                "tokens_per_s": round(forced[name] / median(times[name]), 1),
                "identical_to_first": outputs[name] == reference,
            }
            for name in models
        },
        "peak_rss_mb": peak_rss_mb(),
    }


# ------------------------------------------------------------------------------------------- cold start


def cold_start(args: dict[str, Any]) -> dict[str, Any]:
    """Import, load, first sentence: each from this fresh process's first line (`_STARTED`)."""
    from tarjama.config import Settings

    backend = args["backend"]
    t0 = time.perf_counter()
    if backend == "ctranslate2":
        import ctranslate2  # noqa: F401
        import sentencepiece  # noqa: F401
        import tarjama.nlp.backend_ct2
    else:
        import tarjama.nlp.backend_hf  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    t1 = time.perf_counter()
    settings = Settings(
        model_dir=Path(args["model_dir"]), models="twin", backend=backend, threads=args["threads"]
    )
    provider = _provider(settings, args)
    translator = provider.translator()
    t2 = time.perf_counter()
    from tarjama.nlp.base import TranslateOptions

    sentence = seed_sentences()[1]
    translator.translate([sentence], TranslateOptions())
    t3 = time.perf_counter()
    return {
        "backend": backend,
        "python_and_harness_s": round(t0 - _STARTED, 3),
        "import_s": round(t1 - t0, 3),
        "load_s": round(t2 - t1, 3),
        "first_result_s": round(t3 - t2, 3),
        "first_sentence_source_tokens": translator.counts["source"],
        "first_sentence_output_tokens": translator.counts["forced"],
        "total_s": round(t3 - _STARTED, 3),
        "peak_rss_mb": peak_rss_mb(),
    }


# ------------------------------------------------------------------------------------------- GEMM rate


def gemm(args: dict[str, Any]) -> dict[str, Any]:
    """The machine's measured matrix-multiply rate on `threads` threads (the ceiling the models run under)."""
    import numpy as np
    import torch

    threads, size, seconds = args["threads"], args["size"], args["seconds"]
    torch.set_num_threads(threads)

    def rate(step: Any, flops: float) -> float:
        step()
        count, started = 0, time.perf_counter()
        while True:
            step()
            count += 1
            took = time.perf_counter() - started
            if took >= seconds:
                return round(flops * count / took / 1e9, 2)

    a = np.random.default_rng(0).standard_normal((size, size), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((size, size), dtype=np.float32)
    out: dict[str, Any] = {"threads": threads, "size": size}
    out["numpy_fp32_gflops"] = rate(lambda: a @ b, 2.0 * size**3)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    out["torch_fp32_gflops"] = rate(lambda: ta @ tb, 2.0 * size**3)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    try:  # int8: a dynamically quantized Linear (fbgemm), what transformers+int8 runs on
        quantize: Any = torch.ao.quantization.quantize_dynamic
        linear = quantize(
            torch.nn.Sequential(torch.nn.Linear(size, size, bias=False)), {torch.nn.Linear}, dtype=torch.qint8
        )
        with torch.inference_mode():
            out["torch_int8_dynamic_gops"] = rate(lambda: linear(ta), 2.0 * size**3)
    except (RuntimeError, AttributeError) as exc:
        out["torch_int8_dynamic_gops"] = None
        out["int8_error"] = str(exc)[:200]
    return out


MODES = {
    "throughput": throughput,
    "e2e": end_to_end,
    "cold": cold_start,
    "gemm": gemm,
    "threading": thread_settings,
}


def main() -> None:
    mode, raw = sys.argv[1], sys.argv[2]
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    load = [round(x, 2) for x in os.getloadavg()]
    result = {**MODES[mode](json.loads(raw)), "load_average_at_start": load}
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
