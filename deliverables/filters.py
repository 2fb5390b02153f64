import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from dcplan.forms import humane_errors

from .models import Deliverable, FocusArea, PBOutput, Plan, ProposedAction, Status
from .models.plan import CODE_ORDER

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
    action = django_filters.ModelChoiceFilter(
        label=_("Proposed action"), queryset=ProposedAction.objects.none()
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
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"), method="only_overdue", widget=forms.CheckboxInput
    )
    stale = django_filters.BooleanFilter(
        label=_("No update for six months"), method="only_stale", widget=forms.CheckboxInput
    )

    class Meta:
        model = Deliverable
        fields: list[str] = []

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["focus_area"].queryset = FocusArea.objects.filter(plan=plan)
        self.filters["action"].queryset = ProposedAction.objects.filter(plan=plan)
        self.filters["pb_output"].queryset = PBOutput.objects.filter(actions__plan=plan).distinct()
        self.filters["due_by"].extra["choices"] = [
            (str(year), str(year)) for year in sorted({plan.midterm_year, plan.end_year})
        ]

    @property
    def form(self) -> forms.Form:
        form = super().form
        humane_errors(form)
        return form

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(text__icontains=word)
                | Q(code__startswith=word)
                | Q(action__text__icontains=word)
                | Q(last_update__narrative__icontains=word)
            )
        return queryset

    def only_stale(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.stale() if value else queryset

    def only_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.overdue() if value else queryset
