"""``manage.py getty_picker_reindex``: rebuilds the index of where pages use Getty images."""

from django.core.management.base import BaseCommand
from wagtail.models import Page

from getty_picker.signals import index_page, latest_content


class Command(BaseCommand):
    """The index is kept up to date at every revision; this fills it for pages saved before the
    app kept it (or changed behind Wagtail's back)."""

    help = (
        "Rebuilds the index the Getty reports read: Getty fields and blocks, and library images from "
        "Getty in image choosers and rich text, as each page's latest revision holds them."
    )

    def handle(self, *args, **options):
        count = 0
        for page in Page.objects.specific().iterator():
            index_page(latest_content(page))
            count += 1
        self.stdout.write(f"Indexed {count} pages.")
