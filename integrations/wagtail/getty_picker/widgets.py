"""The admin form widget: a compact chooser (a hidden input holding the value, its preview and
actions); the picker opens in Wagtail's modal."""

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
    """A compact chooser, as Wagtail's own: "Choose a Getty image", or the chosen image's
    preview with "Change", "Remove", "License it", "Use it" and "Import again".

    ``getty_picker/field.js`` asks the forward-auth view what the editor may do (nothing to
    choose for an editor with neither Getty permission), opens the picker in Wagtail's modal
    (``getty_picker/chooser.js``, loaded on every admin page after ``getty_picker/admin.js``,
    which field.js uses too, and the app's ``choose`` view),
    keeps the hidden input in step with the choice and has a worker import licensed files. No
    inline script, so it works under a ``script-src 'self'`` policy; the widget's own module is
    loaded only when the modal first shows a picker.
    """

    template_name = "getty_picker/widget.html"

    @property
    def media(self):
        return forms.Media(
            js=[Script("getty_picker/field.js", defer=True)], css={"all": ["getty_picker/field.css"]}
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
        picker_settings()  # a setting missing or mistyped is said here, at the first render
        try:
            context["picker"] = {
                "auth_url": reverse("getty_picker:forward_auth"),
                "import_url": reverse("getty_picker:import_start"),
                "modal_url": reverse("getty_picker_admin:choose"),
            }
        except NoReverseMatch as error:
            raise ImproperlyConfigured(
                'getty_picker\'s URLs are not installed: path("getty-picker/", include("getty_picker.urls"))'
            ) from error
        return context
