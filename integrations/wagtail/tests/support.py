"""What the tests share beyond fixtures: the token service they start, a delivery host of
their own, and images to serve."""

import io
import json
import os
import subprocess
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


class TokenService:
    """A running ``getty-picker-server --sandbox`` with forward-auth to the live site. Its log
    (JSON, with each request's method and path) is how the tests count what the sandbox was
    asked: downloads spent and delivery files served."""

    def __init__(self, site_url, listen="127.0.0.1:0"):
        binary = Path(os.environ.get("GETTY_PICKER_SERVER", REPO / "target/debug/getty-picker-server"))
        if not binary.is_file():
            pytest.fail(f"{binary} is missing: run `cargo build -p getty-picker-server` to build it")
        self.log = tempfile.NamedTemporaryFile(prefix="getty-picker-server-", suffix=".log")
        self.process = subprocess.Popen(
            [
                str(binary),
                "--sandbox",
                "--listen",
                listen,
                "--log-json",
                "--allowed-origins",
                site_url,
                "--auth-url",
                f"{site_url}/getty-picker/auth/",
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


class DeliveryHost:
    """A delivery host of the tests' own on loopback: each path answers as ``set`` says.

    Answers: ``("file", bytes, content_type[, file name])`` (named ``GettyImages-42.png``
    unless told); ``("status", code)``; ``("redirect", url)``;
    ``("slow", seconds, answer)`` waits before answering; ``("lying", declared_length)`` claims
    a length; ``("endless",)`` streams an image/png body without end. Counts requests per path.
    """

    def __init__(self):
        self.answers = {}
        self.hits = Counter()
        host = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?", 1)[0]
                host.hits[path] += 1
                self._answer(host.answers.get(path, ("status", 404)))

            def _answer(self, answer):
                kind = answer[0]
                try:
                    if kind == "slow":
                        time.sleep(answer[1])
                        return self._answer(answer[2])
                    if kind == "file":
                        body, content_type = answer[1], answer[2]
                        name = answer[3] if len(answer) > 3 else "GettyImages-42.png"
                        self.send_response(200)
                        self.send_header("Content-Type", content_type)
                        self.send_header("Content-Length", str(len(body)))
                        self.send_header("Content-Disposition", f'attachment; filename="{name}"')
                        self.end_headers()
                        self.wfile.write(body)
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

    def stop(self):
        """Stops serving."""
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
