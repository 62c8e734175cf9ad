"""Demo data for the guidance library (called by haven.demo.seed.seed_demo): a video briefing on a child
reported missing, required for call handlers and response officers, in its second version (the call
handler has watched it; the response officer watched only the first, so must watch it again); the
CRSU's document on sharing information with partners, required of CRSU officers and read by one; and
a police protection checklist past its review date. Idempotent: an item with the same title is kept."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from haven.accounts.models import User
from haven.core.permissions import Role
from haven.guidance import services
from haven.guidance.choices import Kind, Place
from haven.guidance.models import GuidanceItem
from haven.guidance.schemas import ItemCreateIn, ReadIn, RequiredRolesIn, VersionPublishIn
from haven.workforce.selectors import today

MISSING = "What to do when a child is reported missing"
SHARING = "Sharing information with partners"
PROTECTION = "Police protection: the designated officer's checklist"


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _read(item: GuidanceItem, username: str) -> None:
    reader = _user(username)
    if reader is not None:
        current = item.versions.order_by("-number").first()
        services.read_record(actor=reader, item=item, data=ReadIn(version=current.number if current else 1))


@transaction.atomic
def seed_guidance() -> int:
    """Create what is missing of the demo library; return how many items were created."""
    admin = _user("admin")
    if admin is None:
        return 0
    existing = set(GuidanceItem.objects.values_list("title", flat=True))
    created = 0
    day = today()
    if MISSING not in existing and _user("inspector") is not None:
        item = services.item_create(
            actor=admin,
            data=ItemCreateIn(
                title=MISSING,
                kind=Kind.VIDEO,
                summary="Eight minutes for call handlers and response officers: the first questions to ask, "
                "grading the risk, the searches to start at once and when to tell a supervisor.",
                places=[Place.REPORTING_MISSING, Place.MISSING_INVESTIGATION],
                review_date=day + timedelta(days=180),
                url="https://learning.example.police.uk/briefings/child-reported-missing",
                owner="inspector",
                team="IMU",
            ),
        )
        services.required_roles_set(
            actor=admin, item=item, data=RequiredRolesIn(roles=[Role.CALL_HANDLER, Role.RESPONSE_OFFICER])
        )
        _read(item, "response")  # the first version: the second makes them watch it again
        services.version_publish(
            actor=admin,
            item=item,
            data=VersionPublishIn(
                what_changed="Adds the trigger plan check at first contact and the new out-of-hours number.",
                review_date=day + timedelta(days=180),
                url="https://learning.example.police.uk/briefings/child-reported-missing-v2",
            ),
        )
        _read(item, "callhandler")
        created += 1
    if SHARING not in existing and _user("crsuds") is not None:
        item = services.item_create(
            actor=admin,
            data=ItemCreateIn(
                title=SHARING,
                kind=Kind.DOCUMENT,
                summary="When and how the CRSU shares a child concern with children's social care, health and "
                "education: the lawful basis, what to share, and recording the decision.",
                places=[Place.CHILD_CONCERN_REFERRAL, Place.ONLINE_REFERRALS],
                review_date=day + timedelta(days=20),
                file_reference="POL/CRSU/014",
                owner="crsuds",
                team="CRSU",
            ),
        )
        services.required_roles_set(actor=admin, item=item, data=RequiredRolesIn(roles=[Role.CRSU_OFFICER]))
        _read(item, "crsu")
        created += 1
    if PROTECTION not in existing and _user("inspector") is not None:
        item = services.item_create(
            actor=admin,
            data=ItemCreateIn(
                title=PROTECTION,
                kind=Kind.DOCUMENT,
                summary="The designated officer's duties once a child is taken into police protection, "
                "and the 72-hour limit.",
                places=[Place.POLICE_PROTECTION],
                review_date=day + timedelta(days=1),
                url="https://policies.example.police.uk/police-protection-checklist",
                owner="inspector",
            ),
        )
        # Past its review date: the demo shows how the library says so (the services refuse such a date).
        GuidanceItem.objects.filter(pk=item.pk).update(review_date=day - timedelta(days=14))
        created += 1
    return created
