"""Demo children in custody (called by haven.demo.seed.seed_demo): a 15-year-old detained three hours ago
with the appropriate adult arrived and the first review due; a juvenile charged 5 hours ago and refused
bail with no request for local authority accommodation (the transfer deadline passed, the duty inspector
alerted); a child kept with a certificate citing only "no bed" (flagged for an inspector's review); and
last month's children for the Concordat report. Made through the services with Haven's clock moved
back, so every time and deadline is as it would have been. Idempotent: nothing is made twice."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from haven.accounts.models import User
from haven.core import clock
from haven.custody import services
from haven.custody.choices import (
    AaOccupation,
    AaType,
    AccommodationType,
    BailDecision,
    CellOccupants,
    CertificateReason,
    Circumstance,
    LaResponse,
)
from haven.custody.models import Detention
from haven.custody.schemas import (
    AppropriateAdultIn,
    CustodyCellIn,
    CustodyChargeIn,
    CustodyWelfareIn,
    DetentionRecordIn,
    LaRequestIn,
    LaResponseIn,
    PaceReviewIn,
    S38CertificateIn,
)
from haven.people.models import Person


def _children(count: int) -> list[Person]:
    """Children aged 12 to 17 (reason (b) and the age of criminal responsibility both hold)."""
    today = clock.now().date()
    oldest = today.replace(year=today.year - 18) + timedelta(days=1)
    youngest = today.replace(year=today.year - 12)
    return list(
        Person.objects.filter(
            merged_into=None, is_restricted=False, date_of_birth__gte=oldest, date_of_birth__lte=youngest
        ).order_by("-id")[:count]
    )


def _book(officer: User, child: Person, reference: str, offences: str) -> Detention:
    now = clock.now()
    detention = services.detention_record(
        actor=officer,
        data=DetentionRecordIn(
            child=child.public_id,
            custody_reference=reference,
            arrested_at=now - timedelta(minutes=45),
            relevant_time=now - timedelta(minutes=15),
            authorised_at=now,
            offences=offences,
            solicitor_requested=True,
            aa_requested_at=now,
        ),
    )
    services.aa_record(
        actor=officer,
        detention=detention,
        data=AppropriateAdultIn(
            aa_type=AaType.PARENT, aa_name="Their mother", aa_occupation=AaOccupation.NONE, aa_arrived_at=now
        ),
    )
    services.welfare_record(
        actor=officer,
        detention=detention,
        data=CustodyWelfareIn(welfare_person="Their mother", welfare_informed_at=now),
    )
    services.cell_record(
        actor=officer,
        detention=detention,
        data=CustodyCellIn(cell="Juvenile detention room 2", cell_occupants=CellOccupants.ALONE),
    )
    return detention


def _charge(officer: User, detention: Detention) -> None:
    now = clock.now()
    court = (now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    services.charge_record(
        actor=officer,
        detention=detention,
        data=CustodyChargeIn(
            charged_at=now,
            charges=detention.offences,
            bail_decision=BailDecision.REFUSED,
            bail_refused_grounds="Likely to commit further offences; failed to appear twice before.",
            court_at=court,
        ),
    )


@transaction.atomic
def seed_custody() -> int:
    """Create the demo detentions if there are none; return how many were created."""
    if Detention.objects.exists():
        return 0
    officer = User.objects.filter(username="custody").first()
    inspector = User.objects.filter(username="inspector").first()
    children = _children(5)
    if officer is None or inspector is None or len(children) < 5:
        return 0
    # Last month: one transferred within two hours, one kept with a certificate (snow).
    with clock.moved(-timedelta(days=31, hours=6)):
        moved = _book(officer, children[3], "NS-C-2201", "Burglary of a dwelling")
    with clock.moved(-timedelta(days=31, hours=2)):
        _charge(officer, moved)
        services.la_request_record(
            actor=officer,
            detention=moved,
            data=LaRequestIn(
                la_requested_at=clock.now(), la_authority="Leeds City Council", la_type=AccommodationType.NON_SECURE
            ),
        )
    with clock.moved(-timedelta(days=31, minutes=20)):
        services.la_response_record(
            actor=officer,
            detention=moved,
            data=LaResponseIn(la_response=LaResponse.ACCEPTED, la_response_at=clock.now(), transferred_at=clock.now()),
        )
    # Detained three hours ago: the first review is due in three hours.
    with clock.moved(-timedelta(hours=3)):
        _book(officer, children[0], "NS-C-2311", "Robbery (mobile phone)")
    # Charged 5 hours ago, refused bail, and no request for local authority accommodation (C-06).
    with clock.moved(-timedelta(hours=9)):
        waiting = _book(officer, children[1], "NS-C-2307", "Assault occasioning actual bodily harm")
    with clock.moved(-timedelta(hours=6)):
        services.review_record(
            actor=inspector, detention=waiting, data=PaceReviewIn(done_at=clock.now(), continued=True, aa_present=True)
        )
    with clock.moved(-timedelta(hours=5)):
        _charge(officer, waiting)
    # Kept with a certificate citing only "no bed": flagged for an inspector's review (C-07).
    with clock.moved(-timedelta(hours=7)):
        no_bed = _book(officer, children[2], "NS-C-2302", "Criminal damage; public order")
    with clock.moved(-timedelta(hours=3)):
        _charge(officer, no_bed)
        services.la_request_record(
            actor=officer,
            detention=no_bed,
            data=LaRequestIn(
                la_requested_at=clock.now(), la_authority="Leeds City Council", la_type=AccommodationType.NON_SECURE
            ),
        )
        services.la_response_record(
            actor=officer,
            detention=no_bed,
            data=LaResponseIn(la_response=LaResponse.REFUSED, la_response_at=clock.now()),
        )
        services.certificate_record(
            actor=officer,
            detention=no_bed,
            data=S38CertificateIn(
                reason=CertificateReason.IMPRACTICABLE,
                circumstances=[Circumstance.NO_BED],
                details="The out-of-hours team said no placement was available tonight.",
                monitoring_inspector="inspector",
            ),
        )
    return 4
