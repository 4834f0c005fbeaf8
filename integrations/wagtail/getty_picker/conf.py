"""The app's settings, read from ``settings.GETTY_PICKER`` (a dict) when they are needed."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

#: The permission to search and license (spend downloads): the user's Getty token.
PERMISSION = "getty_picker.license_image"
#: The permission to search and choose only: a search-only token, no download.
SEARCH_PERMISSION = "getty_picker.search_image"
#: The forward-auth answer's header that asks the token service for a search-only token.
SCOPE_HEADER = "X-Getty-Picker-Scope"

#: Getty's delivery host: where licensed files come from.
GETTY_DELIVERY = "https://delivery.gettyimages.com"
#: Getty's media host: where the picker's thumbnails come from (shown in the editor only).
GETTY_MEDIA = "https://media.gettyimages.com"
#: Getty's API: where the server asks about downloads and images when ``API_BASE`` is not set.
GETTY_API = "https://api.gettyimages.com"

_DEFAULTS = {
    "TOKEN_URL": None,
    "API_KEY": None,
    "API_BASE": None,
    "LOCALE": None,
    "OPEN_TAB": False,
    "WIDGET_ENTRY": "getty_picker/widget/getty-picker.js",
    # The import of licensed files.
    "DELIVERY_HOSTS": [GETTY_DELIVERY],
    "COLLECTION": None,
    # Getty's largest files run to about 35 MB.
    "MAX_BYTES": 40 * 1024 * 1024,
    "MAX_PIXELS": 128_000_000,
    "CONNECT_TIMEOUT": 5.0,
    "READ_TIMEOUT": 30.0,
    # The whole transfer, however slowly it trickles in.
    "TOTAL_TIMEOUT": 120.0,
    "MAX_REDIRECTS": 5,
    # The server's own questions to Getty (is this download the company's, what is this image).
    # The shared secret that signs the site's tickets (the token service's PICKER_TICKET_SECRET).
    "TICKET_SECRET": None,
    # Who the tickets name (the token service logs it).
    "TICKET_USER": "wagtail",
    # The token service's POST /token as this server reaches it; None: TOKEN_URL.
    "SERVER_TOKEN_URL": None,
    # One question to Getty or the token service, from connect to the last byte.
    "API_TIMEOUT": 15.0,
    # Imports as background tasks (Django's task framework): the backend alias in TASKS and
    # the queue they are enqueued on, and how often a running import shows it is alive (one
    # silent for four of these is taken as dead and enqueued again).
    "TASK_BACKEND": "default",
    "TASK_QUEUE": "default",
    "IMPORT_HEARTBEAT": 5.0,
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


@dataclass(frozen=True)
class ImportSettings:
    """How licensed files are fetched and where they are kept."""

    delivery_hosts: tuple[str, ...]
    collection: str | None
    max_bytes: int
    max_pixels: int
    connect_timeout: float
    read_timeout: float
    total_timeout: float
    max_redirects: int


@dataclass(frozen=True)
class GettySettings:
    """How the server asks Getty on its own behalf: its token from the token service (a ticket
    signed with the shared secret), Getty's API and the deadlines."""

    token_url: str
    api_base: str
    api_key: str
    ticket_secret: str = field(repr=False)
    ticket_user: str
    connect_timeout: float
    read_timeout: float
    api_timeout: float


def _values():
    raw = getattr(settings, "GETTY_PICKER", {})
    unknown = set(raw) - set(_DEFAULTS)
    if unknown:
        raise ImproperlyConfigured(f"GETTY_PICKER has unknown keys: {', '.join(sorted(unknown))}")
    return {**_DEFAULTS, **raw}


def picker_settings() -> PickerSettings:
    """The current ``GETTY_PICKER`` settings; a missing required key is a clear error."""
    values = _values()
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


def import_settings() -> ImportSettings:
    """How to fetch and keep licensed files; a malformed value is a clear error."""
    values = _values()
    hosts = values["DELIVERY_HOSTS"]
    if isinstance(hosts, str) or not all(isinstance(h, str) for h in hosts):
        raise ImproperlyConfigured("GETTY_PICKER['DELIVERY_HOSTS'] must be a list of origins")
    origins = tuple(origin_of(host, setting="DELIVERY_HOSTS") for host in hosts)
    numbers = {}
    for key in ("MAX_BYTES", "MAX_PIXELS", "MAX_REDIRECTS"):
        if not isinstance(values[key], int) or values[key] < 0:
            raise ImproperlyConfigured(f"GETTY_PICKER['{key}'] must be a whole number")
        numbers[key] = values[key]
    for key in ("CONNECT_TIMEOUT", "READ_TIMEOUT", "TOTAL_TIMEOUT"):
        numbers[key] = _seconds(values, key)
    collection = values["COLLECTION"]
    if collection is not None and not isinstance(collection, str):
        raise ImproperlyConfigured("GETTY_PICKER['COLLECTION'] must be a collection's name")
    return ImportSettings(
        delivery_hosts=origins,
        collection=collection,
        max_bytes=numbers["MAX_BYTES"],
        max_pixels=numbers["MAX_PIXELS"],
        connect_timeout=numbers["CONNECT_TIMEOUT"],
        read_timeout=numbers["READ_TIMEOUT"],
        total_timeout=numbers["TOTAL_TIMEOUT"],
        max_redirects=numbers["MAX_REDIRECTS"],
    )


#: What a ticket's user may be made of (the token service refuses anything else).
_TICKET_USER = re.compile(r"[A-Za-z0-9._@+-]{1,128}")


def getty_settings() -> GettySettings:
    """How the server asks Getty; a missing or malformed value is a clear error."""
    values = _values()
    for key in ("TOKEN_URL", "API_KEY", "TICKET_SECRET"):
        if not values[key] or not isinstance(values[key], str):
            raise ImproperlyConfigured(
                f"GETTY_PICKER['{key}'] is required: the site asks Getty to confirm each licence"
            )
    if not _TICKET_USER.fullmatch(str(values["TICKET_USER"])):
        raise ImproperlyConfigured("GETTY_PICKER['TICKET_USER'] must be 1-128 of A-Z a-z 0-9 . _ @ + -")
    token_url = values["SERVER_TOKEN_URL"] or values["TOKEN_URL"]
    api_base = values["API_BASE"] or GETTY_API
    for key, url in (("SERVER_TOKEN_URL", token_url), ("API_BASE", api_base)):
        origin_of(url, setting=key)
    return GettySettings(
        token_url=token_url,
        api_base=api_base.rstrip("/"),
        api_key=values["API_KEY"],
        ticket_secret=values["TICKET_SECRET"],
        ticket_user=values["TICKET_USER"],
        connect_timeout=_seconds(values, "CONNECT_TIMEOUT"),
        read_timeout=_seconds(values, "READ_TIMEOUT"),
        api_timeout=_seconds(values, "API_TIMEOUT"),
    )


def _seconds(values, key):
    if not isinstance(values[key], int | float) or isinstance(values[key], bool) or values[key] <= 0:
        raise ImproperlyConfigured(f"GETTY_PICKER['{key}'] must be a positive number of seconds")
    return float(values[key])


def preview_origins() -> tuple[str, ...]:
    """Where a comp's thumbnail may come from: Getty's media host and the configured API's
    origin (the sandbox serves its thumbnails itself). Shown in the editor, never on the site."""
    values = _values()
    origins = [origin_of(GETTY_MEDIA, setting="API_BASE")]
    if values["API_BASE"]:
        origins.append(origin_of(values["API_BASE"], setting="API_BASE"))
    return tuple(origins)


def origin_of(url: str, setting: str) -> str:
    """``scheme://host:port`` of an http(s) URL, the port written out (so origins compare)."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"GETTY_PICKER['{setting}']: {url!r} has a bad port") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ImproperlyConfigured(f"GETTY_PICKER['{setting}']: {url!r} is not an http(s) origin")
    port = port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}:{port}"


@dataclass(frozen=True)
class TaskSettings:
    """Where imports run and how their workers show they are alive."""

    backend: str
    queue: str
    heartbeat: float

    @property
    def stale_after(self) -> float:
        """Seconds without a sign of life after which a running import is taken as dead."""
        return 4 * self.heartbeat


def task_settings() -> TaskSettings:
    """The import task's backend alias, queue and heartbeat; a malformed value is a clear error."""
    values = _values()
    for key in ("TASK_BACKEND", "TASK_QUEUE"):
        if not isinstance(values[key], str) or not values[key]:
            raise ImproperlyConfigured(f"GETTY_PICKER['{key}'] must be a name")
    return TaskSettings(
        backend=values["TASK_BACKEND"],
        queue=values["TASK_QUEUE"],
        heartbeat=_seconds(values, "IMPORT_HEARTBEAT"),
    )
