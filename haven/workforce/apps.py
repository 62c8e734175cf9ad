from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "haven.workforce"
    label = "workforce"
    verbose_name = "Workforce: skills, competence and the gate"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        from haven.policy.registry import register_setting
        from haven.workforce import policy

        for setting in policy.SETTINGS:
            register_setting(setting)
