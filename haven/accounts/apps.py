from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haven.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from django.contrib.auth.signals import user_logged_in

        from haven.accounts import signals
        from haven.core.permissions import Perm
        from haven.ui.navigation import NavItem, register_nav_item

        user_logged_in.connect(signals.start_session_clock, dispatch_uid="haven-session-clock")
        register_nav_item(NavItem("Administration", "accounts:admin-index", order=90, perm=Perm.ACCOUNTS_USER_MANAGE))
