"""The HTTP API: routes on a Powertools REST resolver, and `handle(event, context)` for the Lambda handler.

What happens to a request, in order: the body is screened (`tarjama.api.screen`: content type, size,
encoding, JSON depth), the resolver routes it and validates the body against the pydantic schemas, the
route does one thing (digest, read the cache, read a job, describe the models), and every failure on the
way becomes `{"error": {...}}` through `tarjama.api.errors.error_response`.

The `Digester` is built on the first request that needs it, and a model loads only on a cache miss, so a
cold start that serves a cache hit does not pay for the models.
"""

from __future__ import annotations

import math
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError as PowertoolsNotFound
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.metrics import MetricUnit
from pydantic import BaseModel

from tarjama import PIPELINE_VERSION, __version__
from tarjama.api import docs, jobs
from tarjama.api.errors import (
    JSON,
    SECURITY_HEADERS,
    InternalError,
    MethodNotAllowedError,
    RouteNotFoundError,
    dumps,
    error_response,
    validation_error,
)
from tarjama.api.schemas import (
    BatchItem,
    BatchRequest,
    BatchResponse,
    DigestRequest,
    ErrorBody,
    ErrorResponse,
    HealthResponse,
    JobAccepted,
    JobView,
    ModelHealth,
)
from tarjama.api.screen import screen_body
from tarjama.config import Settings, get_settings
from tarjama.errors import NotFoundError, TarjamaError, TooLargeError
from tarjama.observability import emit_metric, get_logger
from tarjama.pipeline import Digester
from tarjama.result import DigestOptions, DigestResult

logger = get_logger()

# Routes that take a JSON body: their bodies are screened before the resolver sees them.
BODY_ROUTES = frozenset({("POST", "/v1/digests"), ("POST", "/v1/digests:batch")})
TOKENS_PER_WORD = 1.6  # Marian's sentencepiece on Arabic news: ~1.3-1.6 pieces a word; err on the high side

# --------------------------------------------------------------------------------------------- state

_lock = threading.Lock()
_digester: Digester | None = None


def get_digester() -> Digester:
    """The process's `Digester`, built on first use (cheap: no model, no AWS call until needed)."""
    global _digester  # noqa: PLW0603 - one per process, like a Lambda execution environment
    with _lock:
        if _digester is None:
            from tarjama.service import build_digester

            _digester = build_digester(get_settings())
        return _digester


def reset() -> None:
    """Forget the digester and settings (tests change the environment between cases)."""
    global _digester  # noqa: PLW0603
    with _lock:
        _digester = None
    get_settings.cache_clear()


# --------------------------------------------------------------------------------------------- helpers


def estimate_tokens(raw: str, fmt: str) -> int:
    """A cheap upper-side estimate of source tokens, without a tokenizer: words times a safe factor.

    Markup is skipped for HTML by a linear scan (no regular expression a hostile page could make slow).
    """
    if fmt == "html":
        parts = raw.split("<")
        raw = " ".join([parts[0], *(p.split(">", 1)[1] if ">" in p else p for p in parts[1:])])
    return math.ceil(len(raw.split()) * TOKENS_PER_WORD)


def effective_options(requested: DigestOptions | None, settings: Settings) -> DigestOptions:
    """The caller's options over the server's defaults: only the fields the caller actually set win."""
    base = {
        "summary": settings.summary,
        "summary_sentences": settings.summary_sentences,
        "beam_size": settings.beam_size,
    }
    if requested is not None:
        base.update({name: getattr(requested, name) for name in requested.model_fields_set})
    return DigestOptions.model_validate(base)


def _json(model: BaseModel, status: int = 200, headers: Mapping[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status,
        content_type=JSON,
        body=dumps(model.model_dump(mode="json")),
        headers={**SECURITY_HEADERS, **(headers or {})},
    )


def _check_size(raw: str, settings: Settings) -> None:
    if len(raw) > settings.max_chars:
        raise TooLargeError(
            f"The article has {len(raw):,} characters; the limit is {settings.max_chars:,}.",
            details={"chars": len(raw), "limit_chars": settings.max_chars},
        )


def _record_result(result: DigestResult) -> None:
    emit_metric("CacheHits" if result.cached else "CacheMisses")
    if not result.cached:
        emit_metric("SentencesFromMemory", float(result.usage.sentences_from_memory))
        emit_metric("TokensTranslated", float(result.usage.tokens_in))


def _status_url(job_id: str) -> str:
    return f"/v1/digests/{job_id}"


def digest_one(request: DigestRequest, settings: Settings) -> DigestResult | JobAccepted:
    """One article: digested now, or accepted as a job when it would not finish within the time limit."""
    raw = request.raw
    _check_size(raw, settings)
    options = effective_options(request.options, settings)
    estimate = estimate_tokens(raw, request.fmt)
    if estimate > settings.sync_token_budget:
        job_id = jobs.submit(raw, request.fmt, options, request.ref, settings)
        emit_metric("JobsAccepted")
        return JobAccepted(
            job_id=job_id, status_url=_status_url(job_id), ref=request.ref, estimated_tokens=estimate
        )
    result = get_digester().digest(raw, fmt=request.fmt, options=options, ref=request.ref)
    _record_result(result)
    return result


# --------------------------------------------------------------------------------------------- app


def _responses(ok: Mapping[int, tuple[str, type[BaseModel]]], *errors: int) -> dict[int, OpenAPIResponse]:
    out: dict[int, OpenAPIResponse] = {
        code: {"description": text, "content": {JSON: {"model": model}}} for code, (text, model) in ok.items()
    }
    for code in errors:
        out[code] = {"description": ERROR_DESCRIPTIONS[code], "content": {JSON: {"model": ErrorResponse}}}
    return out


ERROR_DESCRIPTIONS = {
    400: "`malformed_request`: the body is not valid UTF-8 JSON (or is nested too deep).",
    404: "`not_found`: no such result, job or route.",
    405: "`method_not_allowed`.",
    409: "`in_progress`: the same article is being digested by another request; retry shortly.",
    413: "`too_large`: the body, the article or the batch is over its limit (the limit is in the message).",
    415: "`unsupported_media_type`: send `Content-Type: application/json`.",
    422: "`invalid_input` (wrong fields or types), `not_arabic`, `empty_after_cleaning`.",
    429: "`throttled`: too many requests; retry with backoff.",
    500: "`internal`: an unexpected error; `details.request_id` identifies it in the logs.",
    503: "`model_missing`: the models are not installed on this server (the message says how to get them).",
}
COMMON_ERRORS = (404, 405, 429, 500)
BODY_ERRORS = (400, 409, 413, 415, 422, 503)

app = APIGatewayRestResolver(enable_validation=True, serializer=dumps)


@app.post(
    "/v1/digests",
    summary="Digest one article",
    description=(
        "Cleans, translates and summarizes one Arabic article. Returns the result (200), or, when the "
        "article is too long to finish within the request time limit, accepts it as a job (202) whose "
        "`status_url` returns the result when done."
    ),
    operation_id="createDigest",
    tags=["digests"],
    responses=_responses(
        {200: ("The digest.", DigestResult), 202: ("Accepted as a job.", JobAccepted)},
        *BODY_ERRORS,
        *COMMON_ERRORS,
    ),
)
def create_digest(request: Annotated[DigestRequest, Body()]) -> Response[str]:
    outcome = digest_one(request, get_settings())
    if isinstance(outcome, JobAccepted):
        return _json(outcome, 202, {"Location": outcome.status_url})
    return _json(outcome)


@app.post(
    "/v1/digests:batch",
    summary="Digest several articles",
    description=(
        "Up to `batch_max_items` articles (16 by default). Each item is answered on its own, in order, "
        "with its `ref`: a result, a job (long articles, and the items after the time budget is spent), "
        "or an error in the API's error shape."
    ),
    operation_id="createDigestBatch",
    tags=["digests"],
    responses=_responses(
        {200: ("One answer per item, in order.", BatchResponse)}, *BODY_ERRORS, *COMMON_ERRORS
    ),
)
def create_digest_batch(batch: Annotated[BatchRequest, Body()]) -> Response[str]:
    settings = get_settings()
    if len(batch.items) > settings.batch_max_items:
        raise TooLargeError(
            f"The batch has {len(batch.items)} items; the limit is {settings.batch_max_items}.",
            details={"items": len(batch.items), "limit_items": settings.batch_max_items},
        )
    budget = settings.sync_token_budget
    out: list[BatchItem] = []
    for index, item in enumerate(batch.items):
        try:
            _check_size(item.raw, settings)
            estimate = estimate_tokens(item.raw, item.fmt)
            if estimate > budget:
                # Over what is left of the request's time budget: this item (and only it) becomes a job.
                options = effective_options(item.options, settings)
                job_id = jobs.submit(item.raw, item.fmt, options, item.ref, settings)
                emit_metric("JobsAccepted")
                job = JobAccepted(
                    job_id=job_id, status_url=_status_url(job_id), ref=item.ref, estimated_tokens=estimate
                )
                out.append(BatchItem(index=index, ref=item.ref, status="accepted", job=job))
                continue
            budget -= estimate
            result = get_digester().digest(
                item.raw, fmt=item.fmt, options=effective_options(item.options, settings), ref=item.ref
            )
            _record_result(result)
            out.append(BatchItem(index=index, ref=item.ref, status="done", result=result))
        except Exception as exc:  # one item's failure is that item's answer, not the batch's
            error = exc if isinstance(exc, TarjamaError) else _internal(exc)
            emit_metric("Errors", dimensions={"code": error.code})
            out.append(
                BatchItem(index=index, ref=item.ref, status="error", error=ErrorBody(**error.to_dict()))
            )
    return _json(BatchResponse(items=out))


@app.get(
    "/v1/digests/<digest_id>",
    summary="Get a result, or a job's progress",
    description=(
        "`a_...`: a stored result (404 when unknown or expired). `j_...`: the job's status (202) while it "
        "runs, its result (200) when done, its error when it failed."
    ),
    operation_id="getDigest",
    tags=["digests"],
    responses=_responses(
        {200: ("The result.", DigestResult), 202: ("The job is still running.", JobView)}, *COMMON_ERRORS, 503
    ),
)
def get_digest(digest_id: str) -> Response[str]:
    settings = get_settings()
    if jobs.is_job_id(digest_id):
        view = jobs.get(digest_id, settings)
        if view is None:
            raise NotFoundError(f"No job `{_clip(digest_id)}`.", details={"id": _clip(digest_id)})
        if view.status in ("queued", "running"):
            return _json(view, 202, {"Retry-After": "2"})
        if view.status == "failed" or not view.result_ids:
            raise _job_error(view)
        digest_id = view.result_ids[0]
    if jobs.is_result_id(digest_id):
        cache = get_digester().ports.cache
        result = cache.get(digest_id, strict=True) if cache is not None else None
        if result is not None:
            emit_metric("CacheHits")
            result.cached = True
            return _json(result)
    raise NotFoundError(
        f"No result `{_clip(digest_id)}` (unknown, or expired from the cache).",
        details={"id": _clip(digest_id)},
    )


@app.get(
    "/v1/jobs/<job_id>",
    summary="Get a job",
    description="The job record: status, counts, result ids and errors, for API jobs and bulk uploads alike.",
    operation_id="getJob",
    tags=["jobs"],
    responses=_responses({200: ("The job.", JobView)}, *COMMON_ERRORS),
)
def get_job(job_id: str) -> Response[str]:
    view = jobs.get(job_id, get_settings()) if jobs.is_job_id(job_id) else None
    if view is None:
        raise NotFoundError(f"No job `{_clip(job_id)}`.", details={"id": _clip(job_id)})
    return _json(view)


@app.get(
    "/v1/health",
    summary="Health, version and models",
    description="Never loads a model: it reports what is installed and what is already loaded.",
    operation_id="getHealth",
    tags=["service"],
    responses=_responses({200: ("Service health.", HealthResponse)}, *COMMON_ERRORS),
)
def get_health() -> Response[str]:
    return _json(health())


def health() -> HealthResponse:
    settings = get_settings()
    models_port = get_digester().ports.models
    problems: list[ErrorBody] = []
    models: dict[str, ModelHealth] = {}
    try:
        described = models_port.describe(settings.summary)
    except TarjamaError as exc:
        problems.append(ErrorBody(**exc.to_dict()))
        described = {}
    loaded_fn: Callable[[], Any] | None = getattr(models_port, "loaded", None)
    loaded = loaded_fn() if loaded_fn is not None else {}
    for role, ref in described.items():
        is_loaded = bool(loaded.get(role) or loaded.get(ref.name)) if isinstance(loaded, Mapping) else False
        if not isinstance(loaded, Mapping):
            is_loaded = role in loaded or ref.name in loaded
        models[role] = ModelHealth(**ref.model_dump(), loaded=is_loaded)
    return HealthResponse(
        status="degraded" if problems else "ok",
        version=__version__,
        pipeline_version=PIPELINE_VERSION,
        models=models,
        problems=problems,
    )


@app.get("/v1/openapi.json", include_in_schema=False)
def get_openapi() -> Response[str]:
    return Response(status_code=200, content_type=JSON, body=openapi_json(), headers={**SECURITY_HEADERS})


@app.get("/v1/docs", include_in_schema=False)
def get_docs() -> Response[str]:
    return Response(
        status_code=200,
        content_type="text/html; charset=utf-8",
        body=docs.docs_page(_mount_prefix()),
        headers={**SECURITY_HEADERS, "Content-Security-Policy": docs.CSP},
    )


@app.get("/v1/docs/static/<name>", include_in_schema=False)
def get_docs_static(name: str) -> Response[Any]:
    data = docs.static_asset(name)
    if data is None:
        raise NotFoundError(f"No asset `{_clip(name)}`.")
    content_type = docs.STATIC_TYPES[name]
    body: str | bytes = data.decode("utf-8") if content_type.startswith("text/") else data
    return Response(
        status_code=200,
        content_type=content_type,
        body=body,
        headers={**SECURITY_HEADERS, "Cache-Control": "public, max-age=86400"},
    )


_openapi_cache: str | None = None


def openapi_json() -> str:
    global _openapi_cache  # noqa: PLW0603 - the schema is a pure function of the code
    if _openapi_cache is None:
        _openapi_cache = app.get_openapi_json_schema(
            title="tarjama",
            version=__version__,
            description=(
                "Arabic news articles cleaned, translated to English and summarized in Arabic and English. "
                'Every error has the shape `{"error": {"code", "message", "details"}}`.'
            ),
        )
    return _openapi_cache


def _mount_prefix() -> str:
    """The stage prefix in front of our paths (`/Prod` behind API Gateway), from the request context."""
    event = app.current_event
    full = str((event.raw_event.get("requestContext") or {}).get("path") or "")
    path = event.path
    return full[: -len(path)] if path and full.endswith(path) else ""


def _clip(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def _job_error(view: JobView) -> TarjamaError:
    first = view.errors[0] if view.errors else None
    cls = _error_class(first.code if first else "internal")
    message = first.message if first else "The job failed."
    return cls(message, details={**(first.details if first else {}), "job_id": view.job_id})


def _error_class(code: str) -> type[TarjamaError]:
    stack: list[type[TarjamaError]] = [TarjamaError]
    while stack:
        cls = stack.pop()
        if cls.code == code:
            return cls
        stack.extend(cls.__subclasses__())
    return InternalError


# --------------------------------------------------------------------------------------------- errors


def _request_id() -> str:
    event = getattr(app, "current_event", None)
    raw = getattr(event, "raw_event", None)
    if isinstance(raw, Mapping):
        rid = (raw.get("requestContext") or {}).get("requestId")
        if rid:
            return str(rid)
    context = getattr(app, "lambda_context", None)
    return str(getattr(context, "aws_request_id", "") or "unknown")


def _log_error(exc: BaseException, event: str) -> None:
    """Log an error by type and code path only: exception messages may quote article text."""
    frames = [
        f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}"
        for f in traceback.extract_tb(exc.__traceback__)
    ]
    logger.error(
        event,
        extra={
            "error_type": type(exc).__name__,
            "error_code": getattr(exc, "code", None),
            "frames": frames[-12:],
            "request_id": _request_id(),
        },
    )


def _internal(exc: BaseException) -> InternalError:
    _log_error(exc, "unhandled_error")
    request_id = _request_id()
    return InternalError(
        f"An unexpected error occurred; quote request id {request_id} when reporting it.",
        details={"request_id": request_id},
    )


def _respond_error(exc: TarjamaError) -> Response[str]:
    emit_metric("Errors", dimensions={"code": exc.code})
    if exc.status >= 500 and not isinstance(exc, InternalError):
        logger.warning("service_error", extra={"error_code": exc.code, "request_id": _request_id()})
    return error_response(exc)


def _on_tarjama_error(exc: TarjamaError) -> Response[str]:
    return _respond_error(exc)


def _on_validation_error(exc: RequestValidationError) -> Response[str]:
    return _respond_error(validation_error(exc.errors()))


def _on_not_found(exc: PowertoolsNotFound) -> Response[str]:
    method = app.current_event.http_method.upper()
    path = app.current_event.path
    allowed = sorted(
        {
            route.method
            for route in [*app._static_routes, *app._dynamic_routes]
            if route.rule.match(path) and route.method != method
        }
    )
    if allowed:
        return error_response(
            MethodNotAllowedError(
                f"{method} is not allowed here; use {', '.join(allowed)}.", details={"allowed": allowed}
            ),
            headers={"Allow": ", ".join(allowed)},
        )
    return _respond_error(RouteNotFoundError(f"No route {method} {_clip(path)}."))


def _on_unexpected(exc: Exception) -> Response[str]:
    return _respond_error(_internal(exc))


# Registered by call, not as decorators: Powertools' decorator is untyped.
app.exception_handler(TarjamaError)(_on_tarjama_error)
app.exception_handler(RequestValidationError)(_on_validation_error)
app.exception_handler(PowertoolsNotFound)(_on_not_found)
app.exception_handler(Exception)(_on_unexpected)

# --------------------------------------------------------------------------------------------- entry


def _route_key(event: Mapping[str, Any]) -> str:
    """The route template a request matched (`/v1/digests/<digest_id>`): a metric dimension of few values."""
    method = str(event.get("httpMethod") or "").upper()
    path = str(event.get("path") or "")
    for route in [*app._static_routes, *app._dynamic_routes]:
        if route.method == method and route.rule.match(path):
            return f"{method} {route.path}"
    return "unmatched"


def _as_lambda(response: Response[str], event: Mapping[str, Any]) -> dict[str, Any]:
    """A response built outside the resolver (a screening failure), in API Gateway's proxy shape."""
    headers: dict[str, list[str]] = {"Content-Type": [str(response.content_type or JSON)]}
    for key, value in response.headers.items():
        headers[key] = [value] if isinstance(value, str) else list(value)
    return {
        "statusCode": response.status_code,
        "multiValueHeaders": headers,
        "body": response.body,
        "isBase64Encoded": False,
    }


def handle(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """The API Lambda's whole job: screen, route, answer; never raises, never returns a stack trace."""
    started = time.perf_counter()
    request_id = str(
        ((event.get("requestContext") or {}) if isinstance(event, Mapping) else {}).get("requestId") or ""
    )
    logger.set_correlation_id(request_id or None)  # never carry the previous request's id over
    route = _route_key(event) if isinstance(event, Mapping) else "?"
    try:
        method = str(event.get("httpMethod") or "").upper()
        refused: dict[str, Any] | None = None
        if (method, str(event.get("path") or "")) in BODY_ROUTES:
            try:
                event = screen_body(event, get_settings().max_body_bytes)
            except TarjamaError as exc:  # still logged and measured below, like every other answer
                emit_metric("Errors", dimensions={"code": exc.code})
                refused = _as_lambda(error_response(exc), event)
        response = refused if refused is not None else app.resolve(dict(event), context)
    except Exception as exc:  # the resolver itself failed: still one JSON error, never a trace
        internal = _internal(exc)
        emit_metric("Errors", dimensions={"code": internal.code})
        response = _as_lambda(error_response(internal), event if isinstance(event, Mapping) else {})
    status = int(response.get("statusCode", 500))
    elapsed = (time.perf_counter() - started) * 1000
    emit_metric("Latency", elapsed, MetricUnit.Milliseconds, dimensions={"route": route})
    logger.info(
        "request",
        extra={"route": route, "method": event.get("httpMethod"), "status": status, "ms": round(elapsed, 1)},
    )
    return response
