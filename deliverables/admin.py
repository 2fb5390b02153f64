from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Deliverable, FocusArea, Office, PBOutput, Plan, ProposedAction, Region


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
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["code", "short_text", "start_year", "end_year", "target_value", "target_unit"]
    list_filter = ["plan", "action__focus_area", "end_year"]
    search_fields = ["code", "text"]
    list_select_related = ["action"]

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
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]
    inlines = [OfficeInline]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "region", "city"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "code", "city"]
    list_select_related = ["region"]
