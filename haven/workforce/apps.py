from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "haven.workforce"
    label = "workforce"
    verbose_name = "Workforce: skills, competence and the gate"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        from haven.core.permissions import Perm
        from haven.policy.registry import register_setting
        from haven.ui.navigation import NavItem, register_nav_item
        from haven.workforce import policy

        register_nav_item(NavItem("Training", "workforce:team", order=40, perm=Perm.WORKFORCE_RECORD_VIEW))
        for setting in policy.SETTINGS:
            register_setting(setting)
