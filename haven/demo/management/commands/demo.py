from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.demo.constants import DEMO_PASSWORD, USERS
from haven.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Load the demo force (idempotent), or a synthetic force tier (t0, t1, t2) for a seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--tier",
            default="demo",
            choices=["demo", "t0", "t1", "t2"],
            help="How much data to load (see docs/performance.md).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Synthetic tiers: the same seed makes the same force.")
        parser.add_argument(
            "--parts", default="", help="Synthetic tiers: load only parts A:B (to build a big tier in pieces)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data can be loaded only when HAVEN_DEMO_MODE is on.")
        if options["tier"] != "demo":
            from haven.demo.synthetic.command import synthetic_load

            synthetic_load(self, tier=options["tier"], seed=options["seed"], parts=options["parts"])
            return
        created = seed_demo()
        self.stdout.write(
            "Demo force ready: " + ", ".join(f"{count} {what}" for what, count in created.items()) + " created."
        )
        if options["verbosity"] >= 1:
            self.stdout.write(f"Demo users (password {DEMO_PASSWORD!r}): " + ", ".join(u.username for u in USERS))
