from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "haven.policy"
    label = "policy"
    verbose_name = "Force policy"
