from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "haven.referrals"
    label = "referrals"
    verbose_name = "Referrals: child concerns shared with partners"

    def ready(self) -> None:
        """Register this app's entries (docs/architecture.md, "Registries"); a second run changes nothing."""
        from haven.cases.records import register_case_action
        from haven.core.permissions import Perm
        from haven.deadlines.registry import register_kind
        from haven.policy.registry import register_setting
        from haven.referrals import deadlines, home, policy, records
        from haven.ui.home import register_home_section
        from haven.ui.navigation import NavItem, register_nav_item

        register_nav_item(NavItem("Referrals", "referrals:queue", order=21, perm=Perm.REFERRALS_QUEUE_VIEW))
        register_nav_item(NavItem("My referrals", "referrals:list", order=22, perm=Perm.REFERRALS_REFERRAL_CREATE))
        # The manager's report: time from raised to shared, share-by times missed, the backlog by team and week.
        register_nav_item(NavItem("Referrals report", "referrals:report", order=23, perm=Perm.REFERRALS_REPORT_VIEW))
        register_home_section(home.approvals_section, order=7)
        register_case_action(records.raise_from_case)
        for setting in policy.SETTINGS:
            register_setting(setting)
        for kind in deadlines.KINDS:
            register_kind(kind)
