from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haven.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from haven.accounts import signals
        from haven.core.permissions import Perm
        from haven.ui.navigation import NavItem, register

        user_logged_in.connect(signals.start_session_clock, dispatch_uid="haven-session-clock")
        register(NavItem("Administration", "accounts:admin-index", order=90, perm=Perm.ACCOUNTS_USER_MANAGE))
