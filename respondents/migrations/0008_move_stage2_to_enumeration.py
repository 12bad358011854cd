"""Stage 2's models moved to the ``enumeration`` app: state only, their tables stay.

``enumeration.0001_initial`` takes them into its state with the same ``db_table``; no SQL
runs, so the rows, constraints, indexes and triggers stay as they are.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("respondents", "0007_import_job_supervision"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="certificateprint",
                    name="certificate",
                ),
                migrations.RemoveField(
                    model_name="certificatecounter",
                    name="campaign",
                ),
                migrations.RemoveField(
                    model_name="certificateprint",
                    name="printed_by",
                ),
                migrations.RemoveField(
                    model_name="dailyprogress",
                    name="campaign",
                ),
                migrations.RemoveField(
                    model_name="dailyprogress",
                    name="institution",
                ),
                migrations.RemoveField(
                    model_name="dailyprogress",
                    name="respondent_list",
                ),
                migrations.RemoveField(
                    model_name="enumeration",
                    name="respondent",
                ),
                migrations.RemoveField(
                    model_name="enumeration",
                    name="staff",
                ),
                migrations.RemoveField(
                    model_name="enumeration",
                    name="updated_by",
                ),
                migrations.RemoveField(
                    model_name="enumeration",
                    name="window_override_by",
                ),
                migrations.RemoveField(
                    model_name="enumerationchange",
                    name="enumeration",
                ),
                migrations.RemoveField(
                    model_name="enumerationchange",
                    name="actor",
                ),
                migrations.RemoveField(
                    model_name="listprogress",
                    name="campaign",
                ),
                migrations.RemoveField(
                    model_name="listprogress",
                    name="institution",
                ),
                migrations.RemoveField(
                    model_name="listprogress",
                    name="respondent_list",
                ),
                migrations.DeleteModel(
                    name="Certificate",
                ),
                migrations.DeleteModel(
                    name="CertificateCounter",
                ),
                migrations.DeleteModel(
                    name="CertificatePrint",
                ),
                migrations.DeleteModel(
                    name="DailyProgress",
                ),
                migrations.DeleteModel(
                    name="Enumeration",
                ),
                migrations.DeleteModel(
                    name="EnumerationChange",
                ),
                migrations.DeleteModel(
                    name="ListProgress",
                ),
            ],
        ),
    ]
