"""M-03: risk assessments and their information sources are append-only, enforced by the database."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION missing_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'M-03: % is append-only', TG_TABLE_NAME USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER missing_riskassessment_append_only BEFORE UPDATE OR DELETE ON missing_riskassessment
    FOR EACH ROW EXECUTE FUNCTION missing_append_only();
CREATE TRIGGER missing_informationsource_append_only BEFORE UPDATE OR DELETE ON missing_informationsource
    FOR EACH ROW EXECUTE FUNCTION missing_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS missing_riskassessment_append_only ON missing_riskassessment;
DROP TRIGGER IF EXISTS missing_informationsource_append_only ON missing_informationsource;
DROP FUNCTION IF EXISTS missing_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("missing", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
