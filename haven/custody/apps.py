from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "haven.custody"
    label = "custody"
    verbose_name = "Children in custody (PACE, s38(6))"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        from haven.cases.choices import CaseKind
        from haven.cases.records import register_record_link
        from haven.core.permissions import Perm
        from haven.custody import deadlines, home, policy, records
        from haven.deadlines.registry import register_kind
        from haven.policy.registry import register_setting
        from haven.ui.home import register_home_section
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Children in custody", "custody:list", order=25, perm=Perm.CUSTODY_DETENTION_VIEW))
        # The Concordat report (C-10): the inspectors' monthly transfer figures.
        register_nav_item(NavItem("Concordat report", "custody:report", order=26, perm=Perm.CUSTODY_REPORT_VIEW))
        register_home_section(home.in_custody_section, order=6)
        register_record_link(CaseKind.CUSTODY, records.detention_link)
        for setting in policy.SETTINGS:
            register_setting(setting)
        for kind in deadlines.KINDS:
            register_kind(kind)
