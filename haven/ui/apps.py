from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "haven.ui"
    label = "ui"
    verbose_name = "User interface"
