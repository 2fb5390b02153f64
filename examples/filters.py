"""Filters of the review queue."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from dcplan.forms import humane_errors
from dcplan.widgets import CodeInput, PlainSelect
from deliverables.models import Deliverable, FocusArea, Office, Plan, Region

from .models import ProgressExample

# At most this many codes are suggested; any code may be typed.
SUGGESTIONS = 200


class ExampleFilter(django_filters.FilterSet):
    """The review queue's filters. With no `state` in the query, the queue shows
    what waits for headquarters: submitted examples. `state=` (empty) shows all."""

    DEFAULT_STATE = ProgressExample.State.SUBMITTED

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ProgressExample.State.choices, empty_label=_("Any state")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="office__region", queryset=Region.objects.all(), widget=PlainSelect
    )
    # Offices and deliverables by code, suggesting those that occur among the
    # examples: a select of every office and deliverable grows with the plan.
    office = django_filters.CharFilter(
        label=_("Office code"),
        field_name="office__code",
        lookup_expr="iexact",
        max_length=20,
        widget=CodeInput(list_id="office-codes"),
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"),
        field_name="deliverables__action__focus_area",
        queryset=FocusArea.objects.none(),
        distinct=True,
        widget=PlainSelect,
    )
    deliverable = django_filters.CharFilter(
        label=_("Deliverable code"),
        field_name="deliverables__code",
        max_length=20,
        distinct=True,
        widget=CodeInput(list_id="deliverable-codes"),
    )
    south_south = django_filters.BooleanFilter(
        label=_("South–South or triangular only"), method="only_south_south", widget=forms.CheckboxInput
    )

    class Meta:
        model = ProgressExample
        fields: list[str] = []

    def __init__(self, data: QueryDict | None = None, *args, plan: Plan, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if "state" not in data:
            data["state"] = self.DEFAULT_STATE
        super().__init__(data, *args, **kwargs)
        self.filters["focus_area"].queryset = FocusArea.objects.filter(plan=plan)
        self.plan = plan

    @property
    def form(self) -> forms.Form:
        form = super().form
        # Each office and deliverable is checked with one indexed probe
        # (EXISTS), not by collecting the codes of every example: the cost
        # follows the number of offices and deliverables, not of examples.
        examples = self.queryset.order_by()
        form.fields["office"].widget.suggestions = (
            Office.objects.filter(Exists(examples.filter(office=OuterRef("pk"))))
            .order_by("code")
            .values_list("code", flat=True)[:SUGGESTIONS]
        )
        form.fields["deliverable"].widget.suggestions = (
            Deliverable.objects.in_plan(self.plan)
            .filter(Exists(examples.filter(deliverables=OuterRef("pk"))))
            .order_by("code")
            .values_list("code", flat=True)[:SUGGESTIONS]
        )
        humane_errors(form)
        return form

    def search(self, queryset, name: str, value: str):
        for word in value.split()[:10]:
            queryset = queryset.filter(title__icontains=word)
        return queryset

    def only_south_south(self, queryset, name: str, value: bool | None):
        return queryset.filter(south_south=True) if value else queryset
