"""Stage 2's models, taken over from ``respondents`` with their tables: state only.

The tables were made by ``respondents`` (0002, 0003); on every database, fresh or not,
this migration creates nothing, it only records the models here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("institutions", "0005_staff_position_ru"),
        ("respondents", "0008_move_stage2_to_enumeration"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Certificate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("number", models.PositiveIntegerField(verbose_name="number")),
                        ("issued_on", models.DateField(verbose_name="date of issue")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        (
                            "campaign",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="institutions.campaign",
                                verbose_name="campaign",
                            ),
                        ),
                        (
                            "issued_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="issued by",
                            ),
                        ),
                        (
                            "respondent",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="certificate",
                                to="respondents.respondent",
                                verbose_name="respondent",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "participation certificate",
                        "verbose_name_plural": "participation certificates",
                        "db_table": "respondents_certificate",
                        "ordering": ["campaign", "number"],
                    },
                ),
                migrations.CreateModel(
                    name="CertificateCounter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("last_number", models.PositiveIntegerField(default=0)),
                        (
                            "campaign",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="institutions.campaign",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "certificate counter",
                        "verbose_name_plural": "certificate counters",
                        "db_table": "respondents_certificatecounter",
                    },
                ),
                migrations.CreateModel(
                    name="CertificatePrint",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("language", models.CharField(max_length=8, verbose_name="language")),
                        (
                            "is_duplicate",
                            models.BooleanField(default=False, verbose_name="duplicate"),
                        ),
                        (
                            "printed_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="printed"),
                        ),
                        (
                            "certificate",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="prints",
                                to="enumeration.certificate",
                                verbose_name="certificate",
                            ),
                        ),
                        (
                            "printed_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="printed by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "certificate printing",
                        "verbose_name_plural": "certificate printings",
                        "db_table": "respondents_certificateprint",
                        "ordering": ["printed_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="DailyProgress",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("day", models.DateField()),
                        (
                            "method",
                            models.CharField(
                                choices=[
                                    ("online_self", "Online, by themselves"),
                                    ("online_assisted", "Online, helped by responsible staff"),
                                    ("tablet", "Tablet interview"),
                                    ("admin_records", "From administration records"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("enumerated", models.PositiveIntegerField(default=0)),
                        (
                            "campaign",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="institutions.campaign",
                            ),
                        ),
                        (
                            "institution",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="institutions.institution",
                            ),
                        ),
                        (
                            "respondent_list",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="daily_progress",
                                to="respondents.respondentlist",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "daily progress",
                        "verbose_name_plural": "daily progress",
                        "db_table": "respondents_dailyprogress",
                    },
                ),
                migrations.CreateModel(
                    name="Enumeration",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("enumerated", "Enumerated"),
                                    ("not_enumerated", "Not enumerated"),
                                ],
                                default="pending",
                                max_length=16,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "method",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("online_self", "Online, by themselves"),
                                    ("online_assisted", "Online, helped by responsible staff"),
                                    ("tablet", "Tablet interview"),
                                    ("admin_records", "From administration records"),
                                ],
                                max_length=16,
                                verbose_name="method",
                            ),
                        ),
                        (
                            "reason",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("refused", "Refused"),
                                    ("absent", "Absent all period"),
                                    ("departed", "Departed"),
                                    ("deceased", "Deceased"),
                                    ("other", "Other reason"),
                                ],
                                max_length=16,
                                verbose_name="reason not enumerated",
                            ),
                        ),
                        (
                            "reason_detail",
                            models.CharField(
                                blank=True,
                                help_text="Why the administration's records were used, or what the other reason is.",
                                max_length=500,
                                verbose_name="reason details",
                            ),
                        ),
                        (
                            "enumerated_on",
                            models.DateField(blank=True, null=True, verbose_name="date"),
                        ),
                        (
                            "tablet_kit_ref",
                            models.CharField(blank=True, max_length=64, verbose_name="tablet kit"),
                        ),
                        (
                            "registration_number",
                            models.CharField(
                                blank=True, max_length=32, verbose_name="census registration number"
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=500, verbose_name="note")),
                        (
                            "window_override_reason",
                            models.CharField(
                                blank=True,
                                max_length=500,
                                verbose_name="reason the date is outside the window",
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("web", "Web form"),
                                    ("api", "REST API"),
                                    ("sync", "Tablet sync"),
                                    ("admin", "Administration site"),
                                    ("demo", "Demo data"),
                                ],
                                max_length=8,
                                verbose_name="recorded through",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                        (
                            "respondent",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="enumeration",
                                to="respondents.respondent",
                                verbose_name="respondent",
                            ),
                        ),
                        (
                            "staff",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="institutions.responsiblestaff",
                                verbose_name="responsible staff member",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="last changed by",
                            ),
                        ),
                        (
                            "window_override_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="window override by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "enumeration",
                        "verbose_name_plural": "enumerations",
                        "db_table": "respondents_enumeration",
                        "ordering": ["respondent"],
                    },
                ),
                migrations.CreateModel(
                    name="EnumerationChange",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("at", models.DateTimeField(auto_now_add=True, verbose_name="when")),
                        (
                            "source",
                            models.CharField(
                                choices=[
                                    ("web", "Web form"),
                                    ("api", "REST API"),
                                    ("sync", "Tablet sync"),
                                    ("admin", "Administration site"),
                                    ("demo", "Demo data"),
                                ],
                                max_length=8,
                                verbose_name="recorded through",
                            ),
                        ),
                        ("before", models.JSONField(default=dict, verbose_name="before")),
                        ("after", models.JSONField(default=dict, verbose_name="after")),
                        (
                            "actor",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="by",
                            ),
                        ),
                        (
                            "enumeration",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="changes",
                                to="enumeration.enumeration",
                                verbose_name="enumeration",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "enumeration change",
                        "verbose_name_plural": "enumeration changes",
                        "db_table": "respondents_enumerationchange",
                        "ordering": ["-at", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ListProgress",
                    fields=[
                        (
                            "respondent_list",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="progress",
                                serialize=False,
                                to="respondents.respondentlist",
                                verbose_name="respondent list",
                            ),
                        ),
                        ("listed", models.PositiveIntegerField(default=0)),
                        ("method_online_self", models.PositiveIntegerField(default=0)),
                        ("method_online_assisted", models.PositiveIntegerField(default=0)),
                        ("method_tablet", models.PositiveIntegerField(default=0)),
                        ("method_admin_records", models.PositiveIntegerField(default=0)),
                        ("reason_refused", models.PositiveIntegerField(default=0)),
                        ("reason_absent", models.PositiveIntegerField(default=0)),
                        ("reason_departed", models.PositiveIntegerField(default=0)),
                        ("reason_deceased", models.PositiveIntegerField(default=0)),
                        ("reason_other", models.PositiveIntegerField(default=0)),
                        (
                            "campaign",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="institutions.campaign",
                            ),
                        ),
                        (
                            "institution",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="list_progress",
                                to="institutions.institution",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "list progress",
                        "verbose_name_plural": "list progress",
                        "db_table": "respondents_listprogress",
                    },
                ),
                migrations.AddConstraint(
                    model_name="certificate",
                    constraint=models.UniqueConstraint(
                        fields=("campaign", "number"), name="certificate_number_unique_per_campaign"
                    ),
                ),
                migrations.AddIndex(
                    model_name="dailyprogress",
                    index=models.Index(
                        fields=["campaign", "day", "method", "enumerated"],
                        name="respondents_campaig_7ea6dd_idx",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="dailyprogress",
                    constraint=models.UniqueConstraint(
                        fields=("respondent_list", "day", "method"), name="daily_progress_unique"
                    ),
                ),
                migrations.AddIndex(
                    model_name="enumeration",
                    index=models.Index(
                        fields=["status", "enumerated_on"], name="respondents_status_63a706_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="enumeration",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("registration_number", ""), _negated=True),
                        fields=("registration_number",),
                        name="enumeration_registration_number_unique",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="enumeration",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "enumerated"), _negated=True),
                            models.Q(("method", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="enumeration_enumerated_has_method",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="enumeration",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "not_enumerated"), _negated=True),
                            models.Q(("reason", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="enumeration_not_enumerated_has_reason",
                    ),
                ),
                migrations.AddIndex(
                    model_name="listprogress",
                    index=models.Index(
                        fields=["campaign", "institution"], name="respondents_campaig_a4c4d5_idx"
                    ),
                ),
            ],
        ),
    ]
