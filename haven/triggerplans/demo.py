"""Demo trigger plans (called by haven.demo.seed.seed_demo after seed_missing).

Repeat missing children: two with a current plan, one whose plan is past its review date, and one
flagged with no plan (its "trigger plan needed" deadline running). Children with the most demo
episodes are used first; if haven.missing's demo has not seeded enough, other demo children are
flagged directly. Idempotent: nothing is added once the demo plans exist.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count

from haven.accounts.models import User
from haven.audit.choices import Operation
from haven.core import clock
from haven.missing.models import Episode
from haven.people.models import Person
from haven.triggerplans import s62, selectors, services
from haven.triggerplans.choices import VersionKind
from haven.triggerplans.models import PlanVersion, RepeatMissingFlag, TriggerPlan
from haven.triggerplans.schemas import PlanCreateIn

WRITER = "investigator"

PLANS: list[dict[str, Any]] = [
    {
        "agencies": ["Leeds children's social care", "Police missing person coordinator", "Horizon Youth Service"],
        "thresholds": ["Missing overnight", "Seen with adults not known to the family", "Not answering her phone"],
        "actions": [
            {"kind": "address", "target": "Flat 3, 22 Harehills Lane, Leeds LS8 5AA", "instructions": "Friend's flat."},
            {
                "kind": "associate",
                "target": "Jordan (about 19), drives a grey Golf",
                "instructions": "Ask the RHI worker",
            },
            {"kind": "phone", "target": "07700 900461"},
            {"kind": "notify", "target": "Emergency duty team, 0113 496 0000", "instructions": "Out of hours."},
        ],
    },
    {
        "agencies": ["Bradford children's social care", "Carlton Bolling College"],
        "thresholds": ["Missing after contact with his father"],
        "actions": [
            {"kind": "place", "target": "Interchange bus station, Bradford", "instructions": "Usual place found."},
            {"kind": "social", "target": "Snapchat: tj_brad07"},
            {"kind": "notify", "target": "Social worker: A. Patel, 01274 000000"},
        ],
    },
    {
        "agencies": ["Kirklees children's social care", "CSE team"],
        "thresholds": ["Any episode after 22:00"],
        "actions": [
            {"kind": "address", "target": "14 Mill Lane, Dewsbury WF12 8AB"},
            {"kind": "associate", "target": "'K-Dog' (street name), known to CSE team"},
        ],
    },
]


def _children(count: int) -> list[Person]:
    """Children with the most demo episodes first, then other demo children (aged 10-17)."""
    ids = (
        Episode.objects.values("child_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("-n", "child_id")
        .values_list("child_id", flat=True)[:count]
    )
    chosen = list(Person.objects.filter(pk__in=list(ids), merged_into=None, is_restricted=False))
    today = clock.now().date()
    if len(chosen) < count:
        more = (
            Person.objects.filter(
                merged_into=None,
                is_restricted=False,
                date_of_birth__gt=date(today.year - 18, today.month, 1),
                date_of_birth__lt=date(today.year - 10, today.month, 1),
            )
            .exclude(pk__in=[c.pk for c in chosen])
            .order_by("id")[: count - len(chosen)]
        )
        chosen += list(more)
    return chosen[:count]


def _flag(child: Person) -> None:
    """Make sure the child carries the repeat-missing flag (M-14), as the check would have left it."""
    if selectors.repeat_missing_flag(child=child) is not None:
        return
    RepeatMissingFlag.objects.create(child=child, episodes=3, threshold=3, window_days=90, raised_at=clock.now())
    s62.record_people(
        actor=None,
        operation=Operation.COLLECTION,
        person_ids=[child.public_id],
        justification="Demo data: repeat-missing flag.",
        detail={"repeat_missing": True, "demo": True},
    )


@transaction.atomic
def seed_triggerplans() -> int:
    """Create the demo plans and flags that are missing; return how many plans were created."""
    writer = User.objects.filter(username=WRITER, is_active=True).first()
    if writer is None or TriggerPlan.objects.filter(case__owner=writer).exists():
        return 0
    children = _children(len(PLANS) + 1)
    if len(children) < len(PLANS) + 1:
        return 0
    today = selectors.today()
    created = 0
    for n, (spec, child) in enumerate(zip(PLANS, children, strict=False)):
        _flag(child)
        data = PlanCreateIn(
            agencies=spec["agencies"],
            thresholds=spec["thresholds"],
            review_date=today + timedelta(days=30 + 15 * n),
            actions=spec["actions"],
            note="Agreed at the missing intervention meeting.",
        )
        plan = services.plan_create(actor=writer, child=child, data=data)
        created += 1
        if n == len(PLANS) - 1:
            # The out-of-date plan: a review recorded long ago whose next review date has passed.
            current = PlanVersion.objects.get(plan=plan, superseded_at__isnull=True)
            content = {
                "agencies": current.agencies,
                "thresholds": current.thresholds,
                "review_date": today - timedelta(days=12),
                "actions": [
                    {
                        "kind": a.kind,
                        "target": a.target,
                        "person": a.person,
                        "instructions": a.instructions,
                        "enquiry_type": a.enquiry_type,
                    }
                    for a in current.actions.all()
                ],
            }
            services._version_write(
                actor=writer,
                plan=plan,
                kind=VersionKind.REVIEWED,
                content=content,
                note="Reviewed at the DMM; next review was due a fortnight ago.",
                previous=current,
            )
    # The last child is flagged but has no plan: the DMM list shows them.
    without = children[len(PLANS)]
    if selectors.repeat_missing_flag(child=without) is None:
        services.repeat_missing_check(actor=writer, child=without)  # flags them if their episodes count
        _flag(without)
    return created
