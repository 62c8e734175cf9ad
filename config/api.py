"""The versioned JSON API root: /api/v1/, OpenAPI docs at /api/v1/docs (public: the schema is no secret).

Each domain app has a router in its ``api.py``, mounted here so that one OpenAPI document describes
them all. Every route declares its error responses with :func:`~haven.api.errors.errors`, which
always adds 401, 403 and 500; name 404 and 422 for a path parameter, 422 for query parameters, 400
and 422 for a body, 409 where a service can raise ``Conflict``. Writes get their routes from their
declarations (``haven.api.operations.mount``), which follows the same rule. The OpenAPI document
must stay honest: schemathesis checks it (haven/api/tests/test_schemathesis.py), and
test_openapi.py checks the rule above.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Schema

import haven
from haven.accounts.api import router as accounts_router
from haven.api import errors as api_errors
from haven.api.auth import SessionAuth, TokenAuth
from haven.api.errors import errors
from haven.api.root import HavenNinjaAPI
from haven.audit.api import router as audit_router
from haven.cases.api import router as cases_router
from haven.custody.api import router as custody_router
from haven.deadlines.api import router as deadlines_router
from haven.dmm.api import router as dmm_router
from haven.guidance.api import router as guidance_router
from haven.missing.api import router as missing_router
from haven.notifications.api import router as notifications_router
from haven.partners.api import router as partners_router
from haven.people.api import router as people_router
from haven.policy.api import router as policy_router
from haven.protection.api import router as protection_router
from haven.referrals.api import router as referrals_router
from haven.triggerplans.api import router as triggerplans_router
from haven.workforce.api import router as workforce_router

api = HavenNinjaAPI(
    title="Haven API",
    version="1",
    description=(
        "Haven's JSON API. Authenticate with the browser session or a personal API token "
        "(`Authorization: Bearer hvn_…`, created under 'Your account'). Every error is "
        '`{"error": {"code", "message", "fields", "request_id"}}`.'
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api_errors.install(api)


class ApiRoot(Schema):
    name: str
    version: str
    force: str
    docs: str
    openapi: str


@api.get("/", response={200: ApiRoot, **errors()}, summary="About this API", tags=["meta"])
def root(request: HttpRequest) -> ApiRoot:
    return ApiRoot(
        name="Haven",
        version=haven.__version__,
        force=settings.HAVEN_FORCE_NAME,
        docs="/api/v1/docs",
        openapi="/api/v1/openapi.json",
    )


api.add_router("", accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/cases", cases_router)
api.add_router("/people", people_router)
api.add_router("/deadlines", deadlines_router)
api.add_router("/missing", missing_router)
api.add_router("/notifications", notifications_router)
api.add_router("/policy", policy_router)
api.add_router("/trigger-plans", triggerplans_router)
api.add_router("/workforce", workforce_router)
api.add_router("/guidance", guidance_router)
api.add_router("/referrals", referrals_router)
api.add_router("/protection", protection_router)
api.add_router("/custody", custody_router)
api.add_router("/partner", partners_router)
api.add_router("/dmm", dmm_router)
