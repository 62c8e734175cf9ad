"""The ranks of police officers in England and Wales and the usual police staff grades.

A force can add, rename or retire them on the administration pages.
"""

from django.db import migrations

# The list lives with the app (haven.accounts.ranks), so the suite can put back what a flush removed.
from haven.accounts.ranks import RANKS, ranks_ensure


def add_ranks(apps, schema_editor):
    ranks_ensure(apps.get_model("accounts", "Rank"))


def remove_ranks(apps, schema_editor):
    apps.get_model("accounts", "Rank").objects.filter(code__in=[r[0] for r in RANKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_ranks, remove_ranks)]
