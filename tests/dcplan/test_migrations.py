"""Moving the progress examples into their own app keeps every row.

The test winds the test database back to the previous main's migrations,
fills every table of the apps through the models as they were then, migrates
forward, and compares row counts and the role groups' permissions.
"""

import datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dcplan import access
from examples.models import ExampleAttachment, ExampleTransition, ProgressExample

# Migrating writes to django_migrations and touches content types: the test
# needs real transactions, and the database's starting rows back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PREVIOUS_MAIN = [
    ("deliverables", "0005_example_roles"),
    ("reporting", "0002_review_roles"),
    ("examples", None),  # before examples.0001: the examples still live in `deliverables`
]
# The move itself; later migrations (new tables, new grants) are not part of it.
MOVE = [
    ("deliverables", "0006_examples_move_to_their_app"),
    ("examples", "0001_initial"),
    ("reporting", "0002_review_roles"),
]
MOVED = {"progressexample", "exampletransition", "exampleattachment"}
APPS = ("deliverables", "examples", "reporting")
ROLES = [access.HQ_STAFF, access.MANAGERS, access.FOCAL_POINTS]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh one reads the applied migrations again


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def role_permissions(apps) -> dict[str, set[tuple[str, str, str]]]:
    """(app label, model, codename) of each role's permissions."""
    Group = apps.get_model("auth", "Group")
    return {
        group.name: {
            (p.content_type.app_label, p.content_type.model, p.codename)
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=ROLES)
    }


def fill_every_table(apps) -> dict[str, int]:
    """A little of everything, through the models as they were; the keys of what the test reads back."""
    get = apps.get_model
    Group, User = get("auth", "Group"), get("auth", "User")
    users = {}
    for role in ROLES:
        user = User.objects.create(username=f"user of {role}")
        user.groups.add(Group.objects.get(name=role))
        users[role] = user

    region = get("deliverables", "Region").objects.create(name="Africa", code="AFRICA")
    Office = get("deliverables", "Office")
    hq = Office.objects.create(name="Partnerships", code="PARDEV", kind="hq")
    abuja = Office.objects.create(name="Abuja", code="CO-ABUJA", kind="country", city="Abuja", region=region)
    Profile = get("deliverables", "Profile")
    Profile.objects.create(user=users[access.HQ_STAFF], office=hq)
    Profile.objects.create(user=users[access.MANAGERS], office=hq)
    Profile.objects.create(user=users[access.FOCAL_POINTS], office=abuja)

    plan = get("deliverables", "Plan").objects.create(
        title="Plan",
        symbol="GB.341/POL/4",
        session="341st",
        document_date=datetime.date(2021, 3, 1),
        author_unit="PARDEV",
        start_year=2021,
        end_year=2025,
        midterm_year=2023,
    )
    area = get("deliverables", "FocusArea").objects.create(plan=plan, number=1, title="Area")
    action = get("deliverables", "ProposedAction").objects.create(
        plan=plan, focus_area=area, position=1, code="1.1", text="Action"
    )
    output = get("deliverables", "PBOutput").objects.create(biennium="2022-23", code="1.1", title="Output")
    action.pb_outputs.add(output)
    Deliverable = get("deliverables", "Deliverable")
    deliverable = Deliverable.objects.create(
        plan=plan, action=action, position=1, code="1.1.1", text="Deliverable", start_year=2021, end_year=2023
    )
    update = get("deliverables", "StatusUpdate").objects.create(
        deliverable=deliverable,
        version=1,
        status="on_track",
        as_of=datetime.date(2022, 6, 30),
        author=users[access.HQ_STAFF],
    )
    Deliverable.objects.filter(pk=deliverable.pk).update(status="on_track", version=1, last_update=update)

    focal = users[access.FOCAL_POINTS]
    example = get("deliverables", "ProgressExample").objects.create(
        office=abuja,
        created_by=focal,
        title="Tripartite validation",
        started_on=datetime.date(2022, 3, 1),
        countries="NG",
        state="submitted",
    )
    example.deliverables.add(deliverable)
    get("deliverables", "ExampleTransition").objects.create(
        example=example, from_state="draft", to_state="submitted", actor=focal
    )
    get("deliverables", "ExampleAttachment").objects.create(
        example=example,
        file="attachments/0123",
        original_name="report.pdf",
        content_type="application/pdf",
        size=3,
        sha256="0" * 64,
        uploaded_by=focal,
    )
    get("reporting", "IssuedReview").objects.create(
        plan=plan,
        as_of=datetime.date(2022, 12, 31),
        symbol="GB.347/POL/3",
        cover={"symbol": "GB.347/POL/3"},
        pdf=b"%PDF-1.7",
        size=8,
        sha256="1" * 64,
        issued_by=users[access.MANAGERS],
    )
    return {"example": example.pk, "deliverable": deliverable.pk, "focal": focal.pk}


def test_moving_the_examples_to_their_app_keeps_every_row_and_every_grant():
    try:
        executor = migrate(PREVIOUS_MAIN)
        assert ("examples", "0001_initial") not in executor.loader.applied_migrations
        old_apps = executor.loader.project_state(PREVIOUS_MAIN[:2]).apps
        made = fill_every_table(old_apps)

        before = row_counts()
        ours = [table for table in before if table.startswith(tuple(f"{app}_" for app in APPS))]
        assert ours and [table for table in ours if before[table] == 0] == []
        permissions_before = role_permissions(old_apps)
        assert ("deliverables", "progressexample", "add_progressexample") in permissions_before[
            access.FOCAL_POINTS
        ]

        forward = executor.migration_plan(MOVE)
        assert {(m.app_label, m.name) for m, _ in forward} >= {
            ("examples", "0001_initial"),
            ("deliverables", "0006_examples_move_to_their_app"),
        }
        executor = migrate(MOVE)
        ContentType.objects.clear_cache()

        after = row_counts()
        # django_migrations records the migrations just applied; nothing else changes.
        assert after.pop("django_migrations") == before.pop("django_migrations") + len(forward)
        assert {table: after[table] for table in before} == before
        moved = {
            role: {("examples" if model in MOVED else app, model, codename) for app, model, codename in perms}
            for role, perms in permissions_before.items()
        }
        assert role_permissions(executor.loader.project_state().apps) == moved

        # The current models read the moved rows once every later migration is applied too.
        executor = migrate(latest())
        ContentType.objects.clear_cache()
        example = ProgressExample.objects.get(pk=made["example"])
        assert (example.title, example.office.code, example.state) == (
            "Tripartite validation",
            "CO-ABUJA",
            ProgressExample.State.SUBMITTED,
        )
        assert list(example.deliverables.values_list("pk", flat=True)) == [made["deliverable"]]
        assert ExampleTransition.objects.get(example=example).to_state == ProgressExample.State.SUBMITTED
        assert ExampleAttachment.objects.get(example=example).original_name == "report.pdf"
        focal = User.objects.get(pk=made["focal"])
        assert focal.has_perm(access.Perm.ADD_EXAMPLE)
        assert not focal.has_perm("deliverables.add_progressexample")
    finally:
        migrate(latest())
        ContentType.objects.clear_cache()
