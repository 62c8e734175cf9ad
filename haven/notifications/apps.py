from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "haven.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from haven.cases.hooks import listen
        from haven.core.outbox import register_email
        from haven.notifications import glass, policy, services
        from haven.policy.registry import register_setting

        listen(glass_broken=glass.glass_broken)
        register_email(services.EMAIL, services.notification_email)
        register_email(services.TEAM_EMAIL, services.team_email)

        for setting in policy.SETTINGS:
            register_setting(setting)
