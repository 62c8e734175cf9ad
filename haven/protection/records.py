"""Starting police protection from a case about a child: the case page offers it (registered in ready())."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from haven.cases.choices import CaseKind
from haven.core.permissions import Perm

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case


def start_from_case(case: Case, user: User) -> tuple[str, str] | None:
    """("Record police protection", the start page with the case's child) for one who may use the power;
    None on a police protection's own case or for anyone else."""
    if case.kind == CaseKind.PROTECTION or not user.has_perm(Perm.PROTECTION_CASE_RECORD):
        return None
    return ("Record police protection", f"{reverse('protection:start')}?child={case.subject.public_id}")


def record_link(case: Case) -> tuple[str, str] | None:
    """The police protection page of a case of kind police protection."""
    protection = getattr(case, "protection", None)
    if protection is None:
        return None
    return ("Open the police protection record", reverse("protection:detail", args=[protection.public_id]))
