"""`bin/haven audit-partitions`: create the s62 log's monthly partitions ahead of time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haven.audit import partitions


class Command(BaseCommand):
    help = "Create the s62 log's default partition and its monthly partitions up to N months ahead."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--months-ahead", type=int, default=partitions.MONTHS_AHEAD, help="How many months after this one."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = partitions.partitions_ensure(months_ahead=max(0, options["months_ahead"]))
        for name in outcome.created:
            self.stdout.write(f"created {name}")
        for name in outcome.skipped:
            self.stderr.write(f"skipped {name}: rows for that month are already in {partitions.DEFAULT_PARTITION}")
        self.stdout.write(
            f"{len(outcome.created)} created, {len(outcome.existing)} already there, {len(outcome.skipped)} skipped"
        )
