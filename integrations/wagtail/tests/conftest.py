"""Shared fixtures: the example site's data, the token service (sandbox, forward-auth on), a
delivery host of the tests' own (for what the sandbox cannot be made to do: slow, oversized,
redirecting or non-image answers) and headless Chromium through Debian's /usr/bin/chromedriver
(nothing is downloaded). The database is SQLite, or PostgreSQL when EXAMPLE_POSTGRES is set
(scripts/with-postgres.sh).

Under pytest-xdist (``-n 2``, as scripts/test.sh runs the suite) each worker is a session of its
own: its own live site, token service, browser and test database (pytest-django suffixes its
name with the worker's), so the tests stay as independent as in one process.

A test whose outcome can depend on the database (concurrency, locking, transactions, JSON
queries, migrations) is marked ``@pytest.mark.every_database``: scripts/test.sh runs those on
SQLite and PostgreSQL, the rest on PostgreSQL only."""

import os
import tempfile

import pytest
from support import REPO, DeliveryHost, Licensed, TokenService

APP_STATIC = REPO / "integrations/wagtail/getty_picker/static/getty_picker"
# Selenium Manager must never fetch a driver or browser: the paths are given explicitly.
os.environ.setdefault("SE_OFFLINE", "true")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "every_database: the outcome can depend on the database (concurrency, locking, transactions, "
        "JSON queries, migrations): run on SQLite and on PostgreSQL",
    )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """A test database in a file, not in memory: Django's live server shares an in-memory
    SQLite connection among its request threads, which the forward-auth calls (arriving while
    the browser's own requests run) make race. A file gives each thread its own connection."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return
    name = tmp_path_factory.mktemp("db") / "test.sqlite3"
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(autouse=True)
def test_settings(settings, tmp_path_factory):
    """Imported files and renditions go to a folder of the test's own; passwords are hashed
    quickly (logins stay real, the key stretching is what is skipped). Caches start empty:
    Wagtail caches renditions by image id, which the next test's database gives out again, so a
    rendition of an earlier test's folder would be handed out."""
    from django.core.cache import caches

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def demo_data(db):
    """The users and page of ``manage.py demo_setup``; returns the page."""
    from django.core.management import call_command
    from home.models import HomePage

    with open(os.devnull, "w") as quiet:
        call_command("demo_setup", stdout=quiet)
    return HomePage.objects.get()


@pytest.fixture(scope="session")
def token_service(live_server):
    """The token service, asking the live example site whom to give tokens."""
    service = TokenService(live_server.url)
    yield service
    service.stop()


@pytest.fixture(scope="session")
def getty_service():
    """The token service with no site behind it: only tickets (the site's own requests, and the
    tests'), its sandbox playing Getty for the server's questions. Needs no live server, so
    tests that use it keep the database's ordinary rollback."""
    service = TokenService(None)
    yield service
    service.stop()


@pytest.fixture
def picker_settings(settings, token_service, widget_built):
    """Points the example site's pickers at the token service (read at each render), lets the
    import fetch the sandbox's delivery files and ask the sandbox, as Getty, with a ticket."""
    settings.GETTY_PICKER = token_service.settings()
    return settings.GETTY_PICKER


@pytest.fixture(autouse=True)
def fresh_site_tokens():
    """Each test starts without the site's Getty token kept by an earlier one."""
    from getty_picker import getty

    getty.forget_tokens()
    yield
    getty.forget_tokens()


@pytest.fixture
def delivery_host():
    """A fresh delivery host of the tests' own (see ``DeliveryHost``)."""
    host = DeliveryHost()
    yield host
    host.stop()


@pytest.fixture
def import_settings(settings, getty_service, delivery_host):
    """The example's settings with the sandbox as Getty, the tests' delivery host allowed and
    short timeouts."""
    settings.GETTY_PICKER = getty_service.settings(
        DELIVERY_HOSTS=[delivery_host.origin],
        READ_TIMEOUT=1.0,
        CONNECT_TIMEOUT=1.0,
        TOTAL_TIMEOUT=5.0,
        MAX_BYTES=1024 * 1024,
    )
    return settings.GETTY_PICKER


@pytest.fixture
def licensed(getty_service, delivery_host):
    """An image the company licensed just now at the sandbox, served by the tests' delivery
    host (the file as Getty names and shapes it) at a link shaped like Getty's."""
    getty_id = getty_service.fresh_image()
    getty_uri = getty_service.download(getty_id)
    path = f"/downloads/{getty_id}"
    found = Licensed(getty_id, getty_service.image(getty_id), getty_uri, path, "")
    found.uri = delivery_host.url(f"{path}?k=0123abcd&e=1900000000")
    delivery_host.answers[path] = found.file()
    return found


@pytest.fixture
def task_workers(settings):
    """Starts real task workers (``manage.py db_worker``) with the test site's settings as they
    are at the call (``GETTY_PICKER`` changed by keyword arguments); stops them at the end."""
    from worker import TaskWorker

    started = []

    def start(**getty_picker):
        worker = TaskWorker(settings, **getty_picker)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def worker(picker_settings, task_workers):
    """A real task worker with the test site's settings (its pickers and imports on the token
    service and its sandbox): it imports what the editors license."""
    return task_workers()


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
    """The browser, logged out, on the live site's origin (cookies are per origin's host); left
    on a blank page after the test, so that no editor page of it (autosave, an import's polling)
    sends the site requests while the test's database is flushed."""
    browser.get(f"{live_server.url}/admin/login/")
    browser.delete_all_cookies()
    yield browser
    browser.get("about:blank")
