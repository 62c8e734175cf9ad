"""The hash chain over the s62 log: each row's hash covers its fields and the hash of the row before.

Altering a row changes its hash; removing one breaks the next row's link. :func:`verify` walks the
chain in id order and names the first row that does not fit. The newest rows can only be removed
without trace by also removing everything after them, so operators keep the head hash that
``haven audit-verify`` prints (tail truncation is invisible to any chain on its own).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from haven.audit.models import AccessEvent

GENESIS = "0" * 64
# pg_advisory_xact_lock key that serialises appends so concurrent writers extend one chain.
CHAIN_LOCK = 620_062_001


def _plain_numbers(value: Any) -> Any:
    """Whole floats as ints: jsonb gives 1e20 back as an integer, and the hash must not notice."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _plain_numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_numbers(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    return json.dumps(
        _plain_numbers(json.loads(json.dumps(value, cls=DjangoJSONEncoder))),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def normalise_json(value: Any) -> Any:
    """``value`` as it will come back out of jsonb, so the hash written equals the hash re-read."""
    return json.loads(canonical_json(value))


def hashed_fields(event: AccessEvent) -> dict[str, Any]:
    return {
        "public_id": str(event.public_id),
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "operation": str(event.operation),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "person_ids": [str(p) for p in event.person_ids],
        "case_ids": [str(c) for c in event.case_ids],
        "justification": event.justification,
        "justification_kind": str(event.justification_kind),
        "recipients": event.recipients,
        "channel": event.channel,
        "query": event.query,
        "detail": event.detail,
        "outcome": str(event.outcome),
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }


def row_hash(event: AccessEvent) -> str:
    return hashlib.sha256(canonical_json(hashed_fields(event)).encode()).hexdigest()


@dataclass(frozen=True)
class Verdict:
    rows: int
    head: str
    broken_at: int | None = None  # the id of the first row that does not fit
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def _rows(chunk: int) -> Iterator[AccessEvent]:
    return AccessEvent.objects.order_by("id").iterator(chunk_size=chunk)


def verify(*, chunk: int = 2000) -> Verdict:
    """Walk the whole chain in id order; stop at the first broken link."""
    previous = GENESIS
    count = 0
    for event in _rows(chunk):
        if event.prev_hash != previous:
            return Verdict(count, previous, event.id, "its link to the row before does not match (a row was removed)")
        if row_hash(event) != event.row_hash:
            return Verdict(count, previous, event.id, "its contents do not match its hash (the row was altered)")
        previous = event.row_hash
        count += 1
    return Verdict(count, previous)
