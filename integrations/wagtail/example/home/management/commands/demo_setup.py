"""Creates the example's users, groups, collection and page; safe to run again."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from wagtail.models import Collection, Page, Site

from home.models import HomePage

LICENSERS = "Getty Images licensers"
SEARCHERS = "Getty Images searchers"
#: (username = password, Wagtail group, Getty group)
USERS = [
    # Licenses Getty images, publishes pages and approves them in moderation.
    ("editor", "Moderators", LICENSERS),
    # Searches and chooses (comps), saves drafts and submits them for moderation.
    ("writer", "Editors", SEARCHERS),
]
#: Where licensed files are imported (the example's GETTY_PICKER["COLLECTION"]).
COLLECTION = "Getty Images"


class Command(BaseCommand):
    """``manage.py demo_setup``: an editor who licenses and publishes, a writer who searches and
    submits for moderation, the collection for imported files, a demo page."""

    help = (
        "Creates the demo users (editor/editor licenses Getty images and publishes; writer/writer "
        "searches and submits for moderation), the Getty Images collection and the demo page."
    )

    def handle(self, *args, **options):
        groups = {}
        for name, codename in ((LICENSERS, "license_image"), (SEARCHERS, "search_image")):
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.add(
                Permission.objects.get(content_type__app_label="getty_picker", codename=codename)
            )
            groups[name] = group
        users = get_user_model()
        for username, wagtail_group, getty_group in USERS:
            user, created = users.objects.get_or_create(username=username)
            if created:
                user.set_password(username)
                user.save()
            # Both groups come with Wagtail's initial data (Moderators may publish).
            user.groups.set([Group.objects.get(name=wagtail_group), groups[getty_group]])

        root = Collection.get_first_root_node()
        if not Collection.objects.filter(name=COLLECTION).exists():
            root.add_child(name=COLLECTION)

        page = HomePage.objects.first()
        if page is None:
            home = Page.get_first_root_node()
            page = home.add_child(instance=HomePage(title="Getty picker demo", slug="getty-demo"))
            site = Site.objects.get(is_default_site=True)
            site.root_page = page
            site.save()
        self.stdout.write(f"demo page id {page.id}: /admin/pages/{page.id}/edit/")
