"""After start-up each registry holds what the apps register from their AppConfig.ready(), and nothing
registers itself on import (docs/architecture.md, "Registries").

The expected entries are written out here, not read back from the apps: a registration lost from a
ready() fails the test of its registry.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps

from haven.accounts import mail as accounts_mail
from haven.accounts import policy as accounts_policy
from haven.audit import policy as audit_policy
from haven.cases import closing, hooks
from haven.cases import home as cases_home
from haven.cases import policy as cases_policy
from haven.core import outbox, seeds
from haven.custody import home as custody_home
from haven.custody import records as custody_records
from haven.deadlines import handover, ownership, queue
from haven.deadlines import home as deadlines_home
from haven.deadlines import policy as deadlines_policy
from haven.deadlines.registry import DeadlineKind, kinds
from haven.dmm import deadlines as dmm_deadlines
from haven.dmm import sections
from haven.dmm.sections import registered
from haven.missing import closing as missing_closing
from haven.missing import deadlines as missing_deadlines
from haven.missing import home as missing_home
from haven.missing import policy as missing_policy
from haven.notifications import glass
from haven.notifications import policy as notifications_policy
from haven.notifications import services as notifications_services
from haven.partners import deadlines as partners_deadlines
from haven.partners import home as partners_home
from haven.partners import mail as partners_mail
from haven.people import hooks as person_sections
from haven.people import policy as people_policy
from haven.policy.registry import Setting, all_settings
from haven.protection import home as protection_home
from haven.protection import records as protection_records
from haven.referrals import deadlines as referrals_deadlines
from haven.referrals import home as referrals_home
from haven.referrals import policy as referrals_policy
from haven.triggerplans import deadlines as triggerplans_deadlines
from haven.triggerplans import policy as triggerplans_policy
from haven.ui import home, navigation, roles_home
from haven.workforce import deadlines as workforce_deadlines
from haven.workforce import policy as workforce_policy
from haven.workforce import registry as workforce_registry
from haven.workforce.choices import Activity

KIND_CODES = {
    "cases.allocation",
    "cases.handover",
    "custody.certificate",
    "custody.court",
    "custody.limit",
    "custody.review",
    "custody.review_alert",
    "custody.transfer",
    "dmm.action",
    "missing.enquiry",
    "missing.high_risk",
    "missing.no_activity",
    "missing.pnc",
    "missing.prevention",
    "missing.review",
    "missing.rhi",
    "partners.acknowledge",
    "protection.escalation",
    "protection.expiry",
    "protection.inquiry",
    "protection.notifications",
    "protection.station",
    "protection.strategy",
    "referrals.raise",
    "referrals.review",
    "referrals.share",
    "referrals.share_hard",
    "triggerplans.required",
    "triggerplans.review",
    "workforce.refresher",
}

SETTING_KEYS = {
    "accounts.no_duty_inspector",
    "accounts.no_duty_sergeant",
    "accounts.second_approver_roles",
    "audit.alert_people_per_hour",
    "cases.queue_areas",
    "custody.referral_within",
    "custody.review_alert_before",
    "custody.transfer_request_within",
    "deadlines.ack_escalate_after",
    "deadlines.handover_ack_within",
    "deadlines.queue_allocate_within",
    "missing.child_grade_floor",
    "missing.childrens_services_within",
    "missing.enquiry_due.immediate",
    "missing.enquiry_due.routine",
    "missing.enquiry_due.urgent",
    "missing.exploitation_prompt_on_out_of_area",
    "missing.high_risk_obligations_within",
    "missing.no_meaningful_activity_within",
    "missing.pnc_circulation_within",
    "missing.prevention_interview_within",
    "missing.prevention_interview_within_high",
    "missing.review_interval.high",
    "missing.review_interval.low",
    "missing.review_interval.medium",
    "missing.review_interval.very_low",
    "missing.rhi_within",
    "notifications.email_text",
    "people.refuge_roles",
    "protection.designated_officer_min_rank",
    "protection.notifications_within",
    "protection.referral_within",
    "protection.strategy_within",
    "referrals.review_within",
    "referrals.share_hard_alert_after",
    "referrals.share_target.amber",
    "referrals.share_target.green",
    "referrals.share_target.red",
    "referrals.share_target.unrated",
    "triggerplans.longest_review",
    "triggerplans.plan_within",
    "triggerplans.repeat_episodes",
    "triggerplans.repeat_window",
    "workforce.longest_override",
    "workforce.mentor_may_sign_off",
    "workforce.sign_off_activities",
    *(f"workforce.requires.{activity}" for activity in Activity.values),
    # Registering a deadline kind makes its escalation ladder force policy.
    *(f"deadlines.ladder.{code}" for code in KIND_CODES),
}


def _not_a_test_s(key: str) -> bool:
    """Some tests register kinds and settings of their own, all named ``tests.…``."""
    return not key.startswith(("tests.", "deadlines.ladder.tests."))


def test_navigation_holds_each_app_s_entry_in_order() -> None:
    assert [item.url_name for item in navigation._ITEMS] == [
        "ui:home",
        "partners:portal",
        "people:search",
        "missing:list",
        "dmm:board",
        "cases:list",
        "referrals:queue",
        "referrals:list",
        "referrals:report",
        "protection:list",
        "deadlines:list",
        "custody:list",
        "custody:report",
        "accounts:duty-index",
        "triggerplans:list",
        "workforce:team",
        "workforce:report",
        "workforce:capacity",
        "guidance:library",
        "audit:index",
        "policy:list",
        "partners:agencies",
        "accounts:admin-index",
    ]


def test_home_page_holds_each_app_s_sections_in_order() -> None:
    assert [builder for _, _, builder in home._SECTIONS] == [
        roles_home.role_notice_section,
        custody_home.in_custody_section,
        partners_home.waiting_section,
        protection_home.protection_section,
        referrals_home.approvals_section,
        deadlines_home.my_deadlines_section,
        missing_home.missing_now_section,
        cases_home.queue_section,
        deadlines_home.team_deadlines_section,
        cases_home.my_cases_section,
    ]


def test_person_page_holds_each_app_s_section_in_order() -> None:
    assert [section.template for section in person_sections._SECTIONS] == [
        "missing/_person_missing.html",
        "triggerplans/_person_plan.html",
        "cases/_person_cases.html",
    ]


def test_a_missing_case_page_links_to_its_episode_through_the_missing_app() -> None:
    from haven.cases import records
    from haven.missing import records as missing_records

    assert {
        "missing": missing_records.episode_link,
        "protection": protection_records.record_link,
        "custody": custody_records.detention_link,
    } == records._LINKS


def test_closing_a_case_asks_the_missing_app_s_check_m11() -> None:
    assert {kind: checks for kind, checks in closing._CHECKS.items() if checks} == {
        "missing": [missing_closing.episode_close_check]
    }


def test_force_policy_holds_every_app_s_settings_and_each_kind_s_ladder() -> None:
    assert {s.key for s in all_settings() if _not_a_test_s(s.key)} == SETTING_KEYS


def test_deadline_kinds_hold_every_app_s_kinds() -> None:
    assert {k.code for k in kinds() if _not_a_test_s(k.code)} == KIND_CODES


def test_dmm_board_holds_its_sections_in_order_d01() -> None:
    assert [section.key for section in registered()] == [
        "missing",
        "returned",
        "protection",
        "custody",
        "referrals",
        "repeat",
        "overdue",
        "beyond",
    ]


def test_the_capacity_view_counts_missing_s_open_enquiries() -> None:
    from haven.missing import workload

    assert workforce_registry.work_counters() == [workload.OPEN_ENQUIRIES]


def test_case_events_reach_the_deadlines_app_m10() -> None:
    assert hooks._handover_started == [handover.handover_started]
    assert hooks._handover_ended == [handover.handover_ended]
    assert hooks._case_closed == [handover.case_closed]
    assert hooks._case_queued == [queue.case_queued]
    # The allocation deadline is met before the owner's deadlines move (else it would move with them).
    assert hooks._owner_changed == [queue.case_allocated, ownership.owner_changed, handover.allocated]


def test_breaking_the_glass_on_a_case_reaches_the_owner_s_inbox() -> None:
    assert hooks._glass_broken == [glass.glass_broken]


def test_the_outbox_holds_each_app_s_kinds_of_e_mail() -> None:
    assert outbox.email_kinds() == {
        "core.notice": outbox.notice_content,
        "accounts.password_link": accounts_mail._password_link,
        "accounts.sign_in_failed": accounts_mail._sign_in_failed,
        "accounts.second_factor_changed": accounts_mail._second_factor_changed,
        "notifications.notification": notifications_services.notification_email,
        "notifications.team_escalation": notifications_services.team_email,
        "partners.shared_notice": partners_mail.shared_notice,
    }


def _declared(module: ModuleType, kind: type) -> set[Any]:
    return {value for name, value in vars(module).items() if name.isupper() and isinstance(value, kind)}


@pytest.mark.parametrize(
    "module",
    [
        accounts_policy,
        audit_policy,
        cases_policy,
        deadlines_policy,
        missing_policy,
        notifications_policy,
        people_policy,
        referrals_policy,
        triggerplans_policy,
        workforce_policy,
    ],
    ids=lambda m: m.__name__,
)
def test_every_setting_a_policy_module_declares_is_in_its_settings(module: ModuleType) -> None:
    assert _declared(module, Setting) == set(module.SETTINGS)


@pytest.mark.parametrize(
    "module",
    [
        dmm_deadlines,
        missing_deadlines,
        partners_deadlines,
        referrals_deadlines,
        triggerplans_deadlines,
        workforce_deadlines,
    ],
    ids=lambda m: m.__name__,
)
def test_every_kind_a_deadlines_module_declares_is_in_its_kinds(module: ModuleType) -> None:
    assert _declared(module, DeadlineKind) == set(module.KINDS)


def test_every_section_module_of_the_dmm_board_is_on_it() -> None:
    names = [m.name for m in pkgutil.iter_modules(sections.__path__) if not m.name.startswith("_")]

    assert names, "no section modules found"
    for name in names:
        module = importlib.import_module(f"{sections.__name__}.{name}")
        assert module.SECTION in registered(), name


def _contents() -> dict[str, Any]:
    return {
        "navigation": list(navigation._ITEMS),
        "home": list(home._SECTIONS),
        "person": list(person_sections._SECTIONS),
        "closing": {kind: list(checks) for kind, checks in closing._CHECKS.items()},
        "policy": all_settings(),
        "kinds": kinds(),
        "dmm": registered(),
        "work": workforce_registry.work_counters(),
        "e-mail": outbox.email_kinds(),
        "seeds": seeds.seeds(),
        "events": [
            list(hooks._handover_started),
            list(hooks._handover_ended),
            list(hooks._case_closed),
            list(hooks._glass_broken),
        ],
    }


def test_every_app_that_seeds_reference_rows_registers_how_to_put_them_back() -> None:
    assert set(seeds.seeds()) == {"accounts.ranks", "workforce.standard_qualifications"}


def test_running_every_ready_again_changes_no_registry() -> None:
    before = _contents()

    for config in apps.get_app_configs():
        if config.name.startswith("haven."):
            config.ready()

    assert _contents() == before
