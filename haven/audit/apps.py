from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "haven.audit"
    label = "audit"
    verbose_name = "s62 log"

    def ready(self) -> None:
        from haven.core.permissions import Perm
        from haven.ui.navigation import NavItem, register

        register(NavItem("Access log", "audit:index", order=80, perm=Perm.AUDIT_LOG_VIEW))

        from haven.audit import policy  # noqa: F401 - registers the alert threshold
        from haven.audit.history import install_worker_context

        install_worker_context()
