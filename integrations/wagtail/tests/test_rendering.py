"""What a site prints of a stored Getty image: the picture with its credit line beneath, as
text (never markup), for the block, the model field's include and the example page."""

import os
import re

import pytest
from django.template import Context, Template

from getty_picker.blocks import GettyImageBlock
from getty_picker.widgets import GettyPickerWidget

VALUE = {
    "state": "licensed",
    "id": "1234",
    "title": "A cat",
    "product_type": "premiumaccess",
    "product": "Premium Access · Marketing 2026",
    "uri": "https://delivery.gettyimages.com/downloads/1234.jpg?k=1",
    "licensed_at": "2026-11-27T16:00:00.000Z",
    "thumb_uri": "https://media.gettyimages.com/id/1234/thumb.jpg",
    "credit_line": "Ann Lee / Getty Images",
    "copyright": "© 2024 Ann Lee",
    "artist": "Ann Lee",
    "asset_family": "editorial",
    "usage_restrictions": ["Editorial use only"],
}
HOSTILE = '<script>alert("x")</script> & <b>Lee</b> / Getty Images'


def figcaption(html):
    """The text inside the one credit ``<figcaption>`` (as written in the HTML)."""
    captions = re.findall(r'<figcaption class="getty-image__credit">(.*?)</figcaption>', html, re.S)
    assert len(captions) == 1, html
    return captions[0]


def test_the_block_prints_the_credit_line_under_the_image():
    html = GettyImageBlock().render(VALUE)
    assert figcaption(html) == "Ann Lee / Getty Images"
    assert html.index('src="https://media.gettyimages.com/id/1234/thumb.jpg"') < html.index("<figcaption")
    assert 'alt="A cat"' in html


def test_the_credit_and_title_are_text_never_html():
    hostile_title = '"><img src=x onerror=alert(1)>'
    html = GettyImageBlock().render({**VALUE, "credit_line": HOSTILE, "title": hostile_title})
    assert "<script>" not in html and "<b>" not in html and "onerror=alert(1)>" not in html
    assert figcaption(html) == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Lee&lt;/b&gt; / Getty Images"
    )
    assert 'alt="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html


def test_a_value_stored_before_credit_lines_still_credits_getty():
    old = {key: VALUE[key] for key in ("state", "id", "title", "uri", "licensed_at", "thumb_uri")}
    assert figcaption(GettyImageBlock().render(old)) == "Getty Images"


def test_no_image_prints_nothing():
    assert GettyImageBlock().render(None).strip() == ""


def test_the_model_fields_value_prints_through_the_include():
    template = Template('{% include "getty_picker/image.html" with value=image %}')
    assert figcaption(template.render(Context({"image": VALUE}))) == "Ann Lee / Getty Images"
    assert template.render(Context({"image": None})).strip() == ""


def test_the_editor_panel_has_room_for_the_credit_and_the_restrictions():
    """field.js fills them in (see test_editor_e2e); the labels come translated from here."""
    html = GettyPickerWidget().render("lead", VALUE, {"id": "id_lead"})
    assert 'data-text-credit="Credit"' in html
    assert 'data-text-restrictions="Usage restrictions"' in html
    assert re.search(r"<p [^>]*data-getty-picker-credit hidden>", html)
    assert re.search(r"<p [^>]*data-getty-picker-restrictions hidden>", html)


@pytest.mark.django_db
def test_the_example_page_prints_its_images_credits(client, settings):
    from django.core.management import call_command
    from home.models import HomePage

    with open(os.devnull, "w") as quiet:
        call_command("demo_setup", stdout=quiet)
    page = HomePage.objects.get()
    page.getty_image = {**VALUE, "credit_line": HOSTILE}
    page.body = [("getty_image", {**VALUE, "id": "5678", "credit_line": "Stone / Getty Images"})]
    page.save_revision().publish()
    response = client.get(page.url, HTTP_HOST="localhost")
    assert response.status_code == 200
    html = response.content.decode()
    captions = re.findall(r'<figcaption class="getty-image__credit">(.*?)</figcaption>', html, re.S)
    assert captions == [
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Lee&lt;/b&gt; / Getty Images",
        "Stone / Getty Images",
    ]
