from django.db import migrations

ROLE_GROUPS = ("department", "commission", "officer", "api_client")


def forwards(apps, schema_editor):
    group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    """The role groups; their permissions are assigned after migrate (accounts.roles)."""

    dependencies = [("accounts", "0002_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
