"""Keeping what was licensed: the licence record, built from Getty's answers to the server, and
the licensed file in Wagtail's image library.

The browser names a Getty id and the delivery link it got; nothing else it says is kept. Before
anything is recorded the server asks Getty (``getty``) whether the company downloaded that id
(its download history: product, agreement, project code, notes, when, which Getty user) and
what the image is (title, caption, credit line, artist, collection, usage restrictions, its
pixel sizes). The link must name the id (its last path segment, as Getty's delivery links do),
the file must be named as Getty names that image's files (``GettyImages-<id>.<ext>``) and have
its proportions. The file is then stored as a Wagtail image the way Wagtail's own upload does
(storage API, file size and hash, tags, ``uploaded_by_user``, search index), with the extension
of the format Willow found.

Two outcomes besides success:

- ``Refused``: nothing is recorded (no row) and nothing stored: Getty does not confirm the
  download, could not be asked, or the link or the file is not the image's. An existing record
  of the id stays as it was.
- ``ImportFailed``: Getty confirmed the licence, so the record is kept, "not imported", with the
  link and the reason; ``import_again`` finishes it (the field's "Import again",
  ``manage.py getty_picker_import``).

Everything here takes ids and a user, not a request, so a background task can call it.
"""

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
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

from . import getty
from .conf import import_settings, origin_of
from .fetch import FetchError, fetch
from .models import GettyLicence

logger = logging.getLogger(__name__)

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
_GETTY_NAME = re.compile(r"GettyImages-([A-Za-z0-9_-]+)\.[A-Za-z0-9]+")
# Wagtail's tag for every imported file, one per asset family, and Getty's keywords.
TAG = "Getty Images"
# How many of Getty's keywords become tags (the most relevant), and how long a tag may be.
_MAX_KEYWORDS = 30
_MAX_TAG = 100
# A pixel each way: a file scaled from Getty's sizes is rounded to whole pixels.
_ROUNDING = 1


class Refused(Exception):
    """Not recorded, nothing stored; ``str()`` says why in words, ``code`` names the cause,
    ``retry`` says whether asking again may succeed (Getty could not be asked)."""

    def __init__(self, code, message, retry=False):
        super().__init__(message)
        self.code = code
        self.retry = retry


class ImportFailed(Exception):
    """The licence is recorded, its file not imported; ``str()`` says why in words, ``code``
    names the cause, ``licence`` is the record as it was kept."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.licence = None


def is_getty_id(text):
    """Whether ``text`` looks like a Getty image id: ASCII letters, digits, ``-`` and ``_``."""
    return (
        isinstance(text, str)
        and 0 < len(text) <= MAX_ID
        and all(c.isascii() and (c.isalnum() or c in "-_") for c in text)
    )


def id_of_link(uri):
    """The Getty id a delivery link names: its last path segment, without an extension
    (``https://delivery.gettyimages.com/downloads/<id>?k=…``); ``None`` if it names none."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return None
    segment = unquote(parts.path.rsplit("/", 1)[-1])
    segment = segment.split(".", 1)[0]
    segment = segment.removeprefix("GettyImages-")
    return segment if is_getty_id(segment) else None


@dataclass(frozen=True)
class Confirmation:
    """Getty's word on one licence: the company's newest download of the image and what the
    image is."""

    download: getty.CompanyDownload
    image: getty.ImageDetails
    product_name: str


def confirm(getty_id: str) -> Confirmation:
    """Asks Getty whether the company downloaded ``getty_id`` and what the image is; raises
    ``Refused`` when Getty does not confirm it or could not be asked."""
    try:
        downloads = getty.company_downloads(getty_id)
        if not downloads:
            raise Refused(
                "not_downloaded",
                _(
                    "Getty's download history has no download of image %(id)s by your company: the "
                    "site records no licence Getty does not confirm, and nothing was imported."
                )
                % {"id": getty_id},
            )
        image = getty.image_details(getty_id)
    except ImproperlyConfigured as error:
        raise Refused(
            "not_configured",
            _(
                "The site is not set up to ask Getty to confirm licences (%(reason)s). Nothing is "
                "recorded yet: ask an administrator, then press “Import again” (the download is not "
                "lost while this page stays open)."
            )
            % {"reason": error},
            retry=True,
        ) from error
    except getty.ImageNotFound as error:
        raise Refused(
            "image_not_found",
            _("Getty knows no image %(id)s: nothing was recorded or imported.") % {"id": getty_id},
        ) from error
    except getty.GettyError as error:
        # Getty (or the token service) could not answer, or refused the site's question: an
        # operator can put that right while the editor's page still holds the download.
        raise Refused(
            error.code,
            _(
                "Getty could not confirm this licence to the site: %(reason)s Nothing is recorded "
                "yet: press “Import again” in a moment, or ask an administrator if it persists "
                "(the download is not lost while this page stays open)."
            )
            % {"reason": error},
            retry=True,
        ) from error
    download = downloads[0]
    return Confirmation(download, image, _product_name(download.product_id))


def _product_name(product_id):
    """The product's name as the account lists it; the record does without it if Getty's list
    of products cannot be had."""
    if not product_id:
        return ""
    try:
        return getty.product_names().get(product_id, "")
    except getty.GettyError as error:
        logger.warning("Getty's products could not be read for the product's name: %s", error)
        return ""


def import_download(getty_id: str, uri: str, user) -> GettyLicence:
    """Records the licence of ``getty_id`` as Getty confirms it and imports its file from the
    delivery link ``uri``; returns the record. An image the site already holds is neither asked
    about nor fetched again. Raises ``Refused`` (nothing recorded) or ``ImportFailed`` (the
    record kept "not imported")."""
    if not is_getty_id(getty_id):
        raise Refused("invalid", _("The download has no valid Getty id."))
    _check_link(uri, getty_id)
    existing = GettyLicence.objects.filter(getty_id=getty_id).first()
    if existing is not None and existing.is_imported:
        return existing
    confirmation = None if existing is not None and existing.is_verified else confirm(getty_id)
    config = import_settings()
    try:
        collection = _collection(config.collection)
        fetched = _fetch(uri, config)
    except ImportFailed as failure:
        licence = _record(getty_id, confirmation, user, uri)
        return _settle(licence, failure)
    with fetched.file:
        try:
            extension = _check_file(fetched, getty_id, _sizes(confirmation, existing), config.max_pixels)
        except _NotTheFile as refusal:
            raise Refused(refusal.code, f"{refusal} {_('Nothing was recorded or imported.')}") from refusal
        except ImportFailed as failure:
            licence = _record(getty_id, confirmation, user, uri)
            return _settle(licence, failure)
        licence = _record(getty_id, confirmation, user, uri)
        return _store(licence, user, collection, fetched.file, extension)


def import_again(licence_pk: int, user=None) -> GettyLicence:
    """Stores the file of licence ``licence_pk`` with the link it keeps (no new download) unless
    it is in the library already; returns the record as it now is. A record of an earlier
    version, which Getty never confirmed, is confirmed first. Raises ``ImportFailed`` (the
    record then keeps the reason) or ``Refused`` (Getty does not confirm it; the record stays as
    it was)."""
    licence = GettyLicence.objects.get(pk=licence_pk)
    if licence.is_imported:
        return licence
    confirmation = None if licence.is_verified else confirm(licence.getty_id)
    if confirmation is not None:
        licence = _record(licence.getty_id, confirmation, user, licence.delivery_uri)
    try:
        if not licence.delivery_uri:
            raise ImportFailed(
                "no_link",
                _("No delivery link is kept for this licence: download the image again in the picker."),
            )
        config = import_settings()
        collection = _collection(config.collection)
        fetched = _fetch(licence.delivery_uri, config, dead_link_refused=False)
        with fetched.file:
            try:
                extension = _check_file(fetched, licence.getty_id, licence.getty_sizes, config.max_pixels)
            except _NotTheFile as refusal:
                raise ImportFailed(refusal.code, str(refusal)) from refusal
            return _store(licence, user, collection, fetched.file, extension)
    except ImportFailed as failure:
        return _settle(licence, failure)


def _settle(licence, failure):
    """Keeps ``failure``'s reason on the record and raises it (with the record as
    ``failure.licence``); returns the record instead when another import stored the file
    meanwhile."""
    GettyLicence.objects.filter(pk=licence.pk, image__isnull=True).update(
        import_error=str(failure), import_attempts=F("import_attempts") + 1
    )
    licence.refresh_from_db()
    if licence.is_imported:
        return licence
    logger.warning("Getty image %s not imported: %s", licence.getty_id, failure)
    failure.licence = licence
    raise failure


def _check_link(uri, getty_id):
    """A delivery link must be an http(s) URL naming ``getty_id``: a link of another image is
    refused before anything is asked or fetched."""
    if not isinstance(uri, str) or not uri or len(uri) > 4000:
        raise Refused("invalid", _("The download has no delivery link."))
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError as error:
        raise Refused("scheme", _("The delivery link is not a valid URL.")) from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(
            "scheme",
            _("Only http(s) delivery links are fetched, and “%(uri)s” is not one.") % {"uri": uri[:100]},
        )
    named = id_of_link(uri)
    if named is None:
        raise Refused(
            "other_image",
            _(
                "The delivery link names no Getty image, so it cannot be Getty image %(id)s's: "
                "nothing was recorded or imported."
            )
            % {"id": getty_id},
        )
    if named != getty_id:
        raise Refused(
            "other_image",
            _("The delivery link is Getty image %(other)s's, not %(id)s's: nothing was recorded or imported.")
            % {"other": named, "id": getty_id},
        )


def _fetch(uri, config, dead_link_refused=True):
    """The fetched file; a dead link is ``Refused`` (a new download: nothing to keep) or an
    ``ImportFailed``, every other failure an ``ImportFailed``."""
    try:
        return fetch(uri, config)
    except FetchError as error:
        if error.link_is_dead and dead_link_refused:
            raise Refused(
                error.code,
                _(
                    "%(reason)s Nothing was recorded or imported: license the image again in the "
                    "picker for a new link."
                )
                % {"reason": error},
            ) from error
        raise ImportFailed(error.code, str(error)) from error


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


class _NotTheFile(Exception):
    """The delivered file is not the image's (its name or its pixels say so)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _sizes(confirmation, existing):
    if confirmation is not None:
        return [list(size) for size in confirmation.image.sizes]
    return existing.getty_sizes if existing is not None else []


def _check_file(fetched, getty_id, sizes, max_pixels):
    """The extension to store the file under, once its name, format and pixels are the
    image's. Raises ``_NotTheFile`` or ``ImportFailed``."""
    _check_name(fetched.file_name, getty_id)
    width, height, extension, orientation = _read_image(fetched.file, max_pixels)
    _check_pixels(width, height, orientation, sizes, getty_id)
    return extension


def _check_name(name, getty_id):
    """Getty names its files ``GettyImages-<id>.<ext>``: a file named otherwise is not kept
    under this licence."""
    match = _GETTY_NAME.fullmatch(name or "")
    if match is None:
        raise _NotTheFile(
            "other_image",
            _("The delivered file is not named as Getty names image %(id)s's files (GettyImages-%(id)s).")
            % {"id": getty_id},
        )
    if match.group(1) != getty_id:
        raise _NotTheFile(
            "other_image",
            _("The delivered file is Getty image %(other)s, not %(id)s.")
            % {"other": match.group(1), "id": getty_id},
        )


def _read_image(file, max_pixels):
    """``(width, height, extension, EXIF orientation)`` once Willow reads the file as an image
    of a format Wagtail accepts and no larger than ``max_pixels``."""
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
    try:
        orientation = image.get_exif_orientation()
    except Exception:  # no EXIF, or a format without it
        orientation = 1
    finally:
        file.seek(0)
    return width, height, extension, orientation


def _check_pixels(width, height, orientation, sizes, getty_id):
    """The file's proportions must be those of one of Getty's sizes of the image (a file scaled
    from them, each side rounded to whole pixels); EXIF orientations 5-8 turn the stored pixels
    by a quarter. With no size from Getty there is nothing to compare."""
    known = [(w, h) for w, h in (tuple(size) for size in sizes or []) if w > 0 and h > 0]
    if not known:
        return
    shapes = [(width, height)]
    if orientation in (5, 6, 7, 8):
        shapes.append((height, width))
    for w, h in shapes:
        for getty_w, getty_h in known:
            low = max((w - _ROUNDING) / getty_w, (h - _ROUNDING) / getty_h)
            high = min((w + _ROUNDING) / getty_w, (h + _ROUNDING) / getty_h)
            if low <= high:
                return
    getty_w, getty_h = known[0]
    raise _NotTheFile(
        "other_image",
        _(
            "The delivered file (%(width)s×%(height)s pixels) does not have the proportions Getty "
            "gives for image %(id)s (%(getty_width)s×%(getty_height)s): it is not that image's file."
        )
        % {"width": width, "height": height, "id": getty_id, "getty_width": getty_w, "getty_height": getty_h},
    )


def _record_fields(confirmation, user, now):
    """The record's fields, every one of them from Getty's answers (and who had it imported)."""
    download, image = confirmation.download, confirmation.image

    def clip(text, limit):
        return text[:limit]

    return {
        "title": clip(image.title, 500),
        "caption": image.caption,
        "credit_line": clip(image.credit_line, 500),
        "copyright": clip(image.copyright, 500),
        "artist": clip(image.artist, 500),
        "collection_name": clip(image.collection_name, 500),
        "asset_family": clip(image.asset_family, 50),
        "allowed_use": clip(image.how_can_i_use_it, 500),
        "usage_restrictions": [clip(r, 500) for r in image.usage_restrictions[:20]],
        "keywords": [clip(k, _MAX_TAG) for k in image.keywords[:_MAX_KEYWORDS]],
        "getty_sizes": [list(size) for size in image.sizes],
        "product_type": clip(download.product_type, 50),
        "product_id": clip(download.product_id, 50),
        "product_name": clip(confirmation.product_name, 500),
        "agreement_name": clip(download.agreement_name, 500),
        "project_code": clip(download.project_code, 500),
        "download_notes": download.download_notes,
        "date_downloaded": download.date_downloaded,
        "downloaded_by": clip(download.user, 255),
        "verified_at": now,
        "licensed_at": now,
        "licensed_by": user if user is not None and user.is_authenticated else None,
    }


def _record(getty_id, confirmation, user, uri) -> GettyLicence:
    """The licence record of ``getty_id``: a new one from ``confirmation``, or the one the site
    keeps (two editors licensing one image end with one record). The first record Getty
    confirmed is never overwritten; a row of an earlier version (never confirmed) takes Getty's
    answers. A record whose file is not stored takes the newer link."""
    now = timezone.now()
    with transaction.atomic():
        if confirmation is None:
            licence = GettyLicence.objects.select_for_update().filter(getty_id=getty_id).first()
            if licence is None:
                raise Refused(
                    "deleted",
                    _("The licence record of image %(id)s was deleted meanwhile: download it again.")
                    % {"id": getty_id},
                )
        else:
            licence, created = GettyLicence.objects.get_or_create(
                getty_id=getty_id,
                defaults={**_record_fields(confirmation, user, now), "delivery_uri": uri},
            )
            if created:
                logger.info("Getty image %s: licence recorded as Getty confirmed it", getty_id)
                return licence
            licence = GettyLicence.objects.select_for_update().get(pk=licence.pk)
            if not licence.is_verified:
                logger.info("Getty image %s: an unconfirmed record replaced by Getty's answers", getty_id)
                for name, value in _record_fields(confirmation, user, now).items():
                    setattr(licence, name, value)
                licence.save()
        if not licence.is_imported and uri and licence.delivery_uri != uri and _may_replace(licence, uri):
            licence.delivery_uri = uri
            licence.save(update_fields=["delivery_uri"])
    return licence


def _may_replace(licence, uri):
    """Whether ``uri`` may take the place of the link the record keeps: a record without one
    takes any; a kept link gives way only to one on an allowed delivery host (a report naming
    another host must not take "Import again" away from a link that works)."""
    if not licence.delivery_uri:
        return True
    try:
        return origin_of(uri, setting="DELIVERY_HOSTS") in import_settings().delivery_hosts
    except ImproperlyConfigured:
        return False


def _store(licence, user, collection, file, extension):
    Image = get_image_model()
    name = f"GettyImages-{licence.getty_id}.{extension}"
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
            uploaded_by_user=user if user is not None and user.is_authenticated else None,
        )
        image.file.save(name, File(file, name=name), save=False)
        stored = image.file.name
        try:
            image._set_image_file_metadata()
            image.save()
            image.tags.add(*tags_of(current))
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


def tags_of(licence) -> list[str]:
    """The Wagtail image's tags: "Getty Images", the asset family and Getty's keywords, each
    once (whatever its case)."""
    tags = {}
    for tag in [TAG, licence.asset_family, *(licence.keywords or [])]:
        if isinstance(tag, str) and tag.strip():
            tags.setdefault(tag.strip().lower(), tag.strip()[:_MAX_TAG])
    return list(tags.values())


class _Lost(Exception):
    """Another import stored this licence's file first."""


def licensed_at_text(value: datetime | None) -> str | None:
    """An ISO 8601 time for JSON answers."""
    return value.isoformat() if value else None
