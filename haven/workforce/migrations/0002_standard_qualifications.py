# The qualifications every force starts with (domain §11); the list lives with the app
# (haven.workforce.catalogue), so the suite can put back what a flush removed.

from django.db import migrations

from haven.workforce.catalogue import standard_qualifications_ensure


def seed(apps, schema_editor):
    standard_qualifications_ensure(apps.get_model("workforce", "Qualification"))


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
