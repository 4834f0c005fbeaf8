"""The admin form widget: a hidden input holding the value, its preview, and the picker."""

import json

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.forms import Script
from django.urls import NoReverseMatch, reverse

from .conf import picker_settings


class Prepared(str):
    """The hidden input's JSON as ``GettyImageFormField.prepare_value`` made it for the browser
    (from what the server keeps), which the widget shows as it is."""


class GettyPickerWidget(forms.Widget):
    """Renders the picker's element and a preview with "Change", "Remove" and "Import again".

    ``getty_picker/field.js`` asks the forward-auth view what the editor may do before it
    mounts the picker (no picker at all for an editor with neither Getty permission), keeps
    the hidden input in step with the picker's events and has the server import licensed
    files. No inline script, so it works under a ``script-src 'self'`` policy.
    """

    template_name = "getty_picker/widget.html"

    @property
    def media(self):
        return forms.Media(
            js=[
                Script(picker_settings().widget_entry, type="module"),
                Script("getty_picker/field.js", defer=True),
            ],
            css={"all": ["getty_picker/field.css"]},
        )

    def format_value(self, value):
        from . import value as values
        from .display import for_posted, for_widget

        if isinstance(value, Prepared):
            return str(value)
        if value in (None, ""):
            return ""
        if isinstance(value, str):
            # Not the form field's: text the browser sent, taken on no trust.
            try:
                shown = for_posted(json.loads(value))
            except ValueError:
                return ""
        else:
            shown = for_widget(values.read(value))
        return json.dumps(shown) if shown else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        config = picker_settings()
        try:
            urls = {
                "auth_url": reverse("getty_picker:forward_auth"),
                "import_url": reverse("getty_picker:import"),
                "library_url": reverse("getty_picker:library"),
            }
        except NoReverseMatch as error:
            raise ImproperlyConfigured(
                'getty_picker\'s URLs are not installed: path("getty-picker/", include("getty_picker.urls"))'
            ) from error
        context["picker"] = {
            "token_url": config.token_url,
            "api_key": config.api_key,
            "api_base": config.api_base,
            "locale": config.locale,
            "open_tab": "true" if config.open_tab else "false",
            **urls,
        }
        return context
