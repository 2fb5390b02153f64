import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dcplan.forms import humane_errors

from .models import Deliverable, Office, Status
from .services import StatusInput

NARRATIVE_MAX = 5000
LINKS_MAX = 10
LINK_MAX_LENGTH = 500
PROGRESS_MAX = 1_000_000


_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


class EvidenceLinksField(forms.CharField):
    """One http(s) URL per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: str | None) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value: list[str]) -> None:
        if len(value) > LINKS_MAX:
            raise ValidationError(_("Give at most %(max)s links.") % {"max": LINKS_MAX})
        check = _WEB_ADDRESS
        for link in value:
            if len(link) > LINK_MAX_LENGTH:
                raise ValidationError(
                    _("A link is longer than %(max)s characters.") % {"max": LINK_MAX_LENGTH}
                )
            try:
                check(link)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a valid web address (http:// or https://).") % {"link": link[:100]}
                ) from None

    def run_validators(self, value: list[str]) -> None:
        pass  # each line is checked in validate()

    def prepare_value(self, value: object) -> object:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value


class StatusUpdateForm(forms.Form):
    """The one validation of a status update, used by the web form and the import."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Status.choices)
    progress_value = forms.IntegerField(
        label=gettext_lazy("Progress"),
        required=False,
        min_value=0,
        max_value=PROGRESS_MAX,
        help_text=gettext_lazy("A whole number; it may exceed the target."),
    )
    narrative = forms.CharField(
        label=gettext_lazy("Narrative"),
        required=False,
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Required when the status becomes at risk, delayed or discontinued, or moves backwards."
        ),
    )
    evidence_links = EvidenceLinksField(
        label=gettext_lazy("Evidence links"),
        required=False,
        help_text=gettext_lazy("One http:// or https:// address per line."),
    )
    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        input_formats=["%Y-%m-%d"],  # ISO only: 01/05/2022 means different days in en, fr and es
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The date this status speaks for."),
    )

    def __init__(self, *args, deliverable: Deliverable, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "version": deliverable.version,
                "status": deliverable.status,
                "progress_value": deliverable.progress_value,
                "as_of": timezone.localdate(),
            },
        )
        super().__init__(*args, **kwargs)
        self.deliverable = deliverable
        if not deliverable.has_target:
            del self.fields["progress_value"]
        else:
            self.fields["progress_value"].label = _("Progress (%(unit)s, target %(target)s)") % {
                "unit": deliverable.target_unit,
                "target": deliverable.target_value,
            }
        humane_errors(self)

    def clean_as_of(self) -> datetime.date:
        as_of = self.cleaned_data["as_of"]
        check_as_of(as_of, starts_on=self.deliverable.plan.starts_on)
        return as_of

    def clean(self) -> dict:
        data = super().clean()
        for name, error in status_rules(self.deliverable, data, self.data.get("progress_value")).items():
            self.add_error(name, error)
        return data

    def to_input(self) -> StatusInput:
        return status_input(self.cleaned_data)


def status_fields(deliverable: Deliverable) -> dict[str, forms.Field]:
    """StatusUpdateForm's fields for `deliverable`, with their messages: what
    status_clean() cleans with, for every deliverable with (or every one
    without) a numeric target."""
    return StatusUpdateForm(deliverable=deliverable).fields


@dataclass(frozen=True)
class StatusCleaned:
    """What status_clean() found: each field's own reading (before the rules
    that compare it with the deliverable or the other fields), and what the
    form would give as cleaned_data and errors."""

    read: dict  # field name → its clean() value, for the fields that accepted theirs
    cleaned: dict
    errors: dict[str, list[str]]


def status_clean(
    data: Mapping[str, object],
    *,
    deliverable: Deliverable,
    fields: dict[str, forms.Field],
    today: datetime.date | None = None,
) -> StatusCleaned:
    """What StatusUpdateForm(data, deliverable=deliverable) cleans and refuses
    — its cleaned_data and its errors by field, in the same order and with the
    same messages — without building a form: `fields` (status_fields() of a
    deliverable of the same kind) are reused row after row by the import.
    The same steps as the form's: each field's clean(), its clean_<field>
    rule, then the form-wide status_rules(). `today` saves asking the clock
    once a row."""
    read: dict = {}
    cleaned: dict = {}
    errors: dict[str, list[str]] = {}
    for name, field in fields.items():
        try:
            value = read[name] = field.clean(data.get(name))
            if name == "as_of":
                check_as_of(value, starts_on=deliverable.plan.starts_on, today=today)
            cleaned[name] = value
        except ValidationError as error:
            errors[name] = error.messages
    for name, error in status_rules(deliverable, cleaned, data.get("progress_value")).items():
        errors.setdefault(name or NON_FIELD_ERRORS, []).extend(error.messages)
        cleaned.pop(name, None)
    return StatusCleaned(read=read, cleaned=cleaned, errors=errors)


# The rules of a status update, as functions of their own.

NARRATIVE_REQUIRED = gettext_lazy(
    "Explain this change: a narrative is required when a deliverable is at risk, "
    "delayed or discontinued, or moves backwards."
)


def check_as_of(
    as_of: datetime.date, *, starts_on: datetime.date, today: datetime.date | None = None
) -> None:
    if as_of > (today or timezone.localdate()):
        raise ValidationError(_("The “as of” date cannot be in the future."))
    if as_of < starts_on:
        raise ValidationError(
            _("The “as of” date cannot be before the plan starts (%(date)s).") % {"date": starts_on}
        )


def office_code(office: Office) -> str:
    return office.code


class UnitsForm(forms.Form):
    """Who leads a deliverable and who contributes (headquarters staff, on the deliverable page)."""

    lead_unit = forms.ModelChoiceField(
        label=gettext_lazy("Lead unit"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=gettext_lazy("No lead unit yet"),
    )
    contributing_units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Contributing units"),
        queryset=Office.objects.none(),
        required=False,
        help_text=gettext_lazy("Hold Ctrl (or ⌘) to choose several."),
    )

    def __init__(self, *args, deliverable: Deliverable, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "lead_unit": deliverable.lead_unit_id,
                "contributing_units": [unit.pk for unit in deliverable.contributing_units.all()],
            },
        )
        super().__init__(*args, **kwargs)
        offices = Office.objects.headquarters_first()
        self.fields["lead_unit"].queryset = offices
        self.fields["contributing_units"].queryset = offices
        for name in ("lead_unit", "contributing_units"):
            # Units by code: the same in every language (their names are plan texts, often English only).
            self.fields[name].label_from_instance = office_code

    def clean(self) -> dict:
        data = super().clean()
        lead = data.get("lead_unit")
        if lead is not None and lead in data.get("contributing_units", []):
            self.add_error("contributing_units", _("The lead unit cannot also be a contributing unit."))
        return data


def status_rules(
    deliverable: Deliverable, cleaned: dict, progress: object
) -> dict[str | None, ValidationError]:
    """The checks of a status update that compare its fields with each other
    and with the deliverable, by field (None: the whole update), for the
    form's clean() and for status_clean(). `progress` is the value as typed."""
    try:
        check_progress_allowed(deliverable, progress)
    except ValidationError as error:
        return {None: error}
    if narrative_missing(deliverable, cleaned):
        return {"narrative": ValidationError(NARRATIVE_REQUIRED)}
    return {}


def check_progress_allowed(deliverable: Deliverable, progress: object) -> None:
    if progress and not deliverable.has_target:
        raise ValidationError(_("This deliverable has no numeric target: leave the progress empty."))


def narrative_missing(deliverable: Deliverable, data: dict) -> bool:
    """A narrative is required when the status becomes at risk, delayed or
    discontinued, moves backwards, or the progress value goes down."""
    status = data.get("status")
    if not status or data.get("narrative", "").strip():
        return False
    new = Status(status)
    if new.needs_explanation or new.rank < deliverable.status_choice.rank:
        return True
    old_progress = deliverable.progress_value
    new_progress = data.get("progress_value")
    return old_progress is not None and new_progress is not None and new_progress < old_progress


def status_input(data: dict) -> StatusInput:
    return StatusInput(
        status=data["status"],
        as_of=data["as_of"],
        progress_value=data.get("progress_value"),
        narrative=data.get("narrative", "").strip(),
        evidence_links=tuple(data.get("evidence_links") or ()),
    )
