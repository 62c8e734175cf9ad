from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "haven.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from django.contrib.auth.signals import user_logged_in

        from haven.accounts import mail, policy, ranks, signals
        from haven.core.outbox import register_email
        from haven.core.permissions import Perm
        from haven.core.seeds import register_seed
        from haven.policy.registry import register_setting
        from haven.policy.selectors import policy_value
        from haven.ui.navigation import NavItem, register_nav_item

        user_logged_in.connect(signals.start_session_clock, dispatch_uid="haven-session-clock")
        register_nav_item(NavItem("On duty", "accounts:duty-index", order=30, perm=Perm.ACCOUNTS_DUTY_MANAGE))
        register_nav_item(NavItem("Administration", "accounts:admin-index", order=90, perm=Perm.ACCOUNTS_USER_MANAGE))
        # Duty's force policy: accounts sits below haven.policy, so its selectors read through this.
        for setting in policy.SETTINGS:
            register_setting(setting)
        policy.install_reader(policy_value)
        for kind, content in mail.CONTENT.items():
            register_email(kind, content)
        register_seed("accounts.ranks", ranks.ranks_ensure)
