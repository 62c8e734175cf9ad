"""Demo police protection (called by haven.demo.seed.seed_demo): a child at hour 60 of police protection
with notifications still missing (the DMM board and the designated officer's home page show 12 hours
left), and one that ended within its 72 hours, accommodated by the local authority. Made through the
services with Haven's clock moved back, so every time and deadline is as it would have been.
Idempotent: nothing is made twice."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from haven.accounts.models import User
from haven.core import clock
from haven.people.models import Person
from haven.protection import services
from haven.protection.choices import Accommodation, ContactDecision, EpoApplicant, Item, Outcome, Power
from haven.protection.models import PoliceProtection
from haven.protection.schemas import (
    ProtectionAccommodationIn,
    ProtectionContactIn,
    ProtectionEndIn,
    ProtectionEpoIn,
    ProtectionInquiryIn,
    ProtectionNotificationIn,
    ProtectionStartIn,
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _children(count: int) -> list[Person]:
    """Young children of the demo register, the last recorded first (the referrals' demo takes the first)."""
    today = clock.now().date()
    cutoff = today.replace(year=today.year - 12)
    return list(
        Person.objects.filter(merged_into=None, is_restricted=False, date_of_birth__gt=cutoff).order_by("-id")[:count]
    )


def _note(constable: User, protection: PoliceProtection, item: Item, to_whom: str) -> None:
    services.notification_record(
        actor=constable,
        protection=protection,
        data=ProtectionNotificationIn(item=item, at=clock.now(), to_whom=to_whom),
    )


def _start(constable: User, inspector: User, child: Person, grounds: str, place: str) -> PoliceProtection:
    return services.protection_start(
        actor=constable,
        data=ProtectionStartIn(
            child=child.public_id,
            power=Power.REMOVE,
            grounds=grounds,
            started_at=clock.now(),
            place=place,
            designated_officer=inspector.username,
        ),
    )


@transaction.atomic
def seed_protection() -> int:
    """Create the demo police protections if there are none; return how many were created."""
    if PoliceProtection.objects.exists():
        return 0
    constable, inspector = _user("response"), _user("inspector")
    children = _children(2)
    if constable is None or inspector is None or len(children) < 2:  # noqa: PLR2004 - the two stories
        return 0
    # Ended: started five days ago, accommodated by the local authority after 30 hours.
    with clock.moved(-timedelta(days=5)):
        ended = _start(
            constable,
            inspector,
            children[1],
            "Found alone in the family's refuge room; mother taken to hospital after an overdose, father barred.",
            "The refuge (address withheld)",
        )
    with clock.moved(-timedelta(days=5) + timedelta(minutes=40)):
        for item, who in (
            (Item.LA_FOUND, "Emergency duty team, Northshire children's services"),
            (Item.LA_APPROPRIATE, "Emergency duty team, Northshire children's services"),
            (Item.CHILD_INFORMED, "The child, at the refuge, with a support worker"),
            (Item.WISHES, "The child: wants to see mum and keep her cat"),
            (Item.PARENTS, "Mother, at the hospital, with the ward sister present"),
        ):
            _note(constable, ended, item, who)
        services.accommodation_record(
            actor=constable,
            protection=ended,
            data=ProtectionAccommodationIn(
                accommodation=Accommodation.REFUGE, address="Northshire Women's Aid refuge, 9 Quiet Close, Northtown"
            ),
        )
    with clock.moved(-timedelta(days=5) + timedelta(hours=2)):
        services.inquiry_record(
            actor=inspector,
            protection=ended,
            data=ProtectionInquiryIn(summary="Spoke to the EDT and the ward. No family member able to care tonight."),
        )
        services.contact_record(
            actor=inspector,
            protection=ended,
            data=ProtectionContactIn(
                person="Grandmother (maternal)",
                decision=ContactDecision.SUPERVISED,
                reason="Wants to visit; supervised by the carer.",
            ),
        )
    with clock.moved(-timedelta(days=5) + timedelta(hours=30)):
        services.protection_end(
            actor=inspector,
            protection=ended,
            data=ProtectionEndIn(
                ended_at=clock.now(),
                outcome=Outcome.LA_ACCOMMODATED,
                decision="Northshire accommodates under section 20 with the mother's agreement; police protection "
                "no longer needed.",
            ),
        )
    # Open: hour 60, two notifications still missing, an EPO applied for.
    with clock.moved(-timedelta(hours=60)):
        open_ = _start(
            constable,
            inspector,
            children[0],
            "Father arrived drunk at the children's ward threatening to take the child home against medical advice.",
            "Northtown General Hospital, children's ward",
        )
    with clock.moved(-timedelta(hours=59, minutes=30)):
        _note(constable, open_, Item.LA_FOUND, "Emergency duty team, Northshire children's services")
        _note(constable, open_, Item.WISHES, "The child, with the play specialist")
        services.accommodation_record(
            actor=constable,
            protection=open_,
            data=ProtectionAccommodationIn(accommodation=Accommodation.HOSPITAL, address="Northtown General Hospital"),
        )
    with clock.moved(-timedelta(hours=20)):
        services.epo_record(
            actor=inspector,
            protection=open_,
            data=ProtectionEpoIn(
                applicant=EpoApplicant.LOCAL_AUTHORITY,
                court="Northtown Family Court",
                applied_at=clock.now(),
            ),
        )
    return 2
