"""The stored value is checked before it is saved: only what the picker's events can produce."""

import json

import pytest
from django.core.exceptions import ValidationError

from getty_picker.forms import GettyImageFormField
from getty_picker.value import clean_value

# What the picker's download event gives a field since it carries the licence fields.
LICENSED = {
    "state": "licensed",
    "id": "1234",
    "title": "A cat",
    "product_type": "easyaccess",
    "product": "Premium Access · Marketing 2026",
    "uri": "https://delivery.gettyimages.com/downloads/1234.jpg?k=1",
    "licensed_at": "2026-11-27T16:00:00.000Z",
    "thumb_uri": "https://media.gettyimages.com/id/1234/thumb.jpg",
    "credit_line": "Ann Lee / Getty Images",
    "copyright": "© 2024 Ann Lee",
    "artist": "Ann Lee",
    "asset_family": "editorial",
    "usage_restrictions": ["Editorial use only", "No use in advertising"],
}
LICENCE_KEYS = ("product", "credit_line", "copyright", "artist", "asset_family", "usage_restrictions")
# A value stored before the licence fields were kept.
OLD = {key: value for key, value in LICENSED.items() if key not in LICENCE_KEYS}


def test_a_licensed_image_is_kept_and_unknown_keys_are_dropped():
    assert clean_value({**LICENSED, "extra": "<script>"}) == LICENSED


def test_empty_means_no_image():
    for empty in (None, "", {}):
        assert clean_value(empty) is None


@pytest.mark.parametrize(
    "change",
    [
        {"uri": "javascript:alert(1)"},
        {"thumb_uri": "data:image/png;base64,AAAA"},
        {"uri": None},
        {"licensed_at": None},
        {"licensed_at": "yesterday"},
        {"id": ""},
        {"id": 1234},
        {"state": "stolen"},
        {"title": "x" * 2001},
        {"credit_line": "x" * 501},
        {"credit_line": 7},
        {"copyright": "x" * 501},
        {"artist": ["Ann Lee"]},
        {"product": "x" * 501},
        {"asset_family": "x" * 51},
        {"usage_restrictions": "Editorial use only"},
        {"usage_restrictions": {"0": "Editorial use only"}},
        {"usage_restrictions": ["Editorial use only", 7]},
        {"usage_restrictions": [None]},
        {"usage_restrictions": ["x" * 501]},
        {"usage_restrictions": ["No use in advertising"] * 21},
    ],
)
def test_a_value_the_picker_cannot_produce_is_refused(change):
    with pytest.raises(ValidationError):
        clean_value({**LICENSED, **change})


def test_selected_only_keeps_no_delivery_link():
    value = clean_value({**LICENSED, "state": "selected"})
    assert value["state"] == "selected"
    assert value["uri"] is None and value["licensed_at"] is None and value["product_type"] is None
    assert value["product"] is None
    assert value["thumb_uri"] == LICENSED["thumb_uri"]
    # Chosen, not licensed: whom to credit and what the licence forbids still hold.
    assert value["credit_line"] == LICENSED["credit_line"]
    assert value["usage_restrictions"] == LICENSED["usage_restrictions"]


def test_a_value_stored_before_the_licence_fields_stays_valid():
    value = clean_value(OLD)
    assert {key: value[key] for key in OLD} == OLD
    assert value["usage_restrictions"] == []
    assert all(value[key] is None for key in LICENCE_KEYS if key != "usage_restrictions")


def test_licence_fields_at_their_bounds_are_kept():
    longest = {
        "credit_line": "c" * 500,
        "copyright": "©" * 500,
        "artist": "a" * 500,
        "product": "p" * 500,
        "asset_family": "f" * 50,
        "usage_restrictions": ["r" * 500] * 20,
    }
    assert clean_value({**LICENSED, **longest}) == {**LICENSED, **longest}


def test_empty_licence_fields_are_kept_as_nothing():
    value = clean_value(
        {**LICENSED, "copyright": "", "artist": None, "usage_restrictions": ["", "  ", "Not released"]}
    )
    assert value["copyright"] is None and value["artist"] is None
    assert value["usage_restrictions"] == ["Not released"]
    assert clean_value({**LICENSED, "usage_restrictions": None})["usage_restrictions"] == []


def test_the_form_field_reads_the_hidden_inputs_json():
    field = GettyImageFormField(required=False)
    assert field.clean(json.dumps(LICENSED)) == LICENSED
    assert field.clean("") is None
    with pytest.raises(ValidationError):
        field.clean("{not json")
