"""The "Getty Images" tab of Wagtail's image chooser (the modal of every image field, block and
rich-text image), the import endpoints it polls, and the credit filter: with real logins
through Django's test client."""

import json

import pytest
from django.template import Context, Template
from django.urls import reverse
from support import png_bytes

from getty_picker import chooser, imports
from getty_picker.models import GettyImport, GettyLicence

CHOOSER = "/admin/images/chooser/"


@pytest.fixture
def tab_settings(import_settings):
    """The import settings (imports on the database queue, run here by ``imports.run``), with a
    quick heartbeat."""
    import_settings["IMPORT_HEARTBEAT"] = 0.25
    return import_settings


def modal(client, query=""):
    response = client.get(CHOOSER + query)
    assert response.status_code == 200
    payload = response.json()
    assert payload["step"] == "choose"
    return payload["html"]


def log_in(client, username):
    assert client.login(username=username, password=username)


def test_every_image_chooser_is_wagtails_own_view_with_the_getty_tab():
    from wagtail.images.views.chooser import ImageChooseView, viewset

    assert issubclass(viewset.choose_view_class, chooser.GettyTabMixin)
    assert issubclass(viewset.choose_view_class, ImageChooseView)
    assert chooser.install() is viewset.choose_view_class  # once only


def test_a_licensor_gets_the_tab_beside_wagtails_search_and_upload(client, demo_data, tab_settings):
    log_in(client, "editor")
    html = modal(client)
    # Wagtail's own modal, unchanged: its search, its upload tab, its results.
    assert 'id="tab-search"' in html and 'id="tab-upload"' in html and 'id="search-results"' in html
    assert 'id="tab-getty"' in html and 'id="tab-label-getty"' in html
    assert 'data-may-license="true"' in html
    assert f'data-import-url="{reverse("getty_picker:import_start")}"' in html
    # The chosen step of Wagtail's chooser, the id to fill in.
    assert 'data-chosen-url="/admin/images/chooser/chosen/0/"' in html
    assert "data-chooser-modal-choice" in html
    assert "data-getty-chooser-notice" not in html


def test_the_rich_text_chooser_tab_hands_the_image_to_the_format_step(client, demo_data, tab_settings):
    log_in(client, "editor")
    html = modal(client, "?select_format=true")
    assert 'data-chosen-url="/admin/images/chooser/0/select_format/?select_format=true"' in html


def test_a_search_only_editor_is_told_who_may_license(client, demo_data, tab_settings):
    log_in(client, "writer")
    html = modal(client)
    assert 'id="tab-getty"' in html and 'data-may-license="false"' in html
    assert "data-getty-chooser-notice" in html and "Getty Images licensers" in html


def test_no_tab_for_an_editor_without_getty_permissions(client, demo_data, tab_settings):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("plain", password="plain")
    user.groups.add(Group.objects.get(name="Editors"))
    log_in(client, "plain")
    html = modal(client)
    assert 'id="tab-search"' in html and "tab-getty" not in html


def start(client, licensed, **extra):
    body = {"id": licensed.id, "uri": licensed.uri, "title": "A red square", **extra}
    return post_json(client, reverse("getty_picker:import_start"), body)


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.every_database
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_import_answers_at_once_and_a_worker_imports_the_file(
    client, demo_data, tab_settings, delivery_host, licensed
):
    log_in(client, "editor")
    response = start(client, licensed)
    # Queued, not fetched: the web request did no import.
    assert response.status_code == 202 and response.json()["state"] == "queued"
    assert delivery_host.hits[licensed.path] == 0
    job = GettyImport.objects.get()
    assert job.task_id and job.delivery_uri

    assert imports.run(job.pk) == GettyImport.IMPORTED
    answer = client.get(response.json()["status_url"]).json()
    licence = GettyLicence.objects.get(getty_id=licensed.id)
    assert answer["state"] == "imported" and answer["image"] == licence.image_id
    # The record is Getty's, not what the browser said.
    assert licence.is_verified and licence.title == licensed.image["title"] != "A red square"
    job.refresh_from_db()
    assert (job.delivery_uri, job.attempts) == ("", 1)
    # A second run of the same task (a duplicate delivery by the queue) does nothing.
    assert imports.run(job.pk) is None and delivery_host.hits[licensed.path] == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_import_says_why_and_imports_again_with_the_kept_link(
    client, demo_data, tab_settings, delivery_host, licensed
):
    delivery_host.answers[licensed.path] = ("status", 503)
    log_in(client, "editor")
    started = start(client, licensed).json()
    job = GettyImport.objects.get()
    assert imports.run(job.pk) == GettyImport.FAILED
    answer = client.get(started["status_url"]).json()
    assert answer["state"] == "failed" and "HTTP 503" in answer["error"] and answer["can_retry"]
    # Getty confirmed the licence: its record is kept, waiting for the file.
    assert answer["licence"] == GettyLicence.objects.get(getty_id=licensed.id).pk

    delivery_host.answers[licensed.path] = licensed.file()
    again = client.post(started["retry_url"])
    assert again.status_code == 202 and again.json()["state"] == "queued"
    assert imports.run(job.pk) == GettyImport.IMPORTED
    assert client.get(started["status_url"]).json()["image"] is not None
    # Nothing left to retry once imported.
    assert client.post(started["retry_url"]).status_code == 409


@pytest.mark.every_database
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_whose_worker_died_is_enqueued_again_and_finished(
    client, demo_data, tab_settings, licensed
):
    from datetime import timedelta

    from django.utils import timezone

    log_in(client, "editor")
    started = start(client, licensed).json()
    # A worker took it and died: running, no sign of life for longer than four heartbeats.
    long_ago = timezone.now() - timedelta(seconds=5)
    GettyImport.objects.update(state=GettyImport.RUNNING, attempts=1, heartbeat_at=long_ago)
    first_task = GettyImport.objects.get().task_id

    answer = client.get(started["status_url"]).json()
    job = GettyImport.objects.get()
    assert answer["state"] == "queued" and job.task_id != first_task
    assert imports.run(job.pk) == GettyImport.IMPORTED and job.attempts == 1
    # The dead worker's attempt, if it ever woke, could not overwrite the outcome.
    imports._finish(job.pk, 1, GettyImport.FAILED, error="late")
    assert GettyImport.objects.get().state == GettyImport.IMPORTED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_living_import_is_left_alone(client, demo_data, tab_settings, licensed):
    from django.utils import timezone

    log_in(client, "editor")
    start(client, licensed)
    GettyImport.objects.update(state=GettyImport.RUNNING, attempts=1, heartbeat_at=timezone.now())
    assert imports.revive() == 0


def test_only_licensors_start_imports_and_only_theirs_are_shown(client, demo_data, tab_settings, licensed):
    log_in(client, "writer")
    assert start(client, licensed).status_code == 403
    client.logout()
    assert start(client, licensed).status_code == 401


@pytest.mark.parametrize(
    "body",
    [{"uri": "http://x/"}, {"id": "4 2", "uri": "http://x/"}, {"id": "42"}, {"id": "42", "uri": 7}, []],
)
def test_a_malformed_download_is_refused(client, demo_data, tab_settings, body):
    log_in(client, "editor")
    response = post_json(client, reverse("getty_picker:import_start"), body)
    assert response.status_code == 400 and not GettyImport.objects.exists()


@pytest.fixture
def two_images(db):
    """A Wagtail image licensed from Getty (credit with markup in it) and one of the site's own."""
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from wagtail.images import get_image_model

    Image = get_image_model()
    getty, own = (
        Image.objects.create(title=title, file=ContentFile(png_bytes(), name=f"{title}.png"))
        for title in ("getty", "own")
    )
    credit = "Jo <b> / Getty Images"
    GettyLicence.objects.create(getty_id="42", credit_line=credit, licensed_at=timezone.now(), image=getty)
    return getty, own


ESCAPED = "Jo &lt;b&gt; / Getty Images"


def test_the_credit_filter_prints_getty_credits_only(two_images):
    getty, own = two_images
    template = Template("{% load getty_picker_tags %}[{{ image|getty_credit }}]")
    assert template.render(Context({"image": getty})) == f"[{ESCAPED}]"
    assert template.render(Context({"image": getty.get_rendition("width-10")})) == f"[{ESCAPED}]"
    assert template.render(Context({"image": own})) == "[]"
    assert template.render(Context({"image": None})) == "[]"


def test_rich_text_images_from_getty_carry_their_credit(two_images):
    from wagtail.rich_text import expand_db_html

    getty, own = two_images
    html = expand_db_html(
        f'<embed embedtype="image" id="{getty.pk}" format="fullwidth" alt="a"/>'
        f'<embed embedtype="image" id="{own.pk}" format="left" alt="b"/>'
    )
    credited, plain = html.split("</figure>")
    assert credited.startswith('<figure class="getty-image"><img ') and 'alt="a"' in credited
    assert credited.endswith(f'<figcaption class="getty-image__credit">{ESCAPED}</figcaption>')
    assert plain.startswith("<img ") and 'alt="b"' in plain and "figcaption" not in plain


def test_the_example_pages_image_block_and_photo_print_the_credit(two_images, demo_data, client):
    getty, own = two_images
    demo_data.photo = getty
    demo_data.body = [("photo", own), ("photo", getty)]
    demo_data.save_revision().publish()
    html = client.get("/").content.decode()
    assert html.count(f'<figcaption class="getty-image__credit">{ESCAPED}</figcaption>') == 2
    assert html.count("<picture") == 3


@pytest.mark.parametrize(
    ("backend", "expected"),
    [("getty_picker", []), ("default", ["getty_picker.W004"]), ("missing", ["getty_picker.E001"])],
)
def test_a_backend_that_would_import_inside_the_web_request_is_reported(settings, backend, expected):
    from getty_picker.tasks import check_task_backend

    settings.GETTY_PICKER = {**settings.GETTY_PICKER, "TASK_BACKEND": backend}
    assert [message.id for message in check_task_backend()] == expected
