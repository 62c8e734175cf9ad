from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "haven.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from haven.core.permissions import Perm
        from haven.people.policy import SETTINGS
        from haven.policy.registry import register_setting
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("People", "people:search", order=10, perm=Perm.PEOPLE_PERSON_SEARCH))
        for setting in SETTINGS:
            register_setting(setting)
