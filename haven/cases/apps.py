from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "haven.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from haven.cases import home, person_section, policy
        from haven.core.permissions import Perm
        from haven.people.hooks import PersonSection, register_person_section
        from haven.policy.registry import register_setting
        from haven.ui.home import register_home_section
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Cases", "cases:list", order=20, perm=Perm.CASES_CASE_VIEW))
        register_home_section(home.queue_section, order=15)
        register_home_section(home.my_cases_section, order=20)
        for setting in policy.SETTINGS:
            register_setting(setting)
        register_person_section(
            PersonSection("cases/_person_cases.html", person_section.person_cases_context, order=10)
        )
