"""A month's partition of the s62 log, made by a function the owner defines for the application role.

The application connects as a role that cannot create or alter tables (docs/operations.md), yet the
worker's daily job makes the next months' partitions. ``audit_partition_month_create(month)`` runs
with its owner's rights (SECURITY DEFINER) and does exactly that one thing: it takes a date, never a
name, so it can make nothing else.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION audit_partition_month_create(month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    first date := date_trunc('month', month)::date;
    following date := (date_trunc('month', month) + interval '1 month')::date;
    lower_bound timestamptz := first::timestamp AT TIME ZONE 'UTC';
    upper_bound timestamptz := following::timestamp AT TIME ZONE 'UTC';
    name text := format('audit_accessevent_y%sm%s', to_char(first, 'YYYY'), to_char(first, 'MM'));
BEGIN
    IF to_regclass(name) IS NOT NULL THEN
        RETURN false;
    END IF;
    IF EXISTS (
        SELECT 1 FROM audit_accessevent_default WHERE occurred_at >= lower_bound AND occurred_at < upper_bound
    ) THEN
        RETURN false;
    END IF;
    EXECUTE format(
        'CREATE TABLE %I PARTITION OF audit_accessevent FOR VALUES FROM (%L) TO (%L)',
        name, lower_bound, upper_bound
    );
    RETURN true;
END
$$;
REVOKE ALL ON FUNCTION audit_partition_month_create(date) FROM PUBLIC;
"""

DROP = "DROP FUNCTION IF EXISTS audit_partition_month_create(date);"


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_locating_justification")]

    operations = [migrations.RunSQL(CREATE, DROP)]
