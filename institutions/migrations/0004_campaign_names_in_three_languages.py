from django.db import migrations, models

from institutions.reference_data import CAMPAIGN_2021_EXTRA


def name_2021_in_kazakh_and_russian(apps, schema_editor):
    campaign = apps.get_model("institutions", "Campaign")
    campaign.objects.filter(code=CAMPAIGN_2021_EXTRA["code"], name_kk="").update(
        name_kk=CAMPAIGN_2021_EXTRA["name_kk"], name_ru=CAMPAIGN_2021_EXTRA["name_ru"]
    )


class Migration(migrations.Migration):
    """A campaign is named in kk, ru and en like other reference data; the old name is English."""

    dependencies = [("institutions", "0003_provisioning_seminar_seminarattendance_and_more")]

    operations = [
        migrations.RenameField("campaign", "name", "name_en"),
        migrations.AlterField(
            "campaign", "name_en", models.CharField(max_length=255, verbose_name="name (English)")
        ),
        migrations.AddField(
            "campaign",
            "name_kk",
            models.CharField(default="", max_length=255, verbose_name="name (Kazakh)"),
            preserve_default=False,
        ),
        migrations.AddField(
            "campaign",
            "name_ru",
            models.CharField(default="", max_length=255, verbose_name="name (Russian)"),
            preserve_default=False,
        ),
        migrations.RunPython(name_2021_in_kazakh_and_russian, migrations.RunPython.noop),
    ]
