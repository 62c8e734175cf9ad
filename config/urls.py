"""Haven's URLs. Each app owns its own; the API lives under /api/v1/."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from config.api import api
from haven.core.views import healthz

handler500 = "haven.ui.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("", include("haven.accounts.urls")),
    path("people/", include("haven.people.urls")),
    path("cases/", include("haven.cases.urls")),
    path("audit/", include("haven.audit.urls")),
    path("policy/", include("haven.policy.urls")),
    path("notifications/", include("haven.notifications.urls")),
    path("deadlines/", include("haven.deadlines.urls")),
    path("missing/", include("haven.missing.urls")),
    path("trigger-plans/", include("haven.triggerplans.urls")),
    path("dmm/", include("haven.dmm.urls")),
    path("workforce/", include("haven.workforce.urls")),
    path("guidance/", include("haven.guidance.urls")),
    path("referrals/", include("haven.referrals.urls")),
    path("protection/", include("haven.protection.urls")),
    path("custody/", include("haven.custody.urls")),
    path("partner/", include("haven.partners.urls")),
    path("demo/", include("haven.demo.urls")),  # demo mode only (each view answers 404 otherwise)
    path("second-factor/", include("mfa.urls")),
    path("django-admin/", admin.site.urls),
    # GOV.UK / MOJ stylesheets refer to /assets/…; the files are served under /static/assets/.
    re_path(r"^assets/(?P<path>.+)$", RedirectView.as_view(url="/static/assets/%(path)s", permanent=True)),
    path("", include("haven.ui.urls")),
]
