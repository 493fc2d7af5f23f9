"""The benchmark harness on tiny models, both tiers: it runs, writes a valid typed result, a PNG, and renders
the docs. It never asserts speed (the smoke plan runs in-process, in seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import run
from benchmarks.render import performance_md, render_docs
from benchmarks.schema import PLANS, TIERS, BenchResult

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def smoke(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BenchResult]:
    out = tmp_path_factory.mktemp("bench")
    args = ["--plan", "smoke", "--in-process", "--model-dir", str(tiny_model_dir), "--out", str(out)]
    assert run.main([*args, "--threads", "1", "--no-docs"]) == 0
    return out, BenchResult.model_validate_json((out / "latest.json").read_text("utf-8"))


def test_writes_latest_and_timestamped_json(smoke: tuple[Path, BenchResult]) -> None:
    out, result = smoke
    assert (out / f"{result.timestamp}.json").read_text("utf-8") == (out / "latest.json").read_text("utf-8")
    assert result.plan == "smoke" and result.model_kind == "tiny"
    assert result.machine.threads_used == 1 and result.machine.cpu_model
    assert result.versions["ctranslate2"] != "missing"
    assert (out / "throughput.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_headline_covers_both_tiers_with_alternating_paired_passes(
    smoke: tuple[Path, BenchResult],
) -> None:
    _, result = smoke
    plan = PLANS["smoke"]
    assert set(result.headline) == set(TIERS)
    for tier, passes in result.headline.items():
        assert len(passes) == plan.headline_reps
        for p in passes:
            assert (p.peer.side, p.service.side) == ("peer", "service")
            assert (
                p.peer.model
                == p.service.model
                == ("tc-big-ar-en" if tier == "quality_optimized" else "ar-en")
            )
            # the same sentences on both sides, each decoding exactly its own length on both
            assert p.peer.source_tokens == p.service.source_tokens > 0
            assert p.peer.ideal_tokens == p.service.ideal_tokens
            assert p.peer.decoded_tokens == p.peer.ideal_tokens
            assert p.service.decoded_tokens == p.service.ideal_tokens
            assert p.peer.rate.seconds > 0 and p.service.rate.seconds > 0 and p.ratio > 0
    ratio = next(t for t in result.targets if t.tier == "quality_optimized" and t.unit == "x")
    assert ratio.value == pytest.approx(run.paired(result.headline["quality_optimized"])[0], abs=0.01)


def test_fixed_length_rows_are_at_least_48_tokens(smoke: tuple[Path, BenchResult]) -> None:
    _, result = smoke
    assert {(r.tier, r.backend) for r in result.fixed} == {(t, b) for t in TIERS for b in run.FIXED_BACKENDS}
    for row in result.fixed:
        assert row.tokens_per_sentence >= 48
        assert row.rate.tokens == row.sentences * row.tokens_per_sentence


def test_end_to_end_runs_both_tiers_and_modes_through_the_real_batches(
    smoke: tuple[Path, BenchResult],
) -> None:
    _, result = smoke
    assert {(r.tier, r.summary) for r in result.e2e} == {
        (t, s) for t in TIERS for s in ("extractive", "abstractive")
    }
    for e2e in result.e2e:
        article = e2e.articles[0]
        assert {"clean", "segment", "translate", "summarize", "total"} <= set(article.timings_ms)
        assert article.summary_method == e2e.summary  # the stand-in summary keeps the abstractive path
        assert e2e.mean("translation", "forced") == e2e.mean("translation", "ideal") > 0
        assert e2e.compute_types["translation"] and e2e.cache_hit_mean_s > 0
    latency = next(r for r in result.e2e if r.tier == "latency_optimized" and r.summary == "abstractive")
    assert latency.models["summarizer"] == "summarizer-6-6"
    assert latency.mean("summarizer", "input") > 0
    assert latency.mean("back_translation", "forced") == latency.mean("back_translation", "ideal") > 0


def test_memory_cold_start_levers_targets_and_costs(smoke: tuple[Path, BenchResult]) -> None:
    _, result = smoke
    assert result.memory is not None and len(result.memory.models) == 6 and result.memory.peak_rss_mb > 0
    assert {c.tier for c in result.cold_start} == set(TIERS)
    assert {r.variant for r in result.levers} >= {
        "default",
        "full_vocab",
        "batch_tokens_1024",
        "summarizer_6_6",
    }
    names = {(t.name, t.tier) for t in result.targets}
    for tier in TIERS:
        assert ("service >= 4x transformers", tier) in names
        assert ("seed article, translation + abstractive summary", tier) in names
        assert ("cold start to the first result", tier) in names
    assert ("peak RSS, every model of both tiers", "both") in names
    assert {(c.tier, c.summary) for c in result.cost} >= {
        (t, s) for t in TIERS for s in ("extractive", "abstractive")
    }


def test_render_fills_performance_doc_and_deploy_cost_rows(
    smoke: tuple[Path, BenchResult], tmp_path: Path
) -> None:
    _, result = smoke
    (tmp_path / "docs").mkdir()
    deploy = tmp_path / "docs" / "deploy.md"
    deploy.write_text(
        "| Per 1,000 articles | Cost |\n| --- | --- |\n"
        "| tarjama, ctranslate2 int8, 3008 MB, extractive summary | **PLACEHOLDER** |\n"
        "| tarjama, cache hits | **PLACEHOLDER** |\n| Amazon Translate | $41.15 |\n",
        "utf-8",
    )
    render_docs(result, root=tmp_path)
    doc = (tmp_path / "docs" / "performance.md").read_text("utf-8")
    assert doc == performance_md(result)
    assert "## Targets" in doc and "Cost per 1,000" in doc and "quality_optimized" in doc
    filled = deploy.read_text("utf-8")
    assert "PLACEHOLDER" not in filled and result.timestamp in filled
    for tier in TIERS:
        assert f"| tarjama {tier}, ctranslate2 int8, 3008 MB, abstractive summary |" in filled
    assert "| Amazon Translate | $41.15 |" in filled


def test_cost_memory_is_the_templates_default() -> None:
    text = (ROOT / "template.yaml").read_text("utf-8")
    assert f"Default: {run.template_memory_mb()}" in text
