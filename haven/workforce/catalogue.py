"""The qualifications every force starts with (domain §11); a force edits them or adds its own.

Validity in months: None means held for good once gained. ABE needs a refresher (HMICFRS 2014); the
e-learning modules are renewed yearly and are mandatory for operational officers (T-02). Putting back a
missing one never undoes a force's edits (it only adds codes that are absent).
"""

from __future__ import annotations

from typing import Any

STANDARD = [
    ("pip1", "PIP level 1 (priority and volume crime)", "accreditation", None, False),
    ("pip2", "PIP level 2 (serious and complex investigation)", "accreditation", None, False),
    ("abe", "Achieving Best Evidence interviewing", "course", 36, False),
    ("scaidp", "Specialist Child Abuse Investigator Development Programme", "course", None, False),
    ("arms", "ARMS assessment", "course", None, False),
    ("kirat", "KIRAT assessment", "course", None, False),
    ("custody_officer", "Custody officer", "accreditation", None, False),
    ("designated_officer", "Designated officer for police protection", "course", None, False),
    ("crsu_researcher", "CRSU researcher", "course", None, False),
    ("missing_elearning_1", "Missing people e-learning: module 1", "elearning", 12, True),
    ("missing_elearning_2", "Missing people e-learning: module 2", "elearning", 12, True),
]


def standard_qualifications_ensure(qualification_model: Any = None) -> int:
    """Add any standard qualification that is missing; how many were. ``qualification_model`` is the
    migration's historical model when migration 0002 calls this, the live one otherwise. Reference data,
    not personal data: no s62 row."""
    if qualification_model is None:
        from haven.workforce.models import Qualification as qualification_model
    added = 0
    for code, name, kind, months, mandatory in STANDARD:
        _, made = qualification_model.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "validity_months": months, "mandatory": mandatory}
        )
        added += made
    return added
