"""One Powertools `Router` per resource, each built by a function from what its routes need."""

from aws_lambda_powertools.event_handler.api_gateway import Router


def new_router() -> Router:
    """A Powertools `Router` (its constructor has no annotations, so mypy --strict wants it said once)."""
    router: Router = Router()  # type: ignore[no-untyped-call]
    return router
