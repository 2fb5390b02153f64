from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import IssuedReview


@admin.register(IssuedReview)
class IssuedReviewAdmin(admin.ModelAdmin):
    """Read-only: an issued review is a record of what went to the Governing Body."""

    list_display = ["symbol", "as_of", "issued_at", "issued_by", "size", "sha256"]
    list_filter = ["as_of"]
    search_fields = ["symbol", "sha256"]
    date_hierarchy = "issued_at"
    list_select_related = ["issued_by"]
    fields = ["plan", "symbol", "as_of", "issued_by", "issued_at", "size", "sha256", "download", "cover"]
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
