"""What the tests share beyond fixtures: the token service they start (and what they ask its
sandbox as the company's Getty would be asked), a delivery host of their own, and images to
serve."""

import hashlib
import hmac
import io
import json
import os
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


API_KEY = "sandbox-api-key"


class TokenService:
    """A running ``getty-picker-server --sandbox`` with forward-auth to the live site (the
    editors; none without ``site_url``) and a ticket secret (the site's own requests). Its log
    (JSON, with each request's method and path) is how the tests count what the sandbox was
    asked: downloads spent and delivery files served."""

    def __init__(self, site_url, listen="127.0.0.1:0"):
        binary = Path(os.environ.get("GETTY_PICKER_SERVER", REPO / "target/debug/getty-picker-server"))
        if not binary.is_file():
            pytest.fail(f"{binary} is missing: run `cargo build -p getty-picker-server` to build it")
        #: The secret the site signs its tickets with (``GETTY_PICKER["TICKET_SECRET"]``).
        self.ticket_secret = secrets.token_hex(32)
        self._token = None
        self._images = None
        self.log = tempfile.NamedTemporaryFile(prefix="getty-picker-server-", suffix=".log")
        # Forward-auth to the site (the editors' browsers), where there is a site; tickets always.
        editors = ["--allowed-origins", site_url, "--auth-url", f"{site_url}/getty-picker/auth/"]
        self.process = subprocess.Popen(
            [
                str(binary),
                "--sandbox",
                "--listen",
                listen,
                "--log-json",
                *(editors if site_url else []),
                "--ticket-secret",
                self.ticket_secret,
            ],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            # tower-http's request spans (method, path; never the query) at debug.
            env={**os.environ, "RUST_LOG": "info,tower_http=debug"},
        )
        self.address = self._wait_for_address()
        self.url = f"http://{self.address}"

    def _wait_for_address(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"getty-picker-server exited with {self.process.returncode}: {self.logs()}")
            for line in self.logs().splitlines():
                try:
                    fields = json.loads(line).get("fields", {})
                except ValueError:
                    continue
                if fields.get("message") == "listening":
                    return fields["addr"]
            time.sleep(0.05)
        pytest.fail(f"getty-picker-server did not start: {self.logs()}")

    def logs(self):
        """Everything the server logged so far."""
        return Path(self.log.name).read_text(errors="replace")

    def requests(self, ok_only=False):
        """``Counter`` of ``(method, path)`` of the requests the server answered so far (with
        ``ok_only``, those answered with a status below 400)."""
        answered = Counter()
        for line in self.logs().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if not str(entry.get("fields", {}).get("message", "")).startswith("finished processing"):
                continue
            span = entry.get("span") or {}
            if ok_only and int(entry["fields"].get("status", 999)) >= 400:
                continue
            if "method" in span and "path" in span:
                answered[(span["method"], span["path"])] += 1
        return answered

    def downloads(self):
        """How many download POSTs the sandbox answered with success (each spends one download;
        a refused one spends nothing)."""
        return sum(
            n
            for (m, p), n in self.requests(ok_only=True).items()
            if m == "POST" and p.startswith("/v3/downloads/")
        )

    def deliveries(self):
        """How many delivery files the sandbox was asked for."""
        return sum(n for (m, p), n in self.requests().items() if p.startswith("/sandbox/delivery/"))

    def settings(self, **extra):
        """``GETTY_PICKER`` for a site whose pickers and imports use this service."""
        return {
            "TOKEN_URL": f"{self.url}/token",
            "API_KEY": API_KEY,
            "API_BASE": self.url,
            "DELIVERY_HOSTS": [self.url],
            "COLLECTION": "Getty Images",
            "TICKET_SECRET": self.ticket_secret,
            # Imports go to the database queue: a worker of the test's own runs them, never the
            # web request.
            "TASK_BACKEND": "getty_picker",
            **extra,
        }

    # What the tests ask the sandbox themselves, as an editor's picker would.

    def token(self):
        """A full-scope token of the service (asked with a ticket, as the site asks)."""
        if self._token is None:
            expiry = int(time.time()) + 300
            message = f"tests.{expiry}"
            signature = hmac.new(self.ticket_secret.encode(), message.encode(), hashlib.sha256).hexdigest()
            answer = self._call("POST", "/token", authorization=f"GettyPicker-Ticket {message}.{signature}")
            self._token = answer["access_token"]
        return self._token

    def api(self, method, path, body=None, **query):
        """The sandbox's JSON answer to an API request with the service's token."""
        return self._call(method, path, body=body, authorization=f"Bearer {self.token()}", **query)

    def _call(self, method, path, body=None, authorization=None, **query):
        url = f"{self.url}{path}"
        if query:
            url = f"{url}?{urllib.parse.urlencode(query)}"
        headers = {"Api-Key": API_KEY, "Accept": "application/json"}
        if authorization:
            headers["Authorization"] = authorization
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{method} {path}: HTTP {error.code} {error.read()[:500]!r}") from error

    def fresh_image(self):
        """The id of an image no test of this session was handed before, which the company has
        not downloaded and may download without limit (the sandbox's search results for a
        phrase, one after the other)."""
        if self._images is None:
            found = self.api(
                "GET", "/v3/search/images", phrase="harbour", page_size=100, fields="id,largest_downloads"
            )
            unlimited = {str(p["id"]) for p in self.products() if p.get("downloads_remaining") is None}
            self._images = iter(
                dict.fromkeys(
                    image["id"]
                    for image in found["images"]
                    if any(str(d["product_id"]) in unlimited for d in image.get("largest_downloads") or [])
                )
            )
        for getty_id in self._images:
            if not self.history(getty_id):
                return getty_id
        raise AssertionError("the sandbox has no more images the company has not downloaded")

    def products(self):
        """The account's products with their download requirements."""
        return self.api("GET", "/v3/products", fields="download_requirements")["products"]

    def image(self, getty_id):
        """Getty's (the sandbox's) metadata of one image."""
        fields = ",".join(
            ["id", "title", "caption", "credit_line", "copyright", "artist", "collection_name"]
            + ["asset_family", "allowed_use", "max_dimensions", "largest_downloads", "keywords"]
        )
        [image] = self.api("GET", f"/v3/images/{getty_id}", fields=fields)["images"]
        return image

    def history(self, getty_id):
        """The company's downloads of one image, newest first."""
        return self.api("GET", f"/v3/images/{getty_id}/downloadhistory", company_downloads="true")[
            "downloads"
        ]

    def download(self, getty_id, project_code=None, notes=None):
        """Licenses one image as the picker does (one download spent at the sandbox) with a
        product without a download limit, and a project code where it requires one; returns the
        delivery link."""
        products = {str(p["id"]): p for p in self.products()}
        offer = next(
            offer
            for offer in self.image(getty_id)["largest_downloads"]
            if products[str(offer["product_id"])].get("downloads_remaining") is None
        )
        product = products[str(offer["product_id"])]
        needs = product.get("download_requirements") or {}
        if needs.get("is_project_code_required") and project_code is None:
            project_code = needs["project_codes"][0]
        if needs.get("is_note_required") and notes is None:
            notes = "Licensed by the tests"
        body = {k: v for k, v in (("project_code", project_code), ("download_notes", notes)) if v}
        answer = self.api(
            "POST",
            f"/v3/downloads/images/{getty_id}",
            body=body or None,
            auto_download="false",
            product_type=offer["product_type"],
            product_id=offer["product_id"],
        )
        return answer["uri"]

    def stop(self):
        """Stops the server and removes its log."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def png_bytes(size=(64, 48), colour=(200, 40, 40)):
    """A small PNG made with Pillow."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def png_like(image, long_edge=90, colour=(200, 40, 40)):
    """A small PNG with the proportions Getty gives for ``image`` (its metadata)."""
    width, height = image["max_dimensions"]["width"], image["max_dimensions"]["height"]
    scale = long_edge / max(width, height)
    return png_bytes((max(1, round(width * scale)), max(1, round(height * scale))), colour)


class DeliveryHost:
    """A delivery host of the tests' own on loopback: each path answers as ``set`` says.

    Answers: ``("file", bytes, content_type[, file name])`` (named ``GettyImages-42.png``
    unless told); ``("status", code)``; ``("json", code, object)``; ``("redirect", url)``;
    ``("slow", seconds, answer)`` waits before answering; ``("held", answer)`` waits until the
    test calls ``release`` (so a client is mid-request for as long as the test needs, whatever
    the machine's speed); ``("lying", declared_length)`` claims
    a length; ``("endless",)`` streams an image/png body without end; ``("sequence", [answer,
    ...])`` gives each answer once, in turn, the last one from then on; ``("trickle", seconds)``
    sends its status line and headers one byte every ``seconds``, for a minute. Counts requests
    per path (of any method).
    """

    def __init__(self):
        self.answers = {}
        self.hits = Counter()
        self.released = threading.Event()
        host = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                host.hits[path] += 1
                self._answer(host.answers.get(path, ("status", 404)))

            do_POST = do_GET

            def _answer(self, answer):
                kind = answer[0]
                if kind == "sequence":
                    answers = answer[1]
                    return self._answer(answers.pop(0) if len(answers) > 1 else answers[0])
                try:
                    if kind == "slow":
                        time.sleep(answer[1])
                        return self._answer(answer[2])
                    if kind == "held":
                        host.released.wait()
                        return self._answer(answer[1])
                    if kind == "file":
                        body, content_type = answer[1], answer[2]
                        name = answer[3] if len(answer) > 3 else "GettyImages-42.png"
                        self.send_response(200)
                        self.send_header("Content-Type", content_type)
                        self.send_header("Content-Length", str(len(body)))
                        self.send_header("Content-Disposition", f'attachment; filename="{name}"')
                        self.end_headers()
                        self.wfile.write(body)
                    elif kind == "json":
                        body = json.dumps(answer[2]).encode()
                        self.send_response(answer[1])
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                    elif kind == "trickle":
                        head = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nX-Padding: " + b"x" * 600
                        for byte in head[: int(60 / answer[1])]:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(answer[1])
                        self.close_connection = True
                    elif kind == "status":
                        self.send_response(answer[1])
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    elif kind == "redirect":
                        self.send_response(302)
                        self.send_header("Location", answer[1])
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                    elif kind == "lying":
                        self.send_response(200)
                        self.send_header("Content-Type", "image/jpeg")
                        self.send_header("Content-Length", str(answer[1]))
                        self.end_headers()
                    elif kind == "endless":
                        self.send_response(200)
                        self.send_header("Content-Type", "image/png")
                        self.end_headers()
                        chunk = b"\0" * 65536
                        for _ in range(100_000):
                            self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading, as it should

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        """The absolute URL of ``path`` on this host."""
        return f"{self.origin}{path}"

    def release(self):
        """Lets every ``held`` answer go, those waiting now and any to come."""
        self.released.set()

    def stop(self):
        """Stops serving (held answers let go first, so no request hangs on)."""
        self.release()
        self.server.shutdown()
        self.server.server_close()


def licence_record(getty_id, imported=True, size=(640, 400)):
    """A licence record with its file in the image library (unless ``imported`` is false), as
    the import leaves them."""
    from django.core.files.images import ImageFile
    from django.utils import timezone
    from wagtail.images import get_image_model

    from getty_picker.models import GettyLicence

    image = None
    if imported:
        image = get_image_model().objects.create(
            title=f"Getty {getty_id}",
            file=ImageFile(io.BytesIO(png_bytes(size)), name=f"GettyImages-{getty_id}.png"),
        )
    return GettyLicence.objects.create(
        getty_id=getty_id,
        title=f"Licensed {getty_id}",
        credit_line=f"Photographer {getty_id} / Getty Images",
        licensed_at=timezone.now(),
        imported_at=timezone.now() if imported else None,
        image=image,
    )


@dataclass
class Licensed:
    """An image the company licensed at the sandbox, and where the tests' delivery host serves
    it (at a link shaped like Getty's: its last path segment names the image)."""

    id: str
    image: dict
    getty_uri: str
    path: str
    uri: str

    def file(self, **change):
        """The delivery host's answer with this image's file as Getty names and shapes it."""
        return ("file", png_like(self.image, **change), "image/png", f"GettyImages-{self.id}.png")


#: Where the site starts an import of a download (it answers at once; a worker imports).
START_IMPORT = "/getty-picker/imports/"


def start_import(client, body):
    """The site's answer to the start of an import of ``body`` (a download's detail, JSON)."""
    return client.post(START_IMPORT, json.dumps(body), content_type="application/json")


def run_imports():
    """Runs the imports waiting for a worker, here and now, as a worker of the task queue would
    (``getty_picker.imports.run``, the task's body)."""
    from getty_picker import imports
    from getty_picker.models import GettyImport

    waiting = GettyImport.objects.filter(state=GettyImport.QUEUED).order_by("pk")
    for pk in waiting.values_list("pk", flat=True):
        imports.run(pk)


def import_outcome(client, response):
    """Runs the import ``response`` (an answer 202 of the start, an "Import again", a retry)
    enqueued, and returns what the site then says of it (its status: ``state``, ``error``,
    ``code``, ``can_retry``, ``value``, ...)."""
    assert response.status_code == 202, response.content
    run_imports()
    answer = client.get(response.json()["status_url"])
    assert answer.status_code == 200, answer.content
    return answer.json()


def import_download(client, body):
    """Starts the import of a download, runs it, and returns how it went (``import_outcome``)."""
    return import_outcome(client, start_import(client, body))
