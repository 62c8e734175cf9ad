from django.apps import AppConfig


class TriggerplansConfig(AppConfig):
    name = "haven.triggerplans"
    label = "triggerplans"
    verbose_name = "Trigger plans"

    def ready(self) -> None:
        from haven.core.permissions import Perm
        from haven.people.hooks import PersonSection, register_person_section
        from haven.triggerplans import deadlines, policy  # noqa: F401 - registers settings and deadline kinds
        from haven.triggerplans.person_section import person_plan_context
        from haven.ui.navigation import NavItem, register

        register(NavItem("Trigger plans", "triggerplans:list", order=35, perm=Perm.MISSING_EPISODE_VIEW))
        register_person_section(PersonSection("triggerplans/_person_plan.html", person_plan_context, order=5))
