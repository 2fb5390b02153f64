"""Forms for progress examples: the office's form (drafts may be incomplete;
completeness is checked on submission by the model) and the reviewer's decision."""

import datetime
import unicodedata
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import Country

from dcplan.forms import humane_errors
from deliverables.models import Deliverable, Office, Plan

from . import attachments
from .models import ExampleAttachment, ProgressExample
from .services import EXAMPLE_FIELDS

TEXT_MAX = 5000
PARTNERS_MAX = 1000
COMMENT_MAX = 5000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.Field):
    """Several files in one input, each checked by content (examples.attachments)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"

    def clean(self, value) -> list[attachments.CheckedFile]:
        files = [f for f in (value or []) if f]
        checked, errors = [], []
        for upload in files:
            try:
                checked.append(attachments.check_upload(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class DeliverableChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, deliverable: Deliverable) -> str:
        return f"{deliverable.code} {deliverable.text}"


# Countries are offered as checkboxes in groups by initial letter (closed <details>,
# which the browser's find-in-page opens), after an open group of the office's own.
COUNTRY_GROUPS = ["AB", "C", "DEF", "GH", "IJK", "LM", "NOP", "QRS", "T", "UVWXYZ"]


def _initial(name: str) -> str:
    letter = unicodedata.normalize("NFKD", name[:1]).upper()[:1]
    return letter if letter.isalpha() else "Z"


@dataclass(frozen=True)
class ChoiceGroup:
    label: str
    boxes: list
    open: bool = False


class ExampleForm(forms.ModelForm):
    """What the office types. Nothing is required to save a draft; the model
    says what is missing when the example is submitted."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    deliverables = DeliverableChoices(
        label=gettext_lazy("Deliverables this example gives evidence for"),
        queryset=Deliverable.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_attachments = AttachmentsField(
        label=gettext_lazy("Add attachments"),
        help_text=gettext_lazy("PDF, PNG, JPEG, DOCX or XLSX; at most 10 MB each and 5 per example."),
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Remove attachments"),
        queryset=ExampleAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ProgressExample
        fields = ["office", *EXAMPLE_FIELDS]
        labels = {
            "office": gettext_lazy("Office"),
            "title": gettext_lazy("Title"),
            "countries": gettext_lazy("Countries"),
            "started_on": gettext_lazy("Date, or start of the period"),
            "ended_on": gettext_lazy("End of the period"),
            "what_was_done": gettext_lazy("What was done"),
            "results": gettext_lazy("Results achieved"),
            "involves_government": gettext_lazy("Government"),
            "involves_employers": gettext_lazy("Employers' organizations"),
            "involves_workers": gettext_lazy("Workers' organizations"),
            "partners": gettext_lazy("Partners"),
            "south_south": gettext_lazy("South–South or triangular cooperation"),
            "may_be_cited": gettext_lazy("May be cited in a Governing Body document"),
        }
        help_texts = {
            "countries": gettext_lazy(
                "Tick one or more. Open a group, or look for a country with your browser's "
                "Find (Ctrl+F): closed groups open by themselves."
            ),
            "started_on": gettext_lazy("For a single event, its date."),
            "ended_on": gettext_lazy("Leave empty for a single date."),
            "partners": gettext_lazy("For example ITC-ILO, UN agencies, development partners."),
            "may_be_cited": gettext_lazy(
                "The office and the constituents agree that headquarters may "
                "quote this example in a document for the Governing Body."
            ),
        }
        widgets = {
            "title": forms.TextInput(attrs={"maxlength": 200}),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "what_was_done": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 6}),
            "partners": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args, plan: Plan, choose_office: bool = False, office: Office | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.plan = plan
        # The office the example is for: its countries come first in the picker.
        self.for_office = office or (self.instance.office if self.instance.pk else None)
        deliverables = self.fields["deliverables"]
        deliverables.queryset = (
            Deliverable.objects.in_plan(plan).select_related("action__focus_area").in_code_order()
        )
        if self.instance.pk:
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()
            self.initial.setdefault("version", self.instance.version)
            if "deliverables" not in self.initial:
                self.initial["deliverables"] = list(self.instance.deliverables.values_list("pk", flat=True))
        else:
            del self.fields["remove_attachments"]
        if choose_office:
            self.fields["office"].queryset = Office.objects.exclude(kind=Office.Kind.HEADQUARTERS)
            self.fields["office"].required = True
        else:
            del self.fields["office"]
        for name, limit in (("what_was_done", TEXT_MAX), ("results", TEXT_MAX), ("partners", PARTNERS_MAX)):
            self.fields[name].validators.append(MaxLengthValidator(limit))
            self.fields[name].widget.attrs["maxlength"] = limit
        countries = self.fields["countries"]
        countries.widget = forms.CheckboxSelectMultiple(choices=countries.choices)
        # Marked on the form before anyone fails to submit (the model decides what submission needs).
        for name in [*ProgressExample.REQUIRED_TO_SUBMIT, "deliverables"]:
            if not name.startswith("involves_"):  # the constituents are one group, marked on its legend
                self.fields[name].required_to_submit = True
        self.fields["involves_government"].summary_label = _("Constituents involved")
        for name in ("started_on", "ended_on"):
            # ISO only: 01/05/2022 means different days in English, French and Spanish.
            self.fields[name].input_formats = ["%Y-%m-%d"]
        humane_errors(self)

    def country_groups(self) -> list[ChoiceGroup]:
        """The country checkboxes: the office's countries first (open), then by initial letter,
        a group open when one of its countries is ticked."""
        own = {country.code for country in self.for_office.countries} if self.for_office else set()
        chosen = set(self["countries"].value() or [])
        boxes = list(self["countries"])
        groups = [
            ChoiceGroup(_("Your office's countries"), [b for b in boxes if b.data["value"] in own], True)
        ]
        rest = [b for b in boxes if b.data["value"] not in own]
        for letters in COUNTRY_GROUPS:
            members = [b for b in rest if _initial(str(b.choice_label)) in letters]
            label = f"{letters[0]}–{letters[-1]}" if len(letters) > 1 else letters
            groups.append(ChoiceGroup(label, members, any(b.data["value"] in chosen for b in members)))
        return [group for group in groups if group.boxes]

    def deliverable_groups(self) -> list[ChoiceGroup]:
        """The deliverable checkboxes by focus area, with their full texts."""
        groups: dict[int, ChoiceGroup] = {}
        for box in self["deliverables"]:
            area = box.data["value"].instance.action.focus_area
            if area.pk not in groups:
                groups[area.pk] = ChoiceGroup(f"{area.number}. {area.title}", [])
            groups[area.pk].boxes.append(box)
        return list(groups.values())

    def chosen_countries(self) -> list[str]:
        """The countries selected now, by name: a long list box hides them otherwise."""
        codes = self["countries"].value() or []
        return [Country(code).name for code in codes if Country(code).name]

    def chosen_deliverables(self) -> list[str]:
        ids = {str(pk) for pk in self["deliverables"].value() or []}
        return [d.code for d in self.fields["deliverables"].queryset if str(d.pk) in ids] if ids else []

    def clean_started_on(self) -> datetime.date | None:
        started = self.cleaned_data.get("started_on")
        if started and started > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future: give the date it happened."))
        if started and started.year < self.plan.start_year - 1:
            raise ValidationError(
                _("The date is long before the plan started (%(year)s).") % {"year": self.plan.start_year}
            )
        return started

    def clean(self) -> dict:
        data = super().clean()
        started, ended = data.get("started_on"), data.get("ended_on")
        if ended and started and ended < started:
            self.add_error("ended_on", _("The end of the period cannot be before its start."))
        if ended and not started and "started_on" not in self.errors:
            self.add_error("started_on", _("Give the start of the period as well as its end."))
        self._check_still_complete(data)
        kept = self.instance.attachments.count() if self.instance.pk else 0
        kept -= len(data.get("remove_attachments") or [])
        added = len(data.get("new_attachments") or [])
        if kept + added > attachments.MAX_PER_EXAMPLE:
            self.add_error(
                "new_attachments",
                _("An example has at most %(max)s attachments: it would have %(n)s. Remove some first.")
                % {"max": attachments.MAX_PER_EXAMPLE, "n": kept + added},
            )
        return data

    def _check_still_complete(self, data: dict) -> None:
        """Once submitted, an example stays complete: a returned one keeps its title
        and date (as the database insists), one under review or reviewed (which
        only a superuser edits) keeps everything submission required."""
        state = self.instance.state_choice if self.instance.pk else ProgressExample.State.DRAFT
        if state.is_draft:
            return
        if state.is_returned:
            missing = {
                name: what
                for name, what in ProgressExample.missing_in(data, has_deliverables=True).items()
                if name in ("title", "started_on")
            }
        else:
            missing = ProgressExample.missing_in(data, has_deliverables=bool(data.get("deliverables")))
        for name, what in missing.items():
            if name not in self.errors:
                self.add_error(name, _("Required once submitted: %(what)s.") % {"what": what})


class DecisionForm(forms.Form):
    """Headquarters' decision on a submitted example."""

    DECISIONS = [
        ("approve", gettext_lazy("Approve")),
        ("return", gettext_lazy("Return for changes")),
        ("reject", gettext_lazy("Reject")),
    ]

    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
        help_text=gettext_lazy(
            "Required to return an example (say what must change) or to reject it "
            "(give the reason). Optional when approving."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        humane_errors(self)

    def clean(self) -> dict:
        data = super().clean()
        decision = data.get("decision")
        if decision in ("return", "reject") and not data.get("comment", "").strip():
            message = (
                _("Say what must change: a comment is required to return an example.")
                if decision == "return"
                else _("Give the reason: a reason is required to reject an example.")
            )
            self.add_error("comment", message)
        return data
