"""`/v1/jobs/{id}`: a job's record, for API jobs and bulk uploads alike."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from tarjama.api.http import clip, json_response
from tarjama.api.jobs import Jobs, is_job_id
from tarjama.api.openapi import responses
from tarjama.api.routers import new_router
from tarjama.api.schemas import JobView
from tarjama.errors import NotFoundError


def jobs_router(jobs: Jobs) -> Router:
    router = new_router()

    @router.get(
        "/v1/jobs/<job_id>",
        summary="Get a job",
        description=(
            "The job record: status, counts, result ids and errors, for API jobs and bulk uploads alike."
        ),
        operation_id="getJob",
        tags=["jobs"],
        responses=responses({200: ("The job.", JobView)}),
    )
    def get_job(job_id: str) -> Response[str]:
        view = jobs.get(job_id) if is_job_id(job_id) else None
        if view is None:
            raise NotFoundError(f"No job `{clip(job_id)}`.", details={"id": clip(job_id)})
        return json_response(view)

    return router
