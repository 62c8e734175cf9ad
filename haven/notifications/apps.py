from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "haven.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from haven.notifications import policy  # noqa: F401 - registers the policy settings
