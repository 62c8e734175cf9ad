# Accounts' e-mail moves to Haven's one outbox (core.OutgoingEmail): every row is copied there, owed
# or sent, with its kind named by the app ("accounts.password_link"), then accounts' table goes.

from django.db import migrations


def copy_to_core(apps, schema_editor):
    Old = apps.get_model("accounts", "OutgoingEmail")
    New = apps.get_model("core", "OutgoingEmail")
    New.objects.bulk_create(
        [
            New(
                public_id=old.public_id,
                created_at=old.created_at,
                updated_at=old.updated_at,
                to_id=old.to_id,
                kind=f"accounts.{old.kind}",
                context=old.context,
                pending=old.pending,
                attempts=old.attempts,
                error=old.error,
                sent_at=old.sent_at,
            )
            for old in Old.objects.order_by("id").iterator()
        ],
        batch_size=1000,
    )


def copy_back(apps, schema_editor):
    Old = apps.get_model("accounts", "OutgoingEmail")
    New = apps.get_model("core", "OutgoingEmail")
    for new in New.objects.filter(kind__startswith="accounts.", to__isnull=False).order_by("id").iterator():
        Old.objects.create(
            public_id=new.public_id,
            created_at=new.created_at,
            updated_at=new.updated_at,
            to_id=new.to_id,
            kind=new.kind.removeprefix("accounts."),
            context=new.context,
            pending=new.pending,
            attempts=new.attempts,
            error=new.error,
            sent_at=new.sent_at,
        )
    New.objects.filter(kind__startswith="accounts.").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_issue16_role_grants_outbox'),
        ('core', '0002_one_outbox'),
    ]

    operations = [
        migrations.RunPython(copy_to_core, copy_back),
        migrations.RemoveIndex(
            model_name='outgoingemail',
            name='accounts_outbox',
        ),
        migrations.RemoveConstraint(
            model_name='outgoingemail',
            name='accounts_outgoingemail_kind',
        ),
        migrations.DeleteModel(
            name='OutgoingEmail',
        ),
    ]
