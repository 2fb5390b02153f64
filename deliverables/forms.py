import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dcplan.forms import humane_errors

from .models import Deliverable, Status
from .services import StatusInput

NARRATIVE_MAX = 5000
LINKS_MAX = 10
LINK_MAX_LENGTH = 500
PROGRESS_MAX = 1_000_000


class EvidenceLinksField(forms.CharField):
    """One http(s) URL per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value: str | None) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value: list[str]) -> None:
        if len(value) > LINKS_MAX:
            raise ValidationError(_("Give at most %(max)s links.") % {"max": LINKS_MAX})
        check = URLValidator(schemes=["http", "https"])
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
        if as_of > timezone.localdate():
            raise ValidationError(_("The “as of” date cannot be in the future."))
        starts_on = self.deliverable.plan.starts_on
        if as_of < starts_on:
            raise ValidationError(
                _("The “as of” date cannot be before the plan starts (%(date)s).") % {"date": starts_on}
            )
        return as_of

    def clean(self) -> dict:
        data = super().clean()
        if (
            "progress_value" in self.data
            and not self.deliverable.has_target
            and self.data.get("progress_value")
        ):
            raise ValidationError(_("This deliverable has no numeric target: leave the progress empty."))
        status = data.get("status")
        if status and not data.get("narrative", "").strip() and self._needs_narrative(data):
            self.add_error(
                "narrative",
                _(
                    "Explain this change: a narrative is required when a deliverable is at risk, "
                    "delayed or discontinued, or moves backwards."
                ),
            )
        return data

    def _needs_narrative(self, data: dict) -> bool:
        new = Status(data["status"])
        old = self.deliverable.status_choice
        if new.needs_explanation or new.rank < old.rank:
            return True
        old_progress = self.deliverable.progress_value
        new_progress = data.get("progress_value")
        return old_progress is not None and new_progress is not None and new_progress < old_progress

    def to_input(self) -> StatusInput:
        data = self.cleaned_data
        return StatusInput(
            status=data["status"],
            as_of=data["as_of"],
            progress_value=data.get("progress_value"),
            narrative=data.get("narrative", "").strip(),
            evidence_links=tuple(data.get("evidence_links") or ()),
        )
