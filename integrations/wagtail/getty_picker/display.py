"""What the editor's browser is given about a Getty image: the field's value with the signed
licence reference and what its preview shows, and the library's entries (contract C2)."""

from django.urls import reverse

from . import value as values
from .models import GettyLicence

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


def licence_fields(licence: GettyLicence):
    """The licence as the field's preview and the library's entries show it."""
    return {
        "id": licence.getty_id,
        "licence": licence.pk,
        "ref": values.reference(licence.pk, licence.getty_id),
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
        "import_url": None
        if licence.is_imported
        else reverse("getty_picker:import_again", args=[licence.pk]),
        "import_error": licence.import_error or None,
    }


def field_value(licence: GettyLicence):
    """The browser's copy of a licensed value (what the import and "Use it" hand the field)."""
    return {"state": values.LICENSED, **licence_fields(licence)}


def for_widget(stored):
    """The hidden input's JSON for a stored value: comps as they are, licensed values with the
    record's details and a fresh reference; ``None`` for nothing (or a record since deleted)."""
    value = values.read(stored)
    if value is None or value["state"] == values.SELECTED:
        return value
    licence = GettyLicence.objects.select_related("image").filter(pk=value["licence"]).first()
    if licence is None:
        return None
    return field_value(licence)


def library_entry(licence: GettyLicence):
    """A held image in the library check's answer: the contract's keys, and what "Use it" needs
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
