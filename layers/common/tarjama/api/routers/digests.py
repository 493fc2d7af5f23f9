"""`/v1/digests`: digest one article or a batch, and read a result or a job's progress by id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from tarjama.api import jobs as job_ids
from tarjama.api.digesting import digest_or_submit
from tarjama.api.errors import report
from tarjama.api.http import clip, json_response
from tarjama.api.jobs import Jobs
from tarjama.api.openapi import responses
from tarjama.api.routers import new_router
from tarjama.api.schemas import (
    BatchItem,
    BatchRequest,
    BatchResponse,
    DigestRequest,
    ErrorBody,
    JobAccepted,
    JobView,
)
from tarjama.config import Settings
from tarjama.errors import NotFoundError, TarjamaError, TooLargeError
from tarjama.observability import emit_metric
from tarjama.pipeline import Digester
from tarjama.result import DigestResult

Middleware = Callable[..., Response[Any]]


def digests_router(
    settings: Settings,
    digester: Digester,
    jobs: Jobs,
    *,
    body_middlewares: Sequence[Middleware],
    request_id: Callable[[], str],
) -> Router:
    """The digest routes; `body_middlewares` screen and validate a posted body before a route sees it."""
    router = new_router()

    @router.post(
        "/v1/digests",
        summary="Digest one article",
        description=(
            "Cleans, translates and summarizes one Arabic article. Returns the result (200), or, when the "
            "article is too long to finish within the request time limit, accepts it as a job (202) whose "
            "`status_url` returns the result when done."
        ),
        operation_id="createDigest",
        tags=["digests"],
        responses=responses(
            {200: ("The digest.", DigestResult), 202: ("Accepted as a job.", JobAccepted)}, "body", "glossary"
        ),
        middlewares=list(body_middlewares),
    )
    def create_digest(request: Annotated[DigestRequest, Body()]) -> Response[str]:
        outcome = digest_or_submit(
            request, budget=settings.sync_token_budget, settings=settings, digester=digester, jobs=jobs
        )
        if outcome.job is not None:
            return json_response(outcome.job, 202, {"Location": outcome.job.status_url})
        assert outcome.result is not None
        return json_response(outcome.result)

    @router.post(
        "/v1/digests:batch",
        summary="Digest several articles",
        description=(
            "Up to `batch_max_items` articles (16 by default). Each item is answered on its own, in order, "
            "with its `ref`: a result, a job (long articles, and the items after the time budget is spent), "
            "or an error in the API's error shape."
        ),
        operation_id="createDigestBatch",
        tags=["digests"],
        responses=responses({200: ("One answer per item, in order.", BatchResponse)}, "body", "glossary"),
        middlewares=list(body_middlewares),
    )
    def create_digest_batch(batch: Annotated[BatchRequest, Body()]) -> Response[str]:
        if len(batch.items) > settings.batch_max_items:
            raise TooLargeError(
                f"The batch has {len(batch.items)} items; the limit is {settings.batch_max_items}.",
                details={"items": len(batch.items), "limit_items": settings.batch_max_items},
            )
        budget = settings.sync_token_budget
        out: list[BatchItem] = []
        for index, item in enumerate(batch.items):
            ref = item.ref
            try:
                outcome = digest_or_submit(
                    item, budget=budget, settings=settings, digester=digester, jobs=jobs
                )
            except Exception as exc:  # one item's failure is that item's answer, not the batch's
                error = report(exc, request_id())
                out.append(
                    BatchItem(index=index, ref=ref, status="error", error=ErrorBody(**error.to_dict()))
                )
                continue
            if outcome.job is not None:  # over what is left of the time budget: this item (only) is a job
                out.append(BatchItem(index=index, ref=ref, status="accepted", job=outcome.job))
            else:
                budget -= outcome.tokens
                out.append(BatchItem(index=index, ref=ref, status="done", result=outcome.result))
        return json_response(BatchResponse(items=out))

    @router.get(
        "/v1/digests/<digest_id>",
        summary="Get a result, or a job's progress",
        description=(
            "`a_...`: a stored result (404 when unknown or expired). `j_...`: the job's status (202) while "
            "it runs, its result (200) when done, its error when it failed."
        ),
        operation_id="getDigest",
        tags=["digests"],
        responses=responses(
            {200: ("The result.", DigestResult), 202: ("The job is still running.", JobView)}, "result"
        ),
    )
    def get_digest(digest_id: str) -> Response[str]:
        if job_ids.is_job_id(digest_id):
            view = jobs.get(digest_id)
            if view is None:
                raise NotFoundError(f"No job `{clip(digest_id)}`.", details={"id": clip(digest_id)})
            if view.status in ("queued", "running"):
                return json_response(view, 202, {"Retry-After": "2"})
            if view.status == "failed" or not view.result_ids:
                raise _job_error(view)
            digest_id = view.result_ids[0]
        cache = digester.ports.cache
        if job_ids.is_result_id(digest_id) and cache is not None:
            result = cache.get(digest_id, strict=True)
            if result is not None:
                emit_metric("CacheHits")
                result.cached = True
                return json_response(result)
        raise NotFoundError(
            f"No result `{clip(digest_id)}` (unknown, or expired from the cache).",
            details={"id": clip(digest_id)},
        )

    return router


def _job_error(view: JobView) -> TarjamaError:
    """A failed job's first error, raised again with its own code (its status is the registry's)."""
    first = view.errors[0] if view.errors else None
    if first is None:
        return TarjamaError("The job failed.", details={"job_id": view.job_id}, code="internal")
    return TarjamaError(first.message, details={**first.details, "job_id": view.job_id}, code=first.code)
