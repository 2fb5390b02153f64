"""Progress examples in the admin. Their state moves only through the
workflow services (the web pages), so it is read-only here; saving an edit
goes through examples.services.example_update like the office's page."""

from django.contrib import admin

from spreadsheets.admin import SpreadsheetExportAdmin
from spreadsheets.resources import ProgressExampleResource

from . import services
from .models import ExampleAttachment, ExampleTransition, ProgressExample
from .services import EXAMPLE_FIELDS, ExampleInput


class ExampleTransitionInline(admin.TabularInline):
    model = ExampleTransition
    extra = 0
    can_delete = False
    fields = ["at", "actor", "from_state", "to_state", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ExampleAttachmentInline(admin.TabularInline):
    model = ExampleAttachment
    extra = 0
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # uploads are checked by content on the example's page


@admin.register(ProgressExample)
class ProgressExampleAdmin(SpreadsheetExportAdmin, admin.ModelAdmin):
    resource_classes = [ProgressExampleResource]
    list_display = ["__str__", "office", "state", "submitted_at", "approved_at", "may_be_cited"]
    list_filter = ["state", "office__region", "south_south", "may_be_cited"]
    search_fields = ["title", "office__code", "office__name"]
    list_select_related = ["office"]
    filter_horizontal = ["deliverables"]
    # The office is chosen once, at creation (as on the office's page).
    readonly_fields = [
        "office",
        "state",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "approved_at",
        "version",
    ]
    inlines = [ExampleAttachmentInline, ExampleTransitionInline]

    def has_add_permission(self, request) -> bool:
        return False  # examples start as drafts on the office's page

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not obj.editable_by(request.user):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        # Through the same service as the office's page: the version moves (so
        # open web forms on the old one are refused, not overwritten) and an
        # edit after review is recorded in the example's history.
        data = ExampleInput(
            values={name: form.cleaned_data[name] for name in EXAMPLE_FIELDS if name in form.cleaned_data},
            deliverables=list(form.cleaned_data.get("deliverables", obj.deliverables.all())),
        )
        services.example_update(example=obj, user=request.user, data=data, seen_version=obj.version)

    def save_related(self, request, form, formsets, change) -> None:
        # The deliverables were saved by example_update; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
