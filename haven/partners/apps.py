from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "haven.partners"
    label = "partners"
    verbose_name = "Partners: the agencies Haven shares with, and their portal"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        from haven.core.outbox import register_email
        from haven.deadlines.registry import register_kind
        from haven.partners import deadlines, mail, services

        register_email(services.NOTICE, mail.shared_notice)
        for kind in deadlines.KINDS:
            register_kind(kind)
