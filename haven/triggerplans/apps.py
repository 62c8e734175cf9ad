from django.apps import AppConfig


class TriggerplansConfig(AppConfig):
    name = "haven.triggerplans"
    label = "triggerplans"
    verbose_name = "Trigger plans"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        # Imported here: apps.py is imported before the models are (Django's app loading).
        from haven.core.permissions import Perm
        from haven.deadlines.registry import register_kind
        from haven.people.hooks import PersonSection, register_person_section
        from haven.policy.registry import register_setting
        from haven.triggerplans import deadlines, person_section, policy
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Trigger plans", "triggerplans:list", order=35, perm=Perm.MISSING_EPISODE_VIEW))
        register_person_section(
            PersonSection("triggerplans/_person_plan.html", person_section.person_plan_context, order=5)
        )
        for setting in policy.SETTINGS:
            register_setting(setting)
        for kind in deadlines.KINDS:
            register_kind(kind)
