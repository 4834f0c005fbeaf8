"""The stored value is checked before it is saved: a comp as the picker's select event gives it,
or a reference to a licence record the server's import made. Nothing the browser claims about a
licence is taken: a "licensed" state, a URI, a record of another image are refused."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from getty_picker import value as values
from getty_picker.forms import GettyImageFormField
from getty_picker.models import GettyLicence
from getty_picker.value import clean_value

# What the picker's select event gives a field.
COMP = {
    "state": "selected",
    "id": "1234",
    "title": "A cat",
    "thumb_uri": "https://media.gettyimages.com/id/1234/thumb.jpg",
    "credit_line": "Ann Lee / Getty Images",
    "copyright": "© 2024 Ann Lee",
    "artist": "Ann Lee",
    "asset_family": "editorial",
    "usage_restrictions": ["Editorial use only", "No use in advertising"],
}


@pytest.fixture(autouse=True)
def api_base(settings):
    settings.GETTY_PICKER = {**settings.GETTY_PICKER, "API_BASE": "http://127.0.0.1:8787"}


@pytest.fixture
def licence(db):
    return GettyLicence.objects.create(getty_id="1234", title="A cat", licensed_at=timezone.now())


def licensed(record, **change):
    """The browser's copy of a licensed value, as the server hands it out, with ``change``."""
    reference = values.reference(record.pk, record.getty_id)
    return {"state": "licensed", "id": record.getty_id, "licence": record.pk, "ref": reference, **change}


def test_empty_means_no_image():
    for empty in (None, "", {}):
        assert clean_value(empty) is None


def test_a_comp_is_kept_and_unknown_keys_are_dropped():
    assert clean_value({**COMP, "extra": "<script>", "licensed_at": "2026-01-01T00:00:00Z"}) == COMP


def test_a_comps_thumbnail_may_come_from_the_configured_api_too():
    sandbox = {**COMP, "thumb_uri": "http://127.0.0.1:8787/sandbox/media/thumb/1234.png?s=x"}
    assert clean_value(sandbox)["thumb_uri"] == sandbox["thumb_uri"]


@pytest.mark.parametrize(
    "thumb",
    [
        "http://intranet.example/secret.png",  # an intranet address
        "https://tracker.example/pixel.gif",  # a tracking pixel
        "http://127.0.0.1:9/x.png",  # loopback, another port than the API's
        "data:image/png;base64,AAAA",
        "javascript:alert(1)",
        "https://media.gettyimages.com.evil.example/x.jpg",
    ],
)
def test_a_comps_thumbnail_from_anywhere_else_is_refused(thumb):
    with pytest.raises(ValidationError):
        clean_value({**COMP, "thumb_uri": thumb})


@pytest.mark.parametrize(
    "uri", ["https://delivery.gettyimages.com/x.jpg", "http://intranet.example/x", "file:///etc/passwd"]
)
def test_a_value_carrying_a_uri_is_refused(uri):
    with pytest.raises(ValidationError, match="delivery URI"):
        clean_value({**COMP, "uri": uri})


@pytest.mark.django_db
def test_a_licensed_value_is_stored_as_the_reference_only(licence):
    shown = licensed(licence, title="Shown only", thumb_url="/media/x.png", imported=True)
    assert clean_value(shown) == {"state": "licensed", "id": "1234", "licence": licence.pk}


@pytest.mark.django_db
def test_a_licensed_state_the_browser_made_up_is_refused(licence):
    # The old form of a download, as a tampered form could still send it.
    with pytest.raises(ValidationError, match="could not be verified"):
        clean_value({"state": "licensed", "id": "1234", "licence": licence.pk})
    with pytest.raises(ValidationError, match="could not be verified"):
        clean_value(licensed(licence, ref="forged"))


@pytest.mark.django_db
def test_a_reference_to_a_record_of_another_image_is_refused(licence):
    other = GettyLicence.objects.create(getty_id="999", licensed_at=timezone.now())
    # The other record's id with this image's reference, and this record for another image.
    with pytest.raises(ValidationError, match="could not be verified"):
        clean_value(licensed(licence, licence=other.pk))
    with pytest.raises(ValidationError, match="could not be verified"):
        clean_value(licensed(licence, id="999"))


@pytest.mark.django_db
def test_a_reference_to_a_record_since_deleted_is_kept_for_the_draft(licence):
    # The editor's draft keeps what it held; publishing says the record is gone (the guard).
    value = licensed(licence)
    pk = licence.pk
    licence.delete()
    assert clean_value(value) == {"state": "licensed", "id": "1234", "licence": pk}


@pytest.mark.django_db
def test_true_is_no_record_number():
    # Python counts True as 1: neither a stored nor a posted value may name record 1 by it.
    first = GettyLicence.objects.create(pk=1, getty_id="4321", licensed_at=timezone.now())
    stored = values.read({"state": "licensed", "id": "4321", "licence": True})
    assert isinstance(stored, values.Comp)
    with pytest.raises(ValidationError, match="could not be verified"):
        clean_value(licensed(first, licence=True))


@pytest.mark.parametrize(
    "change",
    [
        {"id": ""},
        {"id": 1234},
        {"id": "x" * 65},
        {"state": "bought"},
        {"title": ["A", "cat"]},
        {"title": "x" * 501},
        {"credit_line": "x" * 501},
        {"credit_line": 7},
        {"asset_family": "x" * 51},
        {"usage_restrictions": "Editorial use only"},
        {"usage_restrictions": [1]},
        {"usage_restrictions": ["x" * 501]},
        {"usage_restrictions": ["No use"] * 21},
    ],
)
def test_bad_values_are_refused_with_a_message(change):
    with pytest.raises(ValidationError) as error:
        clean_value({**COMP, **change})
    assert error.value.messages[0].strip()


def test_the_limits_are_the_licence_records():
    from getty_picker.models import GettyLicence

    assert values.limits().title == GettyLicence._meta.get_field("title").max_length == 500
    assert clean_value({**COMP, "title": "x" * 500})["title"] == "x" * 500


def test_blank_restrictions_are_dropped():
    assert clean_value({**COMP, "usage_restrictions": ["", "  ", "No use in advertising"]})[
        "usage_restrictions"
    ] == ["No use in advertising"]


def test_values_stored_by_earlier_versions_read_as_comps():
    # A download stored before the site kept files: a delivery URI, no record.
    old = {"state": "licensed", "id": "77", "title": "Old", "uri": "https://delivery.gettyimages.com/x"}
    read = values.read(old)
    assert read == values.Comp(id="77", title="Old")
    assert "uri" not in read.as_json() and read.as_json()["usage_restrictions"] == []
    assert values.read({"state": "licensed"}) is None
    assert values.read("garbage") is None


def test_the_form_field_reads_the_hidden_inputs_json():
    field = GettyImageFormField(required=False)
    assert field.clean(json.dumps(COMP)) == COMP
    assert field.clean("") is None
    with pytest.raises(ValidationError):
        field.clean("{not json")
    with pytest.raises(ValidationError):
        field.clean(json.dumps({**COMP, "state": "licensed"}))


@pytest.mark.django_db
def test_only_what_is_stored_counts_as_a_change(licence):
    field = GettyImageFormField(required=False)
    stored = {"state": "licensed", "id": "1234", "licence": licence.pk}
    assert not field.has_changed(stored, json.dumps(licensed(licence, thumb_url="/media/a.png")))
    assert field.has_changed(stored, json.dumps(COMP))
    assert field.has_changed(stored, "")
