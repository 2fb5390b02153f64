"""Give the three roles their permissions on progress examples.

Headquarters staff read every office's examples, review them and see the
coverage; managers read everything and see the coverage; focal points add,
change and view examples, scoped to their own office by
ProgressExample.objects.for_user() and ProgressExample.belongs_to_office_of().
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Headquarters staff": [
        ("deliverables", "view_progressexample"),
        ("deliverables", "view_all_progressexamples"),
        ("deliverables", "review_progressexample"),
        ("deliverables", "view_example_coverage"),
        ("deliverables", "view_exampletransition"),
        ("deliverables", "view_exampleattachment"),
    ],
    "Managers": [
        ("deliverables", "view_progressexample"),
        ("deliverables", "view_all_progressexamples"),
        ("deliverables", "view_example_coverage"),
        ("deliverables", "view_exampletransition"),
        ("deliverables", "view_exampleattachment"),
    ],
    "Field-office focal points": [
        ("deliverables", "view_progressexample"),
        ("deliverables", "add_progressexample"),
        ("deliverables", "change_progressexample"),
        ("deliverables", "view_exampletransition"),
        ("deliverables", "view_exampleattachment"),
        ("deliverables", "add_exampleattachment"),
    ],
}


def _permissions(apps, perms):
    Permission = apps.get_model("auth", "Permission")
    for app_label, codename in perms:
        yield Permission.objects.get(content_type__app_label=app_label, codename=codename)


def add_permissions(apps, schema_editor):
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


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(*_permissions(apps, perms))


class Migration(migrations.Migration):
    dependencies = [
        ("deliverables", "0004_progress_examples"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
