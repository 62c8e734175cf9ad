from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "haven.guidance"
    label = "guidance"
    verbose_name = "Guidance: the force's documents and briefings where the work is"
