from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "haven.audit"
    label = "audit"
    verbose_name = "s62 log"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from haven.audit import policy
        from haven.audit.history import install_worker_context
        from haven.core.permissions import Perm
        from haven.policy.registry import register_setting
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Access log", "audit:index", order=80, perm=Perm.AUDIT_LOG_VIEW))
        for setting in policy.SETTINGS:
            register_setting(setting)
        install_worker_context()
