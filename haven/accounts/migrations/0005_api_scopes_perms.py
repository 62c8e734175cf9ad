# The scopes an API token may carry: the write permissions (cases:case:edit, open and reopen,
# missing:episode:record, dmm:action:record) and the inbox's (notifications:inbox:view and manage).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_apitoken_scopes_known_sighting'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='apitoken',
            name='accounts_apitoken_scopes_known',
        ),
        migrations.AddConstraint(
            model_name='apitoken',
            constraint=models.CheckConstraint(condition=models.Q(('scopes__contained_by', ['accounts:duty:manage', 'accounts:rank:manage', 'accounts:role:view', 'accounts:team:manage', 'accounts:team:view', 'accounts:user:manage', 'accounts:user:view', 'api:token:manage', 'audit:log:view', 'cases:case:allocate', 'cases:case:edit', 'cases:case:handover', 'cases:case:open', 'cases:case:reopen', 'cases:case:view', 'cases:restricted:view', 'custody:detention:record', 'custody:detention:view', 'dmm:action:record', 'dmm:board:view', 'dmm:meeting:chair', 'missing:enquiry:record', 'missing:episode:create', 'missing:episode:record', 'missing:episode:view', 'missing:risk:grade', 'missing:risk:override', 'missing:sighting:record', 'missing:supervision:record', 'notifications:inbox:manage', 'notifications:inbox:view', 'partner:shared:view', 'people:person:create', 'people:person:merge', 'people:person:search', 'people:sensitive:view', 'policy:settings:manage', 'protection:case:record', 'protection:designated:act', 'referrals:referral:create', 'referrals:referral:review', 'referrals:referral:share'])), name='accounts_apitoken_scopes_known'),
        ),
    ]
