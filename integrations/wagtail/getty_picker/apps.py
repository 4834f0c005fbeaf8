"""The Django app configuration."""

import mimetypes

from django.apps import AppConfig


class GettyPickerConfig(AppConfig):
    """getty-picker's app: permission, field, widget, block, forward-auth view."""

    name = "getty_picker"
    verbose_name = "Getty Images picker"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        # The widget compiles its wasm with instantiateStreaming, which needs this type; Python
        # before 3.13 does not map .wasm, so Django's static file views would say octet-stream.
        mimetypes.add_type("application/wasm", ".wasm")
