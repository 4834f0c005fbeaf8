"""A real worker of Django's task framework for the tests: ``manage.py db_worker`` (the ORM
backend of ``django-tasks-db``) in a process of its own, on the test database."""

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
    settings; ``env`` adds to its environment (where it fetches from, its media folder).
    ``stop`` lets it finish its task (SIGTERM); ``kill`` is a worker dying mid-task (SIGKILL)."""

    def __init__(self, env=None):
        database = connection.settings_dict
        extra = {"DJANGO_SETTINGS_MODULE": "example.settings", "PYTHONPATH": str(EXAMPLE)}
        if database["ENGINE"].endswith("sqlite3"):
            extra["EXAMPLE_DB"] = str(database["NAME"])
        else:
            extra["EXAMPLE_POSTGRES_DB"] = database["NAME"]
        self.log = tempfile.NamedTemporaryFile(prefix="getty-picker-worker-", suffix=".log")
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
            env={**os.environ, **extra, **(env or {})},
        )

    def logs(self):
        """What the worker printed so far."""
        return Path(self.log.name).read_text(errors="replace")

    def stop(self):
        """Stops the worker as an operator would (it finishes the task at hand first)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def kill(self):
        """The worker dies at once, whatever it was doing."""
        self.process.kill()
        self.process.wait()
