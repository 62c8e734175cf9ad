from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "haven.partners"
    label = "partners"
    verbose_name = "Partners: the agencies Haven shares with, and their portal"
