from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.translation import gettext_lazy as _

from spreadsheets.admin import SpreadsheetExportAdmin, SpreadsheetImportExportAdmin
from spreadsheets.resources import DeliverableResource, OfficeResource, RegionResource, StatusUpdateResource

from .models import (
    Deliverable,
    FocusArea,
    Office,
    PBOutput,
    Plan,
    Profile,
    ProposedAction,
    Region,
    StatusUpdate,
)


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0


class ProposedActionInline(admin.StackedInline):
    model = ProposedAction
    extra = 0
    fields = ["plan", "position", "code", "text", "pb_outputs", "all_policy_outcomes", "other_references"]
    filter_horizontal = ["pb_outputs"]
    show_change_link = True


class DeliverableInline(admin.StackedInline):
    model = Deliverable
    extra = 0
    fields = ["plan", "position", "code", "text", ("start_year", "end_year"), ("target_value", "target_unit")]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["symbol", "title", "session", "document_date", "start_year", "end_year", "midterm_year"]
    search_fields = ["symbol", "title"]
    inlines = [FocusAreaInline]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]
    search_fields = ["title"]
    inlines = [ProposedActionInline]


@admin.register(ProposedAction)
class ProposedActionAdmin(admin.ModelAdmin):
    list_display = ["code", "short_text", "focus_area", "other_references"]
    list_filter = ["plan", "focus_area", "pb_outputs__biennium"]
    search_fields = ["code", "text", "other_references"]
    filter_horizontal = ["pb_outputs"]
    list_select_related = ["focus_area"]
    inlines = [DeliverableInline]

    @admin.display(description=_("text"))
    def short_text(self, obj: ProposedAction) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"


@admin.register(Deliverable)
class DeliverableAdmin(SpreadsheetExportAdmin, admin.ModelAdmin):
    resource_classes = [DeliverableResource]
    list_display = [
        "code",
        "short_text",
        "start_year",
        "end_year",
        "target_value",
        "target_unit",
        "status",
        "lead_unit",
    ]
    list_filter = ["plan", "action__focus_area", "end_year", "status", "lead_unit"]
    search_fields = ["code", "text"]
    list_select_related = ["action", "lead_unit"]
    autocomplete_fields = ["lead_unit"]
    filter_horizontal = ["contributing_units"]
    # The current status moves only with a new status update, never by hand.
    readonly_fields = ["status", "progress_value", "last_update", "version"]

    @admin.display(description=_("text"))
    def short_text(self, obj: Deliverable) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"


@admin.register(PBOutput)
class PBOutputAdmin(admin.ModelAdmin):
    list_display = ["biennium", "code", "title"]
    list_filter = ["biennium"]
    search_fields = ["code", "title"]


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0


@admin.register(Region)
class RegionAdmin(SpreadsheetImportExportAdmin, admin.ModelAdmin):
    resource_classes = [RegionResource]
    list_display = ["name", "code"]
    search_fields = ["name"]
    inlines = [OfficeInline]


@admin.register(Office)
class OfficeAdmin(SpreadsheetImportExportAdmin, admin.ModelAdmin):
    resource_classes = [OfficeResource]
    list_display = ["name", "code", "kind", "region", "city"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "code", "city"]
    list_select_related = ["region"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(SpreadsheetExportAdmin, admin.ModelAdmin):
    """Append-only: the admin shows the history but neither edits nor deletes it."""

    resource_classes = [StatusUpdateResource]
    list_display = ["deliverable", "version", "status", "progress_value", "as_of", "author", "recorded_at"]
    list_filter = ["status", "as_of", "deliverable__action__focus_area"]
    search_fields = ["deliverable__code", "narrative"]
    list_select_related = ["deliverable", "author"]
    date_hierarchy = "as_of"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class NumericAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks the posted value up by id when it shows
    the form again, and fails (a server error) on one that is not a number: such
    a value is shown as no choice, next to the field's own error."""

    def optgroups(self, name, value, attrs=None):
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attrs)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "office", "language"]
    list_filter = ["office__kind", "office__region", "language"]
    search_fields = ["user__username", "office__name", "office__code"]
    list_select_related = ["user", "office"]
    autocomplete_fields = ["office"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "office":
            kwargs["widget"] = NumericAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
