from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "haven.deadlines"
    label = "deadlines"
    verbose_name = "Deadlines"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from haven.cases.hooks import listen
        from haven.core.permissions import Perm
        from haven.deadlines import handover, home, ownership, policy, queue
        from haven.deadlines.registry import register_kind
        from haven.policy.registry import register_setting
        from haven.ui.home import register_home_section
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Deadlines", "deadlines:list", order=25, perm=Perm.CASES_CASE_VIEW))
        register_home_section(home.my_deadlines_section, order=10)
        register_home_section(home.team_deadlines_section, order=15)
        for setting in policy.SETTINGS:
            register_setting(setting)
        register_kind(handover.HANDOVER)
        register_kind(queue.ALLOCATION)
        listen(
            handover_started=handover.handover_started,
            handover_ended=handover.handover_ended,
            case_closed=handover.case_closed,
            case_queued=queue.case_queued,
            owner_changed=queue.case_allocated,  # first: the allocation deadline is met, not moved
        )
        listen(owner_changed=ownership.owner_changed)
        listen(owner_changed=handover.allocated)
