"""The benchmark harness on tiny models: it runs, writes valid JSON with the keys the docs rely on, a PNG,
and renders the docs. It never asserts speed (the smoke plan runs in-process for seconds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import run
from benchmarks.flops import per_output_token
from benchmarks.render import performance_md, render_docs

REQUIRED = (
    "ratio_ct2_int8_vs_transformers_fp32_beam4",
    "seed_article_s",
    "seed_article_s_twin_tokenizer",
    "seed_article_tokens",
    "peak_rss_mb",
    "cold_start_s",
    "machine",
    "versions",
    "ceiling",
    "cost",
    "tuning",
    "targets",
)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def smoke(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("bench")
    code = run.main(
        [
            "--plan",
            "smoke",
            "--in-process",
            "--model-dir",
            str(tiny_model_dir),
            "--out",
            str(out),
            "--threads",
            "1",
            "--no-docs",
        ]
    )
    assert code == 0
    return out, json.loads((out / "latest.json").read_text("utf-8"))


def test_writes_latest_and_timestamped_json_with_required_keys(smoke: tuple[Path, dict[str, Any]]) -> None:
    out, result = smoke
    for key in REQUIRED:
        assert key in result, key
    assert (out / f"{result['timestamp']}.json").read_text("utf-8") == (out / "latest.json").read_text(
        "utf-8"
    )
    assert set(result["seed_article_s"]) == {"extractive", "abstractive"}
    assert set(result["seed_article_s_twin_tokenizer"]) == {"extractive", "abstractive"}
    assert all(v > 0 for v in result["seed_article_s"].values())
    for item in (result["targets"]["seed_extractive_lt_4s"], result["targets"]["seed_abstractive_lt_8s"]):
        assert {"value", "met", "value_twin_tokenizer", "met_twin_tokenizer"} <= set(item)
    assert result["environment"]["assumed_ar_pieces_per_word"] > 0
    assert result["peak_rss_mb"]["fast_path_translation_and_summary_models"] > 0
    assert set(result["cold_start_s"]) == {"ctranslate2", "transformers"}
    assert result["machine"]["threads_used"] == 1
    assert result["machine"]["cpu_model"]
    assert result["versions"]["ctranslate2"] != "missing"


def test_side_by_side_covers_every_backend_beam_and_batch(smoke: tuple[Path, dict[str, Any]]) -> None:
    _, result = smoke
    plan = result["plan_settings"]
    seen = {(t["backend"], t["beam"]) for t in result["raw"]["throughput"]}
    backends = {"transformers_fp32", "transformers_int8", "ct2_int8", "ct2_fp32", "ct2_int8_target_vocab"}
    assert seen == {(b, k) for b in backends for k in plan["beams"]}
    assert result["models"]["ar_en_target_vocab"] < result["models"]["ar_en_vocab"]
    # the headline ratio: passes alternating the peer and ctranslate2, paired
    assert [h["backend"] for h in result["raw"]["headline"]] == [
        "transformers_fp32",
        "ct2_int8",
        "ct2_int8_target_vocab",
    ] * plan["headline_reps"]
    head = result["headline_paired_ratios"]
    assert result["ratio_ct2_int8_vs_transformers_fp32_beam4"] == head["ct2_int8"] > 0
    for entry in result["raw"]["throughput"]:
        assert [r["batch"] for r in entry["rows"]] == plan["batch_sizes"]
        for row in entry["rows"]:  # forced length: every sentence decoded exactly `tokens` tokens
            assert row["output_tokens"] == row["sentences"] * plan["tokens"]
    # the same inputs on every side: identical source token counts per batch size
    sources = {tuple(r["source_tokens"] for r in t["rows"]) for t in result["raw"]["throughput"]}
    assert len(sources) == 1


def test_end_to_end_reports_stage_timings_and_the_abstractive_path(
    smoke: tuple[Path, dict[str, Any]],
) -> None:
    _, result = smoke
    for key in ("e2e", "e2e_twin_tokenizer"):
        for mode in ("extractive", "abstractive"):
            run_ = result["raw"][key][mode]
            article = run_["articles"][0]
            assert {"clean", "segment", "translate", "summarize", "total"} <= set(article["timings_ms"])
            assert article["summary_method"] == mode  # the stand-in summary keeps the abstractive path
            assert run_["compute_types"]["translation"]  # the fast path: a CTranslate2 model
    assert result["raw"]["e2e"]["extractive"]["cache_hit_mean_s"] > 0
    assert result["raw"]["e2e"]["abstractive"]["articles"][0]["decoded"]["summarizer"]["input"] > 0


def test_end_to_end_goes_through_the_real_batches_forced_per_sentence(
    smoke: tuple[Path, dict[str, Any]],
) -> None:
    _, result = smoke
    for key in ("seed_article_tokens", "seed_article_tokens_twin_tokenizer"):
        tokens = result[key]["extractive"]
        # every sentence decodes exactly its own forced length (then leaves its batch)
        assert tokens["forced"] == tokens["ideal"] > 0
        assert tokens["overshoot"] == 0
    assumed = result["seed_article_tokens"]["extractive"]
    ppw = result["environment"]["assumed_ar_pieces_per_word"]
    # the assumed tokenization: about ppw pieces per word, plus EOS per sentence
    assert assumed["source"] == pytest.approx(ppw * assumed["words"] + assumed["sentences"], rel=0.15)


def test_threading_side_by_side_reports_identical_output(smoke: tuple[Path, dict[str, Any]]) -> None:
    _, result = smoke
    configs = result["raw"]["threading"]["configs"]
    assert {(c["intra_threads"], c["inter_threads"]) for c in configs.values()} >= {(1, 1)}
    assert all(c["identical_to_first"] for c in configs.values())
    assert all(c["median_s_per_article"] > 0 for c in configs.values())


def test_plot_is_a_png(smoke: tuple[Path, dict[str, Any]]) -> None:
    out, _ = smoke
    assert (out / "throughput.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_render_fills_performance_doc_and_deploy_cost_rows(
    smoke: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    _, result = smoke
    (tmp_path / "docs").mkdir()
    deploy = tmp_path / "docs" / "deploy.md"
    placeholder = "**PLACEHOLDER — filled from `benchmarks/results/latest.json` by the benchmark run**"
    deploy.write_text(
        "| Per 1,000 articles | Cost |\n| --- | --- |\n"
        f"| tarjama, ctranslate2 int8, 3008 MB, extractive summary | {placeholder} |\n"
        f"| tarjama, ctranslate2 int8, 3008 MB, abstractive summary | {placeholder} |\n"
        f"| tarjama, cache hits | {placeholder} |\n| Amazon Translate | $41.15 |\n",
        "utf-8",
    )
    render_docs(result, root=tmp_path)
    doc = (tmp_path / "docs" / "performance.md").read_text("utf-8")
    assert doc == performance_md(result)
    assert result["machine"]["cpu_model"] in doc
    assert "## Targets" in doc and "Cost per 1,000" in doc
    filled = deploy.read_text("utf-8")
    assert "PLACEHOLDER" not in filled
    assert result["timestamp"] in filled
    assert "| Amazon Translate | $41.15 |" in filled


def test_flops_model_matches_a_hand_count() -> None:
    config = {
        "d_model": 4,
        "vocab_size": 10,
        "encoder_layers": 1,
        "decoder_layers": 1,
        "encoder_ffn_dim": 8,
        "decoder_ffn_dim": 8,
    }
    f = per_output_token(config, source_tokens=2, output_tokens=2, beam=1)
    # encoder: 2*(4*16 + 2*4*8) + 4*2*4 = 2*(64+64) + 32 = 288 per source token
    assert f["encoder_per_source_token"] == 288
    # decoder: 2*(6*16 + 2*4*8) + 4*(1+2)*4 = 2*(96+64) + 48 = 368; projection 2*4*10 = 80
    assert f["decoder_per_output_token_per_beam"] == 368
    assert f["output_projection_per_token_per_beam"] == 80
    # cross K/V: 2*2*16 = 64 per source token; total = 368 + 80 + (2/2)*(288 + 64)
    assert f["total_per_output_token"] == 368 + 80 + 288 + 64
    assert per_output_token(config, source_tokens=2, output_tokens=2, beam=4)["total_per_output_token"] == (
        4 * (368 + 80) + 288 + 64
    )


def test_cost_memory_is_the_templates_default() -> None:
    text = (ROOT / "template.yaml").read_text("utf-8")
    assert f"Default: {run.template_memory_mb()}" in text
