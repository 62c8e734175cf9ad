from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "haven.ui"
    label = "ui"
    verbose_name = "User interface"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from haven.ui import roles_home
        from haven.ui.home import register_home_section
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Home", "ui:home", order=0))
        register_home_section(roles_home.role_notice_section, order=5)
