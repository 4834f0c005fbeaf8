"""``manage.py publish_scheduled_pages``: Wagtail's old name of ``publish_scheduled``."""

from getty_picker.management.commands.publish_scheduled import Command as PublishScheduledCommand


class Command(PublishScheduledCommand):
    """The app's ``publish_scheduled`` under its old name."""
