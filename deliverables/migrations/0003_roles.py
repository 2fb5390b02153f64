"""Create the three roles as groups with their permissions, in every database."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Headquarters staff": [
        ("deliverables", "view_deliverable"),
        ("deliverables", "view_dashboard"),
        ("deliverables", "view_statusupdate"),
        ("deliverables", "add_statusupdate"),
    ],
    "Managers": [
        ("deliverables", "view_deliverable"),
        ("deliverables", "view_dashboard"),
        ("deliverables", "view_statusupdate"),
    ],
    "Field-office focal points": [
        ("deliverables", "view_deliverable"),
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure
    # they exist now so a fresh database gets complete groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("deliverables", "0002_status_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
