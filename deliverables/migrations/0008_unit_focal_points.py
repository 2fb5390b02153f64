"""Create the role "Unit focal points" and let headquarters staff assign units.

A unit focal point (a headquarters department or ITC-ILO) records status
updates for the deliverables their unit leads or contributes to: the
row-level rule is dcplan.access.may_update_deliverable.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Unit focal points": [
        ("deliverables", "view_deliverable"),
        ("deliverables", "view_statusupdate"),
        ("deliverables", "record_unit_status"),
    ],
    "Headquarters staff": [
        ("deliverables", "assign_units"),
    ],
}


def _permissions(apps, perms):
    Permission = apps.get_model("auth", "Permission")
    for app_label, codename in perms:
        yield Permission.objects.get(content_type__app_label=app_label, codename=codename)


def add_role(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure
    # they exist now so a fresh database gets complete groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, perms))


def remove_role(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Unit focal points").delete()
    hq = Group.objects.filter(name="Headquarters staff").first()
    if hq:
        hq.permissions.remove(*_permissions(apps, ROLE_PERMISSIONS["Headquarters staff"]))


class Migration(migrations.Migration):
    dependencies = [
        ("deliverables", "0007_responsibilities"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_role, remove_role)]
