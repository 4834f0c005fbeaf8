"""The stored value: what the editor chose, checked before it is saved.

Two kinds of value (a dict), and ``None`` for no image::

    {"state": "licensed", "id": "<getty id>", "licence": <GettyLicence pk>}
    {"state": "selected", "id": str, "title": str, "thumb_uri": str | None,
     "credit_line": str | None, "copyright": str | None, "artist": str | None,
     "asset_family": str | None, "usage_restrictions": [str, ...]}

``licensed`` points at the site's licence record, made by the server's import (the file is in
Wagtail's image library once the record is imported); nothing about the licence is taken from
the browser. The browser may only hand back a licence reference the server signed (``ref``:
the import's answer, the library's, or the editor's own stored value), so a tampered form cannot
mark an image licensed or point at a record of another image. ``selected`` is a comp: chosen,
not licensed; it carries no delivery URI (a value holding one is refused) and its thumbnail may
only be Getty's (or the configured API's) and is shown in the editor, never on the site.

Values stored by earlier versions (``licensed`` with a delivery URI and no record) read as comps:
their file was never kept. Unknown keys are dropped.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .conf import origin_of, preview_origins

LICENSED = "licensed"
SELECTED = "selected"
STATES = (LICENSED, SELECTED)
_MAX_ID = 64
_MAX_TEXT = 2000
# Credits, names and restrictions are short in Getty's data; the caps only keep a tampered
# form from storing a novel in a caption.
_MAX_SHORT = 500
_MAX_FAMILY = 50
_MAX_RESTRICTIONS = 20
_SALT = "getty_picker.licence"
_http_url = URLValidator(schemes=["http", "https"])


def reference(licence_pk, getty_id):
    """The signed reference the browser hands back for a licence record."""
    return signing.dumps([licence_pk, getty_id], salt=_SALT, compress=True)


def _referenced(ref):
    """``(licence pk, getty id)`` of a reference the server signed, else ``None``."""
    if not isinstance(ref, str) or len(ref) > 500:
        return None
    try:
        pk, getty_id = signing.loads(ref, salt=_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return pk, getty_id


def read(value):
    """A stored value as the app reads it: a dict, ``None``, and earlier versions' licensed
    values (a URI, no record) as comps. Never raises: stored data is what it is."""
    if not isinstance(value, dict) or value.get("state") not in STATES or not value.get("id"):
        return None
    if value.get("state") == LICENSED and isinstance(value.get("licence"), int):
        return {"state": LICENSED, "id": str(value["id"]), "licence": value["licence"]}
    comp = {key: value.get(key) for key in _COMP_KEYS}
    comp.update(state=SELECTED, id=str(value["id"]))
    if not isinstance(comp.get("usage_restrictions"), list):
        comp["usage_restrictions"] = []
    return comp


_COMP_KEYS = (
    "title",
    "thumb_uri",
    "credit_line",
    "copyright",
    "artist",
    "asset_family",
    "usage_restrictions",
)


def clean_value(value):
    """``value`` as it will be stored, or ``ValidationError`` saying what is wrong."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict):
        raise ValidationError(_("The Getty image must be an object."), code="invalid")
    state = value.get("state")
    if state not in STATES:
        raise ValidationError(_("Unknown Getty image state."), code="invalid")
    getty_id = _text(value, "id", required=True, limit=_MAX_ID)
    if value.get("uri") not in (None, ""):
        # Delivery links are fetched by the server's import and never kept in a page.
        raise ValidationError(_("A Getty image value may not carry a delivery URI."), code="invalid")
    if state == LICENSED:
        return _clean_licensed(value, getty_id)
    return {
        "state": SELECTED,
        "id": getty_id,
        "title": _text(value, "title") or "",
        "thumb_uri": _thumb(value),
        "credit_line": _text(value, "credit_line", limit=_MAX_SHORT),
        "copyright": _text(value, "copyright", limit=_MAX_SHORT),
        "artist": _text(value, "artist", limit=_MAX_SHORT),
        "asset_family": _text(value, "asset_family", limit=_MAX_FAMILY),
        "usage_restrictions": _restrictions(value),
    }


def _clean_licensed(value, getty_id):
    from .models import GettyLicence

    referenced = _referenced(value.get("ref"))
    pk = value.get("licence")
    if referenced is None or referenced != (pk, getty_id):
        raise ValidationError(
            _(
                "This Getty image is not licensed through this site: license it with “Download” "
                "in the picker (or choose it again)."
            ),
            code="not_licensed",
        )
    if not GettyLicence.objects.filter(pk=pk, getty_id=getty_id).exists():
        raise ValidationError(
            _("The licence of this Getty image is no longer kept: choose the image again."),
            code="not_licensed",
        )
    return {"state": LICENSED, "id": getty_id, "licence": pk}


def _text(value, key, required=False, limit=_MAX_TEXT):
    text = value.get(key)
    if text is None or text == "":
        if required:
            raise ValidationError(_("The Getty image has no %(key)s.") % {"key": key}, code="invalid")
        return None
    if not isinstance(text, str) or len(text) > limit:
        raise ValidationError(
            _("The Getty image's %(key)s is not valid text.") % {"key": key}, code="invalid"
        )
    return text


def _thumb(value):
    """A comp's thumbnail: Getty's (or the configured API's) http(s) URL, else refused."""
    uri = _text(value, "thumb_uri")
    if uri is None:
        return None
    try:
        _http_url(uri)
        origin = origin_of(uri, setting="thumb_uri")
    except Exception as error:  # URLValidator's and origin_of's refusals alike
        raise ValidationError(
            _("The Getty image's thumb_uri is not an http(s) URL."), code="invalid"
        ) from error
    if origin not in preview_origins():
        raise ValidationError(
            _("The Getty image's thumbnail must come from Getty, not %(origin)s.") % {"origin": origin},
            code="invalid",
        )
    return uri


def _restrictions(value):
    """Getty's usage restrictions: a short list of short texts (blank ones dropped)."""
    restrictions = value.get("usage_restrictions")
    if restrictions is None:
        return []
    if not isinstance(restrictions, list) or len(restrictions) > _MAX_RESTRICTIONS:
        raise ValidationError(_("The Getty image's usage restrictions are not a short list."), code="invalid")
    kept = []
    for restriction in restrictions:
        if not isinstance(restriction, str) or len(restriction) > _MAX_SHORT:
            raise ValidationError(
                _("A usage restriction of the Getty image is not valid text."), code="invalid"
            )
        if restriction.strip():
            kept.append(restriction)
    return kept
