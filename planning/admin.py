from django.contrib import admin

from .models import Milestone, Reminder, ReportingRound


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "opens_on", "cut_off", "updates_due", "examples_due", "closed_at"]
    list_filter = ["plan"]
    search_fields = ["name"]
    readonly_fields = ["opened_by", "opened_at", "closed_by", "closed_at"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.opened_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["deliverable", "title", "due_on", "done_on", "responsible_unit"]
    list_filter = ["responsible_unit", "done_on"]
    search_fields = ["title", "deliverable__code"]
    list_select_related = ["deliverable", "responsible_unit"]
    autocomplete_fields = ["deliverable", "responsible_unit"]
    readonly_fields = ["version", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change) -> None:
        # The admin follows the page's rule: every save moves the version, so an
        # edit form opened before it is refused instead of overwriting it.
        obj.updated_by = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """A record of what was sent; never edited."""

    list_display = ["round", "recipient", "topic", "slot", "deadline", "created_at", "sent_at"]
    list_filter = ["round", "topic", "slot"]
    search_fields = ["recipient__username", "recipient__email"]
    list_select_related = ["round", "recipient"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
