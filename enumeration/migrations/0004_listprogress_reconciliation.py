"""The reconciliation report's two rare sections become counters of ``ListProgress``.

``arrivals`` (listed arrivals who were enumerated) and ``not_listed`` (people enumerated
who are no longer listed) were counted from the respondent rows on every request. The
columns are filled here for the data already there, by the rules of
``enumeration.progress_services.reconciliation_filters`` as they stand now (copied, as a
migration must not follow later code); from then on the services recount them with the
other counters, and ``progress_rebuild`` repairs them.
"""

from django.db import migrations, models
from django.db.models import Count, Q
from django.utils import timezone

ENUMERATED = "enumerated"
ACCEPTED = "accepted"


def fill(apps, schema_editor):
    Campaign = apps.get_model("institutions", "Campaign")
    Respondent = apps.get_model("respondents", "Respondent")
    ListProgress = apps.get_model("enumeration", "ListProgress")
    db = schema_editor.connection.alias
    for campaign in Campaign.objects.using(db).order_by("pk"):
        critical = timezone.localtime(campaign.critical_moment).date()
        listed = Q(respondent_list__status=ACCEPTED) & (
            Q(departed_on__isnull=True) | Q(departed_on__gte=critical)
        )
        rows = (
            Respondent.objects.using(db)
            .filter(respondent_list__campaign=campaign, enumeration__status=ENUMERATED)
            .order_by()
            .values("respondent_list", "respondent_list__institution")
            .annotate(
                arrivals=Count("pk", filter=listed & Q(arrived_on__isnull=False)),
                not_listed=Count(
                    "pk",
                    filter=~Q(respondent_list__status=ACCEPTED) | Q(departed_on__lt=critical),
                ),
            )
            .filter(Q(arrivals__gt=0) | Q(not_listed__gt=0))
        )
        for row in rows:
            # No row yet means nobody listed: the other counters stay 0.
            ListProgress.objects.using(db).update_or_create(
                respondent_list_id=row["respondent_list"],
                defaults={
                    "institution_id": row["respondent_list__institution"],
                    "campaign_id": campaign.pk,
                    "arrivals": row["arrivals"],
                    "not_listed": row["not_listed"],
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("enumeration", "0003_census_database_source"),
        ("respondents", "0011_possible_duplicates_without_iin"),
        ("institutions", "0007_campaign_of_staff_orders_provisioning"),
    ]

    operations = [
        migrations.AddField(
            model_name="listprogress",
            name="arrivals",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="listprogress",
            name="not_listed",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
