from django.apps import AppConfig


class CustodyConfig(AppConfig):
    name = "haven.custody"
    label = "custody"
    verbose_name = "Children in custody (PACE, s38(6))"
