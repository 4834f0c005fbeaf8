"""The import of a licensed file, over real HTTP: the site answers its start at once
(``POST /getty-picker/imports/``) and the task's body imports it (run here as a worker would);
the licence is confirmed by the token service's sandbox playing Getty (a real download of each
image, made by the tests as the picker makes it), the file comes from a delivery host of the
tests' own, into Wagtail's image library with the licence record Getty's answers make. A file
that could not be fetched leaves no image, keeps the record "not imported" and can be finished
by "Import again" (another background import); what Getty does not confirm, or a link or file
that is not the image's, leaves no record."""

import hashlib
import json
import threading
import time
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from support import (
    START_IMPORT,
    DeliveryHost,
    import_download,
    import_outcome,
    png_bytes,
    png_like,
    run_imports,
    start_import,
)
from wagtail.images import get_image_model
from wagtail.models import Collection

from getty_picker.models import GettyImport, GettyLicence

pytestmark = pytest.mark.django_db


def detail(uri, getty_id, **change):
    """A ``getty-picker:download`` detail as the field sends it; all but ``id`` and ``uri`` is
    what a browser could make up."""
    return {
        "id": getty_id,
        "title": "A red square",
        "uri": uri,
        "product_type": "premiumaccess",
        "product_id": 7,
        "product": "Premium Access · Marketing 2026",
        "caption": "Red, square, on purpose.",
        "collection_name": "Stone",
        "credit_line": "Ann Lee / Stone / Getty Images",
        "copyright": "© 2026 Ann Lee",
        "artist": "Ann Lee",
        "asset_family": "creative",
        "usage_restrictions": ["No use in advertising"],
        "project_code": "WEB-HOME",
        "download_notes": "Homepage hero",
        **change,
    }


@pytest.fixture
def editor(demo_data):
    client = Client()
    assert client.login(username="editor", password="editor")
    return client


def post(client, body):
    """How the import of ``body`` went, once a worker ran it."""
    return import_download(client, body)


def images():
    return get_image_model().objects.all()


def licence_keywords(getty_id):
    return GettyLicence.objects.get(getty_id=getty_id).keywords


def test_a_download_becomes_a_wagtail_image_with_gettys_licence_record(
    editor, import_settings, delivery_host, licensed, getty_service
):
    body = png_like(licensed.image)
    started = start_import(editor, detail(licensed.uri, licensed.id))
    # The web request only keeps the import and enqueues it: nothing is fetched or recorded yet.
    assert started.status_code == 202 and started.json()["state"] == "queued"
    assert delivery_host.hits[licensed.path] == 0 and not GettyLicence.objects.exists()
    answer = import_outcome(editor, started)
    assert answer["state"] == "imported", answer

    [image] = images()
    with image.open_file() as stored:
        assert stored.read() == body
    assert image.file.name.endswith(".png") and f"GettyImages-{licensed.id}" in image.file.name
    assert image.collection == Collection.objects.get(name="Getty Images")
    getty = licensed.image
    assert (image.title, image.description) == (getty["title"], getty["title"])
    assert image.file_size == len(body) and image.file_hash == hashlib.sha1(body).hexdigest()
    assert image.uploaded_by_user.username == "editor"
    # Tagged as Getty Images, its asset family and Getty's keywords (most relevant first).
    keywords = [k["text"] for k in sorted(getty.get("keywords") or [], key=lambda k: -k["relevance"])]
    expected = {}
    for tag in ["Getty Images", getty["asset_family"], *keywords]:
        expected.setdefault(tag.lower(), tag)
    assert sorted(tag.name for tag in image.tags.all()) == sorted(expected.values())
    assert licence_keywords(licensed.id) == keywords

    # Every field of the record is Getty's, none the browser's.
    [download] = getty_service.history(licensed.id)
    licence = GettyLicence.objects.get()
    assert licence.image == image and licence.is_imported and licence.is_verified
    assert licence.getty_id == licensed.id and licence.licensed_by.username == "editor"
    for name in ("title", "caption", "credit_line", "artist", "collection_name", "asset_family", "copyright"):
        assert getattr(licence, name) == (getty[name] or ""), name
    allowed = getty.get("allowed_use") or {}
    assert licence.allowed_use == (allowed.get("how_can_i_use_it") or "")
    assert licence.usage_restrictions == (allowed.get("usage_restrictions") or [])
    assert (licence.product_type, licence.product_id) == (
        download["product_type"],
        str(download["product_id"]),
    )
    assert licence.agreement_name == download["agreement_name"]
    products = getty_service.api("GET", "/v3/products")["products"]
    assert licence.product_name == next(p["name"] for p in products if p["id"] == download["product_id"])
    assert licence.project_code == (download["project_code"] or "")
    assert licence.credit_line and licence.title
    assert licence.download_notes == (download["download_notes"] or "")
    assert licence.downloaded_by == download["user"]["username"] == "sandbox-editor"
    assert licence.date_downloaded == datetime.fromisoformat(
        download["date_downloaded"].replace("Z", "+00:00")
    )
    dimensions = getty["max_dimensions"]
    assert licence.getty_sizes[0] == [dimensions["width"], dimensions["height"]]
    assert (
        "A red square" not in (licence.title, licence.caption)
        and licence.credit_line != "Ann Lee / Stone / Getty Images"
    )
    # The link is not kept once the file is stored; the name is Getty's with the found format.
    assert licence.delivery_uri == "" and licence.file_name == f"GettyImages-{licensed.id}.png"

    value = answer["value"]
    assert value["state"] == "licensed" and value["licence"] == licence.pk and value["ref"]
    assert value["imported"] is True and value["thumb_url"].startswith("/media/images/")
    assert "uri" not in value and delivery_host.origin not in json.dumps(value)


def test_an_image_the_site_already_holds_is_not_fetched_again(
    editor, import_settings, delivery_host, licensed
):
    assert post(editor, detail(licensed.uri, licensed.id))["state"] == "imported"
    again = post(editor, detail(licensed.uri, licensed.id, title="Another title"))
    assert again["state"] == "imported"
    assert delivery_host.hits[licensed.path] == 1
    assert images().count() == 1 and GettyLicence.objects.count() == 1
    assert GettyLicence.objects.get().title == licensed.image["title"]


@pytest.fixture
def elsewhere():
    """A second host that is not on the allow-list: it must never be asked."""
    host = DeliveryHost()
    yield host
    host.stop()


def assert_failed_and_kept(answer, uri, message):
    """Failed with the reason; no image; Getty's record "not imported" with its link and reason,
    which "Import again" may finish."""
    assert answer["state"] == "failed" and message in answer["error"], answer
    assert answer["can_retry"] is True
    assert images().count() == 0
    licence = GettyLicence.objects.get()
    assert not licence.is_imported and licence.is_verified and licence.delivery_uri == uri
    assert message in licence.import_error
    value = answer["value"]
    assert (
        value["imported"] is False and value["import_url"] == f"/getty-picker/licences/{licence.pk}/import/"
    )
    return licence


def assert_refused(answer, message):
    """Nothing recorded, nothing stored: the editor is told why."""
    assert answer["state"] == "failed" and message in answer["error"], answer
    assert answer["value"] is None and answer["licence"] is None
    assert not GettyLicence.objects.exists() and not images().exists()
    return answer


def import_again(client, licence):
    """ "Import again" of ``licence`` (another background import), once a worker ran it."""
    return import_outcome(client, client.post(f"/getty-picker/licences/{licence.pk}/import/"))


def assert_finished(answer, body):
    assert answer["state"] == "imported", answer
    [image] = images()
    with image.open_file() as stored:
        assert stored.read() == body
    licence = GettyLicence.objects.get()
    assert licence.image == image and licence.delivery_uri == "" and licence.import_error == ""


def test_a_host_not_allowed_keeps_the_record_and_import_again_finishes_once_it_is(
    editor, import_settings, licensed, elsewhere, settings
):
    path = f"/downloads/{licensed.id}"
    elsewhere.answers[path] = licensed.file()
    uri = elsewhere.url(path)
    licence = assert_failed_and_kept(
        post(editor, detail(uri, licensed.id)), uri, "not an allowed delivery host"
    )
    assert elsewhere.hits[path] == 0
    settings.GETTY_PICKER = {**import_settings, "DELIVERY_HOSTS": [elsewhere.origin]}
    assert_finished(import_again(editor, licence), elsewhere.answers[path][1])
    assert elsewhere.hits[path] == 1


@pytest.mark.parametrize(
    ("failing", "message"),
    [
        (("file", b"\x89PNG" + b"\0" * (2 * 1024 * 1024), "image/png"), "larger than 1.0 MB"),
        (("lying", 50 * 1024 * 1024), "larger than 1.0 MB"),
        (("endless",), "larger than 1.0 MB"),
        (("file", b"<html>Sign in</html>", "text/html"), "not an image"),
        (("file", b"GIF89a but not really", "image/gif"), "not an image Wagtail can read"),
        (("file", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"), "Wagtail does not accept"),
        (("slow", 3, ("file", b"x", "image/png")), "did not send the file in time"),
        (("status", 500), "HTTP 500"),
    ],
    ids=["too-big", "too-big-declared", "too-big-streamed", "html", "garbage", "svg", "timeout", "error"],
)
def test_a_failed_import_leaves_no_image_keeps_the_record_and_import_again_finishes_it(
    editor, import_settings, delivery_host, licensed, failing, message
):
    if failing[0] == "file":
        failing = (*failing, f"GettyImages-{licensed.id}.png")
    delivery_host.answers[licensed.path] = failing
    licence = assert_failed_and_kept(post(editor, detail(licensed.uri, licensed.id)), licensed.uri, message)
    # The cause goes away (the host answers properly now): "Import again" uses the kept link.
    delivery_host.answers[licensed.path] = licensed.file()
    assert_finished(import_again(editor, licence), png_like(licensed.image))
    assert delivery_host.hits[licensed.path] == 2


def test_a_dead_link_is_refused_and_leaves_no_record(editor, import_settings, delivery_host, licensed):
    delivery_host.answers[licensed.path] = ("status", 404)
    answer = assert_refused(
        post(editor, detail(licensed.uri, licensed.id)), "has expired or is no longer valid"
    )
    assert answer["can_retry"] is False and "license the image again" in answer["error"]


def test_a_kept_link_that_expires_says_so_and_import_again_cannot_pretend(
    editor, import_settings, delivery_host, licensed
):
    delivery_host.answers[licensed.path] = ("status", 503)
    licence = assert_failed_and_kept(
        post(editor, detail(licensed.uri, licensed.id)), licensed.uri, "HTTP 503"
    )
    delivery_host.answers[licensed.path] = ("status", 403)
    again = import_again(editor, licence)
    assert again["state"] == "failed" and "expired" in again["error"]
    assert images().count() == 0 and GettyLicence.objects.get().import_attempts == 2


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("http://10.1.2.3/x.png", "not an allowed delivery host"),
        ("http://[::1]:9/x.png", "not an allowed delivery host"),
        ("file:///etc/passwd", "Only http(s) delivery links"),
        ("ftp://delivery.gettyimages.com/x.png", "Only http(s) delivery links"),
    ],
)
def test_a_redirect_to_a_private_address_or_another_scheme_is_not_followed(
    editor, import_settings, delivery_host, licensed, target, message
):
    delivery_host.answers[licensed.path] = ("redirect", target)
    licence = assert_failed_and_kept(post(editor, detail(licensed.uri, licensed.id)), licensed.uri, message)
    # Once the delivery host serves the file itself, "Import again" finishes it.
    delivery_host.answers[licensed.path] = licensed.file()
    assert_finished(import_again(editor, licence), png_like(licensed.image))


def test_a_redirect_to_a_host_not_allowed_reaches_nothing_there(
    editor, import_settings, delivery_host, licensed, elsewhere
):
    elsewhere.answers["/x.png"] = licensed.file()
    delivery_host.answers[licensed.path] = ("redirect", elsewhere.url("/x.png"))
    assert_failed_and_kept(
        post(editor, detail(licensed.uri, licensed.id)), licensed.uri, "not an allowed delivery host"
    )
    assert elsewhere.hits["/x.png"] == 0


def test_an_allowed_redirect_is_followed(editor, import_settings, delivery_host, licensed):
    delivery_host.answers[licensed.path] = ("redirect", f"/files/{licensed.id}.png")
    delivery_host.answers[f"/files/{licensed.id}.png"] = licensed.file()
    assert_finished(post(editor, detail(licensed.uri, licensed.id)), png_like(licensed.image))


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("file:///etc/{id}", "Only http(s) delivery links"),
        ("not a url", "Only http(s) delivery links"),
        ("https://delivery.gettyimages.com/downloads/4242?k=x", "is Getty image 4242's, not"),
        ("https://delivery.gettyimages.com/downloads/?k=x", "names no Getty image"),
    ],
    ids=["file", "not-a-url", "another-image", "no-image"],
)
def test_a_link_that_is_not_the_images_is_refused_before_anything_is_asked(
    editor, import_settings, licensed, getty_service, uri, message
):
    asked = getty_service.requests()
    assert_refused(post(editor, detail(uri.format(id=licensed.id), licensed.id)), message)
    # Getty was not asked (nor the token service), nothing was fetched.
    assert getty_service.requests() == asked


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("http://127.0.0.1:9/downloads/{id}", "not an allowed delivery host"),
        ("http://localhost:9/downloads/{id}", "not an allowed delivery host"),
        ("https://delivery.gettyimages.com.evil.example/downloads/{id}", "not an allowed delivery host"),
        ("https://user:pw@delivery.gettyimages.com/downloads/{id}", "not a valid URL"),
    ],
)
def test_a_confirmed_licence_with_a_link_not_fetched_from_there_keeps_its_record(
    editor, import_settings, licensed, uri, message
):
    uri = uri.format(id=licensed.id)
    assert_failed_and_kept(post(editor, detail(uri, licensed.id)), uri, message)


def test_an_allowed_name_resolving_to_loopback_is_refused(
    editor, import_settings, delivery_host, licensed, settings
):
    # The allow-list names a host; its address is private, so nothing is fetched from it.
    port = delivery_host.origin.rsplit(":", 1)[1]
    settings.GETTY_PICKER = {**import_settings, "DELIVERY_HOSTS": [f"http://localhost:{port}"]}
    uri = f"http://localhost:{port}{licensed.path}"
    assert_failed_and_kept(post(editor, detail(uri, licensed.id)), uri, "private or local address")
    assert delivery_host.hits[licensed.path] == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("GettyImages-43.png", "is Getty image 43, not"),
        ("photo.png", "not named as Getty names image"),
        (None, "not named as Getty names image"),
    ],
)
def test_a_file_not_named_as_the_images_is_refused_and_leaves_no_record(
    editor, import_settings, delivery_host, licensed, name, message
):
    answer = ("file", png_like(licensed.image), "image/png")
    delivery_host.answers[licensed.path] = (*answer, name) if name else (*answer, "")
    assert_refused(post(editor, detail(licensed.uri, licensed.id)), message)
    assert delivery_host.hits[licensed.path] == 1


def test_a_file_of_other_proportions_is_refused_and_leaves_no_record(
    editor, import_settings, delivery_host, licensed
):
    width, height = licensed.image["max_dimensions"]["width"], licensed.image["max_dimensions"]["height"]
    # The same pixels turned a quarter: another image's shape.
    other = png_bytes(
        (round(height / width * 90), 90) if width > height else (90, round(width / height * 90))
    )
    delivery_host.answers[licensed.path] = ("file", other, "image/png", f"GettyImages-{licensed.id}.png")
    assert_refused(
        post(editor, detail(licensed.uri, licensed.id)), "does not have the proportions Getty gives"
    )


def test_a_file_scaled_from_gettys_sizes_within_rounding_is_the_images(
    editor, import_settings, delivery_host, licensed
):
    # A long edge of 37 pixels: the short edge rounds, and is taken as the image's.
    delivery_host.answers[licensed.path] = licensed.file(long_edge=37)
    assert_finished(post(editor, detail(licensed.uri, licensed.id)), png_like(licensed.image, long_edge=37))


@pytest.mark.parametrize("extension", ["html", "svg", "exe"])
def test_the_stored_extension_is_the_format_willow_found_not_the_delivered_name(
    editor, import_settings, delivery_host, licensed, extension
):
    body = png_like(licensed.image)
    delivery_host.answers[licensed.path] = (
        "file",
        body,
        "image/png",
        f"GettyImages-{licensed.id}.{extension}",
    )
    assert_finished(post(editor, detail(licensed.uri, licensed.id)), body)
    [image] = images()
    assert image.file.name.endswith(".png") and f".{extension}" not in image.file.name
    assert GettyLicence.objects.get().file_name == f"GettyImages-{licensed.id}.png"


def test_a_host_trickling_its_headers_is_cut_off_at_the_total_timeout(
    editor, import_settings, delivery_host, licensed, settings
):
    # Each byte within the read timeout (1 s), the whole well past the total (1.5 s).
    settings.GETTY_PICKER = {**import_settings, "TOTAL_TIMEOUT": 1.5}
    delivery_host.answers[licensed.path] = ("trickle", 0.2)
    assert start_import(editor, detail(licensed.uri, licensed.id)).status_code == 202
    started = time.monotonic()
    run_imports()
    elapsed = time.monotonic() - started
    answer = editor.get(f"/getty-picker/imports/{GettyImport.objects.get().pk}/").json()
    assert_failed_and_kept(answer, licensed.uri, "did not send the file in time")
    # Getty's two answers and the product list come first; the fetch itself stops at 1.5 s.
    assert elapsed < 6, f"the import took {elapsed:.1f} s"


@pytest.mark.parametrize(
    ("user", "status"),
    [(None, 401), ("writer", 403)],
)
def test_only_who_may_license_may_import(demo_data, import_settings, delivery_host, licensed, user, status):
    client = Client()
    if user:
        assert client.login(username=user, password=user)
    assert start_import(client, detail(licensed.uri, licensed.id)).status_code == status
    assert not GettyImport.objects.exists() and delivery_host.hits[licensed.path] == 0
    assert not GettyLicence.objects.exists() and not images().exists()


def test_the_import_needs_wagtails_add_image_in_the_collection(
    demo_data, import_settings, delivery_host, licensed, django_user_model
):
    from django.contrib.auth.models import Group, Permission

    user = django_user_model.objects.create_user("licenser", password="licenser")
    # May license and use the admin, but not add images anywhere.
    user.groups.set([Group.objects.get(name="Getty Images licensers")])
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    assert client.login(username="licenser", password="licenser")
    response = start_import(client, detail(licensed.uri, licensed.id))
    assert response.status_code == 403 and "Getty Images" in response.json()["message"]
    assert not GettyImport.objects.exists()
    assert delivery_host.hits[licensed.path] == 0 and not GettyLicence.objects.exists()


def test_the_import_is_csrf_protected(demo_data, import_settings, delivery_host, licensed):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="editor", password="editor")
    assert start_import(client, detail(licensed.uri, licensed.id)).status_code == 403
    assert not GettyImport.objects.exists() and not GettyLicence.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps([1]),
        json.dumps({"id": "42"}),
        json.dumps({"uri": "https://delivery.gettyimages.com/downloads/42"}),
        json.dumps({"id": "4 2", "uri": "https://delivery.gettyimages.com/downloads/4 2"}),
        json.dumps({"id": 42, "uri": "https://delivery.gettyimages.com/downloads/42"}),
        json.dumps({"id": "42", "uri": ["https://delivery.gettyimages.com/downloads/42"]}),
        json.dumps({"id": "42", "uri": "https://delivery.gettyimages.com/downloads/42", "x": "y" * 70_000}),
    ],
)
def test_a_body_that_is_not_a_download_is_refused(editor, import_settings, body):
    response = editor.post(START_IMPORT, body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]
    assert not GettyImport.objects.exists()


def test_only_post_starts_an_import(editor):
    assert editor.get(START_IMPORT).status_code == 405


def test_the_management_command_finishes_every_pending_import(
    editor, import_settings, delivery_host, getty_service
):
    pending = []
    for _ in range(2):
        getty_id = getty_service.fresh_image()
        getty_service.download(getty_id)
        path = f"/downloads/{getty_id}"
        delivery_host.answers[path] = ("status", 503)
        assert post(editor, detail(delivery_host.url(path), getty_id))["state"] == "failed"
        pending.append((getty_id, path, getty_service.image(getty_id)))
    (first, first_path, first_image), (second, second_path, second_image) = pending
    delivery_host.answers[first_path] = (
        "file",
        png_like(first_image),
        "image/png",
        f"GettyImages-{first}.png",
    )
    out, err = StringIO(), StringIO()
    asked = getty_service.requests()
    with pytest.raises(CommandError, match="1 of 2"):
        call_command("getty_picker_import", stdout=out, stderr=err)
    assert f"{first}: imported as image" in out.getvalue() and f"{second}: not imported: " in err.getvalue()
    assert GettyLicence.objects.get(getty_id=first).is_imported
    assert not GettyLicence.objects.get(getty_id=second).is_imported
    # Records Getty confirmed are not asked about again.
    assert getty_service.requests() == asked

    delivery_host.answers[second_path] = (
        "file",
        png_like(second_image, colour=(0, 0, 255)),
        "image/png",
        f"GettyImages-{second}.png",
    )
    out = StringIO()
    call_command("getty_picker_import", stdout=out)
    assert f"{second}: imported as image" in out.getvalue() and images().count() == 2
    call_command("getty_picker_import", stdout=(out := StringIO()))
    assert "Every licensed file is imported." in out.getvalue()


def test_the_import_is_a_function_of_ids_and_a_user(import_settings, delivery_host, licensed, demo_data):
    """What a background task calls: no request."""
    from django.contrib.auth import get_user_model

    from getty_picker.importer import import_download

    editor = get_user_model().objects.get(username="editor")
    licence = import_download(licensed.id, licensed.uri, editor)
    assert licence.is_imported and licence.licensed_by == editor and licence.title == licensed.image["title"]


# Real transactions, so the two workers see each other's; the migrations' data (groups,
# permissions) is restored for it like for the end-to-end tests.
@pytest.mark.every_database
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_importing_one_image_at_once_end_with_one_image_and_one_record(
    demo_data, import_settings, delivery_host, licensed
):
    from getty_picker import imports

    body = png_like(licensed.image)
    # Slow enough that both workers are fetching at the same time.
    delivery_host.answers[licensed.path] = ("slow", 0.5, licensed.file())
    editors = [Client(), Client()]
    started = []
    for index, client in enumerate(editors):
        assert client.login(username="editor", password="editor")
        started.append(start_import(client, detail(licensed.uri, licensed.id, title=f"Editor {index}")))
    assert [s.status_code for s in started] == [202, 202]
    ran = threading.Barrier(2)

    def work(pk):
        from django.db import connection

        ran.wait()
        try:
            imports.run(pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(s.json()["id"],)) for s in started]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    answers = [client.get(s.json()["status_url"]).json() for client, s in zip(editors, started, strict=True)]
    assert [a["state"] for a in answers] == ["imported", "imported"], answers
    assert images().count() == 1 and GettyLicence.objects.count() == 1
    licence = GettyLicence.objects.get()
    assert licence.title == licensed.image["title"] and licence.is_verified
    assert {a["value"]["licence"] for a in answers} == {licence.pk}
    assert {a["image"] for a in answers} == {licence.image_id}
    with licence.image.open_file() as stored:
        assert stored.read() == body
