"""The import of a licensed file (``POST /getty-picker/import/``), over real HTTP from a delivery
host of the tests' own, into Wagtail's image library with its licence record; every failure
leaves no image, keeps the record "not imported" and can be finished by "Import again"."""

import hashlib
import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from support import DeliveryHost, png_bytes
from wagtail.images import get_image_model
from wagtail.models import Collection

from getty_picker.models import GettyLicence

IMPORT = "/getty-picker/import/"

pytestmark = pytest.mark.django_db


def detail(uri, getty_id="42", **change):
    """A ``getty-picker:download`` detail as the field sends it."""
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
    return client.post(IMPORT, json.dumps(body), content_type="application/json")


def images():
    return get_image_model().objects.all()


def test_a_download_becomes_a_wagtail_image_with_its_licence_record(editor, import_settings, delivery_host):
    body = png_bytes()
    delivery_host.answers["/d/42.png"] = ("file", body, "image/png")
    response = post(editor, detail(delivery_host.url("/d/42.png?expires=1&sig=x")))
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["imported"] is True

    [image] = images()
    with image.open_file() as stored:
        assert stored.read() == body
    assert image.file.name.endswith(".png") and "GettyImages-42" in image.file.name
    assert image.collection == Collection.objects.get(name="Getty Images")
    assert (image.title, image.description) == ("A red square", "A red square")
    assert (image.width, image.height) == (64, 48)
    assert image.file_size == len(body) and image.file_hash == hashlib.sha1(body).hexdigest()
    assert image.uploaded_by_user.username == "editor"
    assert sorted(tag.name for tag in image.tags.all()) == ["Getty Images", "creative"]

    licence = GettyLicence.objects.get()
    assert licence.image == image and licence.is_imported
    assert licence.getty_id == "42" and licence.licensed_by.username == "editor"
    assert (licence.product_type, licence.product_id) == ("premiumaccess", "7")
    assert (licence.product_name, licence.agreement_name) == ("Premium Access", "Marketing 2026")
    assert licence.credit_line == "Ann Lee / Stone / Getty Images"
    assert licence.usage_restrictions == ["No use in advertising"]
    assert (licence.project_code, licence.download_notes) == ("WEB-HOME", "Homepage hero")
    assert (licence.collection_name, licence.caption) == ("Stone", "Red, square, on purpose.")
    # The link is not kept once the file is stored.
    assert licence.delivery_uri == "" and licence.file_name == "GettyImages-42.png"

    value = answer["value"]
    assert value["state"] == "licensed" and value["licence"] == licence.pk and value["ref"]
    assert value["imported"] is True and value["thumb_url"].startswith("/media/images/")
    assert "uri" not in value and delivery_host.origin not in json.dumps(value)


def test_an_image_the_site_already_holds_is_not_fetched_again(editor, import_settings, delivery_host):
    delivery_host.answers["/d/42.png"] = ("file", png_bytes(), "image/png")
    assert post(editor, detail(delivery_host.url("/d/42.png"))).status_code == 200
    again = post(editor, detail(delivery_host.url("/d/42.png"), title="Another title"))
    assert again.status_code == 200
    assert delivery_host.hits["/d/42.png"] == 1
    assert images().count() == 1 and GettyLicence.objects.count() == 1
    assert GettyLicence.objects.get().title == "A red square"


@pytest.fixture
def elsewhere():
    """A second host that is not on the allow-list: it must never be asked."""
    host = DeliveryHost()
    host.answers["/x.png"] = ("file", png_bytes(), "image/png")
    yield host
    host.stop()


def assert_failed_and_kept(response, uri, message):
    """502 with the reason; no image; the record "not imported" with its link and reason."""
    assert response.status_code == 502, response.content
    answer = response.json()
    assert answer["imported"] is False and message in answer["error"]
    assert images().count() == 0
    licence = GettyLicence.objects.get()
    assert not licence.is_imported and licence.delivery_uri == uri
    assert message in licence.import_error
    value = answer["value"]
    assert (
        value["imported"] is False and value["import_url"] == f"/getty-picker/licences/{licence.pk}/import/"
    )
    return licence


def import_again(client, licence):
    return client.post(f"/getty-picker/licences/{licence.pk}/import/")


def assert_finished(response, body):
    assert response.status_code == 200, response.content
    [image] = images()
    with image.open_file() as stored:
        assert stored.read() == body
    licence = GettyLicence.objects.get()
    assert licence.image == image and licence.delivery_uri == "" and licence.import_error == ""


def test_a_host_not_allowed_is_refused_and_import_again_finishes_once_it_is(
    editor, import_settings, delivery_host, elsewhere, settings
):
    uri = elsewhere.url("/x.png")
    licence = assert_failed_and_kept(post(editor, detail(uri)), uri, "not an allowed delivery host")
    assert elsewhere.hits["/x.png"] == 0
    settings.GETTY_PICKER = {**import_settings, "DELIVERY_HOSTS": [elsewhere.origin]}
    assert_finished(import_again(editor, licence), elsewhere.answers["/x.png"][1])
    assert elsewhere.hits["/x.png"] == 1


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
    editor, import_settings, delivery_host, failing, message
):
    uri = delivery_host.url("/d/42.png?expires=9&sig=s")
    delivery_host.answers["/d/42.png"] = failing
    licence = assert_failed_and_kept(post(editor, detail(uri)), uri, message)
    # The cause goes away (the host answers properly now): "Import again" uses the kept link.
    body = png_bytes()
    delivery_host.answers["/d/42.png"] = ("file", body, "image/png")
    assert_finished(import_again(editor, licence), body)
    assert delivery_host.hits["/d/42.png"] == 2


def test_an_expired_link_says_so_and_import_again_cannot_pretend(editor, import_settings, delivery_host):
    uri = delivery_host.url("/d/42.png?expires=1&sig=s")
    delivery_host.answers["/d/42.png"] = ("status", 403)
    licence = assert_failed_and_kept(post(editor, detail(uri)), uri, "has expired or is no longer valid")
    again = import_again(editor, licence)
    assert again.status_code == 502 and "expired" in again.json()["error"]
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
    editor, import_settings, delivery_host, target, message
):
    uri = delivery_host.url("/d/42.png")
    delivery_host.answers["/d/42.png"] = ("redirect", target)
    licence = assert_failed_and_kept(post(editor, detail(uri)), uri, message)
    # Once the delivery host serves the file itself, "Import again" finishes it.
    body = png_bytes()
    delivery_host.answers["/d/42.png"] = ("file", body, "image/png")
    assert_finished(import_again(editor, licence), body)


def test_a_redirect_to_a_host_not_allowed_reaches_nothing_there(
    editor, import_settings, delivery_host, elsewhere
):
    uri = delivery_host.url("/d/42.png")
    delivery_host.answers["/d/42.png"] = ("redirect", elsewhere.url("/x.png"))
    assert_failed_and_kept(post(editor, detail(uri)), uri, "not an allowed delivery host")
    assert elsewhere.hits["/x.png"] == 0


def test_an_allowed_redirect_is_followed(editor, import_settings, delivery_host):
    body = png_bytes()
    delivery_host.answers["/d/42.png"] = ("redirect", "/files/42.png")
    delivery_host.answers["/files/42.png"] = ("file", body, "image/png")
    response = post(editor, detail(delivery_host.url("/d/42.png")))
    assert_finished(response, body)


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("file:///etc/passwd", "Only http(s) delivery links"),
        ("http://127.0.0.1:9/x.png", "not an allowed delivery host"),
        ("http://localhost:9/x.png", "not an allowed delivery host"),
        ("https://delivery.gettyimages.com.evil.example/x.jpg", "not an allowed delivery host"),
        ("https://user:pw@delivery.gettyimages.com/x.jpg", "not a valid URL"),
        ("not a url", "Only http(s) delivery links"),
    ],
)
def test_loopback_file_and_foreign_links_are_refused_without_a_request(editor, import_settings, uri, message):
    assert_failed_and_kept(post(editor, detail(uri)), uri, message)


def test_a_loopback_link_is_fetched_once_its_origin_is_allowed(
    editor, import_settings, delivery_host, elsewhere, settings
):
    # The tests' hosts are on loopback: refused until an operator names the origin.
    uri = elsewhere.url("/x.png")
    licence = assert_failed_and_kept(post(editor, detail(uri)), uri, "not an allowed delivery host")
    settings.GETTY_PICKER = {**import_settings, "DELIVERY_HOSTS": [elsewhere.origin]}
    assert_finished(import_again(editor, licence), elsewhere.answers["/x.png"][1])


def test_an_allowed_name_resolving_to_loopback_is_refused(editor, import_settings, delivery_host, settings):
    # The allow-list names a host; its address is private, so nothing is fetched from it.
    port = delivery_host.origin.rsplit(":", 1)[1]
    settings.GETTY_PICKER = {**import_settings, "DELIVERY_HOSTS": [f"http://localhost:{port}"]}
    delivery_host.answers["/x.png"] = ("file", png_bytes(), "image/png")
    uri = f"http://localhost:{port}/x.png"
    assert_failed_and_kept(post(editor, detail(uri)), uri, "private or local address")
    assert delivery_host.hits["/x.png"] == 0


def test_a_file_getty_names_as_another_image_is_not_kept(editor, import_settings, delivery_host):
    uri = delivery_host.url("/d/42.png")
    delivery_host.answers["/d/42.png"] = ("file", png_bytes(), "image/png", "GettyImages-43.jpg")
    assert_failed_and_kept(post(editor, detail(uri)), uri, "is Getty image 43, not 42")


def test_the_file_name_comes_from_content_disposition():
    from getty_picker.fetch import file_name

    assert file_name("attachment; filename=GettyImages-1167612765.jpg") == "GettyImages-1167612765.jpg"
    assert file_name('attachment; filename="../../etc/pass wd.jpg"') == "pass_wd.jpg"
    assert file_name("attachment; filename*=UTF-8''Caf%C3%A9.jpg") == "Caf_.jpg"
    assert file_name("attachment") is None and file_name(None) is None


@pytest.mark.parametrize(
    ("user", "status"),
    [(None, 401), ("writer", 403)],
)
def test_only_who_may_license_may_import(demo_data, import_settings, delivery_host, user, status):
    client = Client()
    if user:
        assert client.login(username=user, password=user)
    delivery_host.answers["/d/42.png"] = ("file", png_bytes(), "image/png")
    assert post(client, detail(delivery_host.url("/d/42.png"))).status_code == status
    assert delivery_host.hits["/d/42.png"] == 0
    assert not GettyLicence.objects.exists() and not images().exists()


def test_the_import_needs_wagtails_add_image_in_the_collection(
    demo_data, import_settings, delivery_host, django_user_model
):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("licenser", password="licenser")
    # May license and use the admin, but not add images anywhere.
    user.groups.set([Group.objects.get(name="Getty Images licensers")])
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    assert client.login(username="licenser", password="licenser")
    delivery_host.answers["/d/42.png"] = ("file", png_bytes(), "image/png")
    response = post(client, detail(delivery_host.url("/d/42.png")))
    assert response.status_code == 403 and "Getty Images" in response.json()["message"]
    assert delivery_host.hits["/d/42.png"] == 0 and not GettyLicence.objects.exists()


def test_the_import_is_csrf_protected(demo_data, import_settings, delivery_host):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="editor", password="editor")
    delivery_host.answers["/d/42.png"] = ("file", png_bytes(), "image/png")
    assert post(client, detail(delivery_host.url("/d/42.png"))).status_code == 403
    assert delivery_host.hits["/d/42.png"] == 0 and not GettyLicence.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps([1]),
        json.dumps({"id": "42"}),
        json.dumps({"uri": "https://delivery.gettyimages.com/x"}),
        json.dumps({"id": "4 2", "uri": "https://delivery.gettyimages.com/x"}),
        json.dumps(detail("https://delivery.gettyimages.com/x", credit_line="x" * 501)),
        json.dumps(detail("https://delivery.gettyimages.com/x", usage_restrictions="Editorial")),
    ],
)
def test_a_body_that_is_not_a_download_is_refused(editor, import_settings, body):
    response = editor.post(IMPORT, body, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]
    assert not GettyLicence.objects.exists()


def test_only_post_reaches_the_import(editor):
    assert editor.get(IMPORT).status_code == 405


def test_the_management_command_finishes_every_pending_import(editor, import_settings, delivery_host):
    for getty_id in ("1", "2"):
        delivery_host.answers[f"/d/{getty_id}.png"] = ("status", 503)
        assert (
            post(editor, detail(delivery_host.url(f"/d/{getty_id}.png"), getty_id=getty_id)).status_code
            == 502
        )
    body = png_bytes()
    delivery_host.answers["/d/1.png"] = ("file", body, "image/png", "GettyImages-1.png")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of 2"):
        call_command("getty_picker_import", stdout=out, stderr=err)
    assert "1: imported as image" in out.getvalue() and "2: not imported: " in err.getvalue()
    assert GettyLicence.objects.get(getty_id="1").is_imported
    assert not GettyLicence.objects.get(getty_id="2").is_imported

    delivery_host.answers["/d/2.png"] = (
        "file",
        png_bytes(colour=(0, 0, 255)),
        "image/png",
        "GettyImages-2.png",
    )
    out = StringIO()
    call_command("getty_picker_import", stdout=out)
    assert "2: imported as image" in out.getvalue() and images().count() == 2
    call_command("getty_picker_import", stdout=(out := StringIO()))
    assert "Every licensed file is imported." in out.getvalue()


# Real transactions, so the two requests see each other's; the migrations' data (groups,
# permissions) is restored for it like for the end-to-end tests.
@pytest.mark.every_database
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_importing_one_image_at_once_end_with_one_image_and_one_record(
    demo_data, import_settings, delivery_host
):
    body = png_bytes()
    # Slow enough that both requests are fetching at the same time.
    delivery_host.answers["/d/42.png"] = ("slow", 0.5, ("file", body, "image/png"))
    answers = [None, None]
    start = threading.Barrier(2)

    def licence_it(index):
        from django.db import connection

        client = Client()
        client.login(username="editor", password="editor")
        start.wait()
        try:
            answers[index] = post(client, detail(delivery_host.url("/d/42.png"), title=f"Editor {index}"))
        finally:
            connection.close()

    threads = [threading.Thread(target=licence_it, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [a.status_code for a in answers] == [200, 200], [a.content for a in answers]
    assert images().count() == 1 and GettyLicence.objects.count() == 1
    licence = GettyLicence.objects.get()
    assert {a.json()["value"]["licence"] for a in answers} == {licence.pk}
    assert {a.json()["value"]["image"] for a in answers} == {licence.image_id}
    with licence.image.open_file() as stored:
        assert stored.read() == body
