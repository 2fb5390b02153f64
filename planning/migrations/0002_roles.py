"""Give the roles their permissions on rounds, milestones and reminders.

Headquarters staff open and close rounds and keep milestones; managers read
them. Everybody sees their own reminders (no permission needed).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Headquarters staff": [
        ("planning", "view_reportinground"),
        ("planning", "add_reportinground"),
        ("planning", "change_reportinground"),
        ("planning", "view_milestone"),
        ("planning", "add_milestone"),
        ("planning", "change_milestone"),
        ("planning", "delete_milestone"),
        ("planning", "view_reminder"),
    ],
    "Managers": [
        ("planning", "view_reportinground"),
        ("planning", "view_milestone"),
        ("planning", "view_reminder"),
    ],
}


def _permissions(apps, perms):
    Permission = apps.get_model("auth", "Permission")
    for app_label, codename in perms:
        yield Permission.objects.get(content_type__app_label=app_label, codename=codename)


def add_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, perms))


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(*_permissions(apps, perms))


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
        ("deliverables", "0008_unit_focal_points"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
