"""Signal receivers (connected in ``apps.ready``): the index of where pages use Getty images.
The publish guard's receivers are in ``guard``."""

from django.db import transaction
from wagtail.models import Page

from .content import getty_images, library_images
from .models import GettyImageUse, GettyLicence
from .value import Comp, Licensed


def index_revision(sender, instance, created=False, raw=False, **kwargs):
    """``post_save`` of a revision: the page's Getty images, as its latest revision holds them
    (a page of any type may refer to library images that came from Getty)."""
    if raw or not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model is None or not issubclass(model, Page):
        return
    transaction.on_commit(lambda: index_page(instance.as_object()))


def index_page(page):
    """Replaces ``page``'s rows of the Getty image index with what ``page`` (a specific instance
    with the content to index) holds: its Getty fields' and blocks' images, and the library
    images it refers to (image choosers, rich text) that came from Getty."""
    limit = GettyImageUse._meta.get_field("title").max_length
    where_limit = GettyImageUse._meta.get_field("where").max_length
    rows = _library_rows(page, limit, where_limit)
    for item in getty_images(page):
        image = item.image
        licensed = isinstance(image, Licensed)
        rows.append(
            GettyImageUse(
                page_id=page.pk,
                getty_id=image.id,
                title=image.title[:limit] if isinstance(image, Comp) else "",
                state=GettyImageUse.STATE_LICENSED
                if isinstance(image, Licensed)
                else GettyImageUse.STATE_COMP,
                licence_id=image.licence if licensed else None,
                where=item.where[:where_limit],
            )
        )
    licences = GettyLicence.objects.in_bulk([row.licence_id for row in rows if row.licence_id])
    for row in rows:
        licence = licences.get(row.licence_id)
        if licence is None or licence.getty_id != row.getty_id:
            # A licence deleted since the revision was made (or another image's): the row stays,
            # without the link.
            row.licence_id = None
        elif not row.title:
            row.title = licence.title[:limit]
    with transaction.atomic():
        GettyImageUse.objects.filter(page_id=page.pk).delete()
        GettyImageUse.objects.bulk_create(rows)


def _library_rows(page, limit, where_limit):
    """Index rows for the library images ``page`` refers to that have a Getty licence."""
    found = library_images(page)
    if not found:
        return []
    licences = {
        licence.image_id: licence
        for licence in GettyLicence.objects.filter(image_id__in={item.image_id for item in found})
    }
    return [
        GettyImageUse(
            page_id=page.pk,
            getty_id=licence.getty_id,
            title=licence.title[:limit],
            state=GettyImageUse.STATE_LICENSED,
            licence_id=licence.pk,
            where=item.where[:where_limit],
        )
        for item in found
        if (licence := licences.get(item.image_id)) is not None
    ]


def latest_content(page):
    """``page`` as its latest revision holds it (the page itself without revisions)."""
    revision = page.get_latest_revision()
    return revision.as_object() if revision else page.specific
