"""Creates the example's users, groups and page; safe to run again."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from wagtail.models import Page, Site

from home.models import HomePage

#: (username, password, may license Getty images)
USERS = [("editor", "editor", True), ("writer", "writer", False)]
LICENSERS = "Getty Images licensers"


class Command(BaseCommand):
    """``manage.py demo_setup``: an editor who may license, a writer who may not, a demo page."""

    help = "Creates the demo users (editor/editor may license Getty images, writer/writer may not) and page."

    def handle(self, *args, **options):
        editors = Group.objects.get(name="Editors")  # created by Wagtail's initial migration
        licensers, _ = Group.objects.get_or_create(name=LICENSERS)
        licensers.permissions.add(
            Permission.objects.get(content_type__app_label="getty_picker", codename="license_image")
        )
        users = get_user_model()
        for username, password, may_license in USERS:
            user, created = users.objects.get_or_create(username=username)
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(editors)
            if may_license:
                user.groups.add(licensers)
            else:
                user.groups.remove(licensers)

        page = HomePage.objects.first()
        if page is None:
            root = Page.get_first_root_node()
            page = root.add_child(instance=HomePage(title="Getty picker demo", slug="getty-demo"))
            site = Site.objects.get(is_default_site=True)
            site.root_page = page
            site.save()
        self.stdout.write(f"demo page id {page.id}: /admin/pages/{page.id}/edit/")
