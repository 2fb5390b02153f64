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
from import_export import resources, widgets
from import_export.fields import Field
from import_export.widgets import ForeignKeyWidget

from deliverables.models import Deliverable, Office, Region, StatusUpdate
from examples.models import ProgressExample

# The bulk status import reads these columns (spreadsheets.status_import).
STATUS_IMPORT_COLUMNS = ["deliverable_code", "status", "progress", "narrative", "evidence_links", "as_of"]
# …and these when the file has them: who leads and who contributes, by office
# code, several contributing units separated by "; " (a comma is read as well).
UNIT_COLUMNS = ["lead_unit", "contributing_units"]
UNITS_SEPARATOR = "; "

YES, NO = "yes", "no"


def local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A naive local date-time to the second: spreadsheets know no time zones."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


# Widgets render a value for a cell. The library's own render text; these keep
# numbers, dates and empty cells as Python values for each writer to format.


class AsIs(widgets.Widget):
    """The value unchanged: a number stays a number, a missing one None."""

    def render(self, value, obj=None, **kwargs):
        return value


class Text(widgets.Widget):
    """Text, empty when there is none (also when a relation on the way is empty)."""

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class YesNo(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return YES if value else NO


class LocalTime(widgets.Widget):
    def render(self, value, obj=None, **kwargs):
        return local(value)


class Lines(widgets.Widget):
    """A list of text, one item a line."""

    def render(self, value, obj=None, **kwargs):
        return "\n".join(value or [])


class DeliverableResource(resources.ModelResource):
    """One row per deliverable: the plan's text and target, and its current status.

    The columns of the status import come first, so that an export can be
    edited and imported again; the others are ignored by the import."""

    deliverable_code = Field(attribute="code", column_name="deliverable_code", widget=Text())
    status = Field(attribute="status", column_name="status", widget=Text())
    progress = Field(attribute="progress_value", column_name="progress", widget=AsIs())
    narrative = Field(attribute="last_update__narrative", column_name="narrative", widget=Text())
    evidence_links = Field(
        attribute="last_update__evidence_links", column_name="evidence_links", widget=Lines()
    )
    as_of = Field(attribute="last_update__as_of", column_name="as_of", widget=AsIs())
    status_label = Field(attribute="get_status_display", column_name="status_label", widget=Text())
    text = Field(attribute="text", column_name="text", widget=Text())
    focus_area = Field(attribute="action__focus_area__number", column_name="focus_area", widget=AsIs())
    proposed_action = Field(attribute="action__code", column_name="proposed_action", widget=Text())
    start_year = Field(attribute="start_year", column_name="start_year", widget=AsIs())
    end_year = Field(attribute="end_year", column_name="end_year", widget=AsIs())
    target = Field(attribute="target_value", column_name="target", widget=AsIs())
    target_unit = Field(attribute="target_unit", column_name="target_unit", widget=Text())
    updated_by = Field(attribute="last_update__author__get_username", column_name="updated_by", widget=Text())
    recorded_at = Field(attribute="last_update__recorded_at", column_name="recorded_at", widget=LocalTime())
    version = Field(attribute="version", column_name="version", widget=AsIs())
    lead_unit = Field(attribute="lead_unit__code", column_name="lead_unit", widget=Text())
    contributing_units = Field(column_name="contributing_units")

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
            *UNIT_COLUMNS,
        )

    def filter_export(self, queryset, **kwargs):
        # What every column reads, in the same query (also for the admin's
        # export), and the contributing units in one more.
        return queryset.select_related(
            "action__focus_area", "last_update__author", "lead_unit"
        ).prefetch_related("contributing_units")

    def dehydrate_contributing_units(self, d: Deliverable) -> str:
        # .all() uses the prefetch; sorted here, as the import compares them.
        return UNITS_SEPARATOR.join(sorted(unit.code for unit in d.contributing_units.all()))


class StatusUpdateResource(resources.ModelResource):
    """The full history: one row per status update, oldest first for each deliverable."""

    deliverable_code = Field(attribute="deliverable__code", column_name="deliverable_code", widget=Text())
    status = Field(attribute="status", column_name="status", widget=Text())
    progress = Field(attribute="progress_value", column_name="progress", widget=AsIs())
    narrative = Field(attribute="narrative", column_name="narrative", widget=Text())
    evidence_links = Field(attribute="evidence_links", column_name="evidence_links", widget=Lines())
    as_of = Field(attribute="as_of", column_name="as_of", widget=AsIs())
    status_label = Field(attribute="get_status_display", column_name="status_label", widget=Text())
    version = Field(attribute="version", column_name="version", widget=AsIs())
    author = Field(attribute="author__get_username", column_name="author", widget=Text())
    recorded_at = Field(attribute="recorded_at", column_name="recorded_at", widget=LocalTime())

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

    id = Field(attribute="pk", column_name="id", widget=AsIs())
    state = Field(attribute="state", column_name="state", widget=Text())
    office_code = Field(attribute="office__code", column_name="office_code", widget=Text())
    office = Field(attribute="office__name", column_name="office", widget=Text())
    region = Field(attribute="office__region__name", column_name="region", widget=Text())
    countries = Field(column_name="countries")
    title = Field(attribute="title", column_name="title", widget=Text())
    started_on = Field(attribute="started_on", column_name="started_on", widget=AsIs())
    ended_on = Field(attribute="ended_on", column_name="ended_on", widget=AsIs())
    what_was_done = Field(attribute="what_was_done", column_name="what_was_done", widget=Text())
    results = Field(attribute="results", column_name="results", widget=Text())
    government = Field(attribute="involves_government", column_name="government", widget=YesNo())
    employers = Field(attribute="involves_employers", column_name="employers", widget=YesNo())
    workers = Field(attribute="involves_workers", column_name="workers", widget=YesNo())
    partners = Field(attribute="partners", column_name="partners", widget=Text())
    south_south = Field(attribute="south_south", column_name="south_south", widget=YesNo())
    # .all() uses the prefetch of with_context(); a filter or order_by would not.
    deliverable_codes = Field(
        attribute="deliverables",
        column_name="deliverable_codes",
        widget=widgets.ManyToManyWidget(Deliverable, separator="; ", field="code"),
    )
    may_be_cited = Field(attribute="may_be_cited", column_name="may_be_cited", widget=YesNo())
    submitted_at = Field(attribute="submitted_at", column_name="submitted_at", widget=LocalTime())
    approved_at = Field(attribute="approved_at", column_name="approved_at", widget=LocalTime())
    updated_at = Field(attribute="updated_at", column_name="updated_at", widget=LocalTime())

    class Meta:
        model = ProgressExample
        fields = export_order = tuple(EXAMPLE_COLUMNS)

    def filter_export(self, queryset, **kwargs):
        return queryset.with_context().order_by("office__name", "started_on", "pk")

    def dehydrate_countries(self, e: ProgressExample) -> str:
        return "; ".join(country.code for country in e.countries)


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
