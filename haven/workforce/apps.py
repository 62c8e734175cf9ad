from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "haven.workforce"
    label = "workforce"
    verbose_name = "Workforce: skills, competence and the gate"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        from haven.core.permissions import Perm
        from haven.core.seeds import register_seed
        from haven.deadlines.registry import register_kind
        from haven.policy.registry import register_setting
        from haven.ui.navigation import NavItem, register_nav_item
        from haven.workforce import catalogue, deadlines, policy

        register_nav_item(NavItem("Training", "workforce:team", order=40, perm=Perm.WORKFORCE_RECORD_VIEW))
        # The learning and development lead's force-wide report, and a detective inspector's capacity view.
        register_nav_item(NavItem("Training report", "workforce:report", order=41, perm=Perm.WORKFORCE_REPORT_VIEW))
        register_nav_item(NavItem("Capacity", "workforce:capacity", order=42, perm=Perm.WORKFORCE_REPORT_VIEW))
        for setting in policy.SETTINGS:
            register_setting(setting)
        for kind in deadlines.KINDS:
            register_kind(kind)
        register_seed("workforce.standard_qualifications", catalogue.standard_qualifications_ensure)
