"""The token behind an event (its prefix), and the password-reset actions."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="token_prefix",
            field=models.CharField(blank=True, max_length=8, verbose_name="API token"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "viewed"),
                    ("search", "searched"),
                    ("create", "created"),
                    ("change", "changed"),
                    ("delete", "deleted"),
                    ("export", "exported"),
                    ("print", "printed"),
                    ("import", "imported"),
                    ("login", "signed in"),
                    ("login_failed", "sign-in failed"),
                    ("logout", "signed out"),
                    ("access_denied", "access denied"),
                    ("password_reset", "password reset requested"),
                    ("password_reset_done", "password reset"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
    ]
