"""The ranks of police officers in England and Wales and the usual police staff grades.

A force can add, rename or retire them on the administration pages.
"""

import uuid

from django.db import migrations

RANKS = [
    # code, name, seniority, police staff
    ("PC", "Police Constable", 10, False),
    ("DC", "Detective Constable", 10, False),
    ("PS", "Police Sergeant", 20, False),
    ("DS", "Detective Sergeant", 20, False),
    ("INSP", "Inspector", 30, False),
    ("DI", "Detective Inspector", 30, False),
    ("CI", "Chief Inspector", 40, False),
    ("DCI", "Detective Chief Inspector", 40, False),
    ("SUPT", "Superintendent", 50, False),
    ("DSUPT", "Detective Superintendent", 50, False),
    ("CSUPT", "Chief Superintendent", 60, False),
    ("ACC", "Assistant Chief Constable", 70, False),
    ("DCC", "Deputy Chief Constable", 80, False),
    ("CC", "Chief Constable", 90, False),
    ("STAFF", "Police staff (scales 1–6)", 5, True),
    ("SO", "Police staff senior officer", 25, True),
    ("PO", "Police staff principal officer", 45, True),
]


def add_ranks(apps, schema_editor):
    Rank = apps.get_model("accounts", "Rank")
    for code, name, seniority, staff in RANKS:
        Rank.objects.get_or_create(
            code=code,
            defaults={"name": name, "seniority": seniority, "is_police_staff": staff, "public_id": uuid.uuid4()},
        )


def remove_ranks(apps, schema_editor):
    apps.get_model("accounts", "Rank").objects.filter(code__in=[r[0] for r in RANKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_ranks, remove_ranks)]
