from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "haven.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines"

    def ready(self) -> None:
        from haven.core.permissions import Perm
        from haven.deadlines import handover, policy  # noqa: F401 - registers the policy settings
        from haven.deadlines.home import my_deadlines_section, team_deadlines_section
        from haven.ui.home import register_section
        from haven.ui.navigation import NavItem, register

        handover.register()
        register(NavItem("Deadlines", "deadlines:list", order=25, perm=Perm.CASES_CASE_VIEW))
        register_section(my_deadlines_section, order=10)
        register_section(team_deadlines_section, order=15)
