"""The forward-auth view the token service asks (PICKER_AUTH_URL): who gets a Getty token."""

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


def test_an_editor_with_the_permission_gets_204(client, users):
    client.force_login(users["editor"])
    assert client.get(URL).status_code == 204
    assert client.head(URL).status_code == 204


def test_an_editor_without_the_permission_gets_403(client, users):
    client.force_login(users["writer"])
    assert client.get(URL).status_code == 403


def test_the_permission_without_admin_access_gets_403(client, django_user_model):
    user = django_user_model.objects.create_user("outsider", password="x")
    user.user_permissions.add(Permission.objects.get(codename="license_image"))
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_a_superuser_gets_204(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    assert client.get(URL).status_code == 204


def test_only_safe_methods(client, users):
    client.force_login(users["editor"])
    assert client.post(URL).status_code == 405


def test_the_permission_is_offered_in_wagtails_group_editor(client, users, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    group = Group.objects.get(name="Editors")
    page = client.get(f"/admin/groups/edit/{group.id}/")
    assert page.status_code == 200
    assert "Can search and license Getty images" in page.content.decode()
