"""The s62 log: one append-only, hash-chained table for all six operations (design.md, "The s62 log")."""

from __future__ import annotations

import uuid

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from haven.audit.choices import JustificationKind, Operation, Outcome
from haven.core import clock


class AccessEvent(models.Model):
    """One act of processing personal data: who, when, what, on which people and cases, why, to whom.

    Rows are written by :func:`haven.audit.services.access_event_record` in the caller's transaction
    and never change: the database refuses UPDATE and DELETE (DP-02). Each row stores the hash of the
    row before it (``prev_hash``) and its own (``row_hash``), so altering or removing one shows when
    ``haven audit-verify`` walks the chain. ``person_ids`` and ``case_ids`` hold public ids, GIN
    indexed, so "who viewed person X" is one indexed query however many people a search returned.

    The table is partitioned by month on ``occurred_at`` (migration 0002, :mod:`haven.audit.partitions`).
    PostgreSQL wants the partition key in every unique constraint, so the database's primary key is
    ``(id, occurred_at)``; to Django the pk is ``id``, which one sequence keeps unique. ``public_id``
    comes from uuid4 and is indexed, not constrained. The chain's "no fork" guarantee, once a unique
    constraint on ``prev_hash``, is the ``chain_no_fork`` trigger (with the advisory lock that
    serialises writers).
    """

    id = models.BigAutoField(primary_key=True)
    public_id = models.UUIDField(default=uuid.uuid4, editable=False)
    occurred_at = models.DateTimeField(default=clock.now, editable=False)
    operation = models.CharField(max_length=16, choices=Operation.choices)
    # PROTECT: users are deactivated, never deleted, and SET_NULL would be an UPDATE the log refuses.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    actor_username = models.CharField(max_length=150, blank=True, help_text="The username when the event happened.")
    person_ids = ArrayField(models.UUIDField(), default=list, blank=True)
    case_ids = ArrayField(models.UUIDField(), default=list, blank=True)
    justification = models.TextField(blank=True)
    justification_kind = models.CharField(max_length=16, choices=JustificationKind.choices, blank=True)
    recipients = models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder)
    channel = models.CharField(max_length=64, blank=True)
    query = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.ALLOWED)
    request_id = models.CharField(max_length=64, blank=True)
    # Two rows can never claim the same predecessor, so the chain cannot fork: the chain_no_fork trigger.
    prev_hash = models.CharField(max_length=64)
    row_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            GinIndex(fields=["person_ids"], name="audit_event_person_ids_gin"),
            GinIndex(fields=["case_ids"], name="audit_event_case_ids_gin"),
            models.Index(fields=["actor", "occurred_at"], name="audit_event_actor_time"),
            models.Index(fields=["occurred_at"], name="audit_event_time"),
            models.Index(fields=["public_id"], name="audit_event_public_id"),
            models.Index(fields=["prev_hash"], name="audit_event_prev_hash"),
            models.Index(
                fields=["occurred_at"],
                name="audit_event_break_glass",
                condition=models.Q(justification_kind=JustificationKind.BREAK_GLASS),
            ),
        ]
        triggers = [
            # DP-02: the log is append-only; the database itself refuses changes and deletions.
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            # DP-02: the hash chain cannot fork. A unique constraint on prev_hash is impossible on a
            # partitioned table (it would have to include occurred_at), so the database checks it here.
            pgtrigger.Trigger(
                name="chain_no_fork",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                func=(
                    "IF EXISTS (SELECT 1 FROM audit_accessevent WHERE prev_hash = NEW.prev_hash) THEN "
                    "RAISE EXCEPTION 'duplicate prev_hash: the s62 log chain cannot fork' "
                    "USING ERRCODE = 'unique_violation'; END IF; RETURN NEW;"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operation} by {self.actor_username or 'Haven'} at {self.occurred_at:%Y-%m-%d %H:%M:%S}"
