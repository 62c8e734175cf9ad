from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "haven.missing"
    label = "missing"
    verbose_name = "Missing children"

    def ready(self) -> None:
        from haven.core.permissions import Perm
        from haven.missing import closing, deadlines, home, person_section, policy  # noqa: F401 - registers
        from haven.ui.navigation import NavItem, register

        register(NavItem("Missing", "missing:list", order=15, perm=Perm.MISSING_EPISODE_VIEW))
