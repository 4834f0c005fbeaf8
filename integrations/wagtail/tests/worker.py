"""A real worker of Django's task framework for the tests: ``manage.py db_worker`` (the ORM
backend of ``django-tasks-db``) in a process of its own, on the test database."""

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from django.db import connection

EXAMPLE = Path(__file__).resolve().parents[1] / "example"


class TaskWorker:
    """``manage.py db_worker --backend getty_picker`` on the test database, with the example's
    settings and the test site's own ``GETTY_PICKER`` and media folder (``site_settings``: the
    test's ``settings``), where ``GETTY_PICKER`` may be changed with ``getty_picker``. ``stop``
    lets it finish its task (SIGTERM); ``kill`` is a worker dying mid-task (SIGKILL)."""

    def __init__(self, site_settings, **getty_picker):
        database = connection.settings_dict
        extra = {
            "DJANGO_SETTINGS_MODULE": "example.settings",
            "PYTHONPATH": str(EXAMPLE),
            "EXAMPLE_GETTY_PICKER": json.dumps({**site_settings.GETTY_PICKER, **getty_picker}),
            "EXAMPLE_MEDIA_ROOT": str(site_settings.MEDIA_ROOT),
        }
        if database["ENGINE"].endswith("sqlite3"):
            extra["EXAMPLE_DB"] = str(database["NAME"])
        else:
            extra["EXAMPLE_POSTGRES_DB"] = database["NAME"]
        self.log = tempfile.NamedTemporaryFile(prefix="getty-picker-worker-", suffix=".log")
        self.asked = False
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(EXAMPLE / "manage.py"),
                "db_worker",
                "--backend",
                "getty_picker",
                "--interval",
                "0.2",
                "--no-startup-delay",
                "--no-reload",
                "-v",
                "2",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **extra},
        )

    def logs(self):
        """What the worker printed so far (all of it once stopped)."""
        if self.log.closed:
            return self.printed
        return Path(self.log.name).read_text(errors="replace")

    def ask_to_stop(self):
        """Asks the worker to stop as an operator would (SIGTERM) and returns at once: it
        finishes the task at hand first. Asked once only: a second signal would make it drop
        its task (db_worker's "press Ctrl+C again to force")."""
        if self.process.poll() is None and not self.asked:
            self.asked = True
            self.process.send_signal(signal.SIGTERM)

    def stopping(self):
        """Whether the worker has received ``ask_to_stop``'s signal (it says so in its log)."""
        return "shutting down gracefully" in self.logs()

    def stop(self):
        """Stops the worker as an operator would (it finishes the task at hand first) and waits
        until it has."""
        if self.process.poll() is None:
            self.ask_to_stop()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.printed = self.logs()
            self.log.close()

    def kill(self):
        """The worker dies at once, whatever it was doing."""
        self.process.kill()
        self.process.wait()
