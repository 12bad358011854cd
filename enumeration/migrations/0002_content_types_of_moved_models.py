"""Point the content types of the moved models at ``enumeration``.

Permissions, the admin log and any generic relation refer to a model by its content type;
renaming the row (not creating a new one) keeps them all pointing at the same model.
"""

from django.db import migrations

MODELS = (
    "certificate",
    "certificatecounter",
    "certificateprint",
    "dailyprogress",
    "enumeration",
    "enumerationchange",
    "listprogress",
)


def _relabel(apps, schema_editor, *, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(
        content_type.objects.using(db)
        .filter(app_label=new, model__in=MODELS)
        .values_list("model", flat=True)
    )
    content_type.objects.using(db).filter(app_label=old, model__in=MODELS).exclude(
        model__in=taken
    ).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="respondents", new="enumeration")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="enumeration", new="respondents")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("enumeration", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
