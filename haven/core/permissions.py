"""Every permission Haven knows, every role, and which role holds which permission. One module.

Permission names follow ``<scope>:<resource>:<action>`` (warehouse's grammar), kept alphabetical.
Roles are fixed in code because they carry legal meaning (only an inspector may be the designated
officer for police protection); an administrator gives users roles, not ad-hoc permissions.
API tokens carry scopes, which are permissions: a token can do at most what its owner's roles allow.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from haven.accounts.models import User


class Perm(StrEnum):
    """A named permission. Checked with ``user.has_perm(Perm.X)``."""

    ACCOUNTS_DUTY_MANAGE = "accounts:duty:manage"
    ACCOUNTS_RANK_MANAGE = "accounts:rank:manage"
    ACCOUNTS_ROLE_VIEW = "accounts:role:view"
    ACCOUNTS_TEAM_MANAGE = "accounts:team:manage"
    ACCOUNTS_TEAM_VIEW = "accounts:team:view"
    ACCOUNTS_USER_MANAGE = "accounts:user:manage"
    ACCOUNTS_USER_VIEW = "accounts:user:view"
    API_TOKEN_MANAGE = "api:token:manage"  # noqa: S105 - a permission name, not a password
    AUDIT_LOG_VIEW = "audit:log:view"
    CASES_CASE_ALLOCATE = "cases:case:allocate"
    CASES_CASE_EDIT = "cases:case:edit"
    CASES_CASE_HANDOVER = "cases:case:handover"
    CASES_CASE_OPEN = "cases:case:open"
    CASES_CASE_REOPEN = "cases:case:reopen"
    CASES_CASE_VIEW = "cases:case:view"
    CASES_RESTRICTED_VIEW = "cases:restricted:view"
    CUSTODY_DETENTION_RECORD = "custody:detention:record"
    CUSTODY_DETENTION_VIEW = "custody:detention:view"
    CUSTODY_EXTENSION_AUTHORISE = "custody:extension:authorise"
    CUSTODY_REPORT_VIEW = "custody:report:view"
    CUSTODY_REVIEW_RECORD = "custody:review:record"
    DMM_ACTION_RECORD = "dmm:action:record"
    DMM_BOARD_VIEW = "dmm:board:view"
    DMM_MEETING_CHAIR = "dmm:meeting:chair"
    MISSING_ENQUIRY_RECORD = "missing:enquiry:record"
    MISSING_EPISODE_CREATE = "missing:episode:create"
    MISSING_EPISODE_RECORD = "missing:episode:record"
    MISSING_EPISODE_VIEW = "missing:episode:view"
    MISSING_RISK_GRADE = "missing:risk:grade"
    MISSING_RISK_OVERRIDE = "missing:risk:override"
    MISSING_SIGHTING_RECORD = "missing:sighting:record"
    MISSING_SUPERVISION_RECORD = "missing:supervision:record"
    NOTIFICATIONS_INBOX_MANAGE = "notifications:inbox:manage"
    NOTIFICATIONS_INBOX_VIEW = "notifications:inbox:view"
    PARTNER_AGENCY_MANAGE = "partner:agency:manage"
    PARTNER_SHARED_RESPOND = "partner:shared:respond"
    PARTNER_SHARED_VIEW = "partner:shared:view"
    PEOPLE_PERSON_CREATE = "people:person:create"
    PEOPLE_PERSON_MERGE = "people:person:merge"
    PEOPLE_PERSON_SEARCH = "people:person:search"
    PEOPLE_SENSITIVE_VIEW = "people:sensitive:view"
    POLICY_SETTINGS_MANAGE = "policy:settings:manage"
    PROTECTION_CASE_RECORD = "protection:case:record"
    PROTECTION_CASE_VIEW = "protection:case:view"
    PROTECTION_DESIGNATED_OFFICER = "protection:designated:act"
    GUIDANCE_LIBRARY_MANAGE = "guidance:library:manage"
    GUIDANCE_LIBRARY_VIEW = "guidance:library:view"
    REFERRALS_REFERRAL_CREATE = "referrals:referral:create"
    REFERRALS_REFERRAL_REVIEW = "referrals:referral:review"
    REFERRALS_REFERRAL_SHARE = "referrals:referral:share"
    REFERRALS_REFERRAL_VIEW = "referrals:referral:view"
    REFERRALS_QUEUE_VIEW = "referrals:queue:view"
    REFERRALS_REPORT_VIEW = "referrals:report:view"
    REFERRALS_STRATEGY_RECORD = "referrals:strategy:record"
    WORKFORCE_COMPETENCE_RECORD = "workforce:competence:record"
    WORKFORCE_GATE_OVERRIDE = "workforce:gate:override"
    WORKFORCE_RECORD_VIEW = "workforce:record:view"
    WORKFORCE_REPORT_VIEW = "workforce:report:view"
    WORKFORCE_SKILL_RECORD = "workforce:skill:record"


class Role(models.TextChoices):
    """The jobs people do in Haven (design.md, "Users and their jobs")."""

    CALL_HANDLER = "call_handler", "Call handler"
    RESPONSE_OFFICER = "response_officer", "Response officer"
    INVESTIGATOR = "investigator", "Investigator"
    SUPERVISOR = "supervisor", "Supervisor (sergeant)"
    INSPECTOR = "inspector", "Inspector"
    CRSU_OFFICER = "crsu_officer", "CRSU officer"
    CUSTODY_OFFICER = "custody_officer", "Custody officer"
    ANALYST = "analyst", "Analyst"
    AUDITOR = "auditor", "Auditor / data protection officer"
    PARTNER = "partner", "Partner agency user"
    ADMINISTRATOR = "administrator", "Administrator"


P = Perm
_OFFICER = {
    P.ACCOUNTS_TEAM_VIEW,
    P.API_TOKEN_MANAGE,
    P.CASES_CASE_VIEW,
    P.MISSING_EPISODE_VIEW,
    P.PEOPLE_PERSON_SEARCH,
    P.DMM_BOARD_VIEW,
    P.GUIDANCE_LIBRARY_VIEW,
    P.REFERRALS_REFERRAL_VIEW,  # the referrals one may see (one's own, one's team's): the selectors decide
    P.PROTECTION_CASE_VIEW,  # the police protections one may see (as their cases): the selectors decide
}
# Finding a missing child is every operational officer's job: see the children missing now and record a sighting.
_OPERATIONAL = {P.MISSING_SIGHTING_RECORD}
# Writing on the records one works (POLICY's OPEN and EDIT): open a case, change it and add notes, record what
# happened on a missing episode, complete a DMM action one owns. Seeing a record never grants changing it.
_RECORDING = {P.CASES_CASE_EDIT, P.CASES_CASE_OPEN, P.DMM_ACTION_RECORD, P.MISSING_EPISODE_RECORD}
_INVESTIGATIVE = (
    _OFFICER
    | _OPERATIONAL
    | _RECORDING
    | {
        P.CASES_CASE_HANDOVER,
        P.MISSING_ENQUIRY_RECORD,
        P.PEOPLE_PERSON_CREATE,
        P.PROTECTION_CASE_RECORD,
        P.REFERRALS_REFERRAL_CREATE,
    }
)
_SUPERVISORY = _INVESTIGATIVE | {
    P.ACCOUNTS_DUTY_MANAGE,
    P.ACCOUNTS_USER_VIEW,
    P.CASES_CASE_ALLOCATE,
    P.CASES_CASE_REOPEN,
    P.MISSING_EPISODE_CREATE,
    P.MISSING_RISK_GRADE,
    P.MISSING_RISK_OVERRIDE,
    P.MISSING_SUPERVISION_RECORD,
    P.REFERRALS_QUEUE_VIEW,
    P.REFERRALS_REFERRAL_REVIEW,
    P.REFERRALS_STRATEGY_RECORD,
    P.PEOPLE_SENSITIVE_VIEW,
    # Supervisors keep their team's skills register and sign off competence (T-01).
    P.WORKFORCE_COMPETENCE_RECORD,
    P.WORKFORCE_RECORD_VIEW,
    P.WORKFORCE_SKILL_RECORD,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.CALL_HANDLER: frozenset(
        _OFFICER | _OPERATIONAL | _RECORDING | {P.MISSING_EPISODE_CREATE, P.MISSING_RISK_GRADE, P.PEOPLE_PERSON_CREATE}
    ),
    Role.RESPONSE_OFFICER: frozenset(_INVESTIGATIVE),
    Role.INVESTIGATOR: frozenset(_INVESTIGATIVE | {P.PEOPLE_SENSITIVE_VIEW}),
    Role.SUPERVISOR: frozenset(_SUPERVISORY),
    Role.INSPECTOR: frozenset(
        _SUPERVISORY
        | {P.CASES_RESTRICTED_VIEW, P.DMM_MEETING_CHAIR, P.PROTECTION_DESIGNATED_OFFICER, P.WORKFORCE_GATE_OVERRIDE}
        | {P.REFERRALS_REPORT_VIEW, P.WORKFORCE_REPORT_VIEW}
        # PACE reviews are an inspector's (s40), who also monitors a child kept after charge (Code C 16.7);
        # a superintendent (an inspector's role, of that rank: the service checks it) extends detention (s42).
        | {P.CUSTODY_DETENTION_VIEW, P.CUSTODY_REVIEW_RECORD, P.CUSTODY_EXTENSION_AUTHORISE, P.CUSTODY_REPORT_VIEW}
    ),
    Role.CRSU_OFFICER: frozenset(
        _INVESTIGATIVE
        | {
            P.PEOPLE_SENSITIVE_VIEW,
            P.REFERRALS_QUEUE_VIEW,
            P.REFERRALS_REFERRAL_REVIEW,
            P.REFERRALS_REFERRAL_SHARE,
            P.REFERRALS_STRATEGY_RECORD,
        }
    ),
    Role.CUSTODY_OFFICER: frozenset(
        _OFFICER
        | _OPERATIONAL
        | _RECORDING
        # A charged child kept in custody is a child concern for children's services (C-06).
        | {P.CUSTODY_DETENTION_RECORD, P.CUSTODY_DETENTION_VIEW, P.PEOPLE_PERSON_CREATE, P.REFERRALS_REFERRAL_CREATE}
    ),
    Role.ANALYST: frozenset(_OFFICER | {P.PEOPLE_PERSON_MERGE}),
    Role.AUDITOR: frozenset(
        {
            P.ACCOUNTS_TEAM_VIEW,
            P.ACCOUNTS_USER_VIEW,
            P.API_TOKEN_MANAGE,  # an auditor's integration reads the s62 log (scopes at most their roles)
            P.AUDIT_LOG_VIEW,
            P.CASES_CASE_VIEW,
            P.CASES_RESTRICTED_VIEW,
            P.DMM_BOARD_VIEW,
        }
    ),
    # One agency's users (haven.partners scopes them to it): what was shared with that agency, and answering it.
    Role.PARTNER: frozenset({P.PARTNER_SHARED_VIEW, P.PARTNER_SHARED_RESPOND, P.API_TOKEN_MANAGE}),
    Role.ADMINISTRATOR: frozenset(
        {
            P.ACCOUNTS_DUTY_MANAGE,
            P.ACCOUNTS_RANK_MANAGE,
            P.ACCOUNTS_ROLE_VIEW,
            P.ACCOUNTS_TEAM_MANAGE,
            P.ACCOUNTS_TEAM_VIEW,
            P.ACCOUNTS_USER_MANAGE,
            P.ACCOUNTS_USER_VIEW,
            P.API_TOKEN_MANAGE,
            P.POLICY_SETTINGS_MANAGE,
            # The learning and development department's imports and records of courses, the force's
            # compliance report, and the guidance library it keeps.
            P.GUIDANCE_LIBRARY_MANAGE,
            P.GUIDANCE_LIBRARY_VIEW,
            # The partner agencies, their contact routes and the users each has.
            P.PARTNER_AGENCY_MANAGE,
            P.WORKFORCE_RECORD_VIEW,
            P.WORKFORCE_REPORT_VIEW,
            P.WORKFORCE_SKILL_RECORD,
        }
    ),
}

# Everyone signed in has an inbox: reading it, and marking read or acknowledging what is in it.
_INBOX = frozenset({P.NOTIFICATIONS_INBOX_MANAGE, P.NOTIFICATIONS_INBOX_VIEW})
ROLE_PERMISSIONS = {role: perms | _INBOX for role, perms in ROLE_PERMISSIONS.items()}


def permissions_for_roles(roles: Iterable[str]) -> frozenset[Perm]:
    """The union of the permissions of ``roles``; unknown role names grant nothing."""
    granted: set[Perm] = set()
    for name in roles:
        if name in Role.values:
            granted |= ROLE_PERMISSIONS[Role(name)]
    return frozenset(granted)


class RolePermissionBackend:
    """Answers ``user.has_perm("scope:resource:action")`` from the user's roles.

    Object-level checks belong to selectors (``visible_to(user)``), not here; with an object this
    backend still answers only the role question.
    """

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: Any) -> None:
        return None

    def has_perm(self, user_obj: User, perm: str, obj: object = None) -> bool:
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        return perm in user_obj.permissions

    def has_module_perms(self, user_obj: User, app_label: str) -> bool:
        return False
