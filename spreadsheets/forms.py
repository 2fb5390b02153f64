from django import forms
from django.utils.translation import gettext_lazy

from dcplan.forms import humane_errors


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV or XLSX, at most 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        humane_errors(self)


class ConfirmForm(forms.Form):
    """The preview page's button: which saved preview to apply."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    skip_hidden = forms.BooleanField(required=False, label=gettext_lazy("Leave out the hidden rows"))
    skip_back_dated = forms.BooleanField(required=False, label=gettext_lazy("Leave out the back-dated rows"))
    create_duplicates = forms.BooleanField(required=False, label=gettext_lazy("Create the duplicates too"))
