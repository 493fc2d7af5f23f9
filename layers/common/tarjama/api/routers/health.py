"""`/v1/health`: version and models, from descriptions only (it never loads a model)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from tarjama import PIPELINE_VERSION, __version__
from tarjama.api.http import json_response
from tarjama.api.openapi import responses
from tarjama.api.routers import new_router
from tarjama.api.schemas import ErrorBody, HealthResponse, ModelHealth
from tarjama.config import Settings
from tarjama.errors import TarjamaError
from tarjama.ports import ModelPort


def health(settings: Settings, models: ModelPort) -> HealthResponse:
    """`degraded`, with the reason, when the configured models cannot be described (not installed)."""
    problems: list[ErrorBody] = []
    try:
        described = models.describe(settings.summary)
    except TarjamaError as exc:
        problems.append(ErrorBody(**exc.to_dict()))
        described = {}
    loaded = models.loaded()
    return HealthResponse(
        status="degraded" if problems else "ok",
        version=__version__,
        pipeline_version=PIPELINE_VERSION,
        models={
            role: ModelHealth(**ref.model_dump(), loaded=loaded.get(role, False))
            for role, ref in described.items()
        },
        problems=problems,
    )


def health_router(settings: Settings, models: ModelPort) -> Router:
    router = new_router()

    @router.get(
        "/v1/health",
        summary="Health, version and models",
        description="Never loads a model: it reports what is installed and what is already loaded.",
        operation_id="getHealth",
        tags=["service"],
        responses=responses({200: ("Service health.", HealthResponse)}),
    )
    def get_health() -> Response[str]:
        return json_response(health(settings, models))

    return router
