"""``Respondent.external_ref``: the institution's own key for a person, unique in a list.

On SQLite, adding a column with a default rebuilds the respondents table, and the rebuild
drops the table's triggers that keep ``ListSize`` (migration 0006): they are created again
after the new column, from the same statements.
"""

import importlib

from django.db import migrations, models

list_size = importlib.import_module("respondents.migrations.0006_list_size")


def sqlite_triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in list_size.SQLITE_DROP + list_size.SQLITE:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("respondents", "0009_signed_list_scan"),
    ]

    operations = [
        # Undoing the new column rebuilds the table again: the triggers come back after it.
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers_again),
        migrations.AddField(
            model_name="respondent",
            name="external_ref",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="The person's number in the institution's own records; unique in the list.",
                max_length=64,
                verbose_name="external reference",
            ),
        ),
        migrations.AddConstraint(
            model_name="respondent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_ref", ""), _negated=True),
                fields=("respondent_list", "external_ref"),
                name="respondent_external_ref_unique_per_list",
                violation_error_message="This external reference is already on the list.",
            ),
        ),
        migrations.RunPython(sqlite_triggers_again, migrations.RunPython.noop),
    ]
