"""Force policy for notifications (``SETTINGS``, registered from NotificationsConfig.ready)."""

from __future__ import annotations

from haven.policy.registry import Setting, ValueKind

EMAIL_TEXT = Setting(
    key="notifications.email_text",
    label="Put the notification's words in e-mails",
    help_text="No (the default): e-mails carry only the severity, the case reference and a link, because "
    "e-mail leaves the force's systems. Yes: they also carry the notification's subject and text.",
    default=False,
    kind=ValueKind.BOOLEAN,
    rule_id="DP-01",
    section="Notifications",
)

SETTINGS = (EMAIL_TEXT,)

INBOX_POLL_SECONDS = 30
"""How often the header asks for the inbox count (seconds); settings.HAVEN_INBOX_POLL_SECONDS overrides."""
