"""What the editor's browser is given about a Getty image: the field's value with the signed
licence reference and what its preview shows (on every render, from the server's own record),
and the library's entries.

``for_widget`` takes a value the server keeps (a page's, a revision's); ``for_posted`` what a
form that did not validate brought back, trusting none of it: a licensed value is shown again
only from the record its signed reference names.
"""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from . import value as values
from .models import GettyLicence
from .value import Comp, GettyImage, Licensed, Problem

#: The rendition shown in the editor's preview of a licensed image.
PREVIEW_FILTER = "max-240x160"


def thumbnail(image):
    """A small rendition's URL of a Wagtail image (served by the site, not Getty)."""
    if image is None:
        return None
    try:
        return image.get_rendition(PREVIEW_FILTER).url
    except Exception:  # a missing or unreadable file must not break the editor
        return None


def notice(image: GettyImage, problem: Problem | None, licence=None) -> str | None:
    """What the field says about a licensed image that cannot be published as it is (a comp's
    line is the field's own)."""
    if problem is Problem.RECORD_MISSING:
        return _(
            "The licence record of this image could not be found: license it again (“Download” in "
            "the picker) or choose another image. The page cannot be published with it until then."
        )
    if problem is Problem.OTHER_IMAGE:
        return _(
            "The licence record this value points at is that of Getty image %(other)s, not %(id)s: "
            "choose the image again."
        ) % {"other": licence.getty_id, "id": image.id}
    if problem is Problem.FILE_DELETED:
        return _(
            "The licensed file was deleted from the image library: license the image again "
            "(“Download” in the picker) to import it anew. The page cannot be published with it "
            "until then."
        )
    if problem is Problem.NOT_IMPORTED:
        reason = licence.import_error if licence is not None else ""
        text = _("Licensed, but the file is not in the image library yet")
        return f"{text}: {reason}" if reason else text
    return None


def licence_fields(licence: GettyLicence):
    """The licence as the field's preview and the library's entries show it."""
    image = Licensed(id=licence.getty_id, licence=licence.pk)
    problem = values.problem_of(image, licence)
    return {
        "id": licence.getty_id,
        "licence": licence.pk,
        "ref": image.reference(),
        "title": licence.title,
        "credit_line": licence.credit_line or None,
        "copyright": licence.copyright or None,
        "artist": licence.artist or None,
        "asset_family": licence.asset_family or None,
        "usage_restrictions": list(licence.usage_restrictions or []),
        "product_type": licence.product_type or None,
        "product": licence.product or None,
        "licensed_at": licence.licensed_at.isoformat() if licence.licensed_at else None,
        "imported": licence.is_imported,
        "image": licence.image_id,
        "thumb_url": thumbnail(licence.image) if licence.is_imported else None,
        # "Import again" only while the record keeps a link to fetch the file with.
        "import_url": reverse("getty_picker:import_again", args=[licence.pk])
        if problem is Problem.NOT_IMPORTED and licence.delivery_uri
        else None,
        # An import of it under way (a worker's): the field follows it after a reload too.
        "importing": _importing(licence) if problem is Problem.NOT_IMPORTED else None,
        "import_error": licence.import_error or None,
        "notice": notice(image, problem, licence),
    }


def _importing(licence):
    """Where to ask how the import of ``licence`` under way is going, if one is."""
    from .imports import in_flight

    job = in_flight(licence)
    return reverse("getty_picker:import_status", args=[job.pk]) if job is not None else None


def field_value(licence: GettyLicence):
    """The browser's copy of a licensed value (what the import and "Use it" hand the field)."""
    return {"state": values.LICENSED, **licence_fields(licence)}


def for_widget(image: GettyImage | None):
    """The hidden input's JSON for an image the server keeps: a comp as it is (with the site's
    licence of it, if the library holds one: "Use it"), a licensed image with its record's
    details and a fresh reference; ``None`` for no image. A licensed image whose record is gone,
    or is another image's, stays what it was, saying so: the field never loses a value."""
    if image is None:
        return None
    if isinstance(image, Comp):
        shown = image.as_json()
        held = _held(image.id)
        if held is not None:
            shown["held"] = library_entry(held)
        return shown
    licence = GettyLicence.objects.select_related("image").filter(pk=image.licence).first()
    problem = values.problem_of(image, licence)
    if problem in (Problem.RECORD_MISSING, Problem.OTHER_IMAGE):
        return {
            **image.as_json(),
            "ref": image.reference(),
            "title": "",
            "imported": False,
            "notice": notice(image, problem, licence),
        }
    return field_value(licence)


def for_posted(posted):
    """The hidden input's JSON for what a form that did not validate brought back (the posted
    JSON, parsed): nothing taken on trust. A licensed value with the server's reference is
    shown from its record; one without keeps only its id and record number (the form's error
    says why); a comp keeps what it said, less a thumbnail from anywhere but Getty."""
    try:
        return for_widget(values.from_browser(posted))
    except ValidationError:
        pass
    image = values.read(posted)
    if isinstance(image, Licensed):
        return image.as_json()
    if isinstance(image, Comp) and image.thumb_uri and not values.thumb_allowed(image.thumb_uri):
        image = replace(image, thumb_uri=None)
    return image.as_json() if image else None


def _held(getty_id):
    return GettyLicence.objects.select_related("image").filter(getty_id=getty_id, image__isnull=False).first()


def library_entry(licence: GettyLicence):
    """A held image in the library check's answer: the keys the picker reads, and what "Use it" needs
    to fill the field without asking again."""
    return {
        "image": licence.image_id,
        "licence": licence.pk,
        "title": licence.title,
        "licensed_at": licence.licensed_at.isoformat() if licence.licensed_at else None,
        "product": licence.product or None,
        "credit_line": licence.credit_line or None,
        "thumb_url": thumbnail(licence.image),
        "ref": values.reference(licence.pk, licence.getty_id),
    }
