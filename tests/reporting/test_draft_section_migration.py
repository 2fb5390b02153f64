"""Migration reporting 0007 keeps every written section, as English, the source."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Migrating writes to django_migrations: real transactions, and the starting rows back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("reporting", "0006_issued_review_language")]
AFTER = [("reporting", "0007_draft_section_language")]


def migrate(targets):
    """Migrate reporting to `targets`, the other apps staying at their latest; the models as they are then."""
    MigrationExecutor(connection).migrate(targets)
    graph = MigrationExecutor(connection).loader.graph
    state = [node for node in graph.leaf_nodes() if node[0] != "reporting"] + targets
    return MigrationExecutor(connection).loader.project_state(state).apps


def test_existing_sections_become_english_and_keep_their_text_and_history():
    apps = migrate(BEFORE)
    User = apps.get_model("auth", "User")
    user = User.objects.create(username="writer of 0006")
    Plan = apps.get_model("deliverables", "Plan")
    plan = Plan.objects.create(
        title="Plan",
        symbol="GB.341/POL/4",
        session="341st",
        document_date=datetime.date(2021, 3, 1),
        author_unit="PARDEV",
        start_year=2021,
        end_year=2025,
        midterm_year=2023,
    )
    as_of = datetime.date(2022, 12, 31)
    draft = apps.get_model("reporting", "ReviewDraft").objects.create(plan=plan, as_of=as_of)
    section = apps.get_model("reporting", "DraftSection").objects.create(
        draft=draft, key="introduction", text="Written before translations.", version=1, updated_by=user
    )
    apps.get_model("reporting", "SectionRevision").objects.create(
        section=section, version=1, text="Written before translations.", author=user
    )

    apps = migrate(AFTER)
    migrated = apps.get_model("reporting", "DraftSection").objects.get(pk=section.pk)
    assert (migrated.language, migrated.text, migrated.version, migrated.source_version) == (
        "en",
        "Written before translations.",
        1,
        None,
    )
    assert apps.get_model("reporting", "SectionRevision").objects.filter(section=migrated).count() == 1
    # A French row of the same section may now exist beside it.
    apps.get_model("reporting", "DraftSection").objects.create(
        draft_id=draft.pk, key="introduction", language="fr", text="Écrit ensuite.", source_version=1
    )
