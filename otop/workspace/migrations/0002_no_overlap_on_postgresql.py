"""No two active bookings of a space may hold overlapping times (buffers included).

PostgreSQL: an exclusion constraint over (space, tstzrange(starts_at, occupied_until, '[)')),
which needs btree_gist for "space WITH =". SQLite has no such constraint: the services check
for clashes under the database's write lock instead (see services.py). The constraint is not
in the model's Meta because SQLite could not create it.
"""

from django.db import migrations

CONSTRAINT = "booking_no_overlap_on_space"


def _constraint():
    from django.contrib.postgres.constraints import ExclusionConstraint
    from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
    from django.db.models import Func, Q, Value

    class TsTzRange(Func):
        function = "TSTZRANGE"
        output_field = DateTimeRangeField()

    return ExclusionConstraint(
        name=CONSTRAINT,
        expressions=[
            ("space", RangeOperators.EQUAL),
            (TsTzRange("starts_at", "occupied_until", Value("[)")), RangeOperators.OVERLAPS),
        ],
        condition=~Q(status="cancelled"),
    )


def add_exclusion_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.add_constraint(apps.get_model("workspace", "Booking"), _constraint())


def remove_exclusion_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_constraint(apps.get_model("workspace", "Booking"), _constraint())


class Migration(migrations.Migration):
    dependencies = [("workspace", "0001_initial")]

    operations = [migrations.RunPython(add_exclusion_constraint, remove_exclusion_constraint)]
