from django.db import migrations

from institutions.reference_data import load_campaign_2021, load_reference


def forwards(apps, schema_editor):
    region = apps.get_model("institutions", "Region")
    load_reference(
        region,
        apps.get_model("institutions", "District"),
        apps.get_model("institutions", "InstitutionType"),
    )
    load_campaign_2021(apps.get_model("institutions", "Campaign"), region)


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
