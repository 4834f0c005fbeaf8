"""The field in Wagtail's page editor, as the server renders it (a compact chooser whose picker
opens in Wagtail's modal): configuration from settings, the locale from the editor's Wagtail
language, form media without inline script."""

import json
import os
import re
from html import unescape

import pytest
from django.core.exceptions import ImproperlyConfigured
from wagtail.users.models import UserProfile

from getty_picker.widgets import GettyPickerWidget

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_page(client, settings):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from home.models import HomePage

    settings.GETTY_PICKER = {
        "TOKEN_URL": "https://cms.example.com/getty/token",
        "API_KEY": "key-123",
        "API_BASE": "https://api.example.com",
    }
    with open(os.devnull, "w") as quiet:
        call_command("demo_setup", stdout=quiet)
    editor = get_user_model().objects.get(username="editor")
    client.force_login(editor)
    page = HomePage.objects.get()

    def render(language=None):
        if language:
            profile = UserProfile.get_for_user(editor)
            profile.preferred_language = language
            profile.save()
        response = client.get(f"/admin/pages/{page.id}/edit/", HTTP_HOST="127.0.0.1")
        assert response.status_code == 200
        return response.content.decode()

    return render


def picker_attrs(html):
    """The attributes of a (server-side) picker element."""
    match = re.search(r"<div class=\"getty-chooser__picker\" data-getty-picker-element\s([^>]*)>", html)
    assert match, "no picker element"
    return dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', match.group(1)))


def field_modal(client, query=""):
    """The Getty field's chooser modal, as Wagtail's modal workflow loads it."""
    response = client.get(f"/admin/getty-picker/choose/{query}", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    answer = response.json()
    assert answer["step"] == "choose"
    return answer["html"]


def test_the_fields_modal_renders_the_picker_configured_from_settings(editor_page, client):
    editor_page()
    html = field_modal(client)
    assert picker_attrs(html) == {
        "data-token-url": "https://cms.example.com/getty/token",
        "data-api-key": "key-123",
        "data-api-base": "https://api.example.com",
        "data-library-url": "/getty-picker/library/",
        "data-locale": "en",
        "data-open-tab": "false",
    }
    # The panel the image chooser's tab has too, choosing a Getty value (a comp too) here.
    assert 'data-chooses="value"' in html and 'data-import-url="/getty-picker/imports/"' in html
    assert "data-chosen-url" not in html and "data-open-image" not in html


def test_license_it_opens_the_modal_on_that_images_details(editor_page, client):
    editor_page()
    assert 'data-open-image="5285028996"' in field_modal(client, "?open=5285028996")
    # Only a Getty id reaches the attribute.
    assert "data-open-image" not in field_modal(client, "?open=%22%3E%3Cscript%3E")


def test_the_field_is_a_compact_chooser_that_knows_where_to_ask(editor_page):
    html = editor_page()
    field = re.search(r'<div class="getty-picker-field" data-getty-picker-field([^>]*)>', html, re.S).group(1)
    assert 'data-auth-url="/getty-picker/auth/"' in field
    assert 'data-import-url="/getty-picker/imports/"' in field
    assert 'data-modal-url="/admin/getty-picker/choose/"' in field
    assert "data-getty-picker-choose" in html
    # No picker in the page: it opens in the modal, loaded when first shown.
    assert "data-getty-picker-element" not in html


def test_the_picker_speaks_the_editors_wagtail_language(editor_page, client):
    editor_page("de")
    assert picker_attrs(field_modal(client))["data-locale"] == "de"


def test_the_form_media_are_files_only(editor_page):
    html = editor_page()
    # The chooser's script comes with every admin page, after what it shares with the field's
    # (admin.js), which comes once although the editor has the Getty field and Getty blocks;
    # the form media (field.js) follow. Deferred scripts run in this order.
    scripts = re.findall(r'<script src="/static/getty_picker/([^"]+)" defer>', html)
    assert scripts == ["admin.js", "chooser.js", "field.js"]
    # The widget's module comes only with a picker.
    assert "getty_picker/widget/getty-picker.js" not in html
    # field.js is a file: nothing of the field is inline script.
    field = html[html.index('<div class="getty-picker-field"') :]
    field = field[: field.index("data-getty-picker-denied")]
    assert "<script" not in field and "onclick" not in field


def test_editors_without_getty_permissions_get_no_picker_in_the_modal(editor_page, client, django_user_model):
    from django.contrib.auth.models import Group

    editor_page()
    plain = django_user_model.objects.create_user("plain", password="plain")
    plain.groups.add(Group.objects.get(name="Editors"))
    client.force_login(plain)
    html = field_modal(client)
    assert "data-getty-chooser-denied" in html and "data-getty-picker-element" not in html


def hidden_value(html):
    input_tag = re.search(r"<input [^>]*>", html).group(0)
    assert "<b>" not in input_tag
    return json.loads(unescape(re.search(r'value="([^"]*)"', input_tag).group(1)))


def test_a_stored_comp_is_in_the_hidden_input_as_json(settings):
    settings.GETTY_PICKER = {"TOKEN_URL": "/t", "API_KEY": "k"}
    value = {"state": "selected", "id": "1", "title": 'A "quoted" <b>title</b>', "usage_restrictions": []}
    shown = hidden_value(GettyPickerWidget().render("lead", value, {"id": "id_lead"}))
    assert shown["title"] == value["title"] and shown["state"] == "selected"


def test_a_stored_licence_is_shown_with_its_record_and_a_signed_reference(settings):
    from django.utils import timezone

    from getty_picker import value as values
    from getty_picker.models import GettyLicence

    settings.GETTY_PICKER = {"TOKEN_URL": "/t", "API_KEY": "k"}
    record = GettyLicence.objects.create(
        getty_id="9", title="Kept", credit_line="A / Getty Images", product_name="Premium Access",
        licensed_at=timezone.now(), import_error="The delivery host did not send the file in time.",
        delivery_uri="https://delivery.gettyimages.com/downloads/9?k=1",
    )  # fmt: skip
    stored = {"state": "licensed", "id": "9", "licence": record.pk}
    shown = hidden_value(GettyPickerWidget().render("lead", stored, {"id": "id_lead"}))
    assert shown["title"] == "Kept" and shown["credit_line"] == "A / Getty Images"
    assert shown["imported"] is False and shown["import_url"] == f"/getty-picker/licences/{record.pk}/import/"
    assert shown["import_error"] == "The delivery host did not send the file in time."
    assert values.clean_value(shown) == stored


def test_missing_settings_are_a_clear_error(settings):
    settings.GETTY_PICKER = {"API_KEY": "key"}
    with pytest.raises(ImproperlyConfigured, match="TOKEN_URL"):
        GettyPickerWidget().render("lead", None)
    settings.GETTY_PICKER = {"TOKEN_URL": "/t", "API_KEY": "k", "TOKEN": "typo"}
    with pytest.raises(ImproperlyConfigured, match="unknown keys: TOKEN"):
        GettyPickerWidget().render("lead", None)
