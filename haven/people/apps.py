from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "haven.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from haven.core.permissions import Perm
        from haven.ui.navigation import NavItem, register

        register(NavItem("People", "people:search", order=10, perm=Perm.PEOPLE_PERSON_SEARCH))
