"""The stored value: what the editor chose, checked before it is saved.

A value is a dict with these keys (``None`` where unknown)::

    {"state": "licensed" | "selected", "id": str, "title": str,
     "product_type": str | None, "product": str | None, "uri": str | None,
     "licensed_at": str | None, "thumb_uri": str | None,
     "credit_line": str | None, "copyright": str | None, "artist": str | None,
     "asset_family": str | None, "usage_restrictions": [str, ...]}

``selected`` comes from the picker's ``getty-picker:select`` event (chosen, not licensed: no
``uri``); ``licensed`` from ``getty-picker:download`` (``uri`` is Getty's delivery URI, valid
about a day; ``licensed_at`` an ISO 8601 time; ``product`` the product's name and agreement as
the editor saw it). Both events carry what a site must print and keep with the image: the
credit line, copyright, artist, asset family and Getty's usage restrictions. Values stored
before those were kept lack them and stay valid (their credit is ``None``, their restrictions
``[]``). Unknown keys are dropped.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

STATES = ("licensed", "selected")
_MAX_TEXT = 2000
# Credits, names and restrictions are short in Getty's data; the caps only keep a tampered
# form from storing a novel in a caption.
_MAX_SHORT = 500
_MAX_FAMILY = 50
_MAX_RESTRICTIONS = 20
_http_url = URLValidator(schemes=["http", "https"])


def clean_value(value):
    """``value`` as it will be stored, or ``ValidationError`` saying what is wrong."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict):
        raise ValidationError(_("The Getty image must be an object."), code="invalid")
    state = value.get("state")
    if state not in STATES:
        raise ValidationError(_("Unknown Getty image state."), code="invalid")
    clean = {
        "state": state,
        "id": _text(value, "id", required=True),
        "title": _text(value, "title") or "",
        "product_type": _text(value, "product_type"),
        "product": _text(value, "product", limit=_MAX_SHORT),
        "uri": _url(value, "uri"),
        "licensed_at": _text(value, "licensed_at"),
        "thumb_uri": _url(value, "thumb_uri"),
        "credit_line": _text(value, "credit_line", limit=_MAX_SHORT),
        "copyright": _text(value, "copyright", limit=_MAX_SHORT),
        "artist": _text(value, "artist", limit=_MAX_SHORT),
        "asset_family": _text(value, "asset_family", limit=_MAX_FAMILY),
        "usage_restrictions": _restrictions(value),
    }
    if state == "licensed":
        if not clean["uri"]:
            raise ValidationError(_("A licensed Getty image needs its delivery URI."), code="invalid")
        if not clean["licensed_at"]:
            raise ValidationError(_("A licensed Getty image needs the time it was licensed."), code="invalid")
        try:
            datetime.fromisoformat(clean["licensed_at"])
        except ValueError as error:
            raise ValidationError(_("The licence time is not an ISO 8601 time."), code="invalid") from error
    else:
        # Selected only: nothing was licensed, so a stale delivery link must not survive.
        clean.update(product_type=None, product=None, uri=None, licensed_at=None)
    return clean


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


def _url(value, key):
    uri = _text(value, key)
    if uri is None:
        return None
    try:
        _http_url(uri)
    except ValidationError as error:
        raise ValidationError(
            _("The Getty image's %(key)s is not an http(s) URL.") % {"key": key}, code="invalid"
        ) from error
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
