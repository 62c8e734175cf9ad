from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "haven.policy"
    label = "policy"
    verbose_name = "Force policy"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from haven.core.permissions import Perm
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Force policy", "policy:list", order=85, perm=Perm.POLICY_SETTINGS_MANAGE))
