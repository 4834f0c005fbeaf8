"""The app's settings, read from ``settings.GETTY_PICKER`` (a dict) at render time."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

#: The permission that the forward-auth view requires (``app_label.codename``).
PERMISSION = "getty_picker.license_image"

_DEFAULTS = {
    "TOKEN_URL": None,
    "API_KEY": None,
    "API_BASE": None,
    "LOCALE": None,
    "OPEN_TAB": False,
    "WIDGET_ENTRY": "getty_picker/widget/getty-picker.js",
}


@dataclass(frozen=True)
class PickerSettings:
    """What the admin widget needs to render a picker."""

    token_url: str
    api_key: str
    api_base: str | None
    locale: str
    open_tab: bool
    widget_entry: str


def picker_settings() -> PickerSettings:
    """The current ``GETTY_PICKER`` settings; a missing required key is a clear error."""
    raw = getattr(settings, "GETTY_PICKER", {})
    unknown = set(raw) - set(_DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(f"GETTY_PICKER has unknown keys: {', '.join(sorted(unknown))}")
    values = {**_DEFAULTS, **raw}
    for key in ("TOKEN_URL", "API_KEY"):
        if not values[key]:
            raise ImproperlyConfigured(f"GETTY_PICKER['{key}'] is required")
    return PickerSettings(
        token_url=values["TOKEN_URL"],
        api_key=values["API_KEY"],
        api_base=values["API_BASE"],
        # Wagtail activates the editor's preferred admin language for admin views.
        locale=values["LOCALE"] or translation.get_language() or settings.LANGUAGE_CODE,
        open_tab=bool(values["OPEN_TAB"]),
        widget_entry=values["WIDGET_ENTRY"],
    )
