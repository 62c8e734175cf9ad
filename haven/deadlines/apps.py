from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "haven.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines"

    def ready(self) -> None:
        from haven.deadlines import handover

        handover.register()
