"""The /v1 application: routes, error handling, limits, OpenAPI document, docs page."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute

from api.v1 import bulk, feed, images, problems, reference, results, sync, webhooks
from api.v1.limits import BodyGate, RateLimiter
from api.v1.tags import DESCRIPTIONS, Tag
from api.v1.writes import IdempotencyKeys
from station.runtime import Runtime

API_VERSION = "1.0.0"  # the contract's version: bumped on every change to the document
DESCRIPTION = """\
The marketplace API of inbound-station: reference data in, inspection results out.

* Authenticate with `Authorization: Bearer <API key>` (`inbound-station apikey create`).
* Errors are RFC 9457 problem details (`application/problem+json`).
* Lists return `{"items": [...], "next": cursor or null}` and a `Link: rel="next"` header.
* POSTs accept an `Idempotency-Key` header: the response is replayed for 24 hours; the
  same key with a different request gets 422, and 409 while the first is still running.
* Webhooks are signed per the Standard Webhooks specification; receivers deduplicate on
  `webhook-id` and may see a message more than once.
"""
ROUTERS = (reference.router, images.router, bulk.router, results.router, feed.router,
           webhooks.router, sync.router)  # fmt: skip
ERRORS_EVERYWHERE = (400, 401, 403, 422, 429, 500, 503)  # 503: the database is out of reach
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes the POST safe to retry: its response is replayed for 24 hours.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
}


def operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_v1(runtime: Runtime) -> FastAPI:
    app = FastAPI(
        title="inbound-station marketplace API",
        version=API_VERSION,
        description=DESCRIPTION,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=operation_id,
    )
    app.state.runtime = runtime
    settings = runtime.settings.api
    app.state.rate_limiter = RateLimiter(settings.rate_per_second, settings.rate_burst)
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(IdempotencyKeys, runtime=runtime)
    app.add_middleware(BodyGate, settings=settings)  # outermost: bodies are read here first

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_json() -> JSONResponse:
        return JSONResponse(openapi_document(app))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/v1/openapi.json",
            title="inbound-station API",
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/swagger-ui/favicon-32x32.png",
        )

    return app


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with every error response declared as problem+json."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        servers=[{"url": "/v1"}],
        tags=[{"name": t.value, "description": DESCRIPTIONS[t]} for t in Tag],
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["Problem"] = problems.Problem.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    schemas.update(schemas["Problem"].pop("$defs", {}))
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            _declare_errors(path, method, operation)
    app.openapi_schema = document
    return document


def _declare_errors(path: str, method: str, operation: dict[str, Any]) -> None:
    responses = operation["responses"]
    codes = set(ERRORS_EVERYWHERE)
    if "{" in path:
        codes.add(404)
    if method in ("put", "post", "patch"):
        codes |= {413, 415}
    if method == "post":
        codes.add(409)  # a request with the same Idempotency-Key is still running
        operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
    codes |= {int(c) for c in responses if c.isdigit() and int(c) >= 400}
    for code in sorted(codes):
        slug = next(s for s, (_, status, _) in problems.CATALOGUE.items() if status == code)
        responses[str(code)] = {
            "description": problems.CATALOGUE[slug][0],
            "content": {problems.MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }


def standalone_document() -> dict[str, Any]:
    """The document without a configured installation (for committing it)."""
    from station.settings import load_settings

    runtime = Runtime.from_settings(load_settings(database_url="sqlite:///:memory:"))
    try:
        return openapi_document(create_v1(runtime))
    finally:
        runtime.close()


if __name__ == "__main__":  # .venv/bin/python -m api.v1.app > api/openapi.json
    import json

    print(json.dumps(standalone_document(), indent=2, sort_keys=True))
