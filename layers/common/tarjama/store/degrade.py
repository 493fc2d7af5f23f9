"""Degrade, never fail: a store failure turns into "no cache" for this call, logged and counted.

Throttling is retried by botocore (standard mode) first; what reaches here has persisted. Each failure is
logged (structured; ids and error codes only, never article text) and counted as the `CacheDegraded`
metric with a low-cardinality `Reason` dimension. An outage (connection refused, timeouts) also opens a
short circuit breaker: for `cooldown_seconds` the adapters skip the store instead of paying a connect
timeout on every call of every request. Throttling does not open it, because a throttled table still
answers most calls, and each answer saves a model run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionError,
    HTTPClientError,
    ReadTimeoutError,
)

from tarjama.observability import emit_metric, get_logger

logger = get_logger()

METRIC_DEGRADED = "CacheDegraded"

THROTTLING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "Throttling",
        "SlowDown",  # S3
        "TooManyRequestsException",
    }
)

# What a store call may raise that the caller can live without. Anything else is a bug and propagates.
STORE_ERRORS: tuple[type[Exception], ...] = (BotoCoreError, ClientError)


def classify(exc: BaseException) -> str:
    """A stable reason for a store failure: `throttled`, `unavailable` or the error code."""
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", "ClientError"))
        if code in THROTTLING_CODES:
            return "throttled"
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
        if status >= 500 or code in {"InternalServerError", "ServiceUnavailable"}:
            return "unavailable"
        return code
    if isinstance(exc, ConnectionError | HTTPClientError | ReadTimeoutError):
        return "unavailable"
    return type(exc).__name__


class Degrader:
    """Shared by the adapters of one table: records failures and holds the outage breaker."""

    def __init__(
        self, *, cooldown_seconds: float = 10.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._open_until = 0.0
        self._lock = threading.Lock()

    def available(self, component: str, operation: str) -> bool:
        """False while the breaker is open; the skipped call is counted, not logged (no log storm)."""
        with self._lock:
            is_open = self._clock() < self._open_until
        if is_open:
            emit_metric(METRIC_DEGRADED, dimensions={"Reason": "circuit_open"})
        return not is_open

    def failed(self, component: str, operation: str, exc: BaseException, **context: object) -> str:
        """Log and count a failure the caller is about to absorb; returns its reason."""
        reason = classify(exc)
        if reason == "unavailable":
            with self._lock:
                self._open_until = self._clock() + self.cooldown_seconds
        logger.warning(
            "cache_degraded",
            extra={
                "component": component,
                "operation": operation,
                "reason": reason,
                "error": type(exc).__name__,
                **context,
            },
        )
        emit_metric(METRIC_DEGRADED, dimensions={"Reason": reason if reason in _KNOWN else "error"})
        return reason

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


_KNOWN = frozenset({"throttled", "unavailable"})
