"""Imports in the background, as the Getty field and the image chooser's tab start and follow them:
no web request fetches a file (a download's start, a record's "Import again", a retry); the
status says what the field needs (its value wherever Getty confirmed the licence, whether
"Import again" may help); a refused import keeps nothing to retry; a record's "Import again"
while one is under way joins it. Tasks run here as a worker runs them (``imports.run``)."""

import json
import threading
import time

import pytest
from django.db import OperationalError
from django.db.models import QuerySet
from django.test import Client
from support import import_outcome, run_imports, start_import

from getty_picker import imports
from getty_picker.display import field_value, for_widget
from getty_picker.models import GettyImport, GettyLicence
from getty_picker.value import Licensed, _referenced

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(demo_data):
    client = Client()
    assert client.login(username="editor", password="editor")
    return client


def download(licensed, **change):
    return {"id": licensed.id, "uri": licensed.uri, **change}


def test_the_status_of_an_imported_download_carries_the_fields_value(
    editor, import_settings, delivery_host, licensed
):
    answer = import_outcome(editor, start_import(editor, download(licensed)))
    licence = GettyLicence.objects.get(getty_id=licensed.id)
    assert answer["state"] == "imported" and answer["image"] == licence.image_id
    # The signed reference carries its signing time: the rest is the field's value as is.
    value, expected = dict(answer["value"]), field_value(licence)
    assert _referenced(value.pop("ref")) == (licence.pk, licensed.id) and expected.pop("ref")
    assert value == expected and value["imported"] is True
    assert answer["can_retry"] is False


def test_a_refused_import_keeps_no_link_and_offers_nothing_to_retry(
    editor, import_settings, delivery_host, licensed
):
    # Another image's link: refused before anything is asked or fetched.
    other = download(licensed, uri=licensed.uri.replace(f"/downloads/{licensed.id}", "/downloads/4242"))
    started = start_import(editor, other)
    answer = import_outcome(editor, started)
    assert answer["state"] == "failed" and answer["code"] == "other_image"
    assert (answer["value"], answer["licence"], answer["can_retry"]) == (None, None, False)
    assert GettyImport.objects.get().delivery_uri == ""
    assert editor.post(answer["retry_url"]).status_code == 409
    assert delivery_host.hits[licensed.path] == 0 and not GettyLicence.objects.exists()


def test_an_import_getty_could_not_confirm_keeps_its_link_for_import_again(
    editor, import_settings, delivery_host, licensed, settings
):
    settings.GETTY_PICKER = {**import_settings, "API_BASE": "http://127.0.0.1:9"}
    answer = import_outcome(editor, start_import(editor, download(licensed)))
    assert answer["state"] == "failed" and answer["can_retry"] is True and answer["value"] is None
    assert GettyImport.objects.get().delivery_uri == licensed.uri and not GettyLicence.objects.exists()
    settings.GETTY_PICKER = import_settings
    again = editor.post(answer["retry_url"])
    # "Import again" answers at once too: queued, nothing fetched yet.
    assert again.status_code == 202 and again.json()["state"] == "queued"
    assert delivery_host.hits[licensed.path] == 0
    assert import_outcome(editor, again)["state"] == "imported"


@pytest.mark.every_database
def test_import_again_of_a_record_runs_in_the_background_and_joins_one_under_way(
    editor, import_settings, delivery_host, licensed
):
    delivery_host.answers[licensed.path] = ("status", 503)
    failed = import_outcome(editor, start_import(editor, download(licensed)))
    licence = GettyLicence.objects.get()
    assert (
        failed["state"] == "failed"
        and failed["value"]["import_url"] == f"/getty-picker/licences/{licence.pk}/import/"
    )
    delivery_host.answers[licensed.path] = licensed.file()

    first = editor.post(failed["value"]["import_url"])
    # Queued, nothing fetched by the web request; the field's value says an import is under way.
    assert first.status_code == 202 and first.json()["state"] == "queued"
    assert delivery_host.hits[licensed.path] == 1
    shown = for_widget(Licensed(id=licensed.id, licence=licence.pk))
    assert shown["importing"] == first.json()["status_url"]
    # A second press joins it.
    second = editor.post(failed["value"]["import_url"])
    assert second.json()["id"] == first.json()["id"]

    answer = import_outcome(editor, first)
    assert answer["state"] == "imported" and answer["value"]["imported"] is True
    assert delivery_host.hits[licensed.path] == 2
    # Imported: nothing to import again, the field is told its value.
    done = editor.post(failed["value"]["import_url"])
    assert done.status_code == 409 and done.json()["value"]["imported"] is True
    assert for_widget(Licensed(id=licensed.id, licence=licence.pk)).get("importing") is None


def test_import_again_without_a_kept_link_says_to_download_again(editor, import_settings):
    from support import licence_record

    licence = licence_record("4321", imported=False)
    response = editor.post(f"/getty-picker/licences/{licence.pk}/import/")
    assert response.status_code == 409 and "download the image again" in response.json()["error"]
    assert not GettyImport.objects.exists()


@pytest.mark.parametrize("user", [None, "writer"])
def test_only_licensors_import_again(demo_data, import_settings, licensed, user):
    from support import licence_record

    licence = licence_record(licensed.id, imported=False)
    GettyLicence.objects.filter(pk=licence.pk).update(delivery_uri=licensed.uri)
    client = Client()
    if user:
        assert client.login(username=user, password=user)
    assert client.post(f"/getty-picker/licences/{licence.pk}/import/").status_code == (403 if user else 401)
    assert not GettyImport.objects.exists()


def test_an_import_is_seen_only_by_who_started_it_or_a_licensor(
    editor, import_settings, licensed, django_user_model
):
    from django.contrib.auth.models import Group

    started = start_import(editor, download(licensed)).json()
    writer = Client()
    assert writer.login(username="writer", password="writer")
    assert writer.get(started["status_url"]).status_code == 404
    other = django_user_model.objects.create_user("other", password="other")
    other.groups.set([Group.objects.get(name="Getty Images licensers")])
    from django.contrib.auth.models import Permission

    other.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    assert client.login(username="other", password="other")
    assert client.get(started["status_url"]).json()["state"] == "queued"


def test_the_start_reads_only_the_id_and_the_link(editor, import_settings, licensed):
    body = download(licensed, title="Forged", credit_line="Evil Corp", product="Forged")
    assert start_import(editor, body).status_code == 202
    job = GettyImport.objects.get()
    kept = {f.name: getattr(job, f.name) for f in GettyImport._meta.concrete_fields}
    assert "Evil Corp" not in json.dumps(kept, default=str) and job.delivery_uri == licensed.uri
    run_imports()
    assert GettyLicence.objects.get().credit_line == licensed.image["credit_line"]


@pytest.mark.every_database
def test_a_task_delivered_twice_runs_once(editor, import_settings, delivery_host, licensed):
    start_import(editor, download(licensed))
    pk = GettyImport.objects.get().pk
    assert imports.run(pk) == GettyImport.IMPORTED and imports.run(pk) is None
    assert delivery_host.hits[licensed.path] == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_heartbeat_that_fails_once_keeps_beating(monkeypatch):
    # The beats run in a thread of their own, on a connection of their own: the row must be
    # committed for them to see it.
    job = GettyImport.objects.create(getty_id="42", state=GettyImport.RUNNING, attempts=1)
    GettyImport.objects.filter(pk=job.pk).update(heartbeat_at=None)
    update = QuerySet.update
    failed = threading.Event()

    def busy_once(queryset, **changes):
        # The first beat meets a busy database, as a worker's beat may while others write.
        if "heartbeat_at" in changes and not failed.is_set():
            failed.set()
            raise OperationalError("database is locked")
        return update(queryset, **changes)

    monkeypatch.setattr(QuerySet, "update", busy_once)
    beats = imports._Heartbeat(job.pk, 1, 0.05)
    beats.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and GettyImport.objects.get(pk=job.pk).heartbeat_at is None:
            time.sleep(0.05)
    finally:
        beats.stop()
    assert failed.is_set() and GettyImport.objects.get(pk=job.pk).heartbeat_at is not None
