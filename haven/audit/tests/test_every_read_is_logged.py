"""Every read of personal data is logged as a consultation (DP-01, DPA 2018 s62(1)(c)).

Two walks over demo data (``seed_demo``), as one user allowed to read everything that is not
restricted: every GET route of the JSON API (from its OpenAPI document) and every UI page of the
domain apps (from the URLconf). Each call about a record (an id in the URL) that answers 200 must
add at least one consultation row naming a person or a case; so must a page without an id (a list,
a search) whose answer shows the id of any person or case. Routes and pages are found at run time,
so a new app's endpoints are walked as soon as they are registered: an endpoint that shows personal
data without logging fails here, and so does one the walk cannot reach for lack of demo data (the
app's ``seed_<app>()`` should create a record of each kind its pages show). Record ids in URLs are
found from the parameter's name (``case_id`` → Case, ``episode_id`` → Episode, ``/people/{public_id}``
→ Person); add to ``PARAM_MODELS``, ``SEGMENT_MODELS``, ``PARAM_VALUES`` or ``UI_ROUTE_BUILDERS`` when
that guess cannot work, and to the allow-lists only what shows no personal data, saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from haven.audit.choices import Operation
from haven.audit.models import AccessEvent

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# The walker may read everything that is not restricted, and read the log (auditor).
WALKER_ROLES = ("inspector", "investigator", "crsu_officer", "supervisor", "analyst", "auditor")

# --- API routes that show no personal data of the people Haven is about --------------------------
API_NO_PERSONAL_DATA = {
    "/api/v1/": "about the API",
    "/api/v1/me": "the caller's own account",
    "/api/v1/ranks": "reference data",
    "/api/v1/teams": "reference data: the force's teams",
    "/api/v1/teams/{team_id}": "reference data: one team",
    "/api/v1/users": "the staff directory (Haven's users, not subjects)",
    "/api/v1/tokens": "the caller's own API tokens",
    "/api/v1/role-grants": "role grants between Haven's users (staff, not subjects)",
    "/api/v1/policy": "force policy settings",
    "/api/v1/policy/changes": "changes to force policy settings",
    "/api/v1/dmm/cases/{case_id}/obligations": "the names of a case's open obligations (PNC, UKMPU…), no person's",
    "/api/v1/workforce/officers/{officer_id}": "an officer's training record (staff, not subjects); its read is "
    "logged as a consultation naming the officer (haven/workforce/tests/test_api.py)",
    "/api/v1/workforce/report": "the force's training report (staff, not subjects); logged naming the officers "
    "overdue (haven/workforce/tests/test_reports.py)",
    "/api/v1/workforce/capacity": "teams' posts and officers' open work as counts (staff, not subjects); logged "
    "naming the officers (haven/workforce/tests/test_reports.py)",
    "/api/v1/guidance/items/{item_id}": "a guidance document or briefing: the force's guidance, not personal data",
    "/api/v1/partner/items": "a partner agency's portal: only its members read it (the walker is police, and "
    "gets 403); each read is logged naming the items' cases (haven/partners/tests/test_portal.py)",
    "/api/v1/partner/items/{item_id}": "one item shared with a partner agency: only its members read it, others "
    "get 404; each read is logged (haven/partners/tests/test_portal.py)",
    "/api/v1/partner/agencies": "the partner agencies and their users (organisations and staff, not subjects)",
}

# --- UI pages ----------------------------------------------------------------------------------
# Namespaces that are not about people or cases: sign-in and accounts, the second factor, the
# administration and policy pages, and the s62 log's own pages (which log their reads, tested in
# test_pages.py). Every other namespace is walked, including apps added later.
# Training records (workforce) are staff's, like accounts': their reads are logged naming the officers
# (haven/workforce/tests/test_pages.py).
# The guidance library is the force's documents, not personal data; who has read an item is logged
# naming the officers shown (haven/guidance/tests/test_pages.py).
# The partner portal is read only by a partner agency's members (the walker is police, and gets 403); each
# read is logged naming the items' cases, and the agencies' pages hold organisations and staff
# (haven/partners/tests/test_portal.py).
UI_OTHER_NAMESPACES = {
    None,
    "admin",
    "api",
    "accounts",
    "mfa",
    "audit",
    "policy",
    "ui",
    "workforce",
    "guidance",
    "partners",
}
UI_NO_PERSONAL_DATA = {
    "people:create": "an empty form to record a person",
    "cases:open": "an empty form to open a case (the subject is chosen by search, which is logged)",
    "people:search": "the empty search form (a search with a query is walked below as people:search?q=)",
    "cases:break-glass": "asks for a reason and shows nothing of the case; breaking the glass (POST) logs",
    "people:break-glass": "asks for a reason and shows nothing of the person; breaking the glass (POST) logs",
    "cases:reopen": "only for a closed case and a supervisor of its team; the demo data has no closed case",
    "protection:end": "only the child's designated officer opens it (its read is logged: haven/protection/tests)",
    "notifications:open": "marks the user's own notification read and redirects to its link (walked there)",
    "demo:mail": "demo mode only: the e-mail Haven sent, which never holds personal data (haven.core.mail)",
    "demo:mail-message": "demo mode only: one e-mail Haven sent, which never holds personal data",
    "missing:sighting-report": "an empty form to report a sighting of a child by name",
    "referrals:new": "an empty form to find the child a referral is about (the search is logged by people)",
    "referrals:strategy-new": "an empty form (with ?referral= it shows that referral, logged by its selector)",
    "custody:new": "an empty form to find the child to book in (the search and the child chosen are logged by people)",
}
# Pages about people Haven holds no record of: their consultation names what they showed instead.
UI_LOGGED_WITHOUT_A_RECORD = {
    "/missing/sightings/unmatched/": "children reported seen by a name that matched no one child missing now: "
    "the log names the sightings shown (LOCATING)",
}
# Query strings that make a list page show records (walked in addition to the bare page).
UI_QUERIES = {"people:search": {"q": "{surname}"}}
API_QUERIES = {
    "/api/v1/audit/events": {"person": "{person}"},
}
# Parameters whose record cannot be guessed from their name.
PARAM_MODELS = {"other_id": "people.Person", "person_id": "people.Person"}
# A ``public_id`` right after an app's own prefix: the app's main record.
SEGMENT_MODELS = {
    "missing": "missing.Episode",
    "trigger-plans": "triggerplans.TriggerPlan",
    "guidance": "guidance.GuidanceItem",
    "referrals": "referrals.ChildConcernReferral",
    "custody": "custody.Detention",
}


def _people_record_urls(route: str) -> list[str]:
    """/people/<id>/<record>/<record_id>/…: one URL per kind of linked record the demo data holds."""
    from haven.people.selectors import RECORD_MODELS

    urls = []
    for kind in RECORD_MODELS:
        row = (
            apps.get_model("people", kind)
            ._default_manager.filter(person__is_restricted=False, person__merged_into__isnull=True)
            .order_by("pk")
            .first()
        )
        if row is not None:
            urls.append(
                route.replace("<str:public_id>", str(row.person.public_id))
                .replace("<str:record>", kind)
                .replace("<str:record_id>", str(row.public_id))
            )
    return urls


def _people_with_a_photo_urls(route: str) -> list[str]:
    """…/people/<id>/photo: people who have a photograph (most demo people have none)."""
    ids = (
        apps.get_model("people", "PersonPhoto")
        ._default_manager.filter(person__is_restricted=False, person__merged_into__isnull=True)
        .order_by("-pk")
        .values_list("person__public_id", flat=True)[:3]
    )
    return [route.replace("<str:public_id>", str(i)).replace("{public_id}", str(i)) for i in ids]


def _high_risk_episode_urls(route: str) -> list[str]:
    """/missing/<id>/investigating-officer/: only an active high-risk episode has one to choose."""
    ids = (
        apps.get_model("missing", "Episode")
        ._default_manager.filter(grade="high", state__in=("reported", "open"))
        .exclude(case__sensitivity="restricted")
        .order_by("-pk")
        .values_list("public_id", flat=True)[:2]
    )
    return [route.replace("<str:public_id>", str(i)) for i in ids]


def _protection_notification_urls(route: str) -> list[str]:
    """/protection/<id>/notifications/?item=: a notification to record on a police protection still open."""
    ids = (
        apps.get_model("protection", "PoliceProtection")
        ._default_manager.filter(ended_at__isnull=True)
        .order_by("-pk")
        .values_list("public_id", flat=True)[:2]
    )
    return [route.replace("<str:public_id>", str(i)) + "?item=parents" for i in ids]


def _pending_epo_urls(route: str) -> list[str]:
    """/protection/<id>/epo/decision/?application=: an application still waiting for the court."""
    rows = (
        apps.get_model("protection", "EpoApplication")
        ._default_manager.filter(outcome="pending")
        .order_by("-pk")
        .values_list("protection__public_id", "public_id")[:2]
    )
    return [route.replace("<str:public_id>", str(p)) + f"?application={a}" for p, a in rows]


API_ROUTE_BUILDERS: dict[str, Callable[[str], list[str]]] = {
    "/api/v1/people/{public_id}/photo": _people_with_a_photo_urls,
}
# Pages whose parameters depend on each other: they build their own URLs.
UI_ROUTE_BUILDERS: dict[str, Callable[[str], list[str]]] = {
    "people:photo": _people_with_a_photo_urls,
    "people:record-change": _people_record_urls,
    "people:record-remove": _people_record_urls,
    "people:record-end": _people_record_urls,
    "missing:investigating-officer": _high_risk_episode_urls,
    "protection:notification": _protection_notification_urls,
    "protection:epo-decision": _pending_epo_urls,
}
PARAM_VALUES: dict[str, Callable[[], list[str]]] = {
    "number": lambda: ["1"],  # a version number (trigger plans)
    "which": lambda: ["my-deadlines", "team-deadlines"],  # the home page's deadline sections
    # The kinds of record a person page can add (haven/people/views.py RECORDS).
    "record": lambda: list(__import__("haven.people.views", fromlist=["RECORDS"]).RECORDS),
}


_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _consultations(user: Any, after: int = 0) -> list[AccessEvent]:
    """The user's consultations logged after the row ``after`` (ids only grow: one sequence)."""
    rows = AccessEvent.objects.filter(actor=user, operation=Operation.CONSULTATION, id__gt=after)
    return list(rows.order_by("id"))


def _last_event_id() -> int:
    return AccessEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _haven_models_with_public_id() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("haven.") and any(f.name == "public_id" for f in m._meta.concrete_fields)
    ]


def _singular(word: str) -> str:
    word = word.lower().replace("-", "").replace("_", "")
    if word == "people":
        return "person"
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _model_for(param: str, segment: str) -> type[models.Model] | None:
    if param in PARAM_MODELS:
        return apps.get_model(PARAM_MODELS[param])
    name = param.removesuffix("_id")
    if name in ("public", "") and segment in SEGMENT_MODELS:
        return apps.get_model(SEGMENT_MODELS[segment])
    wanted = [_singular(segment)] if name in ("public", "") else [_singular(name), _singular(segment)]
    by_name = {str(m._meta.model_name): m for m in _haven_models_with_public_id()}
    for w in wanted:
        if w in by_name:
            return by_name[w]
    for w in wanted:  # "episode" → MissingEpisode, "plan" → TriggerPlan
        found = [m for n, m in by_name.items() if n.endswith(w)]
        if len(found) == 1:
            return found[0]
    return None


def _not_restricted(model: type[models.Model]) -> models.QuerySet[Any]:
    rows = model._default_manager.all()
    names = {f.name for f in model._meta.get_fields()}
    if "is_restricted" in names:
        rows = rows.filter(is_restricted=False)
    if "sensitivity" in names:
        rows = rows.exclude(sensitivity="restricted")
    if "case" in names and model._meta.get_field("case").is_relation:
        rows = rows.exclude(case__sensitivity="restricted")
    if "merged_into" in names:
        rows = rows.filter(merged_into__isnull=True)
    return rows


def _values_for(param: str, segment: str) -> list[str]:
    if param in PARAM_VALUES:
        return PARAM_VALUES[param]()
    model = _model_for(param, segment)
    if model is None:
        return []
    return [str(v) for v in _not_restricted(model).order_by("-pk").values_list("public_id", flat=True)[:5]]


def _fill(template: str, pattern: str) -> Iterator[str]:
    """Concrete URLs for a route with {name} or <conv:name> parameters: each combination of candidates."""
    names = re.findall(pattern, template)
    if not names:
        yield template
        return
    segments = {}
    for name in names:
        before = template.split(name)[0]
        parts = [p for p in re.split(r"[/{}<>]", before) if p and ":" not in p]
        segments[name] = parts[-1] if parts else ""
    options = {name: _values_for(name, segments[name]) for name in names}
    if any(not v for v in options.values()):
        return
    for i in range(max(len(v) for v in options.values())):
        url = template
        for name in names:
            value = options[name][i % len(options[name])]
            url = re.sub(pattern.replace("(\\w+)", re.escape(name)), value, url, count=1)
        yield url


@pytest.fixture
def demo(db: Any, make_user: Callable[..., Any]) -> dict[str, str]:
    from haven.demo.seed import seed_demo
    from haven.people import services as people_services
    from haven.people.models import Merge
    from haven.people.schemas import MergeIn, PhotoIn

    seed_demo()
    person_model = apps.get_model("people", "Person")
    person = _not_restricted(person_model).order_by("pk").first()
    assert person is not None, "the demo data has no person"
    if not apps.get_model("people", "PersonPhoto").objects.exists():  # for people:photo
        import io

        from PIL import Image

        jpeg = io.BytesIO()
        Image.new("RGB", (40, 50), (120, 90, 60)).save(jpeg, "JPEG")
        newest = _not_restricted(person_model).order_by("-pk").first()  # the walk tries the newest people
        assert newest is not None
        people_services.person_photo_set(
            actor=make_user("photographer", roles=("investigator",)), person=newest, data=PhotoIn(photo=jpeg.getvalue())
        )
    if not Merge.objects.exists():  # the demo data has no merge to show on people:merge-detail
        two = list(_not_restricted(person_model).order_by("-pk")[:2])
        people_services.person_merge(
            actor=make_user("merger", roles=("analyst",)),
            survivor=two[0],
            data=MergeIn(merged=two[1].public_id, reason="Same child"),
        )
    return {"surname": person.surname, "person": str(person.public_id)}


def _owner_of(url: str) -> Any:
    """The user a record in ``url`` is allocated to (its owner, or its case's owner), if any."""
    for public_id in _UUID.findall(url):
        for model in _haven_models_with_public_id():
            row = model._default_manager.filter(public_id=public_id).first()
            if row is None:
                continue
            owner = getattr(row, "owner", None) or getattr(getattr(row, "case", None), "owner", None)
            if owner is not None:
                return owner
    return None


class _Owners:
    """Signed-in clients for demo users, for pages only a record's owner may open (an edit form)."""

    def __init__(self) -> None:
        self.clients: dict[int, Client] = {}

    def client_for(self, user: Any) -> Client:
        from mfa.models import MFAKey

        from haven.core.testing import sign_in
        from haven.demo.constants import DEMO_PASSWORD

        if user.pk not in self.clients:
            user.totp_secret = MFAKey.objects.filter(user=user, method="TOTP").values_list("secret", flat=True)[0]
            client = Client()
            sign_in(client, user, DEMO_PASSWORD)
            self.clients[user.pk] = client
        return self.clients[user.pk]


@pytest.fixture
def walker(signed_in: Callable[..., tuple[Client, Any]], demo: dict[str, str]) -> tuple[Client, Any]:
    return signed_in(username="walker", roles=WALKER_ROLES)


def _shows_a_person_or_case(body: str) -> bool:
    """Whether a page shows (links to) any person or case: their public ids appear in it."""
    ids = set(_UUID.findall(body))
    if not ids:
        return False
    return any(
        apps.get_model(app_label, model)._default_manager.filter(public_id__in=ids).exists()
        for app_label, model in (("people", "Person"), ("cases", "Case"))
    )


def _check(client: Client, user: Any, url: str, failures: list[str]) -> int:
    """GET ``url``; on 200 require a new consultation naming a person or case. Returns the status.

    A page without an id in its URL (a list) needs one only if it shows a person's or case's id.
    """
    # Only rows logged by this call: reloading every earlier one made the walk quadratic in its length.
    before = _last_event_id()
    response = client.get(url)
    if response.status_code != 200:
        return response.status_code
    new = _consultations(user, after=before)
    about_a_record = bool(_UUID.search(url.split("?")[0]))
    if not new and not about_a_record:
        body = response.content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
        if not _shows_a_person_or_case(body):
            return 200
    if not new:
        failures.append(f"{url}: answered 200 but logged no consultation")
    elif not any(e.person_ids or e.case_ids for e in new) and url not in UI_LOGGED_WITHOUT_A_RECORD:
        failures.append(f"{url}: logged a consultation naming no person or case")
    return 200


def test_dp01_every_api_read_of_personal_data_logs_a_consultation(
    walker: tuple[Client, Any], demo: dict[str, str]
) -> None:
    client, user = walker
    document = client.get("/api/v1/openapi.json").json()
    failures: list[str] = []
    walked = []
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None or path in API_NO_PERSONAL_DATA:
            continue
        query = {k: v.format(**demo) for k, v in API_QUERIES.get(path, {}).items()}
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter.get("required") and parameter["name"] not in query:
                query[parameter["name"]] = demo["surname"] if parameter["name"] in ("q", "query") else "x"
        suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
        builder = API_ROUTE_BUILDERS.get(path)
        urls = builder(path) if builder else list(_fill(path, r"\{(\w+)\}"))
        statuses = [_check(client, user, url + suffix, failures) for url in urls]
        walked.append(path)
        if 200 not in statuses:
            failures.append(f"GET {path}: no call answered 200 ({statuses or 'no record to show'})")
    assert "/api/v1/people/{public_id}" in walked
    assert "/api/v1/cases/{case_id}" in walked
    assert not failures, "\n".join(failures)


def _ui_patterns() -> Iterator[tuple[str, str]]:
    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[tuple[str, str]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace not in UI_OTHER_NAMESPACES and p.name:
                yield f"{namespace}:{p.name}", "/" + prefix + str(p.pattern)

    yield from walk(get_resolver().url_patterns, "", None)


def test_dp01_every_ui_page_showing_a_person_or_case_logs_a_consultation(
    walker: tuple[Client, Any], demo: dict[str, str]
) -> None:
    client, user = walker
    owners = _Owners()
    failures: list[str] = []
    walked = []
    for name, route in _ui_patterns():
        walked.append(name)
        builder = UI_ROUTE_BUILDERS.get(name)
        urls = builder(route) if builder else list(_fill(route, r"<(?:\w+:)?(\w+)>"))
        if name in UI_QUERIES:
            query = "&".join(f"{k}={v.format(**demo)}" for k, v in UI_QUERIES[name].items())
            if _check(client, user, f"{route}?{query}", failures) != 200:
                failures.append(f"{name} {route}?{query}: did not answer 200")
        if name in UI_NO_PERSONAL_DATA:
            continue
        statuses = []
        for url in urls:
            status = _check(client, user, url, failures)
            owner = _owner_of(url) if status in (403, 404) else None
            if owner is not None:  # a page for the record's owner only: walk it as the owner
                status = _check(owners.client_for(owner), owner, url, failures)
            statuses.append(status)
        if not statuses:
            failures.append(
                f"{name} {route}: no demo record to show (seed one in the app's demo.py, or teach the walk:"
                " PARAM_MODELS, SEGMENT_MODELS, PARAM_VALUES, UI_ROUTE_BUILDERS)"
            )
        elif not any(s in (200, 302, 405) for s in statuses):
            failures.append(f"{name} {route}: never answered (statuses {statuses})")
    assert {"people:detail", "cases:detail"} <= set(walked)
    assert not failures, "\n".join(failures)


# --- Refusals: a record the user may not see answers 404 and leaves a "denied" row ----------------

# Reads whose refusal must be proved (the walk below fails if it did not reach one of them).
DENIAL_MUST_COVER = {
    "people:detail",
    "cases:detail",
    "missing:detail",
    "missing:briefing",
    "missing:enquiry-result",
    "/api/v1/people/{public_id}",
    "/api/v1/cases/{case_id}",
}


def _api_get_routes(client: Client) -> Iterator[tuple[str, str]]:
    document = client.get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        if "get" in item and path not in API_NO_PERSONAL_DATA and "{" in path:
            yield path, path


def test_dp01_every_read_refused_answers_404_and_logs_a_denied_row(
    walker: tuple[Client, Any], demo: dict[str, str]
) -> None:
    """Every page and API read about a record, asked for by a user who may not see it: each case and
    person made restricted, with the walker neither their owner nor a named member. Whatever answers
    404 must have left a ``denied`` row naming the walker, even where the refusal rolled back the
    transaction it was written in (the briefing sheet, an enquiry's pages)."""
    client, user = walker
    routes = [
        (name, route, r"<(?:\w+:)?(\w+)>") for name, route in _ui_patterns() if name not in UI_NO_PERSONAL_DATA
    ] + [(name, route, r"\{(\w+)\}") for name, route in _api_get_routes(client)]
    walks = []
    for name, route, pattern in routes:
        builder = UI_ROUTE_BUILDERS.get(name) or API_ROUTE_BUILDERS.get(name)
        urls = builder(route) if builder else list(_fill(route, pattern))
        urls = [u for u in urls if _UUID.search(u)][:2]  # two records a route is enough to prove its refusal
        if urls:
            walks.append((name, urls))
    apps.get_model("cases", "Case")._default_manager.update(sensitivity="restricted")
    apps.get_model("people", "Person")._default_manager.update(is_restricted=True)
    failures, refused = [], set()
    for name, urls in walks:
        for url in urls:
            before = AccessEvent.objects.filter(actor=user, outcome="denied").count()
            status = client.get(url).status_code
            if status != 404:
                continue  # not about a restricted record (a team, a meeting), or not the walker's to act on
            refused.add(name)
            if AccessEvent.objects.filter(actor=user, outcome="denied").count() == before:
                failures.append(f"{name} {url}: answered 404 but logged no denied row")
    assert not failures, "\n".join(failures)
    assert refused >= DENIAL_MUST_COVER, f"never refused: {sorted(DENIAL_MUST_COVER - refused)}"
