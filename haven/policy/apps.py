from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "haven.policy"
    label = "policy"
    verbose_name = "Force policy"

    def ready(self) -> None:
        from haven.core.permissions import Perm
        from haven.ui.navigation import NavItem, register

        register(NavItem("Force policy", "policy:list", order=85, perm=Perm.POLICY_SETTINGS_MANAGE))
