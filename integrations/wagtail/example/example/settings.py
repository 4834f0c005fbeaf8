"""Settings of the example site: Wagtail 8.0 on SQLite, the Getty picker talking to a
getty-picker-server in sandbox mode on loopback (scripts/wagtail-demo.sh starts both).

For development only: DEBUG is on and the secret key is fixed unless DJANGO_SECRET_KEY is set.
"""

import json
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "getty-picker-example-only-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "home",
    "getty_picker",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # The ORM backend of Django's task framework and its worker (manage.py db_worker).
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A refused publish (a page holding a Getty comp) as a message, not a 403 page.
    "getty_picker.middleware.PublishGuardMiddleware",
]

ROOT_URLCONF = "example.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
WSGI_APPLICATION = "example.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("EXAMPLE_DB", BASE_DIR / "db.sqlite3"),
        # Writers take the lock when they start rather than failing to upgrade it later, and
        # wait for each other: the site, its forward-auth view and the editor's autosave-like
        # pings write concurrently.
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }
}
# PostgreSQL instead when EXAMPLE_POSTGRES names a server (scripts/with-postgres.sh runs the
# test suite on a throwaway cluster this way): host:port, as the superuser "postgres".
if os.environ.get("EXAMPLE_POSTGRES"):
    _pg_host, _, _pg_port = os.environ["EXAMPLE_POSTGRES"].rpartition(":")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("EXAMPLE_POSTGRES_DB", "getty_picker_example"),
            "USER": "postgres",
            "HOST": _pg_host,
            "PORT": _pg_port,
        }
    }

LANGUAGE_CODE = "en"
# The editor's Wagtail language becomes the picker's data-locale (English and German ship).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("de", "Deutsch")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_ROOT = os.environ.get("EXAMPLE_MEDIA_ROOT", BASE_DIR / "media")
MEDIA_URL = "/media/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

WAGTAIL_SITE_NAME = "getty-picker example"
WAGTAILADMIN_BASE_URL = os.environ.get("EXAMPLE_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Where the token service runs (scripts/wagtail-demo.sh: getty-picker-server --sandbox, which
# also plays Getty's API, hence API_BASE). The token service asks /getty-picker/auth/
# (PICKER_AUTH_URL) whether the browser's session may have a token; the site asks it for a token
# of its own (a ticket signed with TICKET_SECRET, the service's PICKER_TICKET_SECRET) to have
# Getty confirm each licence it records.
_TOKEN_SERVICE = os.environ.get("GETTY_PICKER_SERVICE", "http://127.0.0.1:8787")
GETTY_PICKER = {
    "TOKEN_URL": f"{_TOKEN_SERVICE}/token",
    "API_KEY": os.environ.get("GETTY_API_KEY", "sandbox-api-key"),
    "API_BASE": os.environ.get("GETTY_API_BASE", _TOKEN_SERVICE),
    # Licensed files are fetched from Getty's delivery host and, here, from the sandbox's.
    "DELIVERY_HOSTS": ["https://delivery.gettyimages.com", _TOKEN_SERVICE],
    # Created by manage.py demo_setup.
    "COLLECTION": "Getty Images",
    "TICKET_SECRET": os.environ.get("GETTY_PICKER_TICKET_SECRET"),
}

# Background work (Django's task framework): Wagtail's own small jobs run at once, as Wagtail
# does by default; the picker's imports go to the database queue that `manage.py db_worker
# --backend getty_picker` works off (scripts/wagtail-demo.sh starts one).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "getty_picker": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
GETTY_PICKER["TASK_BACKEND"] = "getty_picker"
GETTY_PICKER["IMPORT_HEARTBEAT"] = float(os.environ.get("GETTY_PICKER_IMPORT_HEARTBEAT", "5"))

# The tests' task workers run with the test site's own picker settings (tests/worker.py).
if os.environ.get("EXAMPLE_GETTY_PICKER"):
    GETTY_PICKER = json.loads(os.environ["EXAMPLE_GETTY_PICKER"])
