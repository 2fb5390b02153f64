from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import DraftSection, IssuedReview, SectionRevision


@admin.register(IssuedReview)
class IssuedReviewAdmin(admin.ModelAdmin):
    """Read-only: an issued review is a record of what went to the Governing Body."""

    list_display = ["symbol", "as_of", "language", "issued_at", "issued_by", "size", "sha256"]
    list_filter = ["as_of", "language"]
    search_fields = ["symbol", "sha256"]
    date_hierarchy = "issued_at"
    list_select_related = ["issued_by"]
    fields = [
        "plan",
        "symbol",
        "as_of",
        "language",
        "issued_by",
        "issued_at",
        "size",
        "sha256",
        "download",
        "cover",
        "written",
        "acknowledgements",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).defer("pdf")

    @admin.display(description=_("PDF"))
    def download(self, obj: IssuedReview) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("reporting:issued_download", args=[obj.pk]), obj.filename
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class SectionRevisionInline(admin.TabularInline):
    model = SectionRevision
    fields = ["version", "author", "saved_at", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-version"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(DraftSection)
class DraftSectionAdmin(admin.ModelAdmin):
    """Read-only: sections are written on the drafting pages, which keep their history."""

    list_display = ["key", "language", "draft", "version", "source_version", "updated_by", "updated_at"]
    list_filter = ["draft__as_of", "language"]
    list_select_related = ["draft", "updated_by"]
    fields = ["draft", "key", "language", "version", "source_version", "updated_by", "updated_at", "text"]
    readonly_fields = fields
    inlines = [SectionRevisionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
