from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "haven.partners"
    label = "partners"
    verbose_name = "Partners: the agencies Haven shares with, and their portal"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        from haven.core.outbox import register_email
        from haven.core.permissions import Perm
        from haven.deadlines.registry import register_kind
        from haven.partners import deadlines, home, mail, services
        from haven.ui.home import register_home_section
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Shared with your agency", "partners:portal", order=5, perm=Perm.PARTNER_SHARED_VIEW))
        register_nav_item(NavItem("Partner agencies", "partners:agencies", order=88, perm=Perm.PARTNER_AGENCY_MANAGE))
        register_home_section(home.waiting_section, order=6)
        register_email(services.NOTICE, mail.shared_notice)
        for kind in deadlines.KINDS:
            register_kind(kind)
