"""Lets administrators grant ``getty_picker.license_image`` in Wagtail's group editor."""

from django.contrib.auth.models import Permission
from wagtail import hooks


@hooks.register("register_permissions")
def register_permissions():
    """The app's permission, shown under "Other permissions" when editing a group."""
    return Permission.objects.filter(content_type__app_label="getty_picker", codename="license_image")
