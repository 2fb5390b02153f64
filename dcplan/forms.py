"""Error messages written for people, for every form of the site.

Django's defaults ("Ensure this value is greater than or equal to 0.", "Select a
valid choice. finished is not one of the available choices.") say neither what
would be accepted nor how to write it. `humane_errors(form)` rewrites them per
field with the range or the allowed values; a form calls it once in `__init__`
(a filter set in its `form` property). The field's label is not repeated: the
message stands after the field, and the error summary names the field.
"""

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Choice lists longer than this are not spelled out in a message.
MAX_CHOICES_NAMED = 12


def _escape(text: object) -> str:
    """Django %-formats the message later with its own values: a % in ours must survive that."""
    return str(text).replace("%", "%%")


def _choice_labels(field: forms.ChoiceField) -> list[str]:
    if isinstance(field, forms.ModelChoiceField):
        return []  # lists of objects: too long to name
    labels = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            labels.extend(str(sub) for _value, sub in label)
        elif value not in ("", None):
            labels.append(str(label))
    return labels


def _choice_messages(field: forms.ChoiceField) -> dict[str, str]:
    labels = _choice_labels(field)
    if isinstance(field, forms.ModelChoiceField):
        invalid = _("That is not one of the choices: choose from the list.")  # the value is an id
    elif labels and len(labels) <= MAX_CHOICES_NAMED:
        invalid = _("“%%(value)s” is not one of the choices. Choose one of: %(choices)s.") % {
            "choices": _escape(", ".join(labels))
        }
    else:
        invalid = _("“%(value)s” is not one of the choices: choose from the list.")
    return {
        "invalid_choice": invalid,
        "invalid_list": _("Choose from the list."),
        "invalid_pk_value": _("Choose from the list."),
    }


def _integer_messages(field: forms.IntegerField) -> dict[str, str]:
    messages = {"invalid": _("Give a whole number, such as 7.")}
    low, high = field.min_value, field.max_value
    if low is not None and high is not None:
        messages["min_value"] = messages["max_value"] = _("Give a whole number from %(low)s to %(high)s.") % {
            "low": number_format(low, force_grouping=True),
            "high": number_format(high, force_grouping=True),
        }
    elif low is not None:
        messages["min_value"] = _("Give a whole number of %(low)s or more.") % {"low": low}
    return messages


def humane_errors(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        messages: dict[str, str] = {}
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            messages |= _choice_messages(field)
        if isinstance(field, forms.IntegerField):
            messages |= _integer_messages(field)
        if isinstance(field, forms.DateField):
            messages["invalid"] = _("Give the date as YYYY-MM-DD, for example 2023-01-31.")
        if isinstance(field, forms.CharField):
            messages["max_length"] = _("Write at most %(limit_value)d characters: this has %(show_value)d.")
        field.error_messages = {**field.error_messages, **messages}
