from django.apps import AppConfig


class TriggerplansConfig(AppConfig):
    name = "haven.triggerplans"
    label = "triggerplans"
    verbose_name = "Trigger plans"
