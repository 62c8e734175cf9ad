"""Demo cases for the demo force (haven/demo/constants.py users). The lead wires it into ``seed_demo``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from haven.accounts.models import User
from haven.cases import services
from haven.cases.choices import EntryKind, Sensitivity
from haven.cases.models import Case
from haven.cases.schemas import CaseCloseIn, HandoverIn, MembersIn, NoteIn

if TYPE_CHECKING:
    from haven.people.models import Person

# username → (summary, sensitivity, a first note (kind, text))
PLAN: list[tuple[str, str, str, tuple[str, str]]] = [
    (
        "response",
        "Missing from home overnight, returned",
        Sensitivity.NORMAL,
        (EntryKind.FACT, "Returned home at 07:40. Spoke to mother at the door."),
    ),
    (
        "response",
        "Concern raised by school about bruising",
        Sensitivity.NORMAL,
        (EntryKind.ASSESSMENT, "Explanation given is not consistent with the injury seen."),
    ),
    (
        "investigator",
        "Exploitation concern: found with older males",
        Sensitivity.NORMAL,
        (EntryKind.FACT, "Found in a car with two adult males at 01:15; car details recorded."),
    ),
    (
        "investigator",
        "Disclosure of abuse by a family member",
        Sensitivity.RESTRICTED,
        (EntryKind.FACT, "Child disclosed to a teacher; strategy discussion requested."),
    ),
    (
        "sergeant",
        "Repeat missing: third episode in 90 days",
        Sensitivity.NORMAL,
        (EntryKind.ASSESSMENT, "Pattern suggests a trigger plan is needed."),
    ),
    (
        "crsu",
        "Child concern referral from health visitor",
        Sensitivity.NORMAL,
        (EntryKind.FACT, "Referral received by e-mail at 10:05."),
    ),
    (
        "callhandler",
        "Report of a child alone at a railway station",
        Sensitivity.NORMAL,
        (EntryKind.FACT, "Caller is a station member of staff; child is with them."),
    ),
]


@transaction.atomic
def seed_cases(*, people: list[Person] | None = None) -> int:
    """Open a few cases about existing people for the demo users. Idempotent: skips if demo cases exist.

    ``people``: the people to use as subjects (default: the first people in the register, oldest first).
    Returns how many cases were opened.
    """
    from haven.people.models import Person

    if Case.objects.filter(owner__username__in=[p[0] for p in PLAN]).exists():
        return 0
    subjects = (
        list(people)
        if people is not None
        else list(Person.objects.filter(merged_into=None).order_by("id")[: len(PLAN)])
    )
    users = {u.username: u for u in User.objects.filter(username__in=[p[0] for p in PLAN], is_active=True)}
    opened = 0
    for (username, summary, sensitivity, (kind, text)), subject in zip(PLAN, subjects, strict=False):
        owner = users.get(username)
        if owner is None:
            continue
        case = services.case_open(actor=owner, subject=subject, summary=summary, sensitivity=sensitivity)
        services.case_note_add(actor=owner, case=case, data=NoteIn.model_validate({"kind": kind, "text": text}))
        opened += 1
    # One handover awaiting acknowledgement, so the home page shows M-10 in the demo.
    response, investigator = users.get("response"), users.get("investigator")
    if response and investigator:
        first = Case.objects.filter(owner=response).order_by("id").first()
        if first is not None:
            reason = "Exploitation indicators: CATE to lead."
            handover = HandoverIn(to_user=investigator.username, reason=reason)
            services.case_handover(actor=response, case=first, data=handover)
    # One closed case, and a named member on the restricted one, so the demo shows both.
    caller = users.get("callhandler")
    if caller:
        station = Case.objects.filter(owner=caller).order_by("id").first()
        if station is not None:
            closing = CaseCloseIn(reason="Child collected by a parent; no further concerns.")
            services.case_close(actor=caller, case=station, data=closing)
    sergeant = users.get("sergeant")
    if investigator and sergeant:
        restricted = Case.objects.filter(owner=investigator, sensitivity=Sensitivity.RESTRICTED).first()
        if restricted is not None:
            services.members_set(actor=investigator, case=restricted, data=MembersIn(members=[sergeant.username]))
    return opened
