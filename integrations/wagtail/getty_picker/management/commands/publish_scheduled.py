"""``manage.py publish_scheduled``: Wagtail's command, which never stops at a page that may not
go live.

A page scheduled before its Getty image's licence record (or its file) was deleted cannot be
published at its go-live. Wagtail's command would raise there and leave every page scheduled
after it unpublished; this one takes that page out of the schedule, says why in its history and
on stderr, and publishes the others. (``getty_picker`` must come before ``wagtail`` in
``INSTALLED_APPS`` for this command to be the one Django runs; ``manage.py check`` says so.)
"""

from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Revision

from getty_picker.guard import HeldBack, hold_back


class Command(WagtailCommand):
    """Wagtail's ``publish_scheduled``, holding back the pages that may not go live."""

    help = (
        "Publishes the pages and snippets whose go-live has come, and unpublishes the expired ones; a "
        "page holding Getty images that may not be published is taken out of the schedule instead."
    )

    def handle(self, *args, **options):
        # Each refusal takes one object out of the schedule, so this ends; the bound is a seatbelt.
        passes = Revision.objects.filter(approved_go_live_at__lt=timezone.now()).count() + 1
        for _ in range(passes):
            try:
                return super().handle(*args, **options)
            except HeldBack as refused:
                hold_back(refused.instance, refused.problems)
                self.stderr.write(f"Held back: {refused}")
        return None
