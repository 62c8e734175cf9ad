"""The numbered rules of children in custody (domain.md §6, C-01..C-11) as plain functions: the
services call them and refuse (HARD) or record a warning (SOFT) with their words."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.utils import timezone

from haven.custody.choices import (
    AA_BARRED,
    AaOccupation,
    AccommodationType,
    AgeBasis,
    CellOccupants,
    CertificateReason,
    Circumstance,
)

ADULT_AGE = 18
REASON_B_MIN_AGE = 12  # s38(6)(b): "aged 12 or over"
FIRST_REVIEW = timedelta(hours=6)  # PACE s40(3)(a)
LATER_REVIEWS = timedelta(hours=9)  # s40(3)(b)
BASIC_LIMIT = timedelta(hours=24)  # s41
SUPERINTENDENT_LIMIT = timedelta(hours=36)  # s42
ABSOLUTE_LIMIT = timedelta(hours=96)  # s44
REVIEWS_BEFORE_EXTENSION = 2  # Code C 15.2: a superintendent extends only after the second review

SECURE_WARNING = (
    "Secure accommodation should be requested only when necessary: record why other accommodation would not "
    "protect the public from serious harm, or request non-secure accommodation"
)
NO_BED_FLAG = (
    "A lack of a bed does not make a move impracticable: the local authority must accept a request for "
    "non-secure accommodation. An inspector will review this certificate"
)


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def juvenile(
    *, date_of_birth: date | None, appears_under_18: bool, clear_evidence_over_18: bool, at: datetime
) -> tuple[bool, str]:
    """C-01 (HARD): a juvenile if the date of birth makes them under 18, or if they appear to be under 18
    and there is no clear evidence that they are older (Code C 1.5). Returns (juvenile, basis)."""
    if date_of_birth is not None and age_on(date_of_birth, timezone.localtime(at).date()) < ADULT_AGE:
        return True, AgeBasis.DATE_OF_BIRTH
    if appears_under_18 and not clear_evidence_over_18:
        return True, AgeBasis.APPEARS
    return False, ""


def aa_problems(occupation: str, connected: bool) -> tuple[str | None, str]:
    """C-02: (a refusal, or None; a warning, or ""). A police officer, police employee, police support
    volunteer or contracted detention or escort staff may never be the appropriate adult (HARD); a
    solicitor, or someone connected with the offence, should not be (a warning)."""
    if occupation in AA_BARRED:
        return (
            "The appropriate adult cannot be a police officer, police employee, police support volunteer or "
            "contracted detention or escort staff: ask a parent, the local authority or the appropriate adult scheme",
            "",
        )
    warnings = []
    if occupation == AaOccupation.SOLICITOR:
        warnings.append("a solicitor acting for the child cannot also be their appropriate adult")
    if connected:
        warnings.append(
            "someone who is a suspect, victim or witness in the offence should not be the appropriate adult"
        )
    return None, ("Check the appropriate adult: " + "; ".join(warnings) + ".") if warnings else ""


def interview_problem(*, aa_present: bool, urgent_authorised: bool) -> str | None:
    """C-03 (HARD): a juvenile is interviewed with the appropriate adult present, unless a superintendent
    or above authorised an urgent interview (Code C 11.15, 11.1)."""
    if aa_present or urgent_authorised:
        return None
    return (
        "A child may be interviewed only with the appropriate adult present, or with a superintendent's "
        "urgent-interview authority"
    )


def next_review_due(authorised_at: datetime, reviews_done: Iterable[datetime]) -> datetime:
    """C-04 (HARD): the first review by detention authorised + 6 h; each later one by the previous review + 9 h."""
    done = sorted(reviews_done)
    return done[-1] + LATER_REVIEWS if done else authorised_at + FIRST_REVIEW


def basic_limit(relevant_time: datetime) -> datetime:
    """C-05: 24 hours from the relevant time (real hours: across a clock change it is still 24)."""
    return relevant_time + BASIC_LIMIT


def extension_problem(
    *, kind: str, relevant_time: datetime, until: datetime, reviews_done: int, warrant_reference: str
) -> str | None:
    """C-05 (HARD): a superintendent extends to at most 36 hours, only after the second review; beyond 36
    hours only a warrant of further detention (with its reference), never beyond 96 hours."""
    if until <= relevant_time + BASIC_LIMIT:
        return "An extension must run beyond the 24 hours allowed from the relevant time"
    if kind == "superintendent":
        if reviews_done < REVIEWS_BEFORE_EXTENSION:
            return "A superintendent may extend detention only after the second review"
        if until > relevant_time + SUPERINTENDENT_LIMIT:
            return (
                "A superintendent may extend detention to at most 36 hours from the relevant time: beyond that "
                "a warrant is needed"
            )
        return None
    if not warrant_reference:
        return "Enter the warrant of further detention's reference"
    if until > relevant_time + ABSOLUTE_LIMIT:
        return "Detention can never exceed 96 hours from the relevant time"
    return None


def secure_warning(la_type: str, serious_harm_rationale: str) -> str:
    """C-09 (SOFT): secure accommodation is requested only with the serious-harm rationale."""
    if la_type == AccommodationType.SECURE and not serious_harm_rationale.strip():
        return SECURE_WARNING
    return ""


def certificate_problems(
    *, reason: str, circumstances: list[str], details: str, age: int | None
) -> dict[str, list[str]]:
    """C-06 (HARD): reason (a) specifies the circumstances; reason (b) needs the child aged 12 or over
    (proven by their date of birth) and the serious harm the public must be protected from."""
    problems: dict[str, list[str]] = {}
    if reason == CertificateReason.IMPRACTICABLE:
        if not circumstances:
            problems["circumstances"] = ["Select the circumstances that make the move impracticable"]
        if not details.strip():
            problems["details"] = ["Specify the circumstances that make the move impracticable"]
    elif reason == CertificateReason.NO_SECURE:
        if age is None or age < REASON_B_MIN_AGE:
            problems["reason"] = ["This reason applies only to a child aged 12 or over, shown by their date of birth"]
        if not details.strip():
            problems["details"] = ["Describe the serious harm the public must be protected from"]
    return problems


def no_bed_only(*, reason: str, circumstances: list[str], la_type: str) -> bool:
    """C-07: "no bed available" on its own never makes a move to non-secure accommodation impracticable
    (ex p M [1991]; Concordat principle 4): the certificate is flagged for an inspector's review."""
    return (
        reason == CertificateReason.IMPRACTICABLE
        and set(circumstances) == {Circumstance.NO_BED}
        and la_type != AccommodationType.SECURE
    )


def cell_problem(*, juvenile: bool, occupants: str) -> str | None:
    """C-11 (HARD): a juvenile never shares a cell with a detained adult (Code C 8.8)."""
    if juvenile and occupants == CellOccupants.ADULT:
        return "A child must never share a cell with an adult detainee"
    return None
