"""The form field behind the model field and the block."""

from django import forms

from .value import clean_value
from .widgets import GettyPickerWidget


class GettyImageFormField(forms.JSONField):
    """JSON from the widget's hidden input, checked by ``value.clean_value``."""

    widget = GettyPickerWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", GettyPickerWidget)
        super().__init__(**kwargs)

    def clean(self, value):
        return clean_value(super().clean(value))

    def has_changed(self, initial, data):
        # The browser's copy carries what the preview shows (title, thumbnail, a fresh
        # reference); only what is stored counts as a change.
        try:
            return clean_value(self.to_python(data)) != initial
        except forms.ValidationError:
            return True
