"""Partition the s62 log by month on occurred_at (PostgreSQL declarative partitioning).

The table is rebuilt: renamed, recreated as a partitioned table with the primary key (id, occurred_at)
(PostgreSQL wants the partition key in every unique constraint), one partition per month from the
oldest row to three months ahead plus a DEFAULT partition, rows copied in id order (the hash chain
is untouched: no hashed field changes), the old table dropped. The unique constraints on public_id,
prev_hash and row_hash become plain indexes; the chain's "no fork" rule moves to a trigger. The
append-only trigger is removed from the old table and installed on the new one.
"""

import pgtrigger.compiler
import pgtrigger.migrations
import uuid
from django.conf import settings
from django.db import migrations, models

COLUMNS = (
    "id, public_id, occurred_at, operation, actor_username, person_ids, case_ids, justification, "
    "justification_kind, recipients, channel, query, detail, outcome, request_id, prev_hash, row_hash, actor_id"
)

CREATE = """
CREATE TABLE audit_accessevent (
    id bigint NOT NULL,
    public_id uuid NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    operation varchar(16) NOT NULL,
    actor_username varchar(150) NOT NULL,
    person_ids uuid[] NOT NULL,
    case_ids uuid[] NOT NULL,
    justification text NOT NULL,
    justification_kind varchar(16) NOT NULL,
    recipients jsonb NOT NULL,
    channel varchar(64) NOT NULL,
    query text NOT NULL,
    detail jsonb NOT NULL,
    outcome varchar(8) NOT NULL,
    request_id varchar(64) NOT NULL,
    prev_hash varchar(64) NOT NULL,
    row_hash varchar(64) NOT NULL,
    actor_id bigint NULL,
    CONSTRAINT audit_accessevent_pkey PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at)
"""

AFTER_COPY = [
    "DROP TABLE audit_accessevent_unpartitioned",
    "CREATE SEQUENCE audit_accessevent_id_seq OWNED BY audit_accessevent.id",
    "SELECT setval('audit_accessevent_id_seq', coalesce(max(id), 0) + 1, false) FROM audit_accessevent",
    "ALTER TABLE audit_accessevent ALTER COLUMN id SET DEFAULT nextval('audit_accessevent_id_seq')",
    "ALTER TABLE audit_accessevent ADD CONSTRAINT audit_accessevent_actor_id_69b33196_fk_accounts_user_id "
    "FOREIGN KEY (actor_id) REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED",
    "CREATE INDEX audit_event_person_ids_gin ON audit_accessevent USING gin (person_ids)",
    "CREATE INDEX audit_event_case_ids_gin ON audit_accessevent USING gin (case_ids)",
    "CREATE INDEX audit_event_actor_time ON audit_accessevent (actor_id, occurred_at)",
    "CREATE INDEX audit_event_time ON audit_accessevent (occurred_at)",
    "CREATE INDEX audit_event_break_glass ON audit_accessevent (occurred_at) WHERE justification_kind = 'break_glass'",
    "CREATE INDEX audit_event_public_id ON audit_accessevent (public_id)",
    "CREATE INDEX audit_event_prev_hash ON audit_accessevent (prev_hash)",
]


def partition(apps, schema_editor):
    from haven.audit.partitions import partitions_ensure

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_accessevent RENAME TO audit_accessevent_unpartitioned")
        cursor.execute(
            "ALTER TABLE audit_accessevent_unpartitioned RENAME CONSTRAINT audit_accessevent_pkey TO audit_old_pkey"
        )
        cursor.execute(CREATE)
        cursor.execute("SELECT min(occurred_at) FROM audit_accessevent_unpartitioned")
        first = cursor.fetchone()[0]
    partitions_ensure(connection=connection, start=first)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO audit_accessevent ({COLUMNS}) SELECT {COLUMNS} FROM audit_accessevent_unpartitioned ORDER BY id"
        )
        for sql in AFTER_COPY:
            cursor.execute(sql)


APPEND_ONLY = pgtrigger.compiler.Trigger(
    name="append_only",
    sql=pgtrigger.compiler.UpsertTriggerSql(
        func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
        hash="907f565a4fbd3b72e98f6ad2b080ccb1395934b3",
        operation="UPDATE OR DELETE",
        pgid="pgtrigger_append_only_718eb",
        table="audit_accessevent",
        when="BEFORE",
    ),
)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name="accessevent", name="append_only"),
        migrations.RunPython(partition, migrations.RunPython.noop, elidable=False),
        pgtrigger.migrations.AddTrigger(model_name="accessevent", trigger=APPEND_ONLY),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="accessevent", name="prev_hash", field=models.CharField(max_length=64)),
                migrations.AlterField(
                    model_name="accessevent",
                    name="public_id",
                    field=models.UUIDField(default=uuid.uuid4, editable=False),
                ),
                migrations.AlterField(model_name="accessevent", name="row_hash", field=models.CharField(max_length=64)),
                migrations.AddIndex(
                    model_name="accessevent", index=models.Index(fields=["public_id"], name="audit_event_public_id")
                ),
                migrations.AddIndex(
                    model_name="accessevent", index=models.Index(fields=["prev_hash"], name="audit_event_prev_hash")
                ),
            ],
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="accessevent",
            trigger=pgtrigger.compiler.Trigger(
                name="chain_no_fork",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="IF EXISTS (SELECT 1 FROM audit_accessevent WHERE prev_hash = NEW.prev_hash) THEN RAISE EXCEPTION 'duplicate prev_hash: the s62 log chain cannot fork' USING ERRCODE = 'unique_violation'; END IF; RETURN NEW;",
                    hash="bf4b10678afa39aa5c0bfc1e9e472ec6ea17356e",
                    operation="INSERT",
                    pgid="pgtrigger_chain_no_fork_5ac07",
                    table="audit_accessevent",
                    when="BEFORE",
                ),
            ),
        ),
    ]
