"""The stored value: what the editor chose, checked before it is saved.

A value is a dict with these keys (``None`` where unknown)::

    {"state": "licensed" | "selected", "id": str, "title": str,
     "product_type": str | None, "uri": str | None, "licensed_at": str | None,
     "thumb_uri": str | None}

``selected`` comes from the picker's ``getty-picker:select`` event (chosen, not licensed: no
``uri``); ``licensed`` from ``getty-picker:download`` (``uri`` is Getty's delivery URI, valid
about a day; ``licensed_at`` an ISO 8601 time). Unknown keys are dropped.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

STATES = ("licensed", "selected")
_MAX_TEXT = 2000
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
        "uri": _url(value, "uri"),
        "licensed_at": _text(value, "licensed_at"),
        "thumb_uri": _url(value, "thumb_uri"),
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
        clean.update(product_type=None, uri=None, licensed_at=None)
    return clean


def _text(value, key, required=False):
    text = value.get(key)
    if text is None or text == "":
        if required:
            raise ValidationError(_("The Getty image has no %(key)s.") % {"key": key}, code="invalid")
        return None
    if not isinstance(text, str) or len(text) > _MAX_TEXT:
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
