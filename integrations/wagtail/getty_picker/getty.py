"""The server's own questions to Getty: whether the company downloaded an image, and what the
image is. The licence records are built from these answers, never from what a browser says.

The server holds no Getty secret. It asks the token service for a token on its own behalf with
a ticket (``Authorization: GettyPicker-Ticket <user>.<expiry>.<hmac>``, HMAC-SHA256 under
``GETTY_PICKER["TICKET_SECRET"]``, the token service's ``PICKER_TICKET_SECRET``), keeps it until
shortly before it expires (one token for all threads; never logged), and sends it with the
API key only to Getty's API (``API_BASE``). An editor's token never reaches the server: bearer
tokens go to Getty's origin only. Every question has one deadline from connect to the last
byte (``API_TIMEOUT``); Getty's 401 gets one fresh token, then the question is given up.
"""

import hashlib
import hmac
import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from http.client import HTTPException
from urllib.parse import quote, urlencode, urlsplit

from django.utils.translation import gettext as _

from .conf import GettySettings, getty_settings
from .transport import Connection, Deadline, read_all

logger = logging.getLogger(__name__)

#: What the server asks of one image (all in Getty's ``ImageDetailFieldValues``).
IMAGE_FIELDS = (
    "id",
    "title",
    "caption",
    "credit_line",
    "copyright",
    "artist",
    "collection_name",
    "asset_family",
    "allowed_use",
    "max_dimensions",
    "download_sizes",
    "keywords",
)
#: How long a ticket is valid: the token request follows at once.
TICKET_LIFETIME = 300
#: A token is renewed this long before the token service says it expires.
TOKEN_MARGIN = 60
#: The largest answer read from Getty or the token service.
_MAX_ANSWER = 4 * 1024 * 1024
_USER_AGENT = "wagtail-getty-picker"


class GettyError(Exception):
    """Getty (or the token service) did not answer the question; ``str()`` says why in words
    an editor or operator can act on, ``code`` names the cause."""

    code = "getty"

    def __init__(self, message, status=None):
        super().__init__(message)
        #: The HTTP status that said so, if any.
        self.status = status


class GettyUnavailable(GettyError):
    """Not reached, too slow, busy (429) or failing (5xx): asking again later may work."""

    code = "getty_unavailable"


class GettyRefused(GettyError):
    """Getty or the token service refused the site's request (401 twice, 403, a ticket refused,
    a token without a Getty user): the configuration or the account needs a look."""

    code = "getty_refused"


class TokenRefused(GettyRefused):
    """The token service refused the site's ticket (a secret that differs from the service's, a
    clock far off) or has no Getty user behind its tokens."""

    code = "token_refused"


class ImageNotFound(GettyError):
    """Getty knows no image of this id (404)."""

    code = "image_not_found"


class BadAnswer(GettyError):
    """Getty answered with something that is not what its API describes."""

    code = "getty_bad_answer"


@dataclass(frozen=True)
class CompanyDownload:
    """One entry of an image's download history for the company (Getty's words)."""

    date_downloaded: datetime | None
    user: str
    product_type: str
    product_id: str
    agreement_name: str
    project_code: str
    download_notes: str


@dataclass(frozen=True)
class ImageDetails:
    """What Getty says about one image."""

    id: str
    title: str
    caption: str
    credit_line: str
    copyright: str
    artist: str
    collection_name: str
    asset_family: str
    how_can_i_use_it: str
    usage_restrictions: tuple[str, ...]
    #: ``(width, height)`` of the original, if Getty names it.
    max_dimensions: tuple[int, int] | None
    #: ``(width, height)`` of each size Getty offers for download (estimates, says Getty).
    download_sizes: tuple[tuple[int, int], ...]
    #: Getty's keywords of the image (their texts), most relevant first.
    keywords: tuple[str, ...] = ()

    @property
    def sizes(self) -> list[tuple[int, int]]:
        """Every pixel size Getty gives for the image, the original first."""
        return ([self.max_dimensions] if self.max_dimensions else []) + list(self.download_sizes)


def company_downloads(getty_id: str, config: GettySettings | None = None) -> list[CompanyDownload]:
    """The company's downloads of image ``getty_id``, newest first (Getty's
    ``/v3/images/{id}/downloadhistory?company_downloads=true``)."""
    answer = _ask(
        f"/v3/images/{quote(getty_id, safe='')}/downloadhistory", {"company_downloads": "true"}, config
    )
    if not isinstance(answer, dict):
        raise BadAnswer(_("Getty's download history is not a JSON object."))
    entries = answer.get("downloads") or []
    if not isinstance(entries, list):
        raise BadAnswer(_("Getty's download history has no list of downloads."))
    downloads = [_download(entry) for entry in entries if isinstance(entry, dict)]
    # Getty lists the newest first; the dates decide where Getty gives them.
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    return sorted(downloads, key=lambda d: d.date_downloaded or oldest, reverse=True)


def image_details(getty_id: str, config: GettySettings | None = None) -> ImageDetails:
    """What Getty says about image ``getty_id`` (``/v3/images/{id}?fields=...``)."""
    answer = _ask(f"/v3/images/{quote(getty_id, safe='')}", {"fields": ",".join(IMAGE_FIELDS)}, config)
    # Getty answers {"images": [...], "images_not_found": [...]}; a bare image is read too.
    image = answer
    if isinstance(answer, dict) and "images" in answer:
        images = answer.get("images") or []
        image = next((i for i in images if isinstance(i, dict) and str(i.get("id")) == getty_id), None)
        if image is None:
            raise ImageNotFound(_("Getty knows no image %(id)s.") % {"id": getty_id}, status=404)
    if not isinstance(image, dict) or str(image.get("id")) != getty_id:
        raise BadAnswer(_("Getty's answer about image %(id)s is about another image.") % {"id": getty_id})
    allowed = image.get("allowed_use") if isinstance(image.get("allowed_use"), dict) else {}
    return ImageDetails(
        id=getty_id,
        title=_str(image.get("title")),
        caption=_str(image.get("caption")),
        credit_line=_str(image.get("credit_line")),
        copyright=_str(image.get("copyright")),
        artist=_str(image.get("artist")),
        collection_name=_str(image.get("collection_name")),
        asset_family=_str(image.get("asset_family")),
        how_can_i_use_it=_str(allowed.get("how_can_i_use_it")),
        usage_restrictions=tuple(
            r.strip() for r in (allowed.get("usage_restrictions") or []) if isinstance(r, str) and r.strip()
        ),
        max_dimensions=_dimensions(image.get("max_dimensions")),
        download_sizes=tuple(
            d for d in (_dimensions(s) for s in (image.get("download_sizes") or [])) if d is not None
        ),
        keywords=_keywords(image.get("keywords")),
    )


def product_names(config: GettySettings | None = None) -> dict[str, str]:
    """The account's products by id: their names (``/v3/products``)."""
    answer = _ask("/v3/products", {}, config)
    products = answer.get("products") if isinstance(answer, dict) else None
    if not isinstance(products, list):
        raise BadAnswer(_("Getty's list of products is not a list."))
    return {
        str(p["id"]): _str(p.get("name"))
        for p in products
        if isinstance(p, dict) and p.get("id") is not None and _str(p.get("name"))
    }


def _str(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _keywords(value) -> tuple[str, ...]:
    """The texts of Getty's keywords (``[{"keyword_id", "text", "type", "relevance"}, ...]``),
    most relevant first, each once; anything else in the list is skipped."""
    if not isinstance(value, list):
        return ()
    entries = [k for k in value if isinstance(k, dict) and _str(k.get("text"))]
    entries.sort(key=lambda k: -k["relevance"] if isinstance(k.get("relevance"), int) else 0)
    texts = {}
    for entry in entries:
        texts.setdefault(_str(entry["text"]).lower(), _str(entry["text"]))
    return tuple(texts.values())


def _dimensions(value):
    if not isinstance(value, dict):
        return None
    width, height = value.get("width"), value.get("height")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return (width, height)
    return None


def _download(entry) -> CompanyDownload:
    user = entry.get("user")
    if isinstance(user, dict):
        user = user.get("username") or " ".join(
            part for part in (_str(user.get("first_name")), _str(user.get("last_name"))) if part
        )
    details = entry.get("download_details") if isinstance(entry.get("download_details"), dict) else {}
    product_id = entry.get("product_id")
    return CompanyDownload(
        date_downloaded=_date(entry.get("date_downloaded")),
        user=_str(user),
        product_type=_str(entry.get("product_type")),
        product_id=str(product_id) if isinstance(product_id, int | str) and product_id != "" else "",
        agreement_name=_str(entry.get("agreement_name")),
        project_code=_str(entry.get("project_code") or details.get("project_code")),
        download_notes=_str(entry.get("download_notes") or details.get("download_notes")),
    )


def _date(value):
    """Getty's ISO 8601 time; one without a zone is UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# --- The server's token ---------------------------------------------------------------------


def ticket(secret: str, user: str, expiry: int) -> str:
    """The full-scope ticket for ``user`` expiring at ``expiry`` (Unix seconds)."""
    message = f"{user}.{expiry}"
    signature = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    return f"{message}.{signature}"


@dataclass
class _Token:
    value: str
    token_id: str
    renew_at: float


class _Tokens:
    """The site's tokens, one per token service, ticket user and secret, shared by all threads:
    one request at a time fetches a new one, the others wait for it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = {}

    @staticmethod
    def _key(config):
        secret = hashlib.sha256(config.ticket_secret.encode()).hexdigest()
        return (config.token_url, config.ticket_user, secret)

    def get(self, config, refused: _Token | None = None) -> _Token:
        """A token still good for a while; a new one instead of ``refused``."""
        key = self._key(config)
        with self._lock:
            token = self._tokens.get(key)
            if token is not None and token is not refused and time.monotonic() < token.renew_at:
                return token
            token = _new_token(config, refused)
            self._tokens[key] = token
            return token

    def clear(self):
        """Forgets every token."""
        with self._lock:
            self._tokens.clear()


_tokens = _Tokens()


def forget_tokens():
    """Forgets the tokens kept (the next question fetches a new one)."""
    _tokens.clear()


def _new_token(config, refused) -> _Token:
    expiry = int(time.time()) + TICKET_LIFETIME
    headers = {
        "Authorization": f"GettyPicker-Ticket {ticket(config.ticket_secret, config.ticket_user, expiry)}",
        "Accept": "application/json",
        "Content-Length": "0",
    }
    url = config.token_url
    if refused is not None:
        # The token service's refresh protocol: this token was refused, hand a newer one.
        url = f"{url}{'&' if '?' in url else '?'}{urlencode({'refresh': '1', 'refused': refused.token_id})}"
    status, body = _exchange("POST", url, headers, config, _("the token service"))
    answer = _json(body)
    if status != 200:
        message = _message(answer, status)
        if status == 429 or status >= 500:
            raise GettyUnavailable(
                _("The token service could not hand the site a Getty token (HTTP %(status)s: %(message)s).")
                % {"status": status, "message": message},
                status=status,
            )
        raise TokenRefused(
            _(
                "The token service refused the site's ticket (HTTP %(status)s: %(message)s): "
                "GETTY_PICKER['TICKET_SECRET'] must be the token service's PICKER_TICKET_SECRET."
            )
            % {"status": status, "message": message},
            status=status,
        )
    value = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(value, str) or not value:
        raise BadAnswer(_("The token service's answer has no access_token."))
    if answer.get("search_only"):
        raise TokenRefused(
            _(
                "The token service has no Getty user behind its tokens (search only), so Getty "
                "cannot tell the site what the company downloaded."
            )
        )
    try:
        lifetime = float(answer.get("expires_in"))
    except (TypeError, ValueError):
        lifetime = 0.0
    margin = min(TOKEN_MARGIN, lifetime / 2)
    return _Token(value, str(answer.get("token_id") or ""), time.monotonic() + lifetime - margin)


# --- One question ---------------------------------------------------------------------------


def _ask(path, query, config):
    """Getty's JSON answer to ``GET path?query`` with the site's token; one fresh token after
    a 401, then it gives up."""
    config = config or getty_settings()
    url = f"{config.api_base}{path}"
    if query:
        url = f"{url}?{urlencode(query)}"
    token = _tokens.get(config)
    for attempt in (1, 2):
        headers = {
            "Api-Key": config.api_key,
            "Authorization": f"Bearer {token.value}",
            "Accept": "application/json",
        }
        status, body = _exchange("GET", url, headers, config, _("Getty"))
        if status == 401 and attempt == 1:
            logger.info("Getty refused the site's token (401); asking the token service for a new one")
            token = _tokens.get(config, refused=token)
            continue
        break
    answer = _json(body)
    if status == 200:
        if answer is None:
            raise BadAnswer(_("Getty's answer is not JSON."))
        return answer
    message = _message(answer, status)
    if status == 404:
        raise ImageNotFound(message, status=status)
    if status == 429 or status >= 500:
        raise GettyUnavailable(
            _("Getty is busy or failing (HTTP %(status)s: %(message)s).")
            % {"status": status, "message": message},
            status=status,
        )
    raise GettyRefused(
        _("Getty refused the site's request (HTTP %(status)s: %(message)s).")
        % {"status": status, "message": message},
        status=status,
    )


def _exchange(method, url, headers, config, who):
    """``(status, body)`` of one request, held to ``API_TIMEOUT``; ``GettyUnavailable`` when it
    could not be had."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    connection = Connection(
        parts.scheme,
        parts.hostname,
        port,
        deadline=Deadline(config.api_timeout),
        connect_timeout=config.connect_timeout,
        read_timeout=config.read_timeout,
    )
    try:
        connection.request(method, path, headers={"User-Agent": _USER_AGENT, **headers})
        response = connection.getresponse()
        return response.status, read_all(response, connection, _MAX_ANSWER)
    except (OSError, HTTPException, ValueError) as error:
        if connection.timed_out or isinstance(error, TimeoutError):
            reason = _("no answer within %(seconds)s s") % {"seconds": f"{config.api_timeout:g}"}
        else:
            reason = str(error) or type(error).__name__
        raise GettyUnavailable(
            _("%(who)s could not be reached (%(reason)s).") % {"who": who, "reason": reason}
        ) from error
    finally:
        connection.close()


def _json(body):
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def _message(answer, status):
    """Getty's words in any of its error shapes (``ErrorMessage``, ``message``,
    ``error_description``), else the status's."""
    if isinstance(answer, dict):
        for key in ("ErrorMessage", "message", "error_description"):
            if isinstance(answer.get(key), str) and answer[key].strip():
                return answer[key].strip()[:300]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"
