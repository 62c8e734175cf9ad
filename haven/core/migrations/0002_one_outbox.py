# Haven's one outbox: every e-mail it owes, whichever app owes it (haven/core/outbox.py).

import django.db.models.deletion
import haven.core.clock
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OutgoingEmail',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('created_at', models.DateTimeField(default=haven.core.clock.now, editable=False)),
                ('updated_at', models.DateTimeField(default=haven.core.clock.now, editable=False)),
                ('address', models.EmailField(blank=True, help_text='Where it goes when not to a user; once sent, where it went.', max_length=254)),
                ('kind', models.CharField(help_text='Who writes the words: a kind an app registered.', max_length=64)),
                ('context', models.JSONField(blank=True, default=dict)),
                ('pending', models.BooleanField(default=True, help_text='Still owed: cleared once sent or given up.')),
                ('attempts', models.PositiveIntegerField(default=0, help_text='Tries that failed (the mail server down).')),
                ('error', models.CharField(blank=True, help_text='Why the last try failed, or why it was dropped.', max_length=200)),
                ('subject', models.CharField(blank=True, help_text='The subject it was sent with.', max_length=255)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['created_at', 'id'],
                'indexes': [models.Index(condition=models.Q(('pending', True)), fields=['created_at'], name='core_outbox_owed')],
                'constraints': [models.CheckConstraint(condition=models.Q(('to__isnull', False), models.Q(('address', ''), _negated=True), _connector='OR'), name='core_outgoingemail_has_recipient'), models.CheckConstraint(condition=models.Q(('sent_at__isnull', True), ('pending', False), _connector='OR'), name='core_outgoingemail_sent_not_owed')],
            },
        ),
    ]
