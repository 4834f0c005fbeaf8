"""The stored value is checked before it is saved: only what the picker's events can produce."""

import json

import pytest
from django.core.exceptions import ValidationError

from getty_picker.forms import GettyImageFormField
from getty_picker.value import clean_value

LICENSED = {
    "state": "licensed",
    "id": "1234",
    "title": "A cat",
    "product_type": "easyaccess",
    "uri": "https://delivery.gettyimages.com/downloads/1234.jpg?k=1",
    "licensed_at": "2026-11-27T16:00:00.000Z",
    "thumb_uri": "https://media.gettyimages.com/id/1234/thumb.jpg",
}


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
    ],
)
def test_a_value_the_picker_cannot_produce_is_refused(change):
    with pytest.raises(ValidationError):
        clean_value({**LICENSED, **change})


def test_selected_only_keeps_no_delivery_link():
    value = clean_value({**LICENSED, "state": "selected"})
    assert value["state"] == "selected"
    assert value["uri"] is None and value["licensed_at"] is None and value["product_type"] is None
    assert value["thumb_uri"] == LICENSED["thumb_uri"]


def test_the_form_field_reads_the_hidden_inputs_json():
    field = GettyImageFormField(required=False)
    assert field.clean(json.dumps(LICENSED)) == LICENSED
    assert field.clean("") is None
    with pytest.raises(ValidationError):
        field.clean("{not json")
