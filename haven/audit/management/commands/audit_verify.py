"""`bin/haven audit-verify`: walk the s62 log's hash chain and report the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haven.audit import chain


class Command(BaseCommand):
    help = "Check the s62 log's hash chain; exit non-zero naming the first row that does not fit."

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = chain.verify()
        if not verdict.intact:
            raise CommandError(
                f"chain broken at row {verdict.broken_at}: {verdict.reason} ({verdict.rows} rows before it are intact)"
            )
        self.stdout.write(f"chain intact: {verdict.rows} rows (head {verdict.head})")
