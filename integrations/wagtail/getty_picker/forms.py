"""The form field behind the model field and the block."""

import json

from django import forms

from . import value as values
from .widgets import GettyPickerWidget, Prepared


class _Posted(dict):
    """What the browser posted for the field (parsed JSON), marked as such: shown again only
    through ``display.for_posted``, never taken for a value the server keeps."""


class GettyImageFormField(forms.JSONField):
    """JSON from the widget's hidden input, checked by ``value.from_browser``.

    Its prepared value is the widget's JSON for every render, made on the server from what the
    server keeps: a licensed image gets its record's title, thumbnail and a fresh signed
    reference each time (a reload, another editor, a revision, a copy, a form that did not
    validate, a StreamField block at any depth), not the bare stored reference.
    """

    widget = GettyPickerWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", GettyPickerWidget)
        super().__init__(**kwargs)

    def clean(self, value):
        return values.clean_value(super().clean(value))

    def bound_data(self, data, initial):
        bound = super().bound_data(data, initial)
        return _Posted(bound) if isinstance(bound, dict) else bound

    def prepare_value(self, value):
        from .display import for_posted, for_widget

        if isinstance(value, Prepared):
            return value
        if isinstance(value, forms.fields.InvalidJSONInput):
            shown = None  # not JSON: nothing in it to show
        elif isinstance(value, str):
            # A StreamField block's raw input, back with a form that did not validate.
            try:
                shown = for_posted(json.loads(value)) if value else None
            except ValueError:
                shown = None
        elif isinstance(value, _Posted):
            shown = for_posted(dict(value))
        else:
            shown = for_widget(values.read(value))
        return Prepared(json.dumps(shown) if shown else "")

    def has_changed(self, initial, data):
        # The browser's copy carries what the preview shows (title, thumbnail, a fresh
        # reference); only what is stored counts as a change.
        try:
            return values.clean_value(self.to_python(data)) != initial
        except forms.ValidationError:
            return True
