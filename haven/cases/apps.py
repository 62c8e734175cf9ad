from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "haven.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from haven.cases.home import my_cases_section
        from haven.core.permissions import Perm
        from haven.ui.home import register_section
        from haven.ui.navigation import NavItem, register

        register(NavItem("Cases", "cases:list", order=20, perm=Perm.CASES_CASE_VIEW))
        register_section(my_cases_section, order=20)

        from haven.cases.person_section import person_cases_context
        from haven.people.hooks import PersonSection, register_person_section

        register_person_section(PersonSection("cases/_person_cases.html", person_cases_context, order=10))
