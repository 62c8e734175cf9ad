"""Demo partner agencies (called by haven.demo.seed.seed_demo, before the missing demo so a found
child's return home interview request reaches Leeds children's services' portal): Leeds and Bradford
children's services, health, education and youth justice; the demo partner users ("partner" at Leeds,
"partnerbd" at Bradford); and referrals shared with them, one waiting, one answered. Idempotent."""

from __future__ import annotations

from django.db import transaction

from haven.accounts.models import User
from haven.cases.models import Case
from haven.partners import services
from haven.partners.choices import DEFAULT_PROJECTION, AgencyDecision, AgencyKind, ItemKind
from haven.partners.models import Agency, Membership, SharedItem
from haven.partners.schemas import AgencyDecisionIn

# (name, kind, local authority, notice address, phone)
AGENCIES = [
    (
        "Leeds Children's Services",
        AgencyKind.CHILDRENS_SERVICES,
        "Leeds City Council",
        "front.door@leeds.example",
        "0113 000 0001",
    ),
    (
        "Bradford Children's Services",
        AgencyKind.CHILDRENS_SERVICES,
        "Bradford Council",
        "mash@bradford.example",
        "01274 000 001",
    ),
    ("West Yorkshire Integrated Care Board", AgencyKind.HEALTH, "", "safeguarding@wyicb.example", ""),
    ("Leeds Education Safeguarding Team", AgencyKind.EDUCATION, "Leeds City Council", "edsafe@leeds.example", ""),
    ("Leeds Youth Justice Service", AgencyKind.YOUTH_JUSTICE, "Leeds City Council", "yjs@leeds.example", ""),
]

MEMBERS = {"partner": "Leeds Children's Services", "partnerbd": "Bradford Children's Services"}

# (reference, agency, sharer, decision or "", the case's summary it is shared from)
SHARES = [
    ("DEMO-CCR-0001", "Leeds Children's Services", "crsuds", "", "Concern raised by school about bruising"),
    ("DEMO-CCR-0002", "Leeds Children's Services", "crsuds", "early_help", "Missing from home overnight, returned"),
    ("DEMO-CCR-0003", "Bradford Children's Services", "crsuds", "", "Exploitation concern: found with older males"),
]


def _projection(case: Case, summary: str) -> dict[str, object]:
    child = case.subject
    born = f", born {child.date_of_birth:%-d %B %Y}" if child.date_of_birth else ""
    return {
        "children": [f"{child.full_name}{born}"],
        "concerns": ["Physical abuse" if "bruising" in summary else "Neglect"],
        "narrative": f"{summary}. Officers attended and spoke to the child and the adults at the address.",
        "voice_of_child": "Seen and spoken to alone. Said: 'I don't want to go home tonight.' "
        "Quiet, avoided eye contact.",
        "risk": "Medium",
        "immediate_actions": "Child seen safe; parents spoken to; school informed.",
        "research": "Two previous domestic incidents at the address (restricted police research).",
        "officer": "DS Owen Hughes, CRSU, 0113 000 2390",
    }


@transaction.atomic
def seed_partners() -> int:
    """Create what is missing of the demo agencies, users and shares; return how many rows were made."""
    made = 0
    agencies: dict[str, Agency] = {}
    for name, kind, authority, email, phone in AGENCIES:
        agency, created = Agency.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "local_authority": authority,
                "notice_email": email,
                "phone": phone,
                "projection": list(DEFAULT_PROJECTION[kind]),
            },
        )
        agencies[name] = agency
        made += created
    for username, name in MEMBERS.items():
        user = User.objects.filter(username=username).first()
        if user is not None and not Membership.objects.filter(user=user).exists():
            Membership.objects.create(user=user, agency=agencies[name])
            made += 1
    for reference, name, sharer_name, decision, summary in SHARES:
        sharer = User.objects.filter(username=sharer_name).first()
        case = Case.objects.filter(summary=summary).select_related("subject").first()
        if sharer is None or case is None or SharedItem.objects.filter(reference=reference).exists():
            continue
        item = services.share(
            actor=sharer,
            agency=agencies[name],
            kind=ItemKind.REFERRAL,
            reference=reference,
            subject_summary=f"{case.subject.full_name}, {case.summary.lower()}",
            projection=_projection(case, summary),
            restricted=reference == "DEMO-CCR-0001",
            case=case,
            lawful_basis="DPA 2018 Sch 8 para 4 (safeguarding of children and individuals at risk)",
            person_ids=[case.subject.public_id],
        )
        made += 1
        worker = Membership.objects.filter(agency=item.agency).select_related("user").first()
        if decision and worker is not None:
            services.item_decide(
                actor=worker.user,
                item=item,
                data=AgencyDecisionIn(
                    decision=AgencyDecision(decision), notes="Family agreed to early help; lead practitioner named."
                ),
            )
    return made
