"""Publish only what was licensed: a page holding a comp, or a licence whose file is not in the
image library yet, is not published, wherever the publish comes from.

- Wagtail's editor (publish, create and publish, revert and publish): the ``before_publish_page``
  hook keeps the draft and sends the editor back to it with a message naming each image.
- Anything else that publishes (a moderator's approval from the editor or the dashboard, bulk
  publishing, scheduled publishing, code): the ``pre_save`` check in ``signals`` refuses to save
  the page live and raises ``HeldBack``; ``PublishGuardMiddleware`` turns that into the same
  message on the page's edit view.
"""

from django.utils.translation import gettext as _

from . import value as values
from .content import getty_images
from .models import GettyLicence


class HeldBack(Exception):
    """Publishing ``page`` was refused; ``problems`` are the messages, one per image.

    Not a ``PermissionDenied``: Wagtail's admin turns those into its generic "no permission"
    message, which would hide what to do."""

    def __init__(self, page, problems):
        self.page_id = page.pk
        self.problems = problems
        super().__init__(message(page, problems))


def problems_of(page):
    """What keeps ``page`` (a specific instance with the content to publish) from going live:
    one message per comp and per licence not imported, naming the image and what to do."""
    found = getty_images(page)
    licensed = [item.value["licence"] for item in found if item.value["state"] == values.LICENSED]
    records = GettyLicence.objects.in_bulk(licensed) if licensed else {}
    problems = []
    for item in found:
        value = item.value
        if value["state"] == values.SELECTED:
            problems.append(
                _(
                    "“%(title)s” (Getty image %(id)s, in “%(where)s”) is a comp, not licensed: "
                    "license it with “Download” in its picker, or remove it, then publish."
                )
                % {"title": value.get("title") or value["id"], "id": value["id"], "where": item.where}
            )
            continue
        licence = records.get(value["licence"])
        if licence is None:
            problems.append(
                _(
                    "The licence of Getty image %(id)s (in “%(where)s”) is no longer kept: choose the "
                    "image again, then publish."
                )
                % {"id": value["id"], "where": item.where}
            )
        elif not licence.is_imported:
            problems.append(
                _(
                    "The licensed file of “%(title)s” (Getty image %(id)s, in “%(where)s”) is not in "
                    "the image library yet: use “Import again” in its field, then publish."
                )
                % {"title": licence.title or value["id"], "id": value["id"], "where": item.where}
            )
    return problems


def message(page, problems):
    """The editor's message: the page was not published, and why."""
    return " ".join(
        [
            _("“%(page)s” was not published: it holds Getty images that are not licensed and imported.")
            % {"page": page.get_admin_display_title()},
            *problems,
        ]
    )
