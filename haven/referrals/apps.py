from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "haven.referrals"
    label = "referrals"
    verbose_name = "Referrals: child concerns shared with partners"
