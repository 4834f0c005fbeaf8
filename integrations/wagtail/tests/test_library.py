"""The library check: which of the ids on screen the site holds, from its licence
records whose file is imported; only for logged-in editors with a Getty permission."""

import pytest
from django.core.files.images import ImageFile
from django.test import Client
from django.utils import timezone
from support import png_bytes
from wagtail.images import get_image_model

from getty_picker import value as values
from getty_picker.models import GettyLicence

URL = "/getty-picker/library/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def held(demo_data):
    """Two licences: one imported (with its Wagtail image), one not."""
    import io

    image = get_image_model().objects.create(
        title="Held", file=ImageFile(io.BytesIO(png_bytes()), name="held.png")
    )
    imported = GettyLicence.objects.create(
        getty_id="111",
        title="Held",
        product_name="Premium Access",
        agreement_name="Marketing 2026",
        credit_line="Ann Lee / Getty Images",
        licensed_at=timezone.now(),
        image=image,
    )
    GettyLicence.objects.create(getty_id="222", title="Pending", licensed_at=timezone.now())
    return imported


def logged_in(username):
    client = Client()
    assert client.login(username=username, password=username)
    return client


@pytest.mark.parametrize("username", ["editor", "writer"])
def test_held_ids_answer_with_their_image_and_licence(held, username):
    response = logged_in(username).get(URL, {"ids": "111,222,333"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    held_ids = response.json()["held"]
    # 222 is licensed but its file is not imported: not held; 333 is unknown.
    assert list(held_ids) == ["111"]
    entry = held_ids["111"]
    assert entry["image"] == held.image_id and entry["licence"] == held.pk
    assert entry["title"] == "Held" and entry["product"] == "Premium Access · Marketing 2026"
    assert entry["licensed_at"] == held.licensed_at.isoformat()
    assert entry["credit_line"] == "Ann Lee / Getty Images"
    assert entry["thumb_url"].startswith("/media/images/")
    # "Use it" hands this reference back in the field's value: the server signed it.
    assert values.clean_value(
        {"state": "licensed", "id": "111", "licence": entry["licence"], "ref": entry["ref"]}
    ) == {"state": "licensed", "id": "111", "licence": held.pk}


def test_no_ids_hold_nothing(held):
    assert logged_in("editor").get(URL).json() == {"held": {}}


def test_at_most_100_ids(held):
    client = logged_in("editor")
    assert client.get(URL, {"ids": ",".join(str(i) for i in range(100))}).status_code == 200
    too_many = client.get(URL, {"ids": ",".join(str(i) for i in range(101))})
    assert too_many.status_code == 400 and "100" in too_many.json()["error"]


@pytest.mark.parametrize("ids", ["111,<script>", "111;222", "x" * 65])
def test_ids_that_are_not_getty_ids_are_refused(held, ids):
    assert logged_in("editor").get(URL, {"ids": ids}).status_code == 400


def test_logged_out_is_401_and_without_permission_403(held, django_user_model):
    response = Client().get(URL, {"ids": "111"})
    assert response.status_code == 401 and response.json() == {"error": "not_authenticated"}
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("reader", password="reader")
    user.groups.set([Group.objects.get(name="Editors")])
    response = logged_in("reader").get(URL, {"ids": "111"})
    assert response.status_code == 403 and response.json() == {"error": "not_authorized"}


def test_only_safe_methods(held):
    assert logged_in("editor").post(URL, {"ids": "111"}).status_code == 405
