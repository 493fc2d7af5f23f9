"""Metrics are EMF lines on stdout in Lambda (where CloudWatch reads them) and on stderr elsewhere."""

from __future__ import annotations

import json

import pytest
from tarjama.observability import emit_metric, metric_counts


def _emf(text: str) -> dict[str, object]:
    lines = [json.loads(line) for line in text.splitlines() if line.startswith('{"_aws"')]
    assert len(lines) == 1
    emf: dict[str, object] = lines[0]
    return emf


def test_outside_lambda_metrics_stay_off_stdout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    before = metric_counts["TestMetric"]
    emit_metric("TestMetric", 2, dimensions={"Reason": "x"})
    out, err = capsys.readouterr()
    assert out == ""
    emf = _emf(err)
    assert emf["TestMetric"] == [2.0]
    assert emf["Reason"] == "x"
    directive = emf["_aws"]["CloudWatchMetrics"][0]  # type: ignore[index]
    assert directive["Namespace"] == "tarjama"
    assert metric_counts["TestMetric"] == before + 2


def test_in_lambda_metrics_go_to_stdout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "tarjama-api")
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    emit_metric("TestMetric")
    out, _ = capsys.readouterr()
    assert _emf(out)["TestMetric"] == [1.0]


def test_disabled_metrics_are_still_counted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    before = metric_counts["TestMetric"]
    emit_metric("TestMetric")
    out, err = capsys.readouterr()
    assert '"_aws"' not in out + err
    assert metric_counts["TestMetric"] == before + 1
