"""An index for the person search's metaphone branch: surname metaphone, then date of birth.

The search looks for people whose surname sounds like a word of the query *and* whose date of birth
is in a window; with the metaphone index alone PostgreSQL fetches every such surname in the country
(39,000 rows for "AL" at t1) to keep those in the window. The index only: nothing in the model state
changes, so it is raw SQL (``makemigrations`` stays clean).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("people", "0005_photo_uploaded_by_optional")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS people_person_metaphone_dob"
            " ON people_person (surname_metaphone, date_of_birth)",
            reverse_sql="DROP INDEX IF EXISTS people_person_metaphone_dob",
        ),
    ]
