from django.contrib.postgres.operations import CreateExtension, TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm (trigram similarity, GIN indexes) and fuzzystrmatch (double metaphone) for search."""

    dependencies = [("people", "0001_initial")]

    operations = [TrigramExtension(), CreateExtension("fuzzystrmatch")]
