"""Filters of the review queue."""

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from dcplan.forms import humane_errors
from deliverables.models import Deliverable, FocusArea, Office, Plan, Region

from .models import ProgressExample


def _short_label(deliverable: Deliverable) -> str:
    text = deliverable.text if len(deliverable.text) <= 70 else deliverable.text[:69] + "…"
    return f"{deliverable.code} {text}"


class ExampleFilter(django_filters.FilterSet):
    """The review queue's filters. With no `state` in the query, the queue shows
    what waits for headquarters: submitted examples. `state=` (empty) shows all."""

    DEFAULT_STATE = ProgressExample.State.SUBMITTED

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ProgressExample.State.choices, empty_label=_("Any state")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="office__region", queryset=Region.objects.all()
    )
    office = django_filters.ModelChoiceFilter(
        label=_("Office"), queryset=Office.objects.exclude(kind=Office.Kind.HEADQUARTERS)
    )
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"),
        field_name="deliverables__action__focus_area",
        queryset=FocusArea.objects.none(),
        distinct=True,
    )
    deliverable = django_filters.ModelChoiceFilter(
        label=_("Deliverable"),
        field_name="deliverables",
        queryset=Deliverable.objects.none(),
        distinct=True,
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
        self.filters["deliverable"].queryset = Deliverable.objects.in_plan(plan).in_code_order()

    @property
    def form(self) -> forms.Form:
        form = super().form
        form.fields["deliverable"].label_from_instance = _short_label
        humane_errors(form)
        return form

    def search(self, queryset, name: str, value: str):
        for word in value.split()[:10]:
            queryset = queryset.filter(title__icontains=word)
        return queryset

    def only_south_south(self, queryset, name: str, value: bool | None):
        return queryset.filter(south_south=True) if value else queryset
