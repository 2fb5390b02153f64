"""Progress examples now live in the `examples` app (see examples.0001).

The models leave `deliverables`' state without touching the tables, and
their content types change app label, so that every permission row, and so
every role's and user's grant, follows the models unchanged.
"""

from django.db import migrations

MOVED = ["progressexample", "exampletransition", "exampleattachment"]


def move_content_types(apps, schema_editor, source="deliverables", target="examples"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MOVED:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        new = ContentType.objects.filter(app_label=target, model=model).first()
        if old is None:
            continue  # a database made before content types existed: post_migrate makes them
        if new is not None:
            # Made by a migration that ran in between: keep the old rows, which
            # the roles' grants point at, and fold the new ones into them.
            for permission in Permission.objects.filter(content_type=new):
                kept = Permission.objects.filter(content_type=old, codename=permission.codename).first()
                if kept is not None:
                    for group in permission.group_set.all():
                        group.permissions.add(kept)
                    for user in permission.user_set.all():
                        user.user_permissions.add(kept)
                    permission.delete()
                else:
                    permission.content_type = old
                    permission.save(update_fields=["content_type"])
            new.delete()
        old.app_label = target
        old.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="examples", target="deliverables")


class Migration(migrations.Migration):
    dependencies = [
        ("deliverables", "0005_example_roles"),
        ("examples", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="ExampleAttachment"),
                migrations.DeleteModel(name="ExampleTransition"),
                migrations.DeleteModel(name="ProgressExample"),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
