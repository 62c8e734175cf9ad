"""The person page's "Cases" section (registered with haven.people.hooks in CasesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.cases.selectors import person_case_list
from haven.core.permissions import Perm


def person_cases_context(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    user = request.user
    if not user.has_perm(Perm.CASES_CASE_VIEW):
        return None
    return {"rows": person_case_list(user=user, person=person)}  # type: ignore[arg-type]
