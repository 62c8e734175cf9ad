"""The choices of a child's detention record (PACE Code C, s38(6))."""

from __future__ import annotations

from django.db import models


class AgeBasis(models.TextChoices):
    """Why the detained person is treated as a juvenile (C-01)."""

    DATE_OF_BIRTH = "date_of_birth", "Date of birth shows they are under 18"
    APPEARS = "appears", "Appears to be under 18 (no clear evidence otherwise)"


class DetentionState(models.TextChoices):
    DETAINED = "detained", "Detained before charge"
    CHARGED = "charged", "Charged and kept in custody"
    TRANSFERRED = "transferred", "Transferred to local authority accommodation"
    RELEASED = "released", "Released"
    COURT = "court", "Taken to court"


IN_CUSTODY = (DetentionState.DETAINED, DetentionState.CHARGED)


class AaType(models.TextChoices):
    PARENT = "parent", "Parent or guardian"
    LOCAL_AUTHORITY = "local_authority", "Local authority (the child's carer or a social worker)"
    YOT = "yot", "Youth offending team"
    SCHEME = "scheme", "Appropriate adult scheme volunteer"
    OTHER = "other", "Another responsible adult aged 18 or over"


class AaOccupation(models.TextChoices):
    """Who the appropriate adult is, as far as Code C 1.7 cares (C-02)."""

    NONE = "none", "None of these"
    POLICE_OFFICER = "police_officer", "A police officer"
    POLICE_EMPLOYEE = "police_employee", "Employed by the police"
    POLICE_VOLUNTEER = "police_volunteer", "A police support volunteer"
    DETENTION_STAFF = "detention_staff", "Contracted detention or escort staff"
    SOLICITOR = "solicitor", "A solicitor"


AA_BARRED = (
    AaOccupation.POLICE_OFFICER,
    AaOccupation.POLICE_EMPLOYEE,
    AaOccupation.POLICE_VOLUNTEER,
    AaOccupation.DETENTION_STAFF,
)


class CellOccupants(models.TextChoices):
    ALONE = "alone", "Alone"
    JUVENILE = "juvenile", "With another juvenile"
    ADULT = "adult", "With an adult detainee"


class BailDecision(models.TextChoices):
    BAILED = "bailed", "Bailed"
    RELEASED = "released", "Released without bail"
    REFUSED = "refused", "Bail refused: kept in custody"


class AccommodationType(models.TextChoices):
    NON_SECURE = "non_secure", "Non-secure"
    SECURE = "secure", "Secure"


class LaResponse(models.TextChoices):
    ACCEPTED = "accepted", "Accepted: accommodation offered"
    REFUSED = "refused", "Refused"
    NO_RESPONSE = "no_response", "No response yet"


class CertificateReason(models.TextChoices):
    """PACE s38(6): (a) or (b)."""

    IMPRACTICABLE = "impracticable", "Moving the child is impracticable"
    NO_SECURE = "no_secure", "No secure accommodation, and other accommodation would not protect the public"


class Circumstance(models.TextChoices):
    """The circumstances that make a move impracticable (s38(6)(a)): the officer must specify them."""

    NO_BED = "no_bed", "No local authority bed available"
    WEATHER_OR_ROADS = "weather_or_roads", "Weather or roads make the journey impossible"
    CHILD_UNWELL = "child_unwell", "The child is too unwell or intoxicated to move"
    COURT_TOO_SOON = "court_too_soon", "Court sits too soon for the move to be made"
    OTHER = "other", "Other circumstances (described)"


class DetentionOutcome(models.TextChoices):
    """How the detention ends."""

    RELEASED = "released", "Released (with or without bail)"
    TRANSFERRED = "transferred", "Transferred to local authority accommodation"
    COURT = "court", "Taken to court from custody"


class ExtensionKind(models.TextChoices):
    SUPERINTENDENT = "superintendent", "Superintendent's extension (up to 36 hours)"
    WARRANT = "warrant", "Warrant of further detention (magistrates)"
