from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.demo.constants import DEMO_PASSWORD, USERS
from haven.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Load the demo force (idempotent). Larger synthetic tiers arrive with the benchmark harness."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tier", default="demo", choices=["demo"], help="How much data to load.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data can be loaded only when HAVEN_DEMO_MODE is on.")
        created = seed_demo()
        self.stdout.write(
            "Demo force ready: " + ", ".join(f"{count} {what}" for what, count in created.items()) + " created."
        )
        if options["verbosity"] >= 1:
            self.stdout.write(f"Demo users (password {DEMO_PASSWORD!r}): " + ", ".join(u.username for u in USERS))
