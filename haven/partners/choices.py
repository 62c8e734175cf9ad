"""The vocabularies of the partner agencies and what is shared with them."""

from __future__ import annotations

from django.db import models


class AgencyKind(models.TextChoices):
    """The kinds of agency the force shares risks to children with (domain.md §3.1)."""

    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"


class ItemKind(models.TextChoices):
    """What was shared."""

    REFERRAL = "referral", "Child concern referral"
    RHI_REQUEST = "rhi_request", "Return home interview request"


class Field(models.TextChoices):
    """The fields a shared item's projection may hold: the keys of ``share(projection=…)``.

    An agency receives only the fields named in its projection; the restricted ones (``RESTRICTED``)
    only when the share decision says so as well."""

    CHILDREN = "children", "Children"
    HOUSEHOLD = "household", "Household members"
    ALLEGED_PERPETRATOR = "alleged_perpetrator", "Alleged perpetrator"
    CONCERNS = "concerns", "Concerns"
    NARRATIVE = "narrative", "What happened"
    VOICE_OF_CHILD = "voice_of_child", "The voice of the child"
    RISK = "risk", "The officer's view of the risk"
    IMMEDIATE_ACTIONS = "immediate_actions", "Immediate actions taken"
    HEALTH = "health", "Health information"
    SCHOOL = "school", "School"
    RESEARCH = "research", "Police research (restricted)"
    OFFICER = "officer", "Police contact"
    # A found child's return home interview request (M-12).
    CHILD = "child", "Child"
    MISSING_FROM = "missing_from", "Missing from"
    FOUND = "found", "Found"
    RHI_DUE = "rhi_due", "Interview due by"


RESTRICTED = frozenset({Field.RESEARCH, Field.HEALTH})
"""Fields disclosed only when the share decision says restricted data may go (DP-06)."""

RHI_FIELDS = (Field.CHILD, Field.MISSING_FROM, Field.FOUND, Field.RHI_DUE, Field.OFFICER)

DEFAULT_PROJECTION: dict[str, tuple[Field, ...]] = {
    AgencyKind.CHILDRENS_SERVICES: (
        Field.CHILDREN,
        Field.HOUSEHOLD,
        Field.ALLEGED_PERPETRATOR,
        Field.CONCERNS,
        Field.NARRATIVE,
        Field.VOICE_OF_CHILD,
        Field.RISK,
        Field.IMMEDIATE_ACTIONS,
        Field.HEALTH,
        Field.SCHOOL,
        Field.RESEARCH,
        Field.OFFICER,
        *RHI_FIELDS,
    ),
    AgencyKind.HEALTH: (Field.CHILDREN, Field.CONCERNS, Field.NARRATIVE, Field.HEALTH, Field.OFFICER),
    AgencyKind.EDUCATION: (Field.CHILDREN, Field.CONCERNS, Field.VOICE_OF_CHILD, Field.SCHOOL, Field.OFFICER),
    AgencyKind.YOUTH_JUSTICE: (Field.CHILDREN, Field.CONCERNS, Field.NARRATIVE, Field.RISK, Field.OFFICER),
}
"""What each kind of agency receives unless an administrator sets otherwise."""


class AgencyDecision(models.TextChoices):
    """What the agency decided to do with a referral (domain.md §3.4)."""

    NO_FURTHER_ACTION = "nfa", "No further action"
    EARLY_HELP = "early_help", "Early help"
    S17 = "s17", "Child in need assessment (section 17)"
    S47 = "s47", "Strategy discussion (section 47)"


class RhiOutcome(models.TextChoices):
    """What happened to a return home interview (M-12), as the local authority reports it."""

    OFFERED = "offered", "Offered, not yet done"
    COMPLETED = "completed", "Completed"
    DECLINED = "declined", "Declined by the child"
    NOT_DONE = "not_done", "Not done"


RHI_ENDED = (RhiOutcome.COMPLETED, RhiOutcome.DECLINED, RhiOutcome.NOT_DONE)
