"""Imports run by a real worker (``manage.py db_worker``, the ORM backend of django-tasks-db) in
a process of its own, on the test database: the web request only enqueues; a worker killed in
the middle of an import leaves it to the next worker, which finishes it."""

import json
import time

import pytest
from django.urls import reverse
from support import png_like
from worker import TaskWorker

from getty_picker.models import GettyImport, GettyLicence

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site(import_settings, settings):
    """The test site's settings (imports on the database queue, Getty's answers from the
    sandbox, files from the tests' delivery host), beating quickly; workers take them over."""
    import_settings["IMPORT_HEARTBEAT"] = 0.25
    return settings


def until(condition, message, timeout=60):
    """``condition()`` once truthy (a worker takes a second or two to start)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(message)


def start_import(client, licensed):
    assert client.login(username="editor", password="editor")
    body = {"id": licensed.id, "uri": licensed.uri, "title": "A red square"}
    response = client.post(
        reverse("getty_picker:import_start"), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 202
    return response.json()["status_url"]


def state(client, status_url):
    return client.get(status_url).json()


@pytest.mark.every_database
def test_a_worker_killed_mid_import_leaves_it_to_the_next_which_finishes_it(
    client, demo_data, site, delivery_host, licensed
):
    picture = png_like(licensed.image)
    # The delivery host holds its answer: the first worker is still waiting for it when it dies
    # (its read timeout is long, so it cannot give up first on a slow machine).
    delivery_host.answers[licensed.path] = ("held", licensed.file())
    first = TaskWorker(site, READ_TIMEOUT=60.0, TOTAL_TIMEOUT=120.0)
    try:
        status_url = start_import(client, licensed)
        until(lambda: delivery_host.hits[licensed.path] == 1, f"the worker never fetched: {first.logs()}")
        assert GettyImport.objects.get().state == GettyImport.RUNNING
        first.kill()
    finally:
        first.stop()

    # Nobody works on it now; once it has been silent for four heartbeats the editor's next
    # poll enqueues it again.
    dead = GettyImport.objects.get()
    assert dead.state == GettyImport.RUNNING and dead.attempts == 1
    revived = until(
        lambda: (lambda s: s if s["state"] == "queued" else None)(state(client, status_url)),
        "the dead import was not enqueued again",
        timeout=10,
    )
    assert revived["image"] is None and GettyImport.objects.get().task_id != dead.task_id

    delivery_host.answers[licensed.path] = licensed.file()
    delivery_host.release()
    second = TaskWorker(site)
    try:
        done = until(
            lambda: (lambda s: s if s["state"] in ("imported", "failed") else None)(
                state(client, status_url)
            ),
            "the second worker did not finish the import",
        )
        assert done["state"] == "imported", (done, second.logs())
    finally:
        second.stop()
    licence = GettyLicence.objects.select_related("image").get(getty_id=licensed.id)
    assert done["image"] == licence.image_id and licence.image.collection.name == "Getty Images"
    with licence.image.open_file() as kept:
        assert kept.read() == picture
    job = GettyImport.objects.get()
    assert (job.attempts, job.delivery_uri) == (2, "")
    # The dead worker's fetch and the second worker's.
    assert delivery_host.hits[licensed.path] == 2


@pytest.mark.every_database
def test_the_web_request_only_enqueues_and_a_stopped_worker_finishes_its_task(
    client, demo_data, site, delivery_host, licensed
):
    # The delivery host holds its answer until the worker has been told to stop, so the signal
    # arrives mid-fetch on any machine; the worker's read timeout is long, so the hold is never
    # taken for a dead host.
    delivery_host.answers[licensed.path] = ("held", licensed.file())
    status_url = start_import(client, licensed)
    # No worker yet: queued, nothing fetched.
    assert state(client, status_url)["state"] == "queued" and delivery_host.hits[licensed.path] == 0
    worker = TaskWorker(site, READ_TIMEOUT=60.0, TOTAL_TIMEOUT=120.0)
    try:
        until(lambda: delivery_host.hits[licensed.path] == 1, f"the worker never fetched: {worker.logs()}")
        # Stopped while it imports (SIGTERM): it finishes the task first.
        worker.ask_to_stop()
        until(worker.stopping, f"the worker did not take the signal: {worker.logs()}")
        assert state(client, status_url)["state"] == "running"
        delivery_host.release()
    finally:
        worker.stop()
    done = state(client, status_url)
    assert done["state"] == "imported", (done, worker.logs())
    assert delivery_host.hits[licensed.path] == 1
