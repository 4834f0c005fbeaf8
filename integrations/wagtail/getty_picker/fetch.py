"""Fetching a licensed file from Getty's delivery host, and from nowhere else.

Only origins on the allow-list (``GETTY_PICKER["DELIVERY_HOSTS"]``) are asked, each redirect is
checked again before it is followed, a host name must resolve to public addresses only (an IP
address written in the allow-list is taken as the operator's choice: the sandbox on loopback;
an IPv6 address that carries an IPv4 one, as NAT64, 6to4 and IPv4-mapped addresses do, is
judged by the IPv4 address it carries), and the connection goes to the address that was
checked (no second lookup a DNS answer could change in between). Connect and read timeouts,
one deadline from the first connect to the last byte (``transport``), a byte cap, and
``Content-Type`` must be an image. Nothing here knows about Wagtail: ``importer`` keeps what
this returns.
"""

import http.client
import ipaddress
import re
import socket
import ssl
import tempfile
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from .conf import ImportSettings, origin_of
from .transport import Connection, Deadline

_CHUNK = 64 * 1024
_USER_AGENT = "wagtail-getty-picker"
# Statuses with which a delivery host says the link is no longer (or never was) good.
_GONE = {401, 403, 404, 410}
_REDIRECTS = {301, 302, 303, 307, 308}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class FetchError(Exception):
    """The file could not be fetched; ``str()`` says why, in words an editor can act on."""

    def __init__(self, code, message):
        super().__init__(message)
        #: A stable name of the failure: ``scheme``, ``host``, ``address``, ``expired``,
        #: ``status``, ``not_image``, ``too_big``, ``timeout``, ``redirects``, ``network``.
        self.code = code

    @property
    def link_is_dead(self):
        """Whether the delivery host said the link is no longer (or never was) good."""
        return self.code == "expired"


@dataclass
class Fetched:
    """A fetched file: its bytes in a temporary file (at position 0), type and name."""

    file: tempfile.SpooledTemporaryFile
    content_type: str
    file_name: str | None
    size: int


def fetch(uri: str, config: ImportSettings) -> Fetched:
    """Fetches ``uri`` under ``config``'s rules; raises ``FetchError``."""
    deadline = Deadline(config.total_timeout)
    url = uri
    for _hop in range(config.max_redirects + 1):
        target = _check(url, config)
        response, connection = _request(target, config, deadline)
        try:
            if response.status in _REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise FetchError("status", _("The delivery host answered a redirect without a location."))
                url = urljoin(url, location.strip())
                continue
            return _receive(response, connection, config)
        finally:
            connection.close()
    raise FetchError("redirects", _("The delivery host redirected too many times."))


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    address: str
    path: str


def _check(url, config):
    """The URL's target once every rule agrees; nothing has been sent anywhere yet."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchError("scheme", _("The delivery link is not a valid URL.")) from error
    if parts.scheme not in ("http", "https"):
        raise FetchError(
            "scheme",
            _("Only http(s) delivery links are fetched, not “%(scheme)s:”.") % {"scheme": parts.scheme},
        )
    if not parts.hostname or parts.username or parts.password:
        raise FetchError("scheme", _("The delivery link is not a valid URL."))
    try:
        origin = origin_of(url, setting="DELIVERY_HOSTS")
    except ImproperlyConfigured as error:
        raise FetchError("scheme", _("The delivery link is not a valid URL.")) from error
    if origin not in config.delivery_hosts:
        raise FetchError(
            "host",
            _(
                "The file is not fetched from %(origin)s: it is not an allowed delivery host "
                "(GETTY_PICKER['DELIVERY_HOSTS'])."
            )
            % {"origin": origin},
        )
    host = parts.hostname
    port = port or (443 if parts.scheme == "https" else 80)
    address = _address(host, port)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return _Target(parts.scheme, host, port, address, path)


def _address(host, port):
    """The address to connect to: an IP literal as written (it is on the allow-list), a name
    only if every address it resolves to is public."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise FetchError(
            "network", _("The delivery host %(host)s could not be found.") % {"host": host}
        ) from error
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if not is_public(ipaddress.ip_address(address.split("%", 1)[0])):
            raise FetchError(
                "address",
                _(
                    "The delivery host %(host)s resolves to a private or local address "
                    "(%(address)s): the file is not fetched from there."
                )
                % {"host": host, "address": address},
            )
    if not addresses:
        raise FetchError("network", _("The delivery host %(host)s could not be found.") % {"host": host})
    return addresses[0]


# NAT64's well-known prefix: the last 32 bits are the IPv4 address the translator reaches.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# NAT64's local-use prefix: where in it the IPv4 address sits is the network's own choice,
# so nothing in it can be judged.
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
# IPv4-compatible addresses (deprecated): ::a.b.c.d.
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def is_public(ip) -> bool:
    """Whether ``ip`` reaches the public internet only: global and not multicast, and an IPv6
    address that carries an IPv4 one (IPv4-mapped, NAT64, 6to4) judged by the IPv4 address
    (a translator or relay would connect there). Teredo, NAT64's local-use prefix and
    IPv4-compatible addresses are never public."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL or ip in _IPV4_COMPATIBLE or ip.teredo is not None:
            return False
        carried = ip.ipv4_mapped or ip.sixtofour
        if carried is None and ip in _NAT64:
            carried = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if carried is not None:
            return is_public(carried)
    return ip.is_global and not ip.is_multicast


def _request(target, config, deadline):
    connection = Connection(
        target.scheme,
        target.host,
        target.port,
        address=target.address,
        deadline=deadline,
        connect_timeout=config.connect_timeout,
        read_timeout=config.read_timeout,
    )
    try:
        connection.request("GET", target.path, headers={"User-Agent": _USER_AGENT, "Accept": "image/*"})
        return connection.getresponse(), connection
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        if connection.timed_out or isinstance(error, TimeoutError):
            raise _timeout() from error
        if isinstance(error, ssl.SSLError):
            raise FetchError(
                "network", _("The delivery host's TLS connection failed: %(error)s") % {"error": error}
            ) from error
        raise FetchError(
            "network", _("The delivery host could not be reached: %(error)s") % {"error": error}
        ) from error


def _receive(response, connection, config):
    if response.status in _GONE:
        raise FetchError(
            "expired",
            _(
                "The delivery link has expired or is no longer valid (HTTP %(status)s). Getty's "
                "links last about a day."
            )
            % {"status": response.status},
        )
    if response.status != 200:
        raise FetchError(
            "status",
            _("The delivery host answered HTTP %(status)s instead of the file.")
            % {"status": response.status},
        )
    content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    if not content_type.startswith("image/"):
        raise FetchError(
            "not_image",
            _("The delivery host sent “%(type)s”, not an image.") % {"type": content_type or "no type"},
        )
    length = response.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > config.max_bytes:
        raise _too_big(config)
    buffer = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)
    size = 0
    try:
        while True:
            # read1: what has arrived; the connection's deadline ends a trickle.
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > config.max_bytes:
                raise _too_big(config)
            buffer.write(chunk)
        if connection.timed_out:
            raise _timeout()
    except (OSError, http.client.HTTPException) as error:
        buffer.close()
        if connection.timed_out or isinstance(error, TimeoutError):
            raise _timeout() from error
        raise FetchError(
            "network", _("The transfer from the delivery host broke off: %(error)s") % {"error": error}
        ) from error
    except FetchError:
        buffer.close()
        raise
    buffer.seek(0)
    return Fetched(buffer, content_type, file_name(response.getheader("Content-Disposition")), size)


def file_name(disposition):
    """The file name a ``Content-Disposition`` header gives (``filename*`` or ``filename``),
    reduced to a plain base name; ``None`` without a usable one."""
    if not disposition:
        return None
    message = Message()
    message["Content-Disposition"] = disposition
    name = message.get_filename()
    if not name:
        return None
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _SAFE_NAME.sub("_", name).strip("._")
    return name[:100] or None


def _timeout():
    return FetchError("timeout", _("The delivery host did not send the file in time."))


def _too_big(config):
    return FetchError(
        "too_big",
        _("The file is larger than %(limit)s MB (GETTY_PICKER['MAX_BYTES']).")
        % {"limit": round(config.max_bytes / (1024 * 1024), 1)},
    )
