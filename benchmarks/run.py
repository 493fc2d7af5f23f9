"""`make bench` / `make bench QUICK=1`: every measurement side by side in one run; JSON, plot, docs.

Per tier (quality_optimized, latency_optimized): the headline (the service path against plain transformers
fp32 running the same model on the same seed sentences, each sentence decoding its own realistic length,
alternating passes in fresh processes), fixed-length throughput at >= 48 tokens, the seed articles end to
end, cold start; then one process with every model of both tiers (peak RSS) and the speed levers.

Each measurement runs in its own subprocess (`benchmarks.child`): a clean peak RSS, fresh imports, no warm
caches shared between sides. All children get the same thread count and `OMP_WAIT_POLICY=PASSIVE` (on a
shared machine a spinning OpenMP barrier waiting for a descheduled thread costs transformers up to 5x).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from statistics import median
from typing import Any

from benchmarks.common import (
    AR_PIECES_PER_WORD,
    EN_PIECES_PER_WORD,
    ROOT,
    load_average,
    machine,
    physical_cores,
    versions,
)
from benchmarks.forcing import BACK_RATIO, OUTPUT_RATIO
from benchmarks.schema import (
    E2E,
    PLANS,
    BenchResult,
    ColdStart,
    Cost,
    FixedRow,
    HeadlinePass,
    HeadlineSide,
    Levers,
    Memory,
    Plan,
    Target,
)

RESULTS = ROOT / "benchmarks" / "results"
LAMBDA_GB_S_USD = 0.0000166667  # x86
LAMBDA_REQUEST_USD = 0.20 / 1_000_000
TRANSLATE_USD_PER_CHAR = 15 / 1_000_000
FIXED_BACKENDS = ("transformers_fp32", "ct2_int8", "ct2_int8_target_vocab")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Runner:
    """Runs one measurement in a fresh process (or in this one for the smoke test); returns its JSON."""

    def __init__(self, model_dir: Path, threads: int, in_process: bool) -> None:
        self.model_dir, self.threads, self.in_process = model_dir, threads, in_process

    def __call__(self, mode: str, args: dict[str, Any]) -> Any:
        args = {"model_dir": str(self.model_dir), "threads": self.threads, **args}
        if self.in_process:
            from benchmarks.child import run_mode

            return run_mode(mode, args)
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.child", mode, json.dumps(args)],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        lines = [line for line in proc.stdout.splitlines() if line.startswith(("{", "["))]
        if proc.returncode != 0 or not lines:
            raise RuntimeError(
                f"benchmark child {mode} {args} failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
            )
        out = json.loads(lines[-1])
        if isinstance(out, dict):
            out["process_wall_s"] = round(time.perf_counter() - started, 3) if mode == "cold" else None
            out = {k: v for k, v in out.items() if v is not None}
        return out

    def env(self) -> dict[str, str]:
        threads = str(self.threads)
        return {
            **os.environ,
            "OMP_WAIT_POLICY": "PASSIVE",
            "OMP_NUM_THREADS": threads,
            "OPENBLAS_NUM_THREADS": threads,
            "MKL_NUM_THREADS": threads,
            "TOKENIZERS_PARALLELISM": "false",
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }


# ------------------------------------------------------------------------------------------- measuring


def measure_headline(run: Runner, plan: Plan) -> dict[str, list[HeadlinePass]]:
    """Per tier: passes alternating the peer and the service in fresh processes (paired ratios)."""
    out: dict[str, list[HeadlinePass]] = {}
    for tier in plan.tiers:
        out[tier] = []
        for rep in range(plan.headline_reps):
            log(f"headline {tier}, pass {rep + 1}/{plan.headline_reps}")
            sides = {
                side: HeadlineSide.model_validate(
                    run(
                        f"headline_{side}",
                        {
                            "tier": tier,
                            "beam": plan.beam,
                            "batch_size": plan.batch_size,
                            "sentences": plan.headline_sentences,
                        },
                    )
                )
                for side in ("peer", "service")
            }
            out[tier].append(HeadlinePass(peer=sides["peer"], service=sides["service"]))
    return out


def measure_fixed(run: Runner, plan: Plan) -> list[FixedRow]:
    rows: list[FixedRow] = []
    for tier in plan.tiers:
        for backend in FIXED_BACKENDS:
            log(f"fixed length {tier} {backend}, {plan.fixed_tokens} tokens, batches {plan.fixed_batches}")
            args = {
                "tier": tier,
                "backend": backend,
                "beam": plan.beam,
                "tokens": plan.fixed_tokens,
                "batches": list(plan.fixed_batches),
                "sentences": plan.fixed_sentences,
            }
            rows += [FixedRow.model_validate(r) for r in run("fixed", args)]
    return rows


def e2e_args(plan: Plan, tier: str, summary: str, articles: int, **extra: Any) -> dict[str, Any]:
    return {"tier": tier, "summary": summary, "beam": plan.beam, "articles": articles, **extra}


def measure_e2e(run: Runner, plan: Plan) -> list[E2E]:
    out: list[E2E] = []
    for tier in plan.tiers:
        for summary in ("extractive", "abstractive"):
            log(f"seed articles end to end, {tier}, {summary}")
            out.append(E2E.model_validate(run("e2e", e2e_args(plan, tier, summary, plan.e2e_articles))))
    return out


def measure_levers(run: Runner, plan: Plan) -> list[E2E]:
    """The quality tier end to end under each lever, one process each, one after the other."""
    out: list[E2E] = []
    if not plan.levers:
        return out
    levers = Levers()
    for summary, variants in (("extractive", levers.extractive), ("abstractive", levers.abstractive)):
        for variant, extra in variants.items():
            log(f"lever {summary} {variant}")
            args = e2e_args(plan, plan.tiers[0], summary, plan.lever_articles, variant=variant, **extra)
            out.append(E2E.model_validate(run("e2e", args)))
    return out


def measure_cold(run: Runner, plan: Plan) -> list[ColdStart]:
    out: list[ColdStart] = []
    for tier in plan.tiers if plan.cold_start else ():
        log(f"cold start {tier}")
        out.append(ColdStart.model_validate(run("cold", {"tier": tier})))
    return out


# ------------------------------------------------------------------------------------------- judging


def paired(passes: list[HeadlinePass]) -> tuple[float, float, float]:
    """(median, min, max) of the per-pass ratios service / peer."""
    ratios = [p.ratio for p in passes]
    return median(ratios), min(ratios), max(ratios)


def e2e_of(runs: list[E2E], tier: str, summary: str) -> E2E | None:
    return next((r for r in runs if r.tier == tier and r.summary == summary), None)


def targets(result: BenchResult) -> list[Target]:
    out: list[Target] = []
    for tier in result.headline:
        ratio, low, high = paired(result.headline[tier])
        spread = f"median of {len(result.headline[tier])} alternating passes, {low:.2f}-{high:.2f}"
        out.append(
            Target(
                name="service >= 4x transformers",
                tier=tier,
                limit=4,
                value=round(ratio, 2),
                unit="x",
                met=ratio >= 4,
                detail=spread,
            )
        )
        for summary, limit in (("extractive", 4.0), ("abstractive", 8.0)):
            run = e2e_of(result.e2e, tier, summary)
            value = round(run.mean_s, 2) if run else None
            out.append(
                Target(
                    name=f"seed article, translation + {summary} summary",
                    tier=tier,
                    limit=limit,
                    value=value,
                    unit="s",
                    met=value is not None and value < limit,
                )
            )
    for cold in result.cold_start:
        out.append(
            Target(
                name="cold start to the first result",
                tier=cold.tier,
                limit=3,
                value=cold.total_s,
                unit="s",
                met=cold.total_s < 3,
            )
        )
    if result.memory is not None:
        rss = result.memory.peak_rss_mb
        out.append(
            Target(
                name="peak RSS, every model of both tiers",
                tier="both",
                limit=2048,
                value=rss,
                unit="MB",
                met=rss < 2048,
                detail=", ".join(result.memory.models),
            )
        )
    return out


def costs(result: BenchResult) -> list[Cost]:
    gb = result.lambda_memory_mb / 1024
    out: list[Cost] = []
    for run in result.e2e:
        gb_s = run.mean_s * gb * 1000
        out.append(
            Cost(
                tier=run.tier,
                summary=run.summary,
                seconds=round(run.mean_s, 3),
                gb_s_per_1000=round(gb_s, 1),
                usd_per_1000=round(gb_s * LAMBDA_GB_S_USD + 1000 * LAMBDA_REQUEST_USD, 4),
            )
        )
    hits = [r.cache_hit_mean_s for r in result.e2e]
    if hits:
        gb_s = sum(hits) / len(hits) * gb * 1000
        out.append(
            Cost(
                tier="any",
                summary="cache hit",
                seconds=round(sum(hits) / len(hits), 4),
                gb_s_per_1000=round(gb_s, 2),
                usd_per_1000=round(gb_s * LAMBDA_GB_S_USD + 1000 * LAMBDA_REQUEST_USD, 4),
            )
        )
    return out


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


def ensure_twin(path: Path) -> Path:
    """The shape twins (`tarjama models twin`), built once into `path` (again when the builder changed)."""
    from tarjama.nlp.build import BUILDER_VERSION
    from tarjama.nlp.manifest import load_manifest

    try:
        metas = [json.loads((path / n / "tarjama-model.json").read_text("utf-8")) for n in load_manifest()]
        if all(m.get("builder") == BUILDER_VERSION for m in metas):
            return path
    except (OSError, ValueError):
        pass
    log(f"building shape twins into {path} (once; a few minutes)")
    tarjama = str(Path(sys.executable).parent / "tarjama")
    subprocess.run([tarjama, "models", "twin", "--out", str(path)], check=True, cwd=ROOT)
    return path


def measure_all(run: Runner, plan: Plan, started: float) -> BenchResult:
    info = machine(run.threads)
    headline = measure_headline(run, plan)
    fixed = measure_fixed(run, plan)
    e2e = measure_e2e(run, plan)
    cold = measure_cold(run, plan)
    log("memory: every model of both tiers in one process")
    mem = Memory.model_validate(run("memory", {"tiers": list(plan.tiers)}))
    levers = measure_levers(run, plan)
    info.load_average_at_end = load_average()
    articles = [a for r in e2e for a in r.articles]
    raw_chars = sum(a.raw_chars for a in articles) / max(1, len(articles))
    result = BenchResult(
        timestamp=datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        plan=plan.name,
        plan_settings=asdict(plan),
        model_dir=str(run.model_dir),
        model_kind=_kind(run.model_dir),
        machine=info,
        versions=versions(),
        assumptions={
            "output_ratio": OUTPUT_RATIO,
            "back_translation_ratio": BACK_RATIO,
            "ar_pieces_per_word": AR_PIECES_PER_WORD,
            "en_pieces_per_word": EN_PIECES_PER_WORD,
        },
        headline=headline,
        fixed=fixed,
        e2e=e2e,
        levers=levers,
        cold_start=cold,
        memory=mem,
        targets=[],
        cost=[],
        lambda_memory_mb=template_memory_mb(),
        amazon_translate_usd_per_1000=round(raw_chars * 1000 * TRANSLATE_USD_PER_CHAR, 2),
        seconds=0.0,
    )
    result.targets, result.cost = targets(result), costs(result)
    result.seconds = round(time.perf_counter() - started, 1)
    return result


def _kind(model_dir: Path) -> str:
    from tarjama.nlp.manifest import read_meta

    try:
        return str(read_meta(model_dir, "ar-en").kind)
    except Exception:  # a directory without the model: say so in the result rather than fail the run
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="Fewer passes and articles (< 5 minutes).")
    parser.add_argument("--plan", choices=sorted(PLANS), help="Override: quick, full or smoke.")
    parser.add_argument(
        "--model-dir", type=Path, help="Models to measure (default: shape twins, built once)."
    )
    parser.add_argument("--threads", type=int, default=0, help="Threads for every side (0 = physical cores).")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Results directory.")
    parser.add_argument("--in-process", action="store_true", help="No subprocesses (the smoke test).")
    parser.add_argument("--no-docs", action="store_true", help="Do not regenerate docs/performance.md.")
    args = parser.parse_args(argv)

    plan = PLANS[args.plan or ("quick" if args.quick else "full")]
    threads = args.threads or physical_cores()
    model_dir = args.model_dir or ensure_twin(ROOT / ".models" / "twin")
    log(f"plan {plan.name}, {threads} threads, models {model_dir}")
    result = measure_all(Runner(model_dir, threads, args.in_process), plan, time.perf_counter())
    args.out.mkdir(parents=True, exist_ok=True)
    text = result.model_dump_json(indent=2) + "\n"
    (args.out / f"{result.timestamp}.json").write_text(text, "utf-8")
    (args.out / "latest.json").write_text(text, "utf-8")
    from benchmarks.render import plot, render_docs

    plot(result, args.out / "throughput.png")
    if not args.no_docs:
        render_docs(result)
    log(f"done in {result.seconds} s: {args.out / 'latest.json'}")
    for t in result.targets:
        print(
            f"{t.tier:<18} {t.name:<48} {t.value} {t.unit} (< or >= {t.limit}): "
            f"{'met' if t.met else 'MISSED'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
