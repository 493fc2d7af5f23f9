"""Logging and metrics that behave the same in Lambda, in the CLI and in tests.

Powertools writes both logs and EMF metrics to stdout. In Lambda that is right (CloudWatch reads the log
stream and extracts EMF lines), but in the CLI stdout is the command's output (`tarjama digest --json`), so
outside Lambda both go to stderr instead. Metrics are emitted one at a time (a single EMF line each) rather
than through `Metrics.flush_metrics`, so no handler decorator is needed and nothing is lost when a process
is not a Lambda invocation. Every emitted metric is also counted in-process (`metric_counts`), which the
tests and `tarjama serve` can read.

Interactive commands (`tarjama bulk`, `tarjama digest`, ...) print for people: `quiet_for_people` keeps
the structured lines to WARNING and above, and no metric lines, unless `--verbose` or LOG_LEVEL asks for
more. Lambda handlers (and `tarjama serve` / `invoke`, which run them) keep every JSON line.

Never log article text: log ids, counts, sizes and error codes only.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, TextIO

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

NAMESPACE = "tarjama"
SERVICE = "tarjama"


def in_lambda() -> bool:
    """True inside a Lambda runtime (including `sam local`), where stdout is the CloudWatch log stream."""
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def _stream() -> TextIO:
    return sys.stdout if in_lambda() else sys.stderr


logger = Logger(service=SERVICE, stream=_stream())

_lock = threading.Lock()
metric_counts: defaultdict[str, float] = defaultdict(float)
"""Sum of every metric value emitted by this process, by metric name (tests and `tarjama serve` read it)."""


def get_logger() -> Logger:
    """The one service logger (Powertools keys every record with `service` and the calling location)."""
    return logger


def emit_metric(
    name: str,
    value: float = 1.0,
    unit: MetricUnit = MetricUnit.Count,
    dimensions: dict[str, str] | None = None,
) -> None:
    """Emit one CloudWatch metric (namespace `tarjama`) as a single EMF line; never raises.

    A metric must not be able to break a request, so any serialization problem is logged and swallowed.
    """
    with _lock:
        metric_counts[name] += value
    if is_metrics_disabled() or not _write_metrics:
        return
    try:
        provider = AmazonCloudWatchEMFProvider(namespace=NAMESPACE, service=SERVICE)
        provider.add_metric(name=name, unit=unit, value=value)
        for key, dim in (dimensions or {}).items():
            provider.add_dimension(name=key, value=dim)
        line = json.dumps(provider.serialize_metric_set(), separators=(",", ":"))
    except Exception as exc:  # a metric is never worth a failed request
        logger.warning("metric_not_emitted", extra={"metric": name, "error": type(exc).__name__})
        return
    stream = _stream()
    with _lock:
        stream.write(line + "\n")
        stream.flush()


_write_metrics = True


@contextlib.contextmanager
def quiet_for_people(verbose: bool = False) -> Iterator[None]:
    """For the block (an interactive command): WARNING+ logs and no EMF lines, unless `verbose` or the
    LOG_LEVEL environment variable says otherwise (then that level, metrics included at INFO or below)."""
    global _write_metrics  # noqa: PLW0603 - one process, one audience
    if in_lambda():
        yield
        return
    saved = (logger.log_level, _write_metrics)
    level = (os.environ.get("LOG_LEVEL") or ("INFO" if verbose else "WARNING")).upper()
    logger.setLevel(level)
    _write_metrics = level in ("DEBUG", "INFO")
    # The model libraries' own progress bars are not for the reader of a command's output either.
    quiet_libraries = {"HF_HUB_DISABLE_PROGRESS_BARS": "1", "TRANSFORMERS_VERBOSITY": "error"}
    added = [k for k in quiet_libraries if k not in os.environ] if not _write_metrics else []
    os.environ.update({k: quiet_libraries[k] for k in added})
    try:
        yield
    finally:
        logger.setLevel(saved[0])
        _write_metrics = saved[1]
        for key in added:
            os.environ.pop(key, None)


_tracer: Any = None


def get_tracer() -> Any:
    """Powertools Tracer (X-Ray) when the X-Ray SDK is installed, else None; built once, on first use.

    Outside Lambda, or with POWERTOOLS_TRACE_DISABLED=true, Powertools disables it by itself. Handlers must
    trace with `capture_response=False, capture_error=False`: responses and messages may hold article text.
    """
    global _tracer  # noqa: PLW0603 - one per process
    if _tracer is None:
        import importlib.util

        if importlib.util.find_spec("aws_xray_sdk") is None:
            return None
        from aws_lambda_powertools import Tracer

        _tracer = Tracer(service=SERVICE)
    return _tracer
