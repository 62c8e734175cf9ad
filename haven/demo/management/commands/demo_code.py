from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from haven.demo.seed import demo_code


class Command(BaseCommand):
    help = "Print a demo user's current authenticator code (demo mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(demo_code(options["username"]))
        except (PermissionError, LookupError) as exc:
            raise CommandError(str(exc)) from exc
