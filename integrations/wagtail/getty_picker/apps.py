"""The Django app configuration."""

import mimetypes

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_save


class GettyPickerConfig(AppConfig):
    """getty-picker's app: permissions, field, widget, block, the image chooser's Getty tab,
    licence records and their import in the background, the publish guard, forward-auth, the
    library check and the reports."""

    name = "getty_picker"
    verbose_name = "Getty Images picker"
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from wagtail.admin.compare import register_comparison_class
        from wagtail.models import Revision

        from . import chooser, guard, signals, tasks
        from .compare import GettyImageFieldComparison
        from .models import GettyImageField

        # The widget compiles its wasm with instantiateStreaming, which needs this type; Python
        # before 3.13 does not map .wasm, so Django's static file views would say octet-stream.
        mimetypes.add_type("application/wasm", ".wasm")
        guard.connect()
        register_comparison_class(GettyImageField, comparison_class=GettyImageFieldComparison)
        post_save.connect(signals.index_revision, sender=Revision, dispatch_uid="getty_picker_index")
        checks.register(check_middleware)
        checks.register(check_getty_settings)
        checks.register(check_app_order)
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


def check_getty_settings(app_configs=None, **kwargs):
    """Warns when the server cannot ask Getty to confirm licences (every import is refused)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from .conf import getty_settings

    if not getattr(settings, "GETTY_PICKER", None):
        return []
    try:
        getty_settings()
    except ImproperlyConfigured as error:
        return [
            checks.Warning(
                f"{error}; until it is set, every import of a licensed image is refused.",
                hint="Set GETTY_PICKER['TICKET_SECRET'] to the token service's PICKER_TICKET_SECRET.",
                id="getty_picker.W002",
            )
        ]
    return []


def check_app_order(app_configs=None, **kwargs):
    """Warns when Wagtail's own ``publish_scheduled`` command and image edit page would be used
    instead of the app's: ``getty_picker`` must come before ``wagtail`` and ``wagtail.images``."""
    from django.apps import apps

    installed = [config.name for config in apps.get_app_configs()]
    if "getty_picker" not in installed:
        return []
    ours = installed.index("getty_picker")
    later = [app for app in ("wagtail", "wagtail.images") if app in installed and installed.index(app) < ours]
    if not later:
        return []
    return [
        checks.Warning(
            f"getty_picker comes after {', '.join(later)} in INSTALLED_APPS: Wagtail's own "
            "publish_scheduled stops at the first page whose Getty image can no longer be published "
            "(leaving the pages after it unpublished), and the image edit page shows no Getty licence.",
            hint='Put "getty_picker" before "wagtail" and "wagtail.images" in INSTALLED_APPS.',
            id="getty_picker.W003",
        )
    ]
