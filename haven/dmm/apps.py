from django.apps import AppConfig


class DmmConfig(AppConfig):
    name = "haven.dmm"
    label = "dmm"
    verbose_name = "Daily management meeting"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from haven.core.permissions import Perm
        from haven.deadlines.registry import register_kind
        from haven.dmm import deadlines
        from haven.dmm.sections import (
            beyond,
            custody,
            missing_now,
            overdue,
            protection,
            referrals,
            register_board_section,
            repeat,
            returned,
        )
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("DMM board", "dmm:board", order=15, perm=Perm.DMM_BOARD_VIEW))
        sections = (missing_now, returned, referrals, repeat, overdue, beyond)
        for section in (module.SECTION for module in sections):
            register_board_section(section)
        register_board_section(custody.SECTION)  # section 4, children in custody (C-10)
        register_board_section(protection.SECTION)  # section 3, children in police protection (PP-01)
        for kind in deadlines.KINDS:
            register_kind(kind)
        # One obligation, one record: an obligation recorded on its episode meets the DMM action naming it.
        from haven.dmm.services import obligation_recorded
        from haven.missing.services import on_obligation_recorded

        on_obligation_recorded(obligation_recorded)
