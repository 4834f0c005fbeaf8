"""What a site prints of a stored Getty image: the imported file through renditions in modern
formats with its credit line beneath, as text (never markup); nothing of Getty's (no thumbnail,
comp or delivery URI) in a public page; comps and files not imported only in the preview."""

import io
import re

import pytest
from django.core.files.images import ImageFile
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone
from support import png_bytes
from wagtail.images import get_image_model

from getty_picker.blocks import GettyImageBlock
from getty_picker.models import GettyLicence
from getty_picker.widgets import GettyPickerWidget

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> & <b>Lee</b> / Getty Images'
COMP = {
    "state": "selected",
    "id": "1234",
    "title": "A cat",
    "thumb_uri": "https://media.gettyimages.com/id/1234/thumb.jpg",
    "credit_line": "Ann Lee / Getty Images",
    "usage_restrictions": [],
}
# What must never reach a public page: Getty's hosts, the sandbox's paths.
GETTY = re.compile(r"gettyimages\.com|/sandbox/|delivery|thumb_uri", re.I)


def licence(getty_id="555", credit="Ann Lee / Getty Images", imported=True, title="A licensed cat"):
    image = None
    if imported:
        image = get_image_model().objects.create(
            title=title, description=title, file=ImageFile(io.BytesIO(png_bytes((800, 600))), name="f.png")
        )
    return GettyLicence.objects.create(
        getty_id=getty_id, title=title, credit_line=credit, licensed_at=timezone.now(), image=image
    )


def stored(record):
    return {"state": "licensed", "id": record.getty_id, "licence": record.pk}


def figcaptions(html):
    return re.findall(r'<figcaption class="getty-image__credit">(.*?)</figcaption>', html, re.S)


def render(value, preview=False):
    request = RequestFactory().get("/")
    request.is_preview = preview
    return GettyImageBlock().render(value, context={"request": request})


def test_a_licensed_image_prints_its_renditions_and_the_credit_beneath():
    record = licence()
    html = render(stored(record))
    assert figcaptions(html) == ["Ann Lee / Getty Images"]
    picture = re.search(r"<picture>.*</picture>", html, re.S).group(0)
    assert 'type="image/webp"' in picture and re.search(r'srcset="/media/images/[^"]+\.webp 640w', picture)
    assert re.search(r'<img [^>]*src="/media/images/[^"]+\.(jpg|jpeg)"', picture)
    assert 'alt="A licensed cat"' in picture
    assert html.index("<picture>") < html.index("<figcaption")
    assert f'data-getty-id="{record.getty_id}"' in html
    assert not GETTY.search(html)


def test_the_credit_and_title_are_text_never_html():
    record = licence(credit=HOSTILE, title='"><img src=x onerror=alert(1)>')
    html = render(stored(record))
    assert "<script>" not in html and "<b>" not in html and "onerror=alert(1)>" not in html
    assert figcaptions(html) == [
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Lee&lt;/b&gt; / Getty Images"
    ]


def test_a_licence_without_a_credit_line_still_credits_getty():
    assert figcaptions(render(stored(licence(credit="")))) == ["Getty Images"]


def test_a_comp_prints_nothing_on_the_site_and_says_what_it_is_in_the_preview():
    assert render(COMP).strip() == ""
    preview = render(COMP, preview=True)
    assert (
        "Comp, not licensed" in preview and 'src="https://media.gettyimages.com/id/1234/thumb.jpg"' in preview
    )


def test_a_licence_whose_file_is_not_imported_prints_nothing_on_the_site():
    pending = stored(licence(imported=False))
    assert render(pending).strip() == ""
    assert "not in the image library yet" in render(pending, preview=True)


def test_no_image_prints_nothing():
    assert render(None).strip() == ""


def test_the_model_fields_value_prints_through_the_tag():
    record = licence()
    template = Template("{% load getty_picker_tags %}{% getty_image image %}")
    assert figcaptions(template.render(Context({"image": stored(record)}))) == ["Ann Lee / Getty Images"]
    assert template.render(Context({"image": None})).strip() == ""


def test_the_editor_panel_has_room_for_the_credit_and_the_restrictions():
    """field.js fills them in (see test_editor_e2e); the labels come translated from here."""
    html = GettyPickerWidget().render("lead", COMP, {"id": "id_lead"})
    assert 'data-text-credit="Credit"' in html
    assert 'data-text-restrictions="Usage restrictions"' in html
    assert re.search(r"<p [^>]*data-getty-picker-credit hidden>", html)
    assert re.search(r"<p [^>]*data-getty-picker-restrictions hidden>", html)


def test_the_public_page_shows_renditions_and_credits_and_nothing_of_gettys(client, demo_data):
    from home.models import HomePage

    lead, block, figure, gallery = (
        licence("1", credit=HOSTILE),
        licence("2", credit="Stone / Getty Images"),
        licence("3", credit="Figure / Getty Images"),
        licence("4", credit="Gallery / Getty Images"),
    )
    page = demo_data
    page.getty_image = stored(lead)
    page.body = HomePage.body.field.stream_block.to_python(
        [
            {"type": "getty_image", "value": stored(block)},
            {"type": "figure", "value": {"image": stored(figure), "caption": "A figure"}},
            {"type": "gallery", "value": [stored(gallery)]},
        ]
    )
    page.save_revision().publish()
    response = client.get(page.url, HTTP_HOST="localhost")
    assert response.status_code == 200
    html = response.content.decode()
    assert figcaptions(html) == [
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;Lee&lt;/b&gt; / Getty Images",
        "Stone / Getty Images",
        "Figure / Getty Images",
        "Gallery / Getty Images",
    ]
    assert html.count("<picture>") == 4
    assert not GETTY.search(html)
    # Every image the page points at is a file the site serves itself.
    for src in re.findall(r'(?:src|srcset)="([^" ]+)', html):
        assert src.startswith("/media/images/"), src
        served = client.get(src)
        assert served.status_code == 200 and served["Content-Type"].startswith("image/"), src
