"""What a role's home page says about the work Haven holds for it (registered in UiConfig.ready). Honest
pages: a partner or CRSU user learns where their work waits; a custody user what Haven does not do for them
yet and where that work is done meanwhile; an analyst sees the work an analyst can act on."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from haven.core.permissions import Role

# role → (heading, what is not here yet and where to go instead, links to what they can do here)
NOTICES: dict[str, dict[str, Any]] = {
    Role.PARTNER: {
        "heading": "What your agency can do in Haven",
        "paragraphs": [
            "Referrals the police share with your agency, and requests for return home interviews, wait for you "
            "under Shared with your agency. Acknowledge each within one working day, then send back your decision "
            "or what the interview found.",
            "If a child is at immediate risk, call 999. For anything else about a referral, contact the police "
            "referral and safeguarding unit through your usual route.",
        ],
        "links": [("Shared with your agency", "partners:portal")],
    },
    Role.CRSU_OFFICER: {
        "heading": "Child concern referrals",
        "paragraphs": [
            "Child concern referrals wait for you in the CRSU queue, reddest and oldest first: research each, "
            "then decide whether to share it with a partner agency, the same day.",
            "In Haven you can also look up a child's history and help find children missing now.",
        ],
        "links": [
            ("The CRSU queue", "referrals:queue"),
            ("Find a person", "people:search"),
            ("Children missing now", "missing:list"),
        ],
    },
    Role.CUSTODY_OFFICER: {
        "heading": "Children in custody",
        "paragraphs": [
            "Record each child in custody here as the custody system shows them: the appropriate adult, reviews, "
            "charge, and after charge the request for local authority accommodation or the certificate.",
            "In Haven you can also look up a child's history and help find children missing now.",
        ],
        "links": [
            ("Children in custody", "custody:list"),
            ("Find a person", "people:search"),
            ("Children missing now", "missing:list"),
        ],
    },
    Role.ANALYST: {
        "heading": "Your work in Haven",
        "paragraphs": [
            "You can merge duplicate person records and read the daily management meeting board. Cases and "
            "their deadlines belong to the officers and supervisors who act on them."
        ],
        "links": [("Possible duplicate people", "people:duplicates"), ("Daily management board", "dmm:board")],
    },
}


def role_notice_section(request: HttpRequest) -> dict[str, Any] | None:
    """One notice per role the user holds that has one, in the order of ``NOTICES``."""
    user: Any = request.user
    roles = set(getattr(user, "roles", ()))
    notices = [notice for role, notice in NOTICES.items() if role in roles]
    if not notices:
        return None
    return {"template": "ui/home_role_notice.html", "notices": notices}
