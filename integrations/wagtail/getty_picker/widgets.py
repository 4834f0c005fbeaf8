"""The admin form widget: a hidden input holding the value, its preview, and the picker."""

import json

from django import forms
from django.forms import Script

from .conf import picker_settings


class GettyPickerWidget(forms.Widget):
    """Renders the picker (``data-getty-picker``) and a preview with "change" and "remove".

    ``getty_picker/field.js`` keeps the hidden input in step with the picker's events; no
    inline script, so it works under a ``script-src 'self'`` policy.
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
        # JSONField.prepare_value turns "no image" into "null".
        if value in (None, "", "null", {}):
            return ""
        if isinstance(value, str):
            # Already JSON: what the browser sent back with a form that did not validate.
            return value
        return json.dumps(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        config = picker_settings()
        context["picker"] = {
            "token_url": config.token_url,
            "api_key": config.api_key,
            "api_base": config.api_base,
            "locale": config.locale,
            "open_tab": "true" if config.open_tab else "false",
        }
        return context
