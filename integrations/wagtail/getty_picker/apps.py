"""The Django app configuration."""

import mimetypes

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_save, pre_save


class GettyPickerConfig(AppConfig):
    """getty-picker's app: permissions, field, widget, block, licence records and their import,
    the publish guard, forward-auth, the library check and the reports."""

    name = "getty_picker"
    verbose_name = "Getty Images picker"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from wagtail.models import Revision

        from . import chooser, signals, tasks

        # The widget compiles its wasm with instantiateStreaming, which needs this type; Python
        # before 3.13 does not map .wasm, so Django's static file views would say octet-stream.
        mimetypes.add_type("application/wasm", ".wasm")
        pre_save.connect(signals.refuse_publishing_held_images, dispatch_uid="getty_picker_publish_guard")
        post_save.connect(signals.index_revision, sender=Revision, dispatch_uid="getty_picker_index")
        checks.register(check_middleware)
        checks.register(tasks.check_task_backend)
        # Every image chooser of the site gets the "Getty Images" tab.
        chooser.install()


MIDDLEWARE = "getty_picker.middleware.PublishGuardMiddleware"


def check_middleware(app_configs=None, **kwargs):
    """Warns when the refused publish of a comp would show an error page instead of its message."""
    from django.conf import settings

    if MIDDLEWARE in getattr(settings, "MIDDLEWARE", []):
        return []
    return [
        checks.Warning(
            f"{MIDDLEWARE} is not in MIDDLEWARE: a moderator approving a page that holds a Getty comp "
            "gets a server error page instead of the message naming the image (nothing is published).",
            hint=f'Add "{MIDDLEWARE}" after the message middleware.',
            id="getty_picker.W001",
        )
    ]
