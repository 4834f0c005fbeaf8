"""The value a Getty image field or block keeps, as types: a ``Comp`` (chosen, not licensed), a
``Licensed`` image (a reference to the site's licence record), or ``None`` for no image.

Stored as JSON::

    {"state": "licensed", "id": "<getty id>", "licence": <GettyLicence pk>}
    {"state": "selected", "id": str, "title": str, "thumb_uri": str | None,
     "credit_line": str | None, "copyright": str | None, "artist": str | None,
     "asset_family": str | None, "usage_restrictions": [str, ...]}

``Licensed`` points at the site's licence record, made by the server's import (the file is in
Wagtail's image library once the record is imported); nothing about the licence is taken from
the browser. The browser may only hand back a licence reference the server signed (``ref``:
the import's answer, the library's, or the server's copy of a stored value), so a tampered form
cannot mark an image licensed or point at a record of another image. A ``Comp`` carries no
delivery URI (a value holding one is refused); its thumbnail may only be Getty's (or the
configured API's) and is shown in the editor, never on the site.

``read`` takes a stored value as it is (never raises: stored data is what it is); ``from_browser``
checks what a form posted. Values stored by earlier versions (``licensed`` with a delivery URI
and no record) read as comps: their file was never kept. Unknown keys are dropped.
"""

import enum
from dataclasses import asdict, dataclass
from functools import cache
from typing import ClassVar

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .conf import origin_of, preview_origins

LICENSED = "licensed"
SELECTED = "selected"
STATES = (LICENSED, SELECTED)
# Getty's usage restrictions are a few short sentences; the caps keep a tampered form from
# storing a novel in a page.
_MAX_RESTRICTIONS = 20
_MAX_RESTRICTION = 500
_MAX_REFERENCE = 500
_SALT = "getty_picker.licence"
_http_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Limits:
    """The longest texts a value may hold: those of the licence record's fields, so that
    whatever a comp says fits the record and the reports' index it is copied into."""

    id: int
    title: int
    credit_line: int
    copyright: int
    artist: int
    asset_family: int


@cache
def limits() -> Limits:
    """The limits, read from ``GettyLicence``'s fields."""
    from .models import GettyLicence

    field = GettyLicence._meta.get_field
    return Limits(
        id=field("getty_id").max_length,
        title=field("title").max_length,
        credit_line=field("credit_line").max_length,
        copyright=field("copyright").max_length,
        artist=field("artist").max_length,
        asset_family=field("asset_family").max_length,
    )


@dataclass(frozen=True)
class Comp:
    """A Getty image chosen but not licensed: what the picker's select event said about it."""

    state: ClassVar[str] = SELECTED

    id: str
    title: str = ""
    thumb_uri: str | None = None
    credit_line: str | None = None
    copyright: str | None = None
    artist: str | None = None
    asset_family: str | None = None
    usage_restrictions: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The comp's title, or its id when Getty gave none."""
        return self.title or self.id

    def as_json(self) -> dict:
        """The comp as it is stored."""
        return {"state": SELECTED, **asdict(self), "usage_restrictions": list(self.usage_restrictions)}


@dataclass(frozen=True)
class Licensed:
    """A licensed Getty image: a reference to the site's licence record of that image."""

    state: ClassVar[str] = LICENSED

    id: str
    licence: int

    def as_json(self) -> dict:
        """The reference as it is stored."""
        return {"state": LICENSED, "id": self.id, "licence": self.licence}

    def reference(self) -> str:
        """The signed reference the browser hands back for this record and image."""
        return reference(self.licence, self.id)


#: What a Getty image field or block holds (``None``: no image).
GettyImage = Comp | Licensed


class Problem(enum.Enum):
    """Why an image may not be published."""

    #: Chosen, not licensed.
    COMP = "comp"
    #: The licence record it points at is gone.
    RECORD_MISSING = "record_missing"
    #: The record it points at is another image's.
    OTHER_IMAGE = "other_image"
    #: Licensed, its file not in the image library yet.
    NOT_IMPORTED = "not_imported"
    #: Licensed and imported, then its Wagtail image was deleted.
    FILE_DELETED = "file_deleted"


def problem_of(image: GettyImage, licence) -> Problem | None:
    """What keeps ``image`` from going live, given the record its reference names (``None`` if
    there is none); ``None`` when it may."""
    if isinstance(image, Comp):
        return Problem.COMP
    if licence is None:
        return Problem.RECORD_MISSING
    if licence.getty_id != image.id:
        return Problem.OTHER_IMAGE
    if licence.image_id is None:
        return Problem.FILE_DELETED if licence.imported_at else Problem.NOT_IMPORTED
    return None


def reference(licence_pk: int, getty_id: str) -> str:
    """The signed reference the browser hands back for a licence record."""
    return signing.dumps([licence_pk, getty_id], salt=_SALT, compress=True)


def _referenced(ref):
    """``(licence pk, getty id)`` of a reference the server signed, else ``None``."""
    if not isinstance(ref, str) or len(ref) > _MAX_REFERENCE:
        return None
    try:
        pk, getty_id = signing.loads(ref, salt=_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return pk, getty_id


def _record_pk(value):
    """A record's primary key as stored: an int, and not ``True`` (which Python counts as 1)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _stored_text(value):
    return value if isinstance(value, str) and value else None


def read(stored) -> GettyImage | None:
    """A stored value as the app reads it; ``None`` for no image or something that is not one.
    Earlier versions' licensed values (a URI, no record) read as comps."""
    if not isinstance(stored, dict) or stored.get("state") not in STATES:
        return None
    getty_id = stored.get("id")
    if isinstance(getty_id, bool) or not isinstance(getty_id, str | int) or getty_id == "":
        return None
    getty_id = str(getty_id)
    pk = _record_pk(stored.get("licence"))
    if stored["state"] == LICENSED and pk is not None:
        return Licensed(id=getty_id, licence=pk)
    restrictions = stored.get("usage_restrictions")
    return Comp(
        id=getty_id,
        title=_stored_text(stored.get("title")) or "",
        thumb_uri=_stored_text(stored.get("thumb_uri")),
        credit_line=_stored_text(stored.get("credit_line")),
        copyright=_stored_text(stored.get("copyright")),
        artist=_stored_text(stored.get("artist")),
        asset_family=_stored_text(stored.get("asset_family")),
        usage_restrictions=tuple(r for r in restrictions if isinstance(r, str) and r.strip())
        if isinstance(restrictions, list)
        else (),
    )


def from_browser(value) -> GettyImage | None:
    """What a form posted (the hidden input's JSON, parsed), checked; ``ValidationError`` says
    what is wrong. A licensed value is taken only with a reference the server signed for that
    record and image: the record itself is the server's, whatever else the browser sends."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict):
        raise ValidationError(_("The Getty image must be an object."), code="invalid")
    state = value.get("state")
    if state not in STATES:
        raise ValidationError(_("Unknown Getty image state."), code="invalid")
    limit = limits()
    getty_id = _text(value, "id", limit.id, required=True)
    if value.get("uri") not in (None, ""):
        # Delivery links are fetched by the server's import and never kept in a page.
        raise ValidationError(_("A Getty image value may not carry a delivery URI."), code="invalid")
    if state == LICENSED:
        return _verified(value, getty_id)
    return Comp(
        id=getty_id,
        title=_text(value, "title", limit.title) or "",
        thumb_uri=_thumb(value),
        credit_line=_text(value, "credit_line", limit.credit_line),
        copyright=_text(value, "copyright", limit.copyright),
        artist=_text(value, "artist", limit.artist),
        asset_family=_text(value, "asset_family", limit.asset_family),
        usage_restrictions=_restrictions(value),
    )


def clean_value(value):
    """``value`` (posted) as it will be stored, or ``ValidationError`` saying what is wrong."""
    image = from_browser(value)
    return image.as_json() if image else None


def verified(value) -> Licensed | None:
    """The ``Licensed`` image a posted licensed value names, if its reference is the server's
    for that very record and image; else ``None``."""
    if not isinstance(value, dict) or value.get("state") != LICENSED:
        return None
    try:
        return _verified(value, value.get("id"))
    except ValidationError:
        return None


def _verified(value, getty_id):
    pk = _record_pk(value.get("licence"))
    if pk is None or _referenced(value.get("ref")) != (pk, getty_id):
        raise ValidationError(
            _(
                "The licence reference of Getty image %(id)s could not be verified: choose the image "
                "again in the picker (“Use it” on an image the site holds, or “Download”)."
            )
            % {"id": getty_id},
            code="unverified",
        )
    # A record deleted since is kept as a reference: the draft keeps it and publishing says
    # what happened (``problem_of``).
    return Licensed(id=getty_id, licence=pk)


def _text(value, key, limit, required=False):
    text = value.get(key)
    if text is None or text == "":
        if required:
            raise ValidationError(_("The Getty image has no %(key)s.") % {"key": key}, code="invalid")
        return None
    if not isinstance(text, str):
        raise ValidationError(
            _("The Getty image's %(key)s is not valid text.") % {"key": key}, code="invalid"
        )
    if len(text) > limit:
        raise ValidationError(
            _("The Getty image's %(key)s is longer than %(limit)s characters.")
            % {"key": key, "limit": limit},
            code="invalid",
        )
    return text


def thumb_allowed(uri) -> bool:
    """Whether ``uri`` may be a comp's thumbnail: an http(s) URL of Getty's media host or of
    the configured API (the sandbox serves its own)."""
    try:
        _http_url(uri)
        return origin_of(uri, setting="thumb_uri") in preview_origins()
    except Exception:  # URLValidator's and origin_of's refusals alike
        return False


def _thumb(value):
    """A comp's thumbnail: Getty's (or the configured API's) http(s) URL, else refused."""
    uri = _text(value, "thumb_uri", 2000)
    if uri is None:
        return None
    if not thumb_allowed(uri):
        raise ValidationError(
            _("The Getty image's thumbnail must be an http(s) URL of Getty's (or the configured API's)."),
            code="invalid",
        )
    return uri


def _restrictions(value):
    """Getty's usage restrictions: a short list of short texts (blank ones dropped)."""
    restrictions = value.get("usage_restrictions")
    if restrictions is None:
        return ()
    if not isinstance(restrictions, list) or len(restrictions) > _MAX_RESTRICTIONS:
        raise ValidationError(_("The Getty image's usage restrictions are not a short list."), code="invalid")
    kept = []
    for restriction in restrictions:
        if not isinstance(restriction, str) or len(restriction) > _MAX_RESTRICTION:
            raise ValidationError(
                _("A usage restriction of the Getty image is not valid text."), code="invalid"
            )
        if restriction.strip():
            kept.append(restriction)
    return tuple(kept)
