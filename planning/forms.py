import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deliverables.forms import office_code
from deliverables.models import Office

from .models import Milestone, ReportingRound

ISO_DATE = ["%Y-%m-%d"]  # ISO only: 01/05/2023 means different days in en, fr and es


def _date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=ISO_DATE,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=help_text,
    )


class MilestoneForm(forms.Form):
    """A milestone, new or edited. An edit carries the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    title = forms.CharField(label=gettext_lazy("Milestone"), max_length=200)
    due_on = _date_field(gettext_lazy("Due date"))
    done_on = _date_field(
        gettext_lazy("Done on"), required=False, help_text=gettext_lazy("Leave empty while it is open.")
    )
    responsible_unit = forms.ModelChoiceField(
        label=gettext_lazy("Responsible unit"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not set"),
    )

    def __init__(self, *args, milestone: Milestone | None = None, **kwargs):
        if milestone is not None:
            kwargs.setdefault(
                "initial",
                {
                    "version": milestone.version,
                    "title": milestone.title,
                    "due_on": milestone.due_on,
                    "done_on": milestone.done_on,
                    "responsible_unit": milestone.responsible_unit_id,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = Office.objects.headquarters_first()
        self.fields["responsible_unit"].label_from_instance = office_code

    def clean_done_on(self) -> datetime.date | None:
        done_on = self.cleaned_data.get("done_on")
        if done_on and done_on > timezone.localdate():
            raise ValidationError(_("A milestone cannot be done on a day still to come."))
        return done_on


class RoundForm(forms.ModelForm):
    """Open a reporting round: a name, the period, the cut-off and the two deadlines."""

    class Meta:
        model = ReportingRound
        fields = ["name", "opens_on", "cut_off", "updates_due", "examples_due"]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ["opens_on", "cut_off", "updates_due", "examples_due"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["opens_on", "cut_off", "updates_due", "examples_due"]:
            self.fields[name].input_formats = ISO_DATE

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = ReportingRound.objects.filter(plan=self.instance.plan_id, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("A round with this name exists already."))
        return name


class TimelineFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit (lead or contributing)"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=gettext_lazy("All units"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Office.objects.headquarters_first()
        self.fields["unit"].label_from_instance = office_code
