"""Signal receivers (connected in ``apps.ready``): the publish guard's last line, and the index
of where pages use Getty images."""

from django.db import transaction
from wagtail.models import Page

from . import value as values
from .content import getty_images, holds_getty_images
from .guard import HeldBack, problems_of
from .models import GettyImageUse, GettyLicence


def refuse_publishing_held_images(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save``: a page saved live with new content (a publish: ``live`` turned on, or a
    new live revision) must not hold comps or licences whose file is not imported."""
    if raw or update_fields is not None or not isinstance(instance, Page) or not instance.live:
        return
    if not holds_getty_images(type(instance)):
        return
    if instance.pk is not None:
        before = Page.objects.filter(pk=instance.pk).values("live", "live_revision_id").first()
        if before and before["live"] and before["live_revision_id"] == instance.live_revision_id:
            return  # not a publish: the live content does not change
    problems = problems_of(instance)
    if problems:
        raise HeldBack(instance, problems)


def index_revision(sender, instance, created=False, raw=False, **kwargs):
    """``post_save`` of a revision: the page's Getty images, as its latest revision holds them."""
    if raw or not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model is None or not issubclass(model, Page) or not holds_getty_images(model):
        return
    transaction.on_commit(lambda: index_page(instance.as_object()))


def index_page(page):
    """Replaces ``page``'s rows of the Getty image index with what ``page`` (a specific instance
    with the content to index) holds."""
    rows = []
    for item in getty_images(page):
        value = item.value
        licensed = value["state"] == values.LICENSED
        rows.append(
            GettyImageUse(
                page_id=page.pk,
                getty_id=value["id"],
                title=(value.get("title") or "")[:500],
                state=GettyImageUse.STATE_LICENSED if licensed else GettyImageUse.STATE_COMP,
                licence_id=value["licence"] if licensed else None,
                where=item.where[:500],
            )
        )
    licences = GettyLicence.objects.in_bulk([row.licence_id for row in rows if row.licence_id])
    for row in rows:
        licence = licences.get(row.licence_id)
        if licence is None:
            # A licence deleted since the revision was made: the row stays, without the link.
            row.licence_id = None
        elif not row.title:
            row.title = licence.title[:500]
    with transaction.atomic():
        GettyImageUse.objects.filter(page_id=page.pk).delete()
        GettyImageUse.objects.bulk_create(rows)


def latest_content(page):
    """``page`` as its latest revision holds it (the page itself without revisions)."""
    revision = page.get_latest_revision()
    return revision.as_object() if revision else page.specific
