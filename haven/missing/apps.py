from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "haven.missing"
    label = "missing"
    verbose_name = "Missing children"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from haven.cases.choices import CaseKind
        from haven.cases.closing import register_close_check
        from haven.cases.records import register_record_link
        from haven.core.permissions import Perm
        from haven.deadlines.registry import register_kind
        from haven.missing import closing, deadlines, home, person_section, policy, records, services, workload
        from haven.partners.registry import register_rhi_listener
        from haven.people.hooks import PersonSection, register_person_section
        from haven.policy.registry import register_setting
        from haven.ui.home import register_home_section
        from haven.ui.navigation import NavItem, register_nav_item
        from haven.workforce.registry import register_work_counter

        register_nav_item(NavItem("Missing", "missing:list", order=15, perm=Perm.MISSING_EPISODE_VIEW))
        register_home_section(home.missing_now_section, order=10)
        register_person_section(
            PersonSection("missing/_person_missing.html", person_section.person_missing_context, order=5)
        )
        register_close_check(CaseKind.MISSING, closing.episode_close_check)
        register_record_link(CaseKind.MISSING, records.episode_link)
        for setting in policy.SETTINGS:
            register_setting(setting)
        for kind in deadlines.KINDS:
            register_kind(kind)
        # M-12: a return home interview's outcome sent back through the partner portal.
        register_rhi_listener(services.rhi_outcome_from_partner)
        # The capacity view's open enquiries per officer (haven.workforce sits below missing).
        register_work_counter(workload.OPEN_ENQUIRIES)
