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
    MAX_SENTENCE_TOKENS,
    TwinSummarizer,
    TwinTranslator,
    peak_rss_mb,
    seed_files,
    seed_sentences,
)

BACKENDS = ("transformers_fp32", "transformers_int8", "ct2_int8", "ct2_fp32")


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

    def get(self, key: str) -> Any:
        return self.items.get(key) if self.reading else None

    def put(self, result: Any) -> None:
        self.items[result.id] = result

    @contextmanager
    def lease(self, key: str) -> Iterator[Any]:
        yield None


def _provider(settings: Any, ratio: float) -> Any:
    from tarjama.nlp.models import ModelProvider

    class TwinProvider(ModelProvider):
        """The real provider; its models decode forced lengths (see common.TwinTranslator)."""

        def _get(self, role: str) -> Any:
            model = super()._get(role)
            if role == "summarizer":
                return model if isinstance(model, TwinSummarizer) else TwinSummarizer(model)
            return model if isinstance(model, TwinTranslator) else TwinTranslator(model, ratio)

    return TwinProvider(settings)


def end_to_end(args: dict[str, Any]) -> dict[str, Any]:
    """Every seed article through the Digester (cache off), warm, in one summary mode."""
    from tarjama.config import Settings
    from tarjama.pipeline import Digester, Ports
    from tarjama.result import DigestOptions

    settings = Settings(
        model_dir=Path(args["model_dir"]),
        models="twin",
        backend=args["backend"],
        threads=args["threads"],
        batch_size=args["batch_size"],
    )
    cache = _WriteFirstCache()
    digester = Digester(settings, Ports(models=_provider(settings, args["ratio"]), cache=cache))
    options = DigestOptions(summary=args["summary"], beam_size=args["beam"])
    files = seed_files()[: args.get("articles") or None]
    started = time.perf_counter()
    digester.digest(files[0].read_text("utf-8"), options=options)  # loads the models
    warmup_s = time.perf_counter() - started
    articles: list[dict[str, Any]] = []
    for path in files:
        raw = path.read_text("utf-8")
        started = time.perf_counter()
        result = digester.digest(raw, options=options)
        seconds = time.perf_counter() - started
        source_chars = len(result.source.title) + sum(len(p) for p in result.source.paragraphs)
        articles.append(
            {
                "file": path.name,
                "seconds": round(seconds, 3),
                "timings_ms": result.timings_ms,
                "sentences": result.usage.sentences,
                "tokens_in": result.usage.tokens_in,
                "tokens_out": result.usage.tokens_out,
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
    return {
        "summary": args["summary"],
        "cache_hit_mean_s": round(sum(hits) / len(hits), 4),
        "backend": args["backend"],
        "threads": args["threads"],
        "batch_size": args["batch_size"],
        "first_article_with_load_s": round(warmup_s, 3),
        "articles": articles,
        "mean_s": round(sum(a["seconds"] for a in articles) / len(articles), 3),
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
    provider = _provider(settings, args["ratio"])
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


MODES = {"throughput": throughput, "e2e": end_to_end, "cold": cold_start, "gemm": gemm}


def main() -> None:
    mode, raw = sys.argv[1], sys.argv[2]
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    result = MODES[mode](json.loads(raw))
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
