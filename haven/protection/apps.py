from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "haven.protection"
    label = "protection"
    verbose_name = "Police protection (Children Act 1989 s46)"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        from haven.cases.choices import CaseKind
        from haven.cases.records import register_case_action, register_record_link
        from haven.core.permissions import Perm
        from haven.deadlines.registry import register_kind
        from haven.policy.registry import register_setting
        from haven.protection import deadlines, home, policy, records
        from haven.ui.home import register_home_section
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Police protection", "protection:list", order=24, perm=Perm.PROTECTION_CASE_VIEW))
        register_home_section(home.protection_section, order=6)
        register_case_action(records.start_from_case)
        register_record_link(CaseKind.PROTECTION, records.record_link)
        for setting in policy.SETTINGS:
            register_setting(setting)
        for kind in deadlines.KINDS:
            register_kind(kind)
