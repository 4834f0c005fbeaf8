"""Shared fixtures: the example site's data, the token service (sandbox, forward-auth on) and
headless Chromium through Debian's /usr/bin/chromedriver (nothing is downloaded)."""

import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
APP_STATIC = REPO / "integrations/wagtail/getty_picker/static/getty_picker"
# Selenium Manager must never fetch a driver or browser: the paths are given explicitly.
os.environ.setdefault("SE_OFFLINE", "true")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """A test database in a file, not in memory: Django's live server shares an in-memory
    SQLite connection among its request threads, which the forward-auth calls (arriving while
    the browser's own requests run) make race. A file gives each thread its own connection."""
    from django.conf import settings

    name = tmp_path_factory.mktemp("db") / "test.sqlite3"
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture
def demo_data(db):
    """The users and page of ``manage.py demo_setup``; returns the page."""
    from django.core.management import call_command
    from home.models import HomePage

    with open(os.devnull, "w") as quiet:
        call_command("demo_setup", stdout=quiet)
    return HomePage.objects.get()


class TokenService:
    """A running ``getty-picker-server --sandbox`` with forward-auth to the live site."""

    def __init__(self, site_url):
        binary = Path(os.environ.get("GETTY_PICKER_SERVER", REPO / "target/debug/getty-picker-server"))
        if not binary.is_file():
            pytest.fail(
                f"{binary} is missing: run `cargo build -p getty-picker-server` (scripts/test.sh does)"
            )
        self.log = tempfile.NamedTemporaryFile(prefix="getty-picker-server-", suffix=".log")
        self.process = subprocess.Popen(
            [
                str(binary),
                "--sandbox",
                "--listen",
                "127.0.0.1:0",
                "--log-json",
                "--allowed-origins",
                site_url,
                "--auth-url",
                f"{site_url}/getty-picker/auth/",
            ],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        self.url = f"http://{self._wait_for_address()}"

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

    def stop(self):
        """Stops the server and removes its log."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def token_service(live_server):
    """The token service, asking the live example site whom to give tokens."""
    service = TokenService(live_server.url)
    yield service
    service.stop()


@pytest.fixture
def picker_settings(settings, token_service, widget_built):
    """Points the example site's pickers at the token service (read at each render)."""
    settings.GETTY_PICKER = {
        "TOKEN_URL": f"{token_service.url}/token",
        "API_KEY": "sandbox-api-key",
        "API_BASE": token_service.url,
    }
    return settings.GETTY_PICKER


@pytest.fixture(scope="session")
def widget_built():
    """The widget's release folder must be in the app's static files."""
    entry = APP_STATIC / "widget/getty-picker.js"
    if not entry.is_file():
        pytest.fail(f"{entry} is missing: run scripts/build.sh, then scripts/wagtail-static.sh")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; each test starts logged out (see ``page``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.TemporaryDirectory(prefix="getty-picker-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        f"--user-data-dir={profile.name}",
    ]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(20)
    yield driver
    driver.quit()
    profile.cleanup()


@pytest.fixture
def page(browser, live_server):
    """The browser, logged out, on the live site's origin (cookies are per origin's host)."""
    browser.get(f"{live_server.url}/admin/login/")
    browser.delete_all_cookies()
    return browser
