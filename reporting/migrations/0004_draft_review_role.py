"""Headquarters staff and managers draft the written sections of the review."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Headquarters staff", "Managers"]
CODENAME = "draft_review"


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure
    # this one exists now so a fresh database gets complete groups.
    app_config = apps.get_app_config("reporting")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="reporting", codename=CODENAME)
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="reporting", codename=CODENAME)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_review_drafts"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
