from django.apps import AppConfig


class DmmConfig(AppConfig):
    name = "haven.dmm"
    label = "dmm"
    verbose_name = "Daily management meeting"

    def ready(self) -> None:
        from haven.core.permissions import Perm
        from haven.dmm import deadlines, sections  # noqa: F401 - registers the action kind and the board sections
        from haven.ui.navigation import NavItem, register

        sections.autodiscover()
        register(NavItem("DMM board", "dmm:board", order=15, perm=Perm.DMM_BOARD_VIEW))
