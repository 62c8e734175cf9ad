"""``haven demo --tier t0|t1|t2 --seed N [--parts A:B]``: the management command's synthetic half."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from haven.demo.synthetic.generate import TIERS
from haven.demo.synthetic.load import force_build


def parts_parse(text: str, total: int) -> range | None:
    """``"A:B"`` → range(A, B) (either side may be left out); empty → every part."""
    if not text:
        return None
    try:
        start, _, end = text.partition(":")
        return range(int(start or 0), int(end or total) if _ else int(start) + 1)
    except ValueError:
        raise CommandError("--parts takes A:B, e.g. 0:100") from None


def synthetic_load(command: Any, *, tier: str, seed: int, parts: str) -> None:
    spec = TIERS[tier]
    chosen = parts_parse(parts, spec.parts)
    command.stdout.write(f"Building synthetic force {tier} ({spec.label}), seed {seed}, {spec.parts} parts…")
    result = force_build(tier=tier, seed=seed, parts=chosen)
    command.stdout.write(
        f"Loaded {result.total:,} rows in {result.seconds:,.1f} s ({result.rows_per_second:,.0f} rows/s); "
        f"{result.truth_pairs} labelled near-duplicate pairs."
    )
    command.stdout.write("  " + ", ".join(f"{k} {v:,}" for k, v in result.rows.items()))
    if result.orphans:
        raise CommandError(f"Foreign keys point at nothing: {result.orphans}")
