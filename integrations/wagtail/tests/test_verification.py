"""Only Getty's word makes a licence record. Forged imports against the token service's sandbox
playing Getty (real downloads made as the picker makes them, its real delivery links): a wrong
id, forged fields, the link of another image, a dead link, an id the company never downloaded.
Each leaves the licence records and the image library as they were; a genuine import afterwards
records what Getty says."""

from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import Client
from django.utils import timezone
from support import import_download, import_outcome
from wagtail.images import get_image_model

from getty_picker.models import GettyLicence

FORGED = {
    "title": "Forged title",
    "caption": "Forged caption",
    "credit_line": "Photo: Evil Corp (not Getty)",
    "copyright": "© Evil Corp",
    "artist": "Evil Corp",
    "collection_name": "Forged collection",
    "asset_family": "creative",
    "usage_restrictions": [],
    "allowed_use": "Anything goes",
    "product_type": "premiumaccess",
    "product_id": 666,
    "product": "Forged product · Forged agreement",
    "project_code": "FORGED-CODE",
    "download_notes": "Forged notes",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def getty(settings, getty_service):
    """The site asks the sandbox as Getty and fetches from its delivery links."""
    settings.GETTY_PICKER = getty_service.settings()
    return getty_service


@pytest.fixture
def editor(demo_data):
    client = Client()
    assert client.login(username="editor", password="editor")
    return client


def post(client, getty_id, uri, **forged):
    """How the import of this report went, once a worker ran it (its status answer)."""
    return import_download(client, {"id": getty_id, "uri": uri, **forged})


def imported(answer):
    return answer["state"] == "imported"


def kept_not_imported(answer):
    """Failed, with Getty's record kept ("Import again" may finish it)."""
    return answer["state"] == "failed" and answer["value"] is not None and answer["can_retry"]


def refused(answer):
    """Failed, nothing recorded, and trying the same again would not help."""
    return answer["state"] == "failed" and answer["value"] is None and not answer["can_retry"]


def state():
    """The licence records and the image library, all of it."""
    licences = list(GettyLicence.objects.order_by("pk").values())
    library = list(get_image_model().objects.order_by("pk").values("pk", "file", "title", "file_hash"))
    return licences, library


def licensed(getty):
    """An image the company licensed just now, and its delivery link."""
    getty_id = getty.fresh_image()
    return getty_id, getty.download(getty_id)


def assert_refused(answer, message):
    assert refused(answer) and message in answer["error"], answer
    return answer


def assert_gettys(licence, getty, getty_id):
    """Every field of the record is what Getty says."""
    image = getty.image(getty_id)
    [newest, *_] = getty.history(getty_id)
    for name in ("title", "caption", "credit_line", "artist", "collection_name", "copyright"):
        assert getattr(licence, name) == (image[name] or ""), name
    assert licence.usage_restrictions == ((image.get("allowed_use") or {}).get("usage_restrictions") or [])
    assert (licence.product_type, licence.product_id) == (newest["product_type"], str(newest["product_id"]))
    assert licence.agreement_name == newest["agreement_name"]
    assert licence.project_code == (newest["project_code"] or "")
    assert licence.download_notes == (newest["download_notes"] or "")
    assert licence.is_verified and licence.downloaded_by == newest["user"]["username"]
    for name, forged in FORGED.items():
        if name not in ("asset_family", "usage_restrictions", "product_type"):
            assert getattr(licence, name, None) != forged, name


def test_forged_fields_are_ignored_the_record_and_the_public_credit_are_gettys(getty, editor):
    getty_id, uri = licensed(getty)
    answer = post(editor, getty_id, uri, **FORGED)
    assert imported(answer), answer
    licence = GettyLicence.objects.get()
    assert_gettys(licence, getty, getty_id)
    assert licence.licensed_by.username == "editor" and licence.is_imported
    html = Template("{% load getty_picker_tags %}{% getty_image value %}").render(
        Context({"value": answer["value"]})
    )
    assert getty.image(getty_id)["credit_line"] in html and "Evil Corp" not in html


def test_a_wrong_id_is_refused_and_nothing_is_fetched(getty, editor):
    getty_id, uri = licensed(getty)
    other = getty.fresh_image()
    before, deliveries = state(), getty.deliveries()
    assert_refused(post(editor, other, uri, **FORGED), f"is Getty image {getty_id}'s, not {other}'s")
    assert state() == before and getty.deliveries() == deliveries


def test_the_link_of_another_licensed_image_is_refused(getty, editor):
    first, first_uri = licensed(getty)
    second, second_uri = licensed(getty)
    assert imported(post(editor, first, first_uri))
    before, deliveries = state(), getty.deliveries()
    # The link's path names the other image; so does the file Getty would deliver.
    assert_refused(post(editor, second, first_uri, **FORGED), f"is Getty image {first}'s, not {second}'s")
    assert state() == before and getty.deliveries() == deliveries
    assert not GettyLicence.objects.filter(getty_id=second).exists()


def test_a_link_of_another_image_renamed_for_this_one_is_refused_by_its_file(getty, editor, settings):
    """A link whose path names this image but which serves another image's file (a delivery
    host that ignores the path): the file's name and proportions give it away."""
    first, first_uri = licensed(getty)
    second, _second_uri = licensed(getty)
    parts = urlsplit(first_uri)
    # The same signed link under a path ending in the second id: the sandbox serves it for
    # neither, so the tests' own host stands in for a host that ignores the path.
    from support import DeliveryHost, png_like

    host = DeliveryHost()
    try:
        host.answers[f"/downloads/{second}"] = (
            "file",
            png_like(getty.image(first)),
            "image/png",
            f"GettyImages-{first}.png",
        )
        settings.GETTY_PICKER = getty.settings(DELIVERY_HOSTS=[getty.url, host.origin])
        before = state()
        forged = urlunsplit(("http", urlsplit(host.origin).netloc, f"/downloads/{second}", parts.query, ""))
        assert_refused(post(editor, second, forged, **FORGED), f"is Getty image {first}, not {second}")
        assert state() == before and host.hits[f"/downloads/{second}"] == 1
    finally:
        host.stop()


def test_a_dead_link_is_refused_and_leaves_no_record(getty, editor):
    getty_id, uri = licensed(getty)
    parts = urlsplit(uri)
    dead = urlunsplit(parts._replace(query=parts.query.replace("k=", "k=0")))
    before = state()
    answer = assert_refused(post(editor, getty_id, dead, **FORGED), "has expired or is no longer valid")
    assert "license the image again" in answer["error"]
    assert state() == before and not GettyLicence.objects.exists()


def test_an_id_the_company_never_downloaded_is_refused_and_nothing_is_fetched(getty, editor):
    never = getty.fresh_image()
    # A link shaped like the sandbox's for that id; Getty's history decides before any fetch.
    link = f"{getty.url}/sandbox/delivery/downloads/{never}?k=00000000000000000000000000000000&e=1900000000"
    before, deliveries = state(), getty.deliveries()
    assert_refused(post(editor, never, link, **FORGED), f"no download of image {never} by your company")
    assert state() == before and getty.deliveries() == deliveries
    assert getty.history(never) == []


def test_an_id_getty_does_not_know_is_refused(getty, editor):
    link = f"{getty.url}/sandbox/delivery/downloads/999999999999?k=0&e=1900000000"
    before = state()
    assert_refused(post(editor, "999999999999", link), "Getty knows no image 999999999999")
    assert state() == before


def test_a_genuine_import_after_forged_attempts_records_gettys_word(getty, editor, django_user_model):
    getty_id, uri = licensed(getty)
    forger = django_user_model.objects.create_superuser("forger", password="forger")
    client = Client()
    client.force_login(forger)
    parts = urlsplit(uri)
    dead = urlunsplit(parts._replace(query=parts.query.replace("k=", "k=0")))
    other, _ = licensed(getty)
    assert refused(post(client, getty_id, dead, **FORGED))
    assert refused(post(client, other, uri, **FORGED))
    assert not GettyLicence.objects.exists() and not get_image_model().objects.exists()

    assert imported(post(editor, getty_id, uri))
    licence = GettyLicence.objects.get()
    assert_gettys(licence, getty, getty_id)
    assert licence.licensed_by.username == "editor" and licence.image.uploaded_by_user.username == "editor"
    # A forged attempt once the image is held changes nothing either.
    before = state()
    assert imported(post(client, getty_id, dead, **FORGED))
    assert refused(post(client, other, uri, **FORGED))
    assert state() == before


def test_the_first_confirmed_record_is_never_overwritten(getty, editor, django_user_model, settings):
    getty_id, uri = licensed(getty)
    # The sandbox is not an allowed delivery host yet: Getty's record is kept, its file not.
    settings.GETTY_PICKER = getty.settings(DELIVERY_HOSTS=["https://delivery.gettyimages.com"])
    assert kept_not_imported(post(editor, getty_id, uri))
    first = GettyLicence.objects.get()
    assert first.is_verified and not first.is_imported
    # The company downloads it again, with notes, and someone else reports that download.
    second_uri = getty.download(getty_id, notes="Second download")
    assert getty.history(getty_id)[0]["download_notes"] == "Second download"
    settings.GETTY_PICKER = getty.settings()
    admin = django_user_model.objects.create_superuser("admin", password="admin")
    client = Client()
    client.force_login(admin)
    assert imported(post(client, getty_id, second_uri, **FORGED))
    licence = GettyLicence.objects.get()
    assert licence.is_imported and licence.image.uploaded_by_user == admin
    kept = ["title", "credit_line", "product_id", "project_code", "download_notes", "date_downloaded"]
    kept += ["downloaded_by", "verified_at", "licensed_at", "licensed_by_id"]
    assert {name: getattr(licence, name) for name in kept} == {name: getattr(first, name) for name in kept}
    assert licence.download_notes != "Second download"
    # Held now: a later report changes nothing at all.
    before = state()
    assert imported(post(client, getty_id, second_uri, **FORGED))
    assert state() == before


def test_a_record_of_an_earlier_version_takes_gettys_answers_at_the_next_import(getty, editor):
    getty_id, uri = licensed(getty)
    editor_user = get_user_model().objects.get(username="editor")
    # What earlier versions kept: the browser's word, not confirmed, its file never fetched.
    old = GettyLicence.objects.create(
        getty_id=getty_id,
        title=FORGED["title"],
        credit_line=FORGED["credit_line"],
        project_code=FORGED["project_code"],
        licensed_at=timezone.now(),
        licensed_by=editor_user,
        delivery_uri="https://delivery.gettyimages.com/dead",
    )
    assert not old.is_verified
    assert imported(post(editor, getty_id, uri))
    licence = GettyLicence.objects.get()
    assert licence.pk == old.pk and licence.is_imported
    assert_gettys(licence, getty, getty_id)


def test_import_again_of_an_earlier_versions_record_asks_getty_first(getty, editor):
    never = getty.fresh_image()
    old = GettyLicence.objects.create(
        getty_id=never,
        title=FORGED["title"],
        credit_line=FORGED["credit_line"],
        licensed_at=timezone.now(),
        delivery_uri=f"{getty.url}/sandbox/delivery/downloads/{never}?k=0&e=1900000000",
    )
    before, deliveries = state(), getty.deliveries()
    answer = import_outcome(editor, editor.post(f"/getty-picker/licences/{old.pk}/import/"))
    assert answer["state"] == "failed" and "no download of image" in answer["error"], answer
    assert answer["value"]["imported"] is False and not answer["can_retry"]
    assert state() == before and getty.deliveries() == deliveries


@pytest.mark.parametrize("broken", ["API_BASE", "TICKET_SECRET", "SERVER_TOKEN_URL"])
def test_when_getty_cannot_be_asked_nothing_is_recorded_and_the_editor_may_try_again(
    getty, editor, settings, broken
):
    getty_id, uri = licensed(getty)
    wrong = {
        "API_BASE": "http://127.0.0.1:9",
        "TICKET_SECRET": "0" * 64,
        "SERVER_TOKEN_URL": "http://127.0.0.1:9/token",
    }
    settings.GETTY_PICKER = getty.settings(**{broken: wrong[broken]})
    deliveries = getty.deliveries()
    answer = post(editor, getty_id, uri)
    assert answer["state"] == "failed" and answer["value"] is None, answer
    assert answer["can_retry"] is True and "Import again" in answer["error"]
    assert not GettyLicence.objects.exists() and getty.deliveries() == deliveries
    # Put right, "Import again" (the import kept the link) records and imports it.
    settings.GETTY_PICKER = getty.settings()
    assert imported(import_outcome(editor, editor.post(answer["retry_url"])))
    assert_gettys(GettyLicence.objects.get(), getty, getty_id)


def test_without_a_ticket_secret_the_import_says_so(getty, editor, settings):
    getty_id, uri = licensed(getty)
    settings.GETTY_PICKER = {k: v for k, v in getty.settings().items() if k != "TICKET_SECRET"}
    answer = post(editor, getty_id, uri)
    assert answer["state"] == "failed" and answer["can_retry"] and "TICKET_SECRET" in answer["error"]
    assert not GettyLicence.objects.exists()


def test_a_report_naming_another_host_does_not_take_the_kept_link_away(getty, editor, settings):
    getty_id, uri = licensed(getty)
    # The collection is missing: Getty's record is kept "not imported" with the genuine link.
    settings.GETTY_PICKER = getty.settings(COLLECTION="Not there")
    assert kept_not_imported(post(editor, getty_id, uri))
    licence = GettyLicence.objects.get()
    assert licence.is_verified and licence.delivery_uri == uri
    settings.GETTY_PICKER = getty.settings()
    before = state()
    forged = f"https://elsewhere.example/downloads/{getty_id}"
    answer = post(editor, getty_id, forged, **FORGED)
    assert answer["state"] == "failed" and "not an allowed delivery host" in answer["error"]
    licence.refresh_from_db()
    assert licence.delivery_uri == uri
    assert [
        {k: v for k, v in row.items() if k not in ("import_error", "import_attempts")} for row in state()[0]
    ] == [{k: v for k, v in row.items() if k not in ("import_error", "import_attempts")} for row in before[0]]
    # "Import again" finishes it with the link that works.
    assert imported(import_outcome(editor, editor.post(f"/getty-picker/licences/{licence.pk}/import/")))
    licence.refresh_from_db()
    assert licence.is_imported
    assert_gettys(licence, getty, getty_id)
