"""What a spreadsheet row holds, as django-import-export Resources.

The staff exports (spreadsheets.exports) and the admin's export both go
through these classes, so a column means the same everywhere. Column names
are fixed English identifiers, not translated labels: the same file must
import again in any interface language, as a file format does. Values are
plain Python (text, whole numbers, dates, naive local date-times): each
writer formats them, and every cell is neutralised on the way out
(spreadsheets.exports.neutralise_formula).
"""

import datetime

from django.utils import timezone
from import_export import resources
from import_export.fields import Field
from import_export.widgets import ForeignKeyWidget

from deliverables.models import Deliverable, Office, Region, StatusUpdate
from examples.models import ProgressExample

# The bulk status import reads these columns (spreadsheets.imports).
STATUS_IMPORT_COLUMNS = ["deliverable_code", "status", "progress", "narrative", "evidence_links", "as_of"]

YES, NO = "yes", "no"


def local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A naive local date-time to the second: spreadsheets know no time zones."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def links_text(links: list[str] | None) -> str:
    return "\n".join(links or [])


def yes_no(value: bool) -> str:
    return YES if value else NO


def column(name: str) -> Field:
    """A column filled by the resource's dehydrate_<name>() method."""
    return Field(column_name=name, readonly=True)


class DeliverableResource(resources.ModelResource):
    """One row per deliverable: the plan's text and target, and its current status.

    The columns of the status import come first, so that an export can be
    edited and imported again; the others are ignored by the import."""

    deliverable_code = column("deliverable_code")
    status = column("status")
    progress = column("progress")
    narrative = column("narrative")
    evidence_links = column("evidence_links")
    as_of = column("as_of")
    status_label = column("status_label")
    text = column("text")
    focus_area = column("focus_area")
    proposed_action = column("proposed_action")
    start_year = column("start_year")
    end_year = column("end_year")
    target = column("target")
    target_unit = column("target_unit")
    updated_by = column("updated_by")
    recorded_at = column("recorded_at")
    version = column("version")

    class Meta:
        model = Deliverable
        fields = export_order = (
            *STATUS_IMPORT_COLUMNS,
            "status_label",
            "target",
            "target_unit",
            "text",
            "focus_area",
            "proposed_action",
            "start_year",
            "end_year",
            "updated_by",
            "recorded_at",
            "version",
        )

    def filter_export(self, queryset, **kwargs):
        # What every column reads, in the same query (also for the admin's export).
        return queryset.select_related("action__focus_area", "last_update__author")

    def dehydrate_deliverable_code(self, d: Deliverable) -> str:
        return d.code

    def dehydrate_status(self, d: Deliverable) -> str:
        return d.status

    def dehydrate_status_label(self, d: Deliverable) -> str:
        return str(d.get_status_display())

    def dehydrate_progress(self, d: Deliverable) -> int | None:
        return d.progress_value

    def dehydrate_narrative(self, d: Deliverable) -> str:
        return d.last_update.narrative if d.last_update else ""

    def dehydrate_evidence_links(self, d: Deliverable) -> str:
        return links_text(d.last_update.evidence_links) if d.last_update else ""

    def dehydrate_as_of(self, d: Deliverable) -> datetime.date | None:
        return d.last_update.as_of if d.last_update else None

    def dehydrate_text(self, d: Deliverable) -> str:
        return d.text

    def dehydrate_focus_area(self, d: Deliverable) -> int:
        return d.action.focus_area.number

    def dehydrate_proposed_action(self, d: Deliverable) -> str:
        return d.action.code

    def dehydrate_start_year(self, d: Deliverable) -> int:
        return d.start_year

    def dehydrate_end_year(self, d: Deliverable) -> int:
        return d.end_year

    def dehydrate_target(self, d: Deliverable) -> int | None:
        return d.target_value

    def dehydrate_target_unit(self, d: Deliverable) -> str:
        return d.target_unit

    def dehydrate_updated_by(self, d: Deliverable) -> str:
        return d.last_update.author.get_username() if d.last_update else ""

    def dehydrate_recorded_at(self, d: Deliverable) -> datetime.datetime | None:
        return local(d.last_update.recorded_at) if d.last_update else None

    def dehydrate_version(self, d: Deliverable) -> int:
        return d.version


class StatusUpdateResource(resources.ModelResource):
    """The full history: one row per status update, oldest first for each deliverable."""

    deliverable_code = column("deliverable_code")
    status = column("status")
    progress = column("progress")
    narrative = column("narrative")
    evidence_links = column("evidence_links")
    as_of = column("as_of")
    status_label = column("status_label")
    version = column("version")
    author = column("author")
    recorded_at = column("recorded_at")

    class Meta:
        model = StatusUpdate
        fields = export_order = (*STATUS_IMPORT_COLUMNS, "status_label", "version", "author", "recorded_at")

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("deliverable", "author").order_by(
            "deliverable__action__focus_area__number",
            "deliverable__action__position",
            "deliverable__position",
            "version",
        )

    def dehydrate_deliverable_code(self, u: StatusUpdate) -> str:
        return u.deliverable.code

    def dehydrate_status(self, u: StatusUpdate) -> str:
        return u.status

    def dehydrate_status_label(self, u: StatusUpdate) -> str:
        return str(u.get_status_display())

    def dehydrate_progress(self, u: StatusUpdate) -> int | None:
        return u.progress_value

    def dehydrate_narrative(self, u: StatusUpdate) -> str:
        return u.narrative

    def dehydrate_evidence_links(self, u: StatusUpdate) -> str:
        return links_text(u.evidence_links)

    def dehydrate_as_of(self, u: StatusUpdate) -> datetime.date:
        return u.as_of

    def dehydrate_version(self, u: StatusUpdate) -> int:
        return u.version

    def dehydrate_author(self, u: StatusUpdate) -> str:
        return u.author.get_username()

    def dehydrate_recorded_at(self, u: StatusUpdate) -> datetime.datetime | None:
        return local(u.recorded_at)


EXAMPLE_COLUMNS = [
    "id",
    "state",
    "office_code",
    "office",
    "region",
    "countries",
    "title",
    "started_on",
    "ended_on",
    "what_was_done",
    "results",
    "government",
    "employers",
    "workers",
    "partners",
    "south_south",
    "deliverable_codes",
    "may_be_cited",
    "submitted_at",
    "approved_at",
    "updated_at",
]


class ProgressExampleResource(resources.ModelResource):
    """One row per progress example. Several countries or deliverables share a
    cell, separated by "; "."""

    id = column("id")
    state = column("state")
    office_code = column("office_code")
    office = column("office")
    region = column("region")
    countries = column("countries")
    title = column("title")
    started_on = column("started_on")
    ended_on = column("ended_on")
    what_was_done = column("what_was_done")
    results = column("results")
    government = column("government")
    employers = column("employers")
    workers = column("workers")
    partners = column("partners")
    south_south = column("south_south")
    deliverable_codes = column("deliverable_codes")
    may_be_cited = column("may_be_cited")
    submitted_at = column("submitted_at")
    approved_at = column("approved_at")
    updated_at = column("updated_at")

    class Meta:
        model = ProgressExample
        fields = export_order = tuple(EXAMPLE_COLUMNS)

    def filter_export(self, queryset, **kwargs):
        return queryset.with_context().order_by("office__name", "started_on", "pk")

    def dehydrate_id(self, e: ProgressExample) -> int:
        return e.pk

    def dehydrate_state(self, e: ProgressExample) -> str:
        return e.state

    def dehydrate_office_code(self, e: ProgressExample) -> str:
        return e.office.code

    def dehydrate_office(self, e: ProgressExample) -> str:
        return e.office.name

    def dehydrate_region(self, e: ProgressExample) -> str:
        return e.office.region.name if e.office.region else ""

    def dehydrate_countries(self, e: ProgressExample) -> str:
        return "; ".join(country.code for country in e.countries)

    def dehydrate_title(self, e: ProgressExample) -> str:
        return e.title

    def dehydrate_started_on(self, e: ProgressExample) -> datetime.date | None:
        return e.started_on

    def dehydrate_ended_on(self, e: ProgressExample) -> datetime.date | None:
        return e.ended_on

    def dehydrate_what_was_done(self, e: ProgressExample) -> str:
        return e.what_was_done

    def dehydrate_results(self, e: ProgressExample) -> str:
        return e.results

    def dehydrate_government(self, e: ProgressExample) -> str:
        return yes_no(e.involves_government)

    def dehydrate_employers(self, e: ProgressExample) -> str:
        return yes_no(e.involves_employers)

    def dehydrate_workers(self, e: ProgressExample) -> str:
        return yes_no(e.involves_workers)

    def dehydrate_partners(self, e: ProgressExample) -> str:
        return e.partners

    def dehydrate_south_south(self, e: ProgressExample) -> str:
        return yes_no(e.south_south)

    def dehydrate_deliverable_codes(self, e: ProgressExample) -> str:
        # .all() uses the prefetch of with_context(); a filter or order_by would not.
        return "; ".join(d.code for d in e.deliverables.all())

    def dehydrate_may_be_cited(self, e: ProgressExample) -> str:
        return yes_no(e.may_be_cited)

    def dehydrate_submitted_at(self, e: ProgressExample) -> datetime.datetime | None:
        return local(e.submitted_at)

    def dehydrate_approved_at(self, e: ProgressExample) -> datetime.datetime | None:
        return local(e.approved_at)

    def dehydrate_updated_at(self, e: ProgressExample) -> datetime.datetime | None:
        return local(e.updated_at)


# Reference data that changes rarely and arrives in spreadsheets: the admin
# imports it, matching rows by code.


class RegionResource(resources.ModelResource):
    class Meta:
        model = Region
        fields = ("code", "name")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class OfficeResource(resources.ModelResource):
    region = Field(attribute="region", column_name="region", widget=ForeignKeyWidget(Region, field="code"))

    class Meta:
        model = Office
        fields = ("code", "name", "kind", "region", "city")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
