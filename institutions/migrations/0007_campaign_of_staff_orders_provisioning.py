"""Staff appointments, appointment orders and provisioning belong to a campaign.

Existing rows go to the active campaign (or, with none active, the latest one): before
campaigns had a history there was only ever one.
"""

import django.db.models.deletion
from django.db import migrations, models

import institutions.models.campaign

MODELS = ("appointmentorder", "provisioning", "responsiblestaff")
RELATED = {
    "appointmentorder": "appointment_orders",
    "provisioning": "provisionings",
    "responsiblestaff": "staff",
}


def assign_existing_rows(apps, schema_editor):
    campaign_model = apps.get_model("institutions", "Campaign")
    campaign = (
        campaign_model.objects.filter(is_active=True).first()
        or campaign_model.objects.order_by("-critical_moment").first()
    )
    for name in MODELS:
        rows = apps.get_model("institutions", name).objects.filter(campaign__isnull=True)
        if campaign is None:
            if rows.exists():
                raise RuntimeError(f"{name}: rows exist but no census campaign to assign them")
            continue
        rows.update(campaign=campaign)


def field(name, *, null):
    return models.ForeignKey(
        null=null,
        default=institutions.models.campaign.active_campaign_id,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=RELATED[name],
        to="institutions.campaign",
        verbose_name="census campaign",
    )


class Migration(migrations.Migration):
    dependencies = [("institutions", "0006_institutions_report_their_staff")]

    operations = [
        *(
            migrations.AddField(model_name=name, name="campaign", field=field(name, null=True))
            for name in MODELS
        ),
        migrations.RunPython(assign_existing_rows, migrations.RunPython.noop),
        *(
            migrations.AlterField(model_name=name, name="campaign", field=field(name, null=False))
            for name in MODELS
        ),
    ]
