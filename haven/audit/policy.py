"""Force policy for the s62 log's alerts (DP-02 self-monitoring).

Registered from AuditConfig.ready() (``SETTINGS``); read with ``haven.policy.selectors.policy_value``
at the moment of use.
"""

from __future__ import annotations

from django.conf import settings

from haven.policy.registry import Setting, ValueKind

PEOPLE_PER_HOUR = Setting(
    key="audit.alert_people_per_hour",
    label="Distinct people one user may consult in an hour before it is an alert",
    help_text=(
        "A user who looks at more different people than this within one clock hour appears on the "
        "auditor's Unusual access page."
    ),
    default=int(getattr(settings, "HAVEN_AUDIT_ALERT_PEOPLE_PER_HOUR", 50)),
    kind=ValueKind.INTEGER,
    minimum=1,
    maximum=10_000,
    rule_id="DP-02",
    section="Access log",
)

SETTINGS = (PEOPLE_PER_HOUR,)
