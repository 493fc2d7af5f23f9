"""`make bench` / `make bench QUICK=1`: every measurement side by side in one run; JSON, plot, docs.

Each measurement runs in its own subprocess (`benchmarks.child`): a clean peak RSS, fresh imports for the
cold start, no warm caches shared between backends. All children get the same thread count and
`OMP_WAIT_POLICY=PASSIVE` (on a shared machine a spinning OpenMP barrier waiting for a descheduled thread
costs transformers up to 5x; passive waits keep the comparison about the libraries, not the neighbours).
Only ratios measured in the same run are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import (
    AR_PIECES_PER_WORD,
    BACK_RATIO,
    EN_PIECES_PER_WORD,
    OUTPUT_RATIO,
    ROOT,
    machine,
    physical_cores,
    versions,
)

RESULTS = ROOT / "benchmarks" / "results"
LAMBDA_GB_S_USD = 0.0000166667  # x86
LAMBDA_REQUEST_USD = 0.20 / 1_000_000
TRANSLATE_USD_PER_CHAR = 15 / 1_000_000

PLANS: dict[str, dict[str, Any]] = {
    "quick": {
        "batch_sizes": [1, 16],
        "beams": [1, 4],
        "tokens": 16,
        "sentences": 8,
        "e2e_articles": 1,
        "tuning_articles": 1,
        "tuning": False,
        "threading_articles": 1,
        "threading_reps": 1,
        "headline_reps": 1,
    },
    "full": {
        "batch_sizes": [1, 4, 16, 64],
        "beams": [1, 4],
        "tokens": 16,
        "sentences": 8,
        "e2e_articles": 0,  # all
        "tuning_articles": 2,
        "threading_articles": 3,
        "threading_reps": 3,
        "headline_reps": 3,
    },
    # the unit test's: tiny models, in-process, seconds
    "smoke": {
        "batch_sizes": [1, 2],
        "beams": [1, 2],
        "tokens": 4,
        "sentences": 2,
        "e2e_articles": 1,
        "tuning_articles": 1,
        "tuning": False,
        "threading_articles": 1,
        "threading_reps": 1,
        "headline_reps": 1,
    },
}
DEFAULT_BATCH = 16
# the peer first, then the library and the production path (ctranslate2 int8 + its target vocabulary)
HEADLINE_BACKENDS = ("transformers_fp32", "ct2_int8", "ct2_int8_target_vocab")
# the libraries side by side, then the production path
THROUGHPUT_BACKENDS = (
    "transformers_fp32",
    "transformers_int8",
    "ct2_int8",
    "ct2_fp32",
    "ct2_int8_target_vocab",
)


# ------------------------------------------------------------------------------------------- children


def child(mode: str, args: dict[str, Any], *, in_process: bool, threads: int) -> dict[str, Any]:
    """Runs one measurement in a fresh process (or in this one for the smoke test); returns its JSON."""
    if in_process:
        from benchmarks import child as module

        result: dict[str, Any] = module.MODES[mode](args)
        return result
    env = {
        **os.environ,
        "OMP_WAIT_POLICY": "PASSIVE",
        "OMP_NUM_THREADS": str(threads),
        "OPENBLAS_NUM_THREADS": str(threads),
        "MKL_NUM_THREADS": str(threads),
        "TOKENIZERS_PARALLELISM": "false",
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", mode, json.dumps(args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    wall = time.perf_counter() - started
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(
            f"benchmark child {mode} {args} failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
        )
    out: dict[str, Any] = json.loads(lines[-1])
    out["process_wall_s"] = round(wall, 3)
    return out


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------- models


def ensure_twin(path: Path) -> Path:
    """The shape twins (`tarjama models twin`), built once into `path` (again when the builder changed)."""
    from tarjama.nlp.build import BUILDER_VERSION

    try:
        metas = [
            json.loads((path / n / "tarjama-model.json").read_text("utf-8")) for n in ("ar-en", "summarizer")
        ]
        if all(m.get("builder") == BUILDER_VERSION for m in metas):
            return path
    except (OSError, ValueError):
        pass
    log(f"building shape twins into {path} (once; a minute or two)")
    subprocess.run(
        [str(Path(sys.executable).parent / "tarjama"), "models", "twin", "--out", str(path)],
        check=True,
        cwd=ROOT,
    )
    return path


def model_config(model_dir: Path, name: str) -> dict[str, Any]:
    config: dict[str, Any] = json.loads((model_dir / name / "hf" / "config.json").read_text("utf-8"))
    return config


# ------------------------------------------------------------------------------------------- the run


def measure(model_dir: Path, plan: dict[str, Any], threads: int, in_process: bool) -> dict[str, Any]:
    def run(mode: str, args: dict[str, Any]) -> dict[str, Any]:
        return child(
            mode,
            {"model_dir": str(model_dir), "threads": threads, **args},
            in_process=in_process,
            threads=threads,
        )

    results: dict[str, Any] = {}
    log("GEMM rate")
    results["gemm"] = run("gemm", {"size": 1024 if not in_process else 64, "seconds": 1.0})

    results["throughput"] = []
    for backend in THROUGHPUT_BACKENDS:
        log(f"throughput {backend}, beams {plan['beams']}, batches {plan['batch_sizes']}")
        measured = run(
            "throughput",
            {
                "backend": backend,
                "beams": plan["beams"],
                "tokens": plan["tokens"],
                "batch_sizes": plan["batch_sizes"],
                "sentences": plan["sentences"],
            },
        )
        for entry in measured["entries"]:  # peak RSS: the process's, over all its beams and batches
            results["throughput"].append({**entry, "peak_rss_mb": measured["peak_rss_mb"]})

    # the headline pair again, alternating (peer, ct2, service, peer, ...) in fresh processes: the ratio is
    # the median of the paired ratios, so a change of load between two sequential runs cannot decide it
    headline_batch = DEFAULT_BATCH if DEFAULT_BATCH in plan["batch_sizes"] else max(plan["batch_sizes"])
    results["headline"] = []
    for rep in range(int(plan.get("headline_reps", 1))):
        for backend in HEADLINE_BACKENDS:
            log(f"headline {backend}, beam {max(plan['beams'])}, batch {headline_batch}, pass {rep + 1}")
            measured = run(
                "throughput",
                {
                    "backend": backend,
                    "beams": [max(plan["beams"])],
                    "tokens": plan["tokens"],
                    "batch_sizes": [headline_batch],
                    "sentences": max(plan["sentences"], headline_batch),
                },
            )
            row = measured["entries"][0]["rows"][0]
            results["headline"].append({"backend": backend, "pass": rep, **row})

    # tuning, side by side at beam 4 and the default batch: what each setting buys on the fast path
    tuning: dict[str, Any] = {}
    tune_batch = [min(DEFAULT_BATCH, max(plan["batch_sizes"]))]
    base = {
        "beams": [4 if 4 in plan["beams"] else max(plan["beams"])],
        "tokens": plan["tokens"],
        "batch_sizes": tune_batch,
        "sentences": max(plan["sentences"], tune_batch[0]),
    }
    variants: dict[str, dict[str, Any]] = {
        "ct2_int8": {"backend": "ct2_int8"},
        "ct2_int8_unsorted": {"backend": "ct2_int8", "sort": False},
        "ct2_int8_threads_1": {"backend": "ct2_int8", "threads": 1},
        "ct2_int8_threads_4": {"backend": "ct2_int8", "threads": 4},
        "ct2_int8_inter_2": {
            "backend": "ct2_int8",
            "threads": max(1, threads // 2),
            "inter_threads": 2,
            "max_batch_size": max(1, tune_batch[0] // 2),
        },
        "transformers_fp32_threads_1": {"backend": "transformers_fp32", "threads": 1},
    }
    if not plan.get("tuning", True):
        variants = {}
    for name, extra in variants.items():
        log(f"tuning {name}")
        measured = run("throughput", {**base, **extra})
        tuning[name] = {**measured["entries"][0], "peak_rss_mb": measured["peak_rss_mb"]}
    results["tuning_throughput"] = tuning

    # the seed articles through the real Digester, at the assumed real tokenization and at the twin's own
    for tokenization, key in (("assumed", "e2e"), ("twin", "e2e_twin_tokenizer")):
        results[key] = {}
        for summary in ("extractive", "abstractive"):
            log(f"seed articles end to end, {summary}, {tokenization} tokenization")
            results[key][summary] = run(
                "e2e",
                {
                    "backend": "ctranslate2",
                    "summary": summary,
                    "beam": 4,
                    "batch_size": DEFAULT_BATCH,
                    "tokenization": tokenization,
                    "articles": plan["e2e_articles"],
                },
            )
    log("threads: intra vs inter side by side")
    results["threading"] = run(
        "threading",
        {
            "batch_size": DEFAULT_BATCH,
            "articles": plan["threading_articles"],
            "reps": plan["threading_reps"],
        },
    )
    e2e_tuning: dict[str, Any] = {}
    e2e_variants: dict[str, dict[str, Any]] = {
        "default": {},
        "inter_per_thread": {"inter_threads": 0},
        "batch_8": {"batch_size": 8},
        "beam_1": {"beam": 1},
        "full_vocab": {"target_vocab": False},
        "abstractive": {"summary": "abstractive"},
        "abstractive_full_vocab": {"summary": "abstractive", "target_vocab": False},
        "abstractive_summary_beam_2": {"summary": "abstractive", "summary_beam": 2},
    }
    for name, extra in e2e_variants.items() if plan.get("tuning", True) else []:
        log(f"end-to-end tuning {name}")
        args = {
            "backend": "ctranslate2",
            "summary": "extractive",
            "beam": 4,
            "batch_size": DEFAULT_BATCH,
            "tokenization": "assumed",
            "articles": plan["tuning_articles"],
            **extra,
        }
        e2e_tuning[name] = run("e2e", args)
    results["e2e_tuning"] = e2e_tuning

    results["cold_start"] = {}
    for backend in ("ctranslate2", "transformers"):
        log(f"cold start {backend}")
        results["cold_start"][backend] = run("cold", {"backend": backend, "tokenization": "assumed"})
    return results


# ------------------------------------------------------------------------------------------- summary


def rate(results: dict[str, Any], backend: str, beam: int, batch: int) -> float | None:
    for entry in results["throughput"]:
        if entry["backend"] == backend and entry["beam"] == beam:
            for row in entry["rows"]:
                if row["batch"] == batch:
                    return float(row["tokens_per_s"])
    return None


def summarize(raw: dict[str, Any], plan: dict[str, Any], model_dir: Path, threads: int) -> dict[str, Any]:
    from benchmarks.flops import per_output_token

    batches, beams = plan["batch_sizes"], plan["beams"]
    big_beam = max(beams)
    ref_batch = DEFAULT_BATCH if DEFAULT_BATCH in batches else max(batches)

    ratios: dict[str, dict[str, float]] = {}
    for backend in THROUGHPUT_BACKENDS[1:]:
        for beam in beams:
            per_batch = {}
            for batch in batches:
                mine, peer = rate(raw, backend, beam, batch), rate(raw, "transformers_fp32", beam, batch)
                if mine and peer:
                    per_batch[str(batch)] = round(mine / peer, 2)
            ratios[f"{backend}_beam{beam}"] = per_batch

    def ratio_at(backend: str, beam: int) -> float | None:
        return ratios.get(f"{backend}_beam{beam}", {}).get(str(ref_batch))

    headline = paired_ratios(raw.get("headline", []))

    # the ceiling: FLOPs per output token (average seed sentence, forced length) vs the measured GEMM rate
    ar_en = model_config(model_dir, "ar-en")
    first = raw["throughput"][0]["rows"]
    avg_source = sum(r["source_tokens"] for r in first) / max(1, sum(r["sentences"] for r in first))
    gemm = raw["gemm"]
    ceiling: dict[str, Any] = {"avg_source_tokens": round(avg_source, 1), "output_tokens": plan["tokens"]}
    for beam in beams:
        flops = per_output_token(ar_en, source_tokens=avg_source, output_tokens=plan["tokens"], beam=beam)
        mflop = flops["total_per_output_token"] / 1e6
        fp32_ceiling = gemm["torch_fp32_gflops"] * 1e3 / mflop
        int8_rate = gemm.get("torch_int8_dynamic_gops")
        row: dict[str, Any] = {
            "mflop_per_output_token": round(mflop, 1),
            "output_projection_share": round(
                beam * flops["output_projection_per_token_per_beam"] / flops["total_per_output_token"], 3
            ),
            "fp32_ceiling_tokens_per_s": round(fp32_ceiling, 1),
            "int8_ceiling_tokens_per_s": round(int8_rate * 1e3 / mflop, 1) if int8_rate else None,
        }
        for backend in THROUGHPUT_BACKENDS:
            best = max((rate(raw, backend, beam, b) or 0.0) for b in batches)
            row[f"{backend}_best_tokens_per_s"] = best
            row[f"{backend}_fraction_of_fp32_ceiling"] = round(best / fp32_ceiling, 3)
        ceiling[f"beam{beam}"] = row

    e2e, e2e_twin = raw["e2e"], raw["e2e_twin_tokenizer"]
    seed_s = {mode: e2e[mode]["mean_s"] for mode in e2e}
    seed_s_twin = {mode: e2e_twin[mode]["mean_s"] for mode in e2e_twin}
    articles = e2e["extractive"]["articles"]
    raw_chars = sum(a["raw_chars"] for a in articles) / len(articles)
    clean_chars = sum(a["clean_chars"] for a in articles) / len(articles)
    memory_mb = template_memory_mb()
    gb = memory_mb / 1024
    cost = {
        "lambda_memory_mb": memory_mb,
        "lambda_usd_per_gb_s": LAMBDA_GB_S_USD,
        "mean_raw_chars": round(raw_chars),
        "mean_clean_chars": round(clean_chars),
        "amazon_translate_usd_per_1000": round(raw_chars * 1000 * TRANSLATE_USD_PER_CHAR, 2),
    }
    for mode, seconds in seed_s.items():
        gb_s = seconds * gb * 1000
        cost[f"{mode}_gb_s_per_1000"] = round(gb_s, 1)
        cost[f"{mode}_usd_per_1000"] = round(gb_s * LAMBDA_GB_S_USD + 1000 * LAMBDA_REQUEST_USD, 4)
    hit_s = e2e["extractive"].get("cache_hit_mean_s")
    if hit_s is not None:
        cost["cache_hit_gb_s_per_1000"] = round(hit_s * gb * 1000, 2)
        cost["cache_hit_usd_per_1000"] = round(
            hit_s * gb * 1000 * LAMBDA_GB_S_USD + 1000 * LAMBDA_REQUEST_USD, 4
        )

    tuning = raw["tuning_throughput"]

    def tput(name: str) -> float:
        return float(tuning[name]["rows"][0]["tokens_per_s"])

    et = raw["e2e_tuning"]
    threading = raw["threading"]["configs"]
    first_config = next(iter(threading))
    tuning_summary: dict[str, Any] = {
        "threading_s_per_article": {n: c["median_s_per_article"] for n, c in threading.items()},
        "threading_identical_output": all(c["identical_to_first"] for c in threading.values()),
        "inter_vs_intra_speedup_per_article": round(
            threading[first_config]["median_s_per_article"]
            / min(c["median_s_per_article"] for n, c in threading.items() if c["inter_threads"] > 1),
            2,
        )
        if any(c["inter_threads"] > 1 for c in threading.values())
        else None,
    }
    if tuning:
        tuning_summary.update(
            {
                "sort_by_length_speedup": round(tput("ct2_int8") / tput("ct2_int8_unsorted"), 2),
                "threads_cores_vs_1_speedup": round(tput("ct2_int8") / tput("ct2_int8_threads_1"), 2),
                "threads_cores_vs_4_speedup": round(tput("ct2_int8") / tput("ct2_int8_threads_4"), 2),
                "intra_vs_inter_2_speedup": round(tput("ct2_int8") / tput("ct2_int8_inter_2"), 2),
                "ratio_ct2_int8_vs_transformers_fp32_threads_1": round(
                    tput("ct2_int8_threads_1") / tput("transformers_fp32_threads_1"), 2
                ),
                "e2e_s": {name: run["mean_s"] for name, run in et.items()},
            }
        )
    for beam in beams:  # the target vocabulary against the whole one, same run, same fixed-length work
        with_map, without = (
            rate(raw, "ct2_int8_target_vocab", beam, ref_batch),
            rate(raw, "ct2_int8", beam, ref_batch),
        )
        if with_map and without:
            tuning_summary[f"target_vocab_throughput_speedup_beam{beam}"] = round(with_map / without, 2)
    if "full_vocab" in et and "default" in et:
        tuning_summary["target_vocab_speedup_per_article"] = round(
            et["full_vocab"]["mean_s"] / et["default"]["mean_s"], 2
        )
    if "abstractive_full_vocab" in et and "abstractive" in et:
        tuning_summary["target_vocab_speedup_per_article_abstractive"] = round(
            et["abstractive_full_vocab"]["mean_s"] / et["abstractive"]["mean_s"], 2
        )
    cold = raw["cold_start"]
    peak = {
        "fast_path_translation_and_summary_models": e2e["abstractive"]["peak_rss_mb"],
        "fast_path_translation_only": e2e["extractive"]["peak_rss_mb"],
        "fast_path_translation_and_summary_models_twin_tokenizer": e2e_twin["abstractive"]["peak_rss_mb"],
        "threading_three_translators": raw["threading"]["peak_rss_mb"],
        **{f"throughput_{t['backend']}_beam{t['beam']}": t["peak_rss_mb"] for t in raw["throughput"]},
    }
    return {
        "summarizer_flops": summarizer_flops(model_dir, tokens(e2e["abstractive"]).get("summarizer_input")),
        "ratio_ct2_int8_vs_transformers_fp32_beam4": headline.get("ct2_int8")
        or ratio_at("ct2_int8", big_beam),
        "ratio_service_vs_transformers_fp32_beam4": headline.get("ct2_int8_target_vocab")
        or ratio_at("ct2_int8_target_vocab", big_beam),
        "headline_paired_ratios": headline,
        "ratio_ct2_int8_vs_transformers_fp32_beam1": ratio_at("ct2_int8", min(beams)),
        "ratio_reference_batch": ref_batch,
        "ratios_vs_transformers_fp32": ratios,
        "seed_article_s": seed_s,
        "seed_article_s_twin_tokenizer": seed_s_twin,
        "seed_article_stage_ms": {mode: stage_ms(run) for mode, run in e2e.items()},
        "seed_article_stage_ms_twin_tokenizer": {mode: stage_ms(run) for mode, run in e2e_twin.items()},
        "seed_article_tokens": {mode: tokens(run) for mode, run in e2e.items()},
        "seed_article_tokens_twin_tokenizer": {mode: tokens(run) for mode, run in e2e_twin.items()},
        "peak_rss_mb": peak,
        "cold_start_s": {backend: c["total_s"] for backend, c in cold.items()},
        "cold_start_detail": cold,
        "ceiling": ceiling,
        "cost": cost,
        "tuning": tuning_summary,
        "targets": targets(
            headline.get("ct2_int8_target_vocab") or ratio_at("ct2_int8_target_vocab", big_beam),
            headline.get("ct2_int8") or ratio_at("ct2_int8", big_beam),
            seed_s=seed_s,
            seed_s_twin=seed_s_twin,
            peak=peak,
            cold=cold,
        ),
    }


def paired_ratios(headline: list[dict[str, Any]]) -> dict[str, Any]:
    """Per backend: the median over passes of (its tok/s / the peer's tok/s in the same pass)."""
    from statistics import median

    passes: dict[int, dict[str, float]] = {}
    for row in headline:
        passes.setdefault(int(row["pass"]), {})[row["backend"]] = float(row["tokens_per_s"])
    out: dict[str, Any] = {}
    for backend in HEADLINE_BACKENDS[1:]:
        pairs = [
            p[backend] / p["transformers_fp32"]
            for p in passes.values()
            if backend in p and p.get("transformers_fp32")
        ]
        if pairs:
            out[backend] = round(median(pairs), 2)
            out[f"{backend}_passes"] = [round(x, 2) for x in pairs]
    return out


def summarizer_flops(model_dir: Path, input_tokens: float | None) -> dict[str, Any]:
    """GFLOP of a 3-sentence summary (its budget decoded in full) at beam 4 and 2: what beam 2 would save."""
    from tarjama.nlp.summarize import summary_token_limits

    from benchmarks.flops import per_output_token

    try:
        config = model_config(model_dir, "summarizer")
        generation = json.loads(
            (model_dir / "summarizer" / "hf" / "generation_config.json").read_text("utf-8")
        )
    except (OSError, ValueError):
        return {}
    if not input_tokens:
        return {}
    out: dict[str, Any] = {"input_tokens": input_tokens}
    for label, (sentences, model_max) in {
        "budget": (3, int(generation.get("max_length", 142))),
        "model_max": (1000, int(generation.get("max_length", 142))),
    }.items():
        steps = summary_token_limits(sentences, int(generation.get("min_length", 0)), model_max)[1]
        out[f"{label}_tokens"] = steps
        for beam in (4, 2):
            f = per_output_token(config, source_tokens=input_tokens, output_tokens=steps, beam=beam)
            out[f"{label}_beam{beam}_gflop"] = round(f["total_per_output_token"] * steps / 1e9, 1)
    f4 = per_output_token(config, source_tokens=input_tokens, output_tokens=out["budget_tokens"], beam=4)
    encoder = input_tokens * (f4["encoder_per_source_token"] + f4["cross_kv_per_source_token"]) / 1e9
    out["encoder_gflop"] = round(encoder, 1)
    return out


def stage_ms(run: dict[str, Any]) -> dict[str, float]:
    arts = run["articles"]
    return {
        stage: round(sum(a["timings_ms"].get(stage, 0.0) for a in arts) / len(arts), 1)
        for stage in ("clean", "segment", "translate", "summarize", "total")
    }


def tokens(run: dict[str, Any]) -> dict[str, Any]:
    """Per article on average: words, source pieces, forced vs ideal output pieces, summarizer input.

    Forced = what the benchmark decoded; ideal = each sentence to its own source x ratio. CTranslate2
    ends every sentence at its own forced length, so the two are equal (a check on the forcing).
    """
    arts = run["articles"]
    n = len(arts)

    def mean(role: str, key: str) -> float:
        return float(sum(a["decoded"].get(role, {}).get(key, 0) for a in arts)) / n

    out: dict[str, Any] = {
        "words": round(sum(a["words"] for a in arts) / n, 1),
        "sentences": round(sum(a["sentences"] for a in arts) / n, 1),
        "source": round(mean("translation", "source"), 1),
        "forced": round(mean("translation", "forced"), 1),
        "ideal": round(mean("translation", "ideal"), 1),
    }
    out["source_per_word"] = round(out["source"] / max(1.0, out["words"]), 2)
    out["overshoot"] = round(out["forced"] / max(1.0, out["ideal"]) - 1, 3)
    if any("back_translation" in a["decoded"] for a in arts):
        out["back_forced"] = round(mean("back_translation", "forced"), 1)
        out["back_ideal"] = round(mean("back_translation", "ideal"), 1)
        out["summarizer_input"] = round(mean("summarizer", "input"), 1)
    return out


def targets(
    ratio: float | None,
    plain_ratio: float | None,
    *,
    seed_s: dict[str, float],
    seed_s_twin: dict[str, float],
    peak: dict[str, float],
    cold: dict[str, Any],
) -> dict[str, Any]:
    rss = peak["fast_path_translation_and_summary_models"]
    start = cold["ctranslate2"]["total_s"]

    def seed(mode: str, limit: float) -> dict[str, Any]:
        value, twin = seed_s.get(mode, 1e9), seed_s_twin.get(mode, 1e9)
        return {
            "value": seed_s.get(mode),
            "met": value < limit,
            "value_twin_tokenizer": seed_s_twin.get(mode),
            "met_twin_tokenizer": twin < limit,
            "limit_s": limit,
        }

    return {
        # the production path (ctranslate2 int8 + its target vocabulary) against the peer; the library
        # alone (every vocabulary entry scored) beside it
        "ratio_ct2_int8_beam4_ge_4x": {
            "value": ratio,
            "met": bool(ratio and ratio >= 4),
            "path": "ct2_int8_target_vocab",
            "value_ct2_int8_whole_vocabulary": plain_ratio,
        },
        "seed_extractive_lt_4s": seed("extractive", 4),
        "seed_abstractive_lt_8s": seed("abstractive", 8),
        "peak_rss_lt_1500mb": {"value": rss, "met": rss < 1500},
        "cold_start_lt_3s": {"value": start, "met": start < 3},
    }


def template_memory_mb() -> int:
    """The functions' default memory, read from template.yaml's Parameters (WorkerMemorySize)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    template = yaml.load((ROOT / "template.yaml").read_text("utf-8"), Loader=Loader)
    params = template.get("Parameters", {})
    for name in ("WorkerMemorySize", "ApiMemorySize"):
        if name in params:
            return int(params[name]["Default"])
    return 3008


# ------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Fewer batch sizes and articles (< 5 minutes).")
    parser.add_argument("--plan", choices=sorted(PLANS), help="Override: quick, full or smoke.")
    parser.add_argument(
        "--model-dir", type=Path, help="Models to measure (default: shape twins, built once)."
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="Threads for every backend (0 = physical cores)."
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="Results directory.")
    parser.add_argument("--in-process", action="store_true", help="No subprocesses (the smoke test).")
    parser.add_argument("--no-docs", action="store_true", help="Do not regenerate docs/performance.md.")
    args = parser.parse_args(argv)

    plan_name = args.plan or ("quick" if args.quick else "full")
    plan = PLANS[plan_name]
    threads = args.threads or physical_cores()
    model_dir = args.model_dir or ensure_twin(ROOT / ".models" / "twin")
    started = time.perf_counter()
    log(f"plan {plan_name}, {threads} threads, models {model_dir}")
    info = machine(threads)
    raw = measure(model_dir, plan, threads, args.in_process)
    info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {
        "timestamp": stamp,
        "plan": plan_name,
        "plan_settings": plan,
        "models": {"dir": str(model_dir), "kind": _kind(model_dir), **_vocabularies(model_dir)},
        "machine": info,
        "versions": versions(),
        "environment": {
            "OMP_WAIT_POLICY": "PASSIVE",
            "threads": threads,
            "forced_output_ratio": OUTPUT_RATIO,
            "back_translation_output_ratio": BACK_RATIO,
            "assumed_ar_pieces_per_word": AR_PIECES_PER_WORD,
            "assumed_en_pieces_per_word": EN_PIECES_PER_WORD,
        },
        **summarize(raw, plan, model_dir, threads),
        "raw": raw,
        "seconds": round(time.perf_counter() - started, 1),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2) + "\n"
    (args.out / f"{stamp}.json").write_text(text, "utf-8")
    (args.out / "latest.json").write_text(text, "utf-8")
    from benchmarks.render import plot, render_docs

    plot(result, args.out / "throughput.png")
    if not args.no_docs:
        render_docs(result)
    log(f"done in {result['seconds']} s: {args.out / 'latest.json'}")
    print(
        json.dumps(
            {
                k: result[k]
                for k in (
                    "ratio_ct2_int8_vs_transformers_fp32_beam4",
                    "seed_article_s",
                    "cold_start_s",
                    "targets",
                )
            },
            indent=2,
        )
    )
    return 0


def _vocabularies(model_dir: Path) -> dict[str, Any]:
    """ar-en's joint vocabulary and the part of it the target vocabulary map keeps."""
    from tarjama.nlp.manifest import ct2_path, read_meta
    from tarjama.nlp.target_vocab import read_vmap

    try:
        ct2 = ct2_path(model_dir, read_meta(model_dir, "ar-en"))
        vocab = json.loads((model_dir / "ar-en" / "hf" / "vocab.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {"ar_en_vocab": len(vocab), "ar_en_target_vocab": len(read_vmap(ct2)) if ct2 else 0}


def _kind(model_dir: Path) -> str:
    try:
        meta: dict[str, Any] = json.loads((model_dir / "ar-en" / "tarjama-model.json").read_text("utf-8"))
        return str(meta.get("kind", "?"))
    except (OSError, ValueError):
        return "?"


if __name__ == "__main__":
    raise SystemExit(main())
