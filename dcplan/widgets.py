"""Form widgets for long filters: written in Python, not through a template
per option, and a code field with suggestions instead of a list of thousands."""

from django import forms
from django.utils.html import format_html, format_html_join


class PlainSelect(forms.Select):
    """A <select> whose options are written in one pass: Django's Select renders
    a template per option, which costs milliseconds per hundred options."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        attributes = format_html_join("", ' {}="{}"', widget["attrs"].items())
        return format_html('<select name="{}"{}>{}</select>', widget["name"], attributes, options)


class CodeInput(forms.TextInput):
    """A text field for a code, with a <datalist> of suggestions (no script:
    the browser offers them as the user types)."""

    def __init__(self, *, list_id: str, attrs: dict | None = None):
        super().__init__(attrs={"list": list_id, "autocomplete": "off", "size": 12, **(attrs or {})})
        self.list_id = list_id
        self.suggestions: object = ()

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}">', ((code,) for code in self.suggestions))
        return format_html('{}<datalist id="{}">{}</datalist>', field, self.list_id, options)
