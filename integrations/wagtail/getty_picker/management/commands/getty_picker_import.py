"""``manage.py getty_picker_import``: finishes every licence whose file is not imported yet."""

from django.core.management.base import BaseCommand, CommandError

from getty_picker.importer import ImportFailed, Refused, import_again
from getty_picker.models import GettyLicence


class Command(BaseCommand):
    """Imports the files of licences kept "not imported" with the delivery link they keep (no
    new download at Getty); a record of an earlier version is confirmed with Getty first. Says
    for each one what happened; exits with an error when any is still not imported."""

    help = "Imports the licensed Getty files that are not in the image library yet (Import again, for all)."

    def add_arguments(self, parser):
        parser.add_argument("getty_ids", nargs="*", help="only these Getty ids (default: every one pending)")

    def handle(self, *args, getty_ids=(), **options):
        pending = GettyLicence.objects.filter(image__isnull=True).order_by("licensed_at", "pk")
        if getty_ids:
            pending = pending.filter(getty_id__in=getty_ids)
        failed = 0
        count = 0
        for licence in pending.select_related("licensed_by"):
            count += 1
            try:
                imported = import_again(licence.pk, user=licence.licensed_by)
            except (ImportFailed, Refused) as failure:
                failed += 1
                self.stderr.write(f"{licence.getty_id}: not imported: {failure}")
                continue
            self.stdout.write(f"{licence.getty_id}: imported as image {imported.image_id}")
        if not count:
            self.stdout.write("Every licensed file is imported.")
        if failed:
            raise CommandError(f"{failed} of {count} licensed files are still not imported.")
