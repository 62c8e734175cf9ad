# Issue 16: role grants a second administrator approves (four eyes), and accounts' e-mail outbox.

import django.db.models.deletion
import haven.core.clock
import pgtrigger.compiler
import pgtrigger.migrations
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_api_scopes_perms'),
        ('pghistory', '0007_auto_20250421_0444'),
    ]

    operations = [
        migrations.CreateModel(
            name='RoleGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(default=haven.core.clock.now, editable=False)),
                ('updated_at', models.DateTimeField(default=haven.core.clock.now, editable=False)),
                ('role', models.CharField(choices=[('call_handler', 'Call handler'), ('response_officer', 'Response officer'), ('investigator', 'Investigator'), ('supervisor', 'Supervisor (sergeant)'), ('inspector', 'Inspector'), ('crsu_officer', 'CRSU officer'), ('custody_officer', 'Custody officer'), ('analyst', 'Analyst'), ('auditor', 'Auditor / data protection officer'), ('partner', 'Partner agency user'), ('administrator', 'Administrator')], max_length=32)),
                ('reason', models.TextField(help_text='Why the user needs the role, for the approver and the auditors.')),
                ('state', models.CharField(choices=[('pending', 'Waiting for a second administrator'), ('approved', 'Approved'), ('refused', 'Refused')], default='pending', max_length=16)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.TextField(blank=True)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_grants', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='RoleGrantEvent',
            fields=[
                ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                ('pgh_label', models.TextField(help_text='The event label.')),
                ('id', models.BigIntegerField()),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False)),
                ('created_at', models.DateTimeField(default=haven.core.clock.now, editable=False)),
                ('updated_at', models.DateTimeField(default=haven.core.clock.now, editable=False)),
                ('role', models.CharField(choices=[('call_handler', 'Call handler'), ('response_officer', 'Response officer'), ('investigator', 'Investigator'), ('supervisor', 'Supervisor (sergeant)'), ('inspector', 'Inspector'), ('crsu_officer', 'CRSU officer'), ('custody_officer', 'Custody officer'), ('analyst', 'Analyst'), ('auditor', 'Auditor / data protection officer'), ('partner', 'Partner agency user'), ('administrator', 'Administrator')], max_length=32)),
                ('reason', models.TextField(help_text='Why the user needs the role, for the approver and the auditors.')),
                ('state', models.CharField(choices=[('pending', 'Waiting for a second administrator'), ('approved', 'Approved'), ('refused', 'Refused')], default='pending', max_length=16)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.TextField(blank=True)),
                ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='accounts.rolegrant')),
                ('requested_by', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='OutgoingEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(default=haven.core.clock.now, editable=False)),
                ('updated_at', models.DateTimeField(default=haven.core.clock.now, editable=False)),
                ('kind', models.CharField(choices=[('password_link', 'A link to choose a password'), ('sign_in_failed', 'A failed sign-in'), ('second_factor_changed', 'A second factor added or removed')], max_length=32)),
                ('context', models.JSONField(blank=True, default=dict)),
                ('pending', models.BooleanField(default=True)),
                ('attempts', models.PositiveIntegerField(default=0)),
                ('error', models.CharField(blank=True, max_length=200)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('to', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(condition=models.Q(('pending', True)), fields=['created_at'], name='accounts_outbox')],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['password_link', 'sign_in_failed', 'second_factor_changed'])), name='accounts_outgoingemail_kind')],
            },
        ),
        migrations.AddConstraint(
            model_name='rolegrant',
            constraint=models.CheckConstraint(condition=models.Q(('role__in', ['call_handler', 'response_officer', 'investigator', 'supervisor', 'inspector', 'crsu_officer', 'custody_officer', 'analyst', 'auditor', 'partner', 'administrator'])), name='accounts_rolegrant_role_known'),
        ),
        migrations.AddConstraint(
            model_name='rolegrant',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['pending', 'approved', 'refused'])), name='accounts_rolegrant_state_known'),
        ),
        migrations.AddConstraint(
            model_name='rolegrant',
            constraint=models.CheckConstraint(condition=models.Q(('decided_by__isnull', True), models.Q(('decided_by', models.F('requested_by')), _negated=True), _connector='OR'), name='accounts_rolegrant_second_approver'),
        ),
        migrations.AddConstraint(
            model_name='rolegrant',
            constraint=models.CheckConstraint(condition=models.Q(('requested_by', models.F('user')), _negated=True), name='accounts_rolegrant_not_to_oneself'),
        ),
        migrations.AddConstraint(
            model_name='rolegrant',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'pending')), fields=('user', 'role'), name='accounts_rolegrant_one_pending'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='rolegrant',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "accounts_rolegrantevent" ("created_at", "decided_at", "decided_by_id", "decision_note", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "public_id", "reason", "requested_by_id", "role", "state", "updated_at", "user_id") VALUES (NEW."created_at", NEW."decided_at", NEW."decided_by_id", NEW."decision_note", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."public_id", NEW."reason", NEW."requested_by_id", NEW."role", NEW."state", NEW."updated_at", NEW."user_id"); RETURN NULL;', hash='d17cc22d223979193e2e18d1ce3c965ba89241b4', operation='INSERT', pgid='pgtrigger_insert_insert_77ca7', table='accounts_rolegrant', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='rolegrant',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "accounts_rolegrantevent" ("created_at", "decided_at", "decided_by_id", "decision_note", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "public_id", "reason", "requested_by_id", "role", "state", "updated_at", "user_id") VALUES (NEW."created_at", NEW."decided_at", NEW."decided_by_id", NEW."decision_note", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."public_id", NEW."reason", NEW."requested_by_id", NEW."role", NEW."state", NEW."updated_at", NEW."user_id"); RETURN NULL;', hash='470d8da1e9a32a515edd99346e4125d4cd0242bd', operation='UPDATE', pgid='pgtrigger_update_update_f0e9e', table='accounts_rolegrant', when='AFTER')),
        ),
    ]
