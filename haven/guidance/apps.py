from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "haven.guidance"
    label = "guidance"
    verbose_name = "Guidance: the force's documents and briefings where the work is"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        from haven.core.permissions import Perm
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Guidance", "guidance:library", order=45, perm=Perm.GUIDANCE_LIBRARY_VIEW))
