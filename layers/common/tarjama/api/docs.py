"""Swagger UI at `/v1/docs`, with its assets served by the API itself (no CDN: it works offline).

The assets are swagger-ui-dist's own files (Apache-2.0, see static/SWAGGER-UI-LICENSE.txt), copied into
the package. The page loads nothing inline, so a strict Content-Security-Policy applies to it.
"""

from __future__ import annotations

import html
from functools import lru_cache
from importlib import resources

SWAGGER_UI_VERSION = "5.32.0"

STATIC_TYPES = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "tarjama-docs.js": "text/javascript; charset=utf-8",
    "favicon-32x32.png": "image/png",
    "SWAGGER-UI-LICENSE.txt": "text/plain; charset=utf-8",
    "SWAGGER-UI-NOTICE.txt": "text/plain; charset=utf-8",
    "swagger-ui-bundle.js.LICENSE.txt": "text/plain; charset=utf-8",
}

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@lru_cache(maxsize=16)
def static_asset(name: str) -> bytes | None:
    """The bytes of one packaged asset, or None when `name` is not one of ours (no path traversal)."""
    if name not in STATIC_TYPES:
        return None
    return resources.files("tarjama.api").joinpath("static", name).read_bytes()


def docs_page(base: str) -> str:
    """The Swagger UI page; `base` is the path prefix the API is mounted at (a stage, or empty)."""
    prefix = html.escape(base.rstrip("/"), quote=True)
    static = f"{prefix}/v1/docs/static"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>tarjama API</title>
  <link rel="stylesheet" href="{static}/swagger-ui.css">
  <link rel="icon" type="image/png" href="{static}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui" data-spec-url="{prefix}/v1/openapi.json"></div>
  <script src="{static}/swagger-ui-bundle.js"></script>
  <script src="{static}/tarjama-docs.js"></script>
</body>
</html>
"""
