import datetime

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dcplan.forms import humane_errors
from dcplan.widgets import CodeInput

from .forms import office_code
from .models import Deliverable, FocusArea, Office, PBOutput, Plan, ProposedAction, Status
from .models.plan import CODE_ORDER

ACTION_SUGGESTIONS = 200

# Each sort ends in the plan's order, so that ties read as in the document.
SORTS = {
    "code": [*CODE_ORDER],
    "status": ["status", *CODE_ORDER],
    "timeline": ["end_year", "start_year", *CODE_ORDER],
    "updated": ["last_update__as_of", "last_update__recorded_at", *CODE_ORDER],
    "progress": ["progress_value", *CODE_ORDER],
}


def sort_order(sort: str) -> list[OrderBy]:
    """Order-by expressions for a sort key such as "status" or "-updated"; unknown keys sort by code.

    Empty values go last both ways, on SQLite and PostgreSQL alike."""
    descending = sort.startswith("-")
    fields = SORTS.get(sort.lstrip("-"), SORTS["code"])
    return [F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_last=True) for f in fields]


class DeliverableFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"), field_name="action__focus_area", queryset=FocusArea.objects.none()
    )
    # A code with suggestions, not a select of every action: the menu grows with the plan.
    action = django_filters.CharFilter(
        label=_("Proposed action"),
        field_name="action__code",
        max_length=20,
        widget=CodeInput(list_id="action-codes", attrs={"placeholder": "1.4"}),
    )
    # Several at once ("delayed or at risk"), kept in the URL as status=delayed&status=at_risk.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    due_by = django_filters.ChoiceFilter(
        label=_("Due by"), field_name="end_year", lookup_expr="lte", choices=()
    )
    pb_output = django_filters.ModelChoiceFilter(
        label=_("P&B output"),
        field_name="action__pb_outputs",
        queryset=PBOutput.objects.none(),
        distinct=True,
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit (lead or contributing)"), method="by_unit", queryset=Office.objects.none()
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="only_overdue", widget=forms.CheckboxInput
    )
    no_lead_unit = django_filters.BooleanFilter(
        label=_("No lead unit yet"), method="only_without_lead", widget=forms.CheckboxInput
    )
    stale = django_filters.BooleanFilter(
        label=_("No update for six months"), method="only_stale", widget=forms.CheckboxInput
    )
    late_milestones = django_filters.BooleanFilter(
        label=_("Overdue milestones"), method="only_late_milestones", widget=forms.CheckboxInput
    )

    CHECKBOXES = ("overdue", "no_lead_unit", "stale", "late_milestones")

    class Meta:
        model = Deliverable
        fields: list[str] = []

    @property
    def form(self) -> forms.Form:
        form = super().form
        form.fields["action"].widget.suggestions = self.action_codes
        # Units by code: the same in every language (their names are plan texts, often English only).
        form.fields["unit"].label_from_instance = office_code
        humane_errors(form)
        return form

    def __init__(self, *args, plan: Plan, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.filters["unit"].queryset = Office.objects.headquarters_first()
        self.filters["focus_area"].queryset = FocusArea.objects.filter(plan=plan)
        self.action_codes = (
            ProposedAction.objects.filter(plan=plan).order_by("focus_area__number", "position")
        ).values_list("code", flat=True)[:ACTION_SUGGESTIONS]
        self.filters["pb_output"].queryset = PBOutput.objects.filter(actions__plan=plan).distinct()
        self.filters["due_by"].extra["choices"] = [
            (str(year), str(year)) for year in sorted({plan.midterm_year, plan.end_year})
        ]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(text__icontains=word)
                | Q(code__startswith=word)
                | Q(action__text__icontains=word)
                | Q(last_update__narrative__icontains=word)
            )
        return queryset

    def only_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.overdue() if value else queryset

    def by_unit(self, queryset: QuerySet, name: str, value: Office | None) -> QuerySet:
        return queryset.for_unit(value) if value else queryset

    def only_without_lead(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.without_lead_unit() if value else queryset

    def only_stale(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.stale(self.today) if value else queryset

    def only_late_milestones(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.with_overdue_milestones(self.today) if value else queryset
