"""Keeping what was licensed: the licence record of a download, and its file in Wagtail's image
library.

``record_download`` keeps the licence record (one per Getty id) with the delivery URI;
``import_file`` fetches the file (``getty_picker.fetch``), checks it with Willow and stores it
as a Wagtail image, the way Wagtail's own upload does (storage API, file size and hash, tags,
``uploaded_by_user``, search index), then empties the URI. A failure leaves no image, keeps the
record "not imported" with its URI and the reason, and can be tried again (``import_file``
once more: the field's "Import again", ``manage.py getty_picker_import``).
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.images.utils import get_allowed_image_extensions
from wagtail.models import Collection
from wagtail.search import index as search_index
from willow.image import Image as WillowImage

from .conf import import_settings
from .fetch import FetchError, fetch
from .models import GettyLicence

logger = logging.getLogger(__name__)

_MAX_TEXT = 500
_MAX_CAPTION = 5000
_MAX_RESTRICTIONS = 20
#: Getty ids are short: digits for images, letters and digits for some collections.
MAX_ID = 64
_FORMAT_EXTENSIONS = {
    "jpeg": "jpg",
    "png": "png",
    "gif": "gif",
    "webp": "webp",
    "avif": "avif",
    "heic": "heic",
}
_GETTY_NAME = re.compile(r"GettyImages-([A-Za-z0-9_-]+)\.[A-Za-z0-9]+$")
# Wagtail's tag for every imported file, and one per asset family.
TAG = "Getty Images"


class ImportFailed(Exception):
    """The file was not imported; ``str()`` says why in words, ``code`` names the cause."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class BadDownload(ValueError):
    """What the browser reported of a download is not acceptable; ``str()`` says what."""


@dataclass
class Download:
    """A download as the picker reported it (``getty-picker:download``'s detail), checked."""

    getty_id: str
    uri: str
    title: str = ""
    caption: str = ""
    credit_line: str = ""
    copyright: str = ""
    artist: str = ""
    collection_name: str = ""
    asset_family: str = ""
    allowed_use: str = ""
    usage_restrictions: list = field(default_factory=list)
    product_type: str = ""
    product_id: str = ""
    product_name: str = ""
    agreement_name: str = ""
    project_code: str = ""
    download_notes: str = ""

    @classmethod
    def from_event(cls, detail):
        """Reads the event's detail (a dict); raises ``BadDownload``. Only ``uri`` is ever
        fetched, and only under ``fetch``'s rules; the rest is text kept with the licence."""
        if not isinstance(detail, dict):
            raise BadDownload(_("The download must be a JSON object."))
        getty_id = _text(detail, "id", MAX_ID)
        if not is_getty_id(getty_id):
            raise BadDownload(_("The download has no valid Getty id."))
        uri = _text(detail, "uri", 4000)
        if not uri:
            raise BadDownload(_("The download has no delivery URI."))
        # The picker's product label is "name · agreement" (the agreement only when it differs).
        product_name, _sep, agreement_name = _text(detail, "product", _MAX_TEXT).partition(" · ")
        return cls(
            getty_id=getty_id,
            uri=uri,
            title=_text(detail, "title", _MAX_TEXT),
            caption=_text(detail, "caption", _MAX_CAPTION),
            credit_line=_text(detail, "credit_line", _MAX_TEXT),
            copyright=_text(detail, "copyright", _MAX_TEXT),
            artist=_text(detail, "artist", _MAX_TEXT),
            collection_name=_text(detail, "collection_name", _MAX_TEXT),
            asset_family=_text(detail, "asset_family", 50),
            allowed_use=_text(detail, "allowed_use", _MAX_TEXT),
            usage_restrictions=_restrictions(detail.get("usage_restrictions")),
            product_type=_text(detail, "product_type", 50),
            product_id=_text(detail, "product_id", 50, numbers=True),
            product_name=product_name,
            agreement_name=agreement_name,
            project_code=_text(detail, "project_code", _MAX_TEXT),
            download_notes=_text(detail, "download_notes", _MAX_CAPTION),
        )


def is_getty_id(text):
    """Whether ``text`` looks like a Getty image id: ASCII letters, digits, ``-`` and ``_``."""
    return (
        bool(text) and len(text) <= MAX_ID and all(c.isascii() and (c.isalnum() or c in "-_") for c in text)
    )


def _text(detail, key, limit, numbers=False):
    value = detail.get(key)
    if value is None:
        return ""
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or len(value) > limit:
        raise BadDownload(_("The download's %(key)s is not valid text.") % {"key": key})
    return value.strip()


def _restrictions(value):
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > _MAX_RESTRICTIONS:
        raise BadDownload(_("The download's usage restrictions are not a short list."))
    kept = []
    for item in value:
        if not isinstance(item, str) or len(item) > _MAX_TEXT:
            raise BadDownload(_("A usage restriction of the download is not valid text."))
        if item.strip():
            kept.append(item.strip())
    return kept


def record_download(download: Download, user) -> GettyLicence:
    """The licence record of ``download``: a new one, or the one this site already keeps for
    its Getty id (two editors licensing one image end with one record). A record whose file
    is not stored yet takes the newer link."""
    licence, created = GettyLicence.objects.get_or_create(
        getty_id=download.getty_id,
        defaults={
            "title": download.title,
            "caption": download.caption,
            "credit_line": download.credit_line,
            "copyright": download.copyright,
            "artist": download.artist,
            "collection_name": download.collection_name,
            "asset_family": download.asset_family,
            "allowed_use": download.allowed_use,
            "usage_restrictions": download.usage_restrictions,
            "product_type": download.product_type,
            "product_id": download.product_id,
            "product_name": download.product_name,
            "agreement_name": download.agreement_name,
            "project_code": download.project_code,
            "download_notes": download.download_notes,
            "licensed_at": timezone.now(),
            "licensed_by": user,
            "delivery_uri": download.uri,
        },
    )
    if not created:
        # Another editor licensed it too (at once, or before the library marked it held): the
        # record stays the first one; a file not yet stored gets the fresher link.
        logger.info("Getty image %s licensed again by %s", download.getty_id, user)
        GettyLicence.objects.filter(pk=licence.pk, image__isnull=True).update(delivery_uri=download.uri)
        licence.refresh_from_db()
    return licence


def import_file(licence: GettyLicence, user=None) -> GettyLicence:
    """Stores ``licence``'s file in the image library unless it is there already; returns the
    record as it now is. Raises ``ImportFailed`` (the record then keeps the reason)."""
    if licence.is_imported:
        return licence
    try:
        return _import(licence, user)
    except ImportFailed as failure:
        GettyLicence.objects.filter(pk=licence.pk, image__isnull=True).update(
            import_error=str(failure), import_attempts=F("import_attempts") + 1
        )
        licence.refresh_from_db()
        if licence.is_imported:
            # Someone else's import finished meanwhile.
            return licence
        logger.warning("Getty image %s not imported: %s", licence.getty_id, failure)
        raise


def _import(licence, user):
    if not licence.delivery_uri:
        raise ImportFailed(
            "no_link",
            _("No delivery link is kept for this licence: download the image again in the picker."),
        )
    config = import_settings()
    collection = _collection(config.collection)
    try:
        fetched = fetch(licence.delivery_uri, config)
    except FetchError as error:
        raise ImportFailed(error.code, str(error)) from error
    with fetched.file:
        _check_name(fetched.file_name, licence.getty_id)
        extension = _check_image(fetched.file, config.max_pixels)
        name = fetched.file_name or f"GettyImages-{licence.getty_id}.{extension}"
        if "." not in name:
            name = f"{name}.{extension}"
        return _store(licence, user, collection, fetched.file, name)


def _collection(name):
    if name is None:
        return Collection.get_first_root_node()
    collection = Collection.objects.filter(name=name).first()
    if collection is None:
        raise ImportFailed(
            "collection",
            _("The collection “%(name)s” (GETTY_PICKER['COLLECTION']) does not exist.") % {"name": name},
        )
    return collection


def target_collection():
    """The collection imported files go to (``None`` if the configured one is missing)."""
    try:
        return _collection(import_settings().collection)
    except ImportFailed:
        return None


def _check_name(name, getty_id):
    """Getty names its files ``GettyImages-<id>.<ext>``: a file of another image is not kept
    under this licence."""
    match = _GETTY_NAME.match(name or "")
    if match and match.group(1) != getty_id:
        raise ImportFailed(
            "other_image",
            _("The delivered file is Getty image %(other)s, not %(id)s.")
            % {"other": match.group(1), "id": getty_id},
        )


def _check_image(file, max_pixels):
    """The file's extension once Willow reads it as an image of a format Wagtail accepts and
    no larger than ``max_pixels``."""
    try:
        image = WillowImage.open(file)
        width, height = image.get_size()
        format_name = image.format_name
    except Exception as error:  # Willow and Pillow raise many kinds for a broken file.
        raise ImportFailed("not_image", _("The delivered file is not an image Wagtail can read.")) from error
    finally:
        file.seek(0)
    extension = _FORMAT_EXTENSIONS.get(format_name)
    allowed = get_allowed_image_extensions()
    if extension is None or (extension not in allowed and not (extension == "jpg" and "jpeg" in allowed)):
        raise ImportFailed(
            "not_image",
            _("The delivered file is a %(format)s image, which Wagtail does not accept.")
            % {"format": format_name},
        )
    if width * height > max_pixels:
        raise ImportFailed(
            "too_big",
            _("The image has %(pixels)s pixels, more than GETTY_PICKER['MAX_PIXELS'] allows.")
            % {"pixels": width * height},
        )
    return extension


def _store(licence, user, collection, file, name):
    Image = get_image_model()
    with transaction.atomic():
        # One import at a time per licence (where the database locks rows); the conditional
        # update below keeps it to one image where it does not.
        current = GettyLicence.objects.select_for_update().get(pk=licence.pk)
        if current.is_imported:
            return current
        image = Image(
            title=(current.title or f"Getty Images {current.getty_id}")[:255],
            description=(current.title or current.caption)[:255],
            collection=collection,
            uploaded_by_user=user,
        )
        image.file.save(name, File(file, name=name), save=False)
        stored = image.file.name
        try:
            image._set_image_file_metadata()
            image.save()
            image.tags.add(*[tag for tag in (TAG, current.asset_family) if tag])
            won = GettyLicence.objects.filter(pk=current.pk, image__isnull=True).update(
                image=image,
                imported_at=timezone.now(),
                delivery_uri="",
                file_name=name,
                import_error="",
                import_attempts=F("import_attempts") + 1,
            )
            if not won:
                raise _Lost()
        except _Lost:
            image.delete()
            image.file.storage.delete(stored)
            return GettyLicence.objects.get(pk=current.pk)
        except BaseException:
            image.file.storage.delete(stored)
            raise
    search_index.insert_or_update_object(image)
    logger.info("Getty image %s imported as image %s", current.getty_id, image.pk)
    return GettyLicence.objects.select_related("image").get(pk=current.pk)


class _Lost(Exception):
    """Another import stored this licence's file first."""


def licensed_at_text(value: datetime | None) -> str | None:
    """An ISO 8601 time for JSON answers."""
    return value.isoformat() if value else None
