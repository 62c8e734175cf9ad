"""The vocabularies of police protection (Children Act 1989 s46). The power is never a court order, and
no word here or on any page calls it one (PP-10)."""

from __future__ import annotations

from django.db import models


class Power(models.TextChoices):
    """s46(1): what the constable did."""

    REMOVE = "remove", "Removed the child to suitable accommodation (section 46(1)(a))"
    PREVENT_REMOVAL = (
        "prevent_removal",
        "Prevented the child's removal from a hospital or other place (section 46(1)(b))",
    )


class Accommodation(models.TextChoices):
    """Where the child is kept (PP-07: a police station only in exceptional circumstances)."""

    LA_FOSTER = "la_foster", "Local authority foster carer"
    CHILDRENS_HOME = "childrens_home", "Children's home"
    HOSPITAL = "hospital", "Hospital"
    RELATIVE = "relative", "Relative or family friend"
    REFUGE = "refuge", "Refuge"
    POLICE_STATION = "police_station", "Police station (exceptional circumstances only)"


class Item(models.TextChoices):
    """The notifications s46(3) and (4) require, each recorded with its time, by whom and to whom."""

    LA_FOUND = "la_found", "Local authority where the child was found told"
    LA_APPROPRIATE = "la_appropriate", "Local authority where the child lives told, with where the child is"
    CHILD_INFORMED = "child_informed", "Child told what has happened and may happen"
    WISHES = "wishes", "Child's wishes and feelings found out"
    INQUIRY = "inquiry", "Designated officer's inquiry started"
    PARENTS = "parents", "Parents, others with parental responsibility and the person the child lived with told"


CHECKLIST: tuple[Item, ...] = (Item.LA_FOUND, Item.LA_APPROPRIATE, Item.CHILD_INFORMED, Item.WISHES, Item.INQUIRY)
"""PP-05: the items the notifications deadline waits for."""

MAY_BE_NOT_DONE: tuple[Item, ...] = (Item.CHILD_INFORMED, Item.PARENTS)
"""Items that may be recorded as not done with a reason: a child not able to understand (s46(3)(c)),
parents who could not be told (PP-06)."""


class Outcome(models.TextChoices):
    """PP-08: how police protection ended."""

    RELEASED = "released", "Released after the designated officer's inquiry"
    EPO_GRANTED = "epo_granted", "Emergency protection order granted"
    LA_ACCOMMODATED = "la_accommodated", "Accommodated by the local authority"
    OTHER = "other", "Other"


class ContactDecision(models.TextChoices):
    """s46(10): the designated officer's decision on contact with the child."""

    ALLOWED = "allowed", "Contact allowed"
    SUPERVISED = "supervised", "Contact allowed with supervision"
    REFUSED = "refused", "Contact refused: not reasonable or not in the child's best interests"


class EpoApplicant(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "The local authority"
    DESIGNATED_OFFICER = "designated_officer", "The designated officer, on the local authority's behalf (section 46(7))"


class EpoOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for the court"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class Stage(models.TextChoices):
    """Where a police protection is (domain §5.3), derived from what has been recorded."""

    STARTED = "started", "Started"
    INQUIRY = "inquiry", "Designated officer's inquiry"
    EPO_APPLIED = "epo_applied", "Emergency protection order applied for"
    ENDED = "ended", "Ended"
