# Notifications' e-mail moves to Haven's one outbox (core.OutgoingEmail): each notification that
# still owes an e-mail, or was e-mailed, gets its row there (kind "notifications.notification", the
# notification's id as its context); then the notification's own e-mail columns go.

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations
from django.db.models import Q

KIND = "notifications.notification"


def copy_to_core(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    emailed = Notification.objects.filter(Q(email_pending=True) | Q(emailed_at__isnull=False))
    OutgoingEmail.objects.bulk_create(
        [
            OutgoingEmail(
                created_at=n.told_at,
                updated_at=n.emailed_at or n.told_at,
                to_id=n.recipient_id,
                kind=KIND,
                context={"notification": n.pk},
                pending=n.email_pending,
                error=n.email_error,
                sent_at=None if n.email_pending else n.emailed_at,
            )
            for n in emailed.order_by("id").iterator()
        ],
        batch_size=1000,
    )


def copy_back(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    for row in OutgoingEmail.objects.filter(kind=KIND).order_by("id").iterator():
        Notification.objects.filter(pk=row.context.get("notification")).update(
            email_pending=row.pending, emailed_at=row.sent_at, email_error=row.error
        )
    OutgoingEmail.objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0003_one_per_deadline'),
        ('core', '0002_one_outbox'),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        pgtrigger.migrations.RemoveTrigger(
            model_name='notification',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='notification',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='notification',
            name='delete_delete',
        ),
        migrations.RemoveIndex(
            model_name='notification',
            name='notifications_outbox',
        ),
        migrations.RemoveField(
            model_name='notificationevent',
            name='email_error',
        ),
        migrations.RemoveField(
            model_name='notificationevent',
            name='email_pending',
        ),
        migrations.RemoveField(
            model_name='notificationevent',
            name='emailed_at',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='notification',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "notifications_notificationevent" ("ack_by_link", "ack_escalated_at", "acknowledged_at", "body", "case_id", "created_at", "deadline_id", "id", "level", "link", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "public_id", "read_at", "recipient_id", "requires_ack", "severity", "subject", "told_at", "told_count", "updated_at") VALUES (NEW."ack_by_link", NEW."ack_escalated_at", NEW."acknowledged_at", NEW."body", NEW."case_id", NEW."created_at", NEW."deadline_id", NEW."id", NEW."level", NEW."link", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."public_id", NEW."read_at", NEW."recipient_id", NEW."requires_ack", NEW."severity", NEW."subject", NEW."told_at", NEW."told_count", NEW."updated_at"); RETURN NULL;', hash='31f383b53eb7f26ed45a75dcdc63d7a6c9eff2d1', operation='INSERT', pgid='pgtrigger_insert_insert_e1b01', table='notifications_notification', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='notification',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "notifications_notificationevent" ("ack_by_link", "ack_escalated_at", "acknowledged_at", "body", "case_id", "created_at", "deadline_id", "id", "level", "link", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "public_id", "read_at", "recipient_id", "requires_ack", "severity", "subject", "told_at", "told_count", "updated_at") VALUES (NEW."ack_by_link", NEW."ack_escalated_at", NEW."acknowledged_at", NEW."body", NEW."case_id", NEW."created_at", NEW."deadline_id", NEW."id", NEW."level", NEW."link", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."public_id", NEW."read_at", NEW."recipient_id", NEW."requires_ack", NEW."severity", NEW."subject", NEW."told_at", NEW."told_count", NEW."updated_at"); RETURN NULL;', hash='c876b33f447e055b57c447e94979552c9975c37a', operation='UPDATE', pgid='pgtrigger_update_update_a25db', table='notifications_notification', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='notification',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "notifications_notificationevent" ("ack_by_link", "ack_escalated_at", "acknowledged_at", "body", "case_id", "created_at", "deadline_id", "id", "level", "link", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "public_id", "read_at", "recipient_id", "requires_ack", "severity", "subject", "told_at", "told_count", "updated_at") VALUES (OLD."ack_by_link", OLD."ack_escalated_at", OLD."acknowledged_at", OLD."body", OLD."case_id", OLD."created_at", OLD."deadline_id", OLD."id", OLD."level", OLD."link", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."public_id", OLD."read_at", OLD."recipient_id", OLD."requires_ack", OLD."severity", OLD."subject", OLD."told_at", OLD."told_count", OLD."updated_at"); RETURN NULL;', hash='49ad3dfc7b90f7e0685e9fd028a59493432e4937', operation='DELETE', pgid='pgtrigger_delete_delete_f6b13', table='notifications_notification', when='AFTER')),
        ),
        migrations.RemoveField(
            model_name='notification',
            name='email_error',
        ),
        migrations.RemoveField(
            model_name='notification',
            name='email_pending',
        ),
        migrations.RemoveField(
            model_name='notification',
            name='emailed_at',
        ),
    ]
