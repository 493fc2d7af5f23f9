"""`/v1/health`: version and models, from descriptions only (it never loads a model)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from tarjama import PIPELINE_VERSION, __version__
from tarjama.api.http import json_response
from tarjama.api.openapi import responses
from tarjama.api.routers import new_router
from tarjama.api.schemas import ErrorBody, HealthResponse, ModelHealth, TierHealth
from tarjama.config import MODEL_TYPES, Settings
from tarjama.errors import TarjamaError
from tarjama.ports import ModelPort


def tier_health(settings: Settings, models: ModelPort, model_type: str) -> TierHealth:
    """One tier's models, from descriptions only; its problem when they cannot be described."""
    port = models.for_tier(model_type)
    problems: list[ErrorBody] = []
    try:
        described = port.describe(settings.summary)
    except TarjamaError as exc:
        problems.append(ErrorBody(**exc.to_dict()))
        described = {}
    loaded = port.loaded()
    return TierHealth(
        installed=not problems,
        default=model_type == settings.model_type,
        models={
            role: ModelHealth(**ref.model_dump(), loaded=loaded.get(role, False))
            for role, ref in described.items()
        },
        problems=problems,
    )


def health(settings: Settings, models: ModelPort) -> HealthResponse:
    """`degraded`, with the reason, when the default tier's models cannot be described (not installed).

    Both tiers are listed; the other tier missing leaves the service `ok` (its requests get `503`).
    """
    tiers = {t: tier_health(settings, models, t) for t in MODEL_TYPES}
    default = tiers[settings.model_type]
    return HealthResponse(
        status="degraded" if default.problems else "ok",
        version=__version__,
        pipeline_version=PIPELINE_VERSION,
        models=default.models,
        model_types=tiers,
        problems=default.problems,
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
