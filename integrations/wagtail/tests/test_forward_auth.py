"""The forward-auth view the token service asks (PICKER_AUTH_URL): who gets a Getty token, and
which: the user's for who may license (``X-Getty-Picker-Scope: license``, said explicitly, since
the token service reads an answer without the header as search-only), a search-only one for who
may search (``search``)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/getty-picker/auth/"


@pytest.fixture
def users(django_user_model):
    from django.core.management import call_command

    call_command("demo_setup", stdout=open("/dev/null", "w"))
    return {name: django_user_model.objects.get(username=name) for name in ("editor", "writer")}


def test_the_url_is_where_readme_says():
    assert reverse("getty_picker:forward_auth") == URL


def test_not_logged_in_is_401_not_a_redirect(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_an_editor_who_may_license_gets_204_with_the_license_scope(client, users):
    client.force_login(users["editor"])
    for response in (client.get(URL), client.head(URL)):
        assert response.status_code == 204
        assert response["X-Getty-Picker-Scope"] == "license"


def test_a_writer_who_may_only_search_gets_204_with_the_search_scope(client, users):
    client.force_login(users["writer"])
    response = client.get(URL)
    assert response.status_code == 204
    assert response["X-Getty-Picker-Scope"] == "search"


def test_an_editor_with_neither_permission_gets_403(client, users, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("reader", password="x")
    user.groups.set([Group.objects.get(name="Editors")])
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 403 and response.json() == {"error": "not_authorized"}


def test_both_permissions_license(client, django_user_model, users):
    user = users["writer"]
    user.user_permissions.add(Permission.objects.get(codename="license_image"))
    client.force_login(django_user_model.objects.get(pk=user.pk))
    response = client.get(URL)
    assert response.status_code == 204 and response["X-Getty-Picker-Scope"] == "license"


@pytest.mark.parametrize("codename", ["license_image", "search_image"])
def test_a_permission_without_admin_access_gets_403(client, django_user_model, codename):
    user = django_user_model.objects.create_user("outsider", password="x")
    user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_a_superuser_gets_204_with_the_license_scope(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    response = client.get(URL)
    assert response.status_code == 204 and response["X-Getty-Picker-Scope"] == "license"


@pytest.mark.parametrize("status", [401, 403])
def test_a_refusal_carries_no_scope(client, users, django_user_model, status):
    if status == 403:
        client.force_login(django_user_model.objects.create_user("reader", password="x"))
    response = client.get(URL)
    assert response.status_code == status and "X-Getty-Picker-Scope" not in response


def test_only_safe_methods(client, users):
    client.force_login(users["editor"])
    assert client.post(URL).status_code == 405


def test_the_permission_is_offered_in_wagtails_group_editor(client, users, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    group = Group.objects.get(name="Editors")
    page = client.get(f"/admin/groups/edit/{group.id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Can search and license Getty images" in html
    assert "Can search Getty images" in html
