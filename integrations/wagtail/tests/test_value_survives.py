"""A licensed image survives every path through Wagtail's admin, as the server renders and takes
it: every render of the editor (another editor, a form that did not validate, a revision from
history, a copy) shows each licensed image, in the field and in blocks at any depth, from its
licence record (title, the site's own thumbnail, a fresh signed reference), and the editor's
copy posted back (a save, an autosave) keeps it. A record or file deleted since is said in the
editor, kept in the draft and refused at publishing. Wagtail's reference index counts the pages
that use an image; the image's own page shows its Getty licence; revision comparisons show the
image. (The same paths in a real browser: ``test_workflows_e2e.py``.)"""

import io
import json
import re
from html import unescape

import pytest
from django.core.files.images import ImageFile
from django.test import Client
from support import licence_record, png_bytes
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from getty_picker import value as values

pytestmark = pytest.mark.django_db

COMP = {
    "state": "selected",
    "id": "1234",
    "title": "A cat",
    "thumb_uri": "https://media.gettyimages.com/id/1234/thumb.jpg",
    "credit_line": "Ann Lee / Getty Images",
    "copyright": None,
    "artist": None,
    "asset_family": "creative",
    "usage_restrictions": [],
}


def stored(licence):
    return {"state": "licensed", "id": licence.getty_id, "licence": licence.pk}


def logged_in(username):
    client = Client()
    assert client.login(username=username, password=username)
    return client


@pytest.fixture
def publisher(demo_data, django_user_model):
    """Another user who may publish and license: not the one who licensed the images."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("publisher", password="publisher")
    user.groups.set(Group.objects.filter(name__in=["Moderators", "Getty Images licensers"]))
    return user


@pytest.fixture
def images(demo_data, settings):
    """The demo page's draft with a licensed image in the field, in a block, in a struct block
    and in a list block beside a comp; returns ``(page, {place: record})``."""
    from home.models import HomePage

    settings.GETTY_PICKER = {"TOKEN_URL": "/t", "API_KEY": "k"}
    records = {
        place: licence_record(str(n)) for n, place in enumerate(["lead", "block", "figure", "gallery"], 11)
    }
    page = demo_data
    page.getty_image = stored(records["lead"])
    page.body = HomePage.body.field.stream_block.to_python(
        [
            {"type": "getty_image", "value": stored(records["block"])},
            {"type": "figure", "value": {"image": stored(records["figure"]), "caption": "A figure"}},
            {"type": "gallery", "value": [stored(records["gallery"]), COMP]},
        ]
    )
    page.save_revision()
    return page, records


def publish_without_the_comp(page, records):
    """Publishes ``page`` with its gallery's comp left out (a comp is not published)."""
    from home.models import HomePage

    page = Page.objects.get(pk=page.pk).get_latest_revision_as_object()
    raw = list(page.body.raw_data)
    raw[2] = {**raw[2], "value": [stored(records["gallery"])]}
    page.body = HomePage.body.field.stream_block.to_python(raw)
    page.save_revision().publish()


def editor_values(html):
    """Every Getty image value the editor's page hands the browser, in order: the field's hidden
    input, then each StreamField block's state (at any depth)."""
    found = []
    for match in re.finditer(r"<input [^>]*data-getty-picker-value[^>]*>", html):
        value = re.search(r'value="([^"]*)"', match.group(0)).group(1)
        found.append(json.loads(unescape(value)) if value else None)

    def walk(node):
        if isinstance(node, str):
            try:
                parsed = json.loads(node)
            except ValueError:
                return
            if isinstance(parsed, dict) and "state" in parsed:
                found.append(parsed)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    for match in re.finditer(r'data-w-block-arguments-value="([^"]*)"', html):
        walk(json.loads(unescape(match.group(1)))[0])
    return found


def fetched_image(client, url):
    """``url`` (a path on the site) answers 200 with an image."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("image/"), (url, response["Content-Type"])
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:8] == b"\x89PNG\r\n\x1a\n" or body[:3] == b"\xff\xd8\xff", url


def assert_shown_from(value, licence, client):
    """``value`` (the browser's copy) shows ``licence`` as its record does, with a fresh
    reference the server takes back and a thumbnail the site serves."""
    assert value["title"] == licence.title and value["credit_line"] == licence.credit_line
    assert values.verified(value) == values.Licensed(id=licence.getty_id, licence=licence.pk)
    assert value["notice"] is None
    fetched_image(client, value["thumb_url"])


def form_data(page, lead, body, action="action-save", **extra):
    """Wagtail's edit form of ``page`` as the browser posts it: ``lead`` and the body's four
    Getty values (block, figure's image, the gallery's two) as the editor's copies."""
    block, figure, first, second = body
    gallery = {
        "count": 2,
        **{
            str(i): {"value": json.dumps(v), "deleted": "", "order": i, "id": ""}
            for i, v in enumerate([first, second])
        },
    }
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "getty_image": json.dumps(lead) if lead else "",
            "body": streamfield(
                [
                    ("getty_image", json.dumps(block)),
                    ("figure", {"image": json.dumps(figure), "caption": "A figure"}),
                    ("gallery", gallery),
                ]
            ),
            "comments": inline_formset([]),
            action: "1",
            **extra,
        }
    )


def test_every_editor_sees_each_licensed_image_with_its_record_at_any_depth(images, publisher):
    page, records = images
    for username in ("editor", "publisher"):
        client = logged_in(username)
        html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
        lead, block, figure, gallery, comp = editor_values(html)
        for value, place in zip(
            (lead, block, figure, gallery), ("lead", "block", "figure", "gallery"), strict=True
        ):
            assert_shown_from(value, records[place], client)
        assert comp == COMP


@pytest.mark.every_database  # the values' round trip through the database's JSON columns
def test_the_editors_copy_posted_back_keeps_every_value_in_a_save_and_an_autosave(images):
    page, records = images
    client = logged_in("editor")
    before = page.get_latest_revision().content
    for headers in ({}, {"HTTP_ACCEPT": "application/json"}):  # a save, then as autosave posts
        html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
        lead, *body = editor_values(html)
        response = client.post(f"/admin/pages/{page.pk}/edit/", form_data(page, lead, body), **headers)
        assert response.status_code in (200, 302), response.content[:500]
        if headers:
            assert json.loads(response.content)["success"] is True
        draft = Page.objects.get(pk=page.pk).get_latest_revision_as_object()
        assert draft.getty_image == stored(records["lead"])
        assert [b.value for b in draft.body][:2] == [
            stored(records["block"]),
            {"image": stored(records["figure"]), "caption": "A figure"},
        ]
        assert list(draft.body[2].value) == [stored(records["gallery"]), COMP]
    assert page.get_latest_revision().content["getty_image"] == before["getty_image"]


def test_a_form_that_did_not_validate_shows_every_image_again_from_the_server(images):
    page, records = images
    client = logged_in("editor")
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    lead, block, figure, gallery, comp = editor_values(html)
    # The browser's copies come back with claims of their own: a forged title and thumbnail, a
    # reference that is not the server's, a comp's thumbnail from elsewhere.
    forged = {**lead, "title": "Forged", "thumb_url": "https://tracker.example/p.gif"}
    unsigned = {**gallery, "ref": "forged"}
    elsewhere = {**comp, "thumb_uri": "https://tracker.example/p.gif"}
    data = form_data(page, forged, [block, figure, unsigned, elsewhere], action="action-publish", title="")
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200  # the form again: the title is required
    html = response.content.decode()
    assert "could not be saved due to validation errors" in html
    shown_lead, shown_block, shown_figure, shown_gallery, shown_comp = editor_values(html)
    assert_shown_from(shown_lead, records["lead"], client)
    assert_shown_from(shown_block, records["block"], client)
    assert_shown_from(shown_figure, records["figure"], client)
    # Not the server's reference: kept as it came, with nothing the server did not vouch for.
    assert shown_gallery == stored(records["gallery"])
    assert shown_comp == {**COMP, "thumb_uri": None}
    assert "licence reference of Getty image 14 could not be verified" in html


def test_a_revision_opened_from_history_and_a_copied_page_show_the_licensed_images(images):
    page, records = images
    client = logged_in("editor")
    revision = page.get_latest_revision()
    page.getty_image = None
    page.save_revision()  # a newer draft without the lead image
    html = client.get(f"/admin/pages/{page.pk}/revisions/{revision.pk}/revert/").content.decode()
    assert_shown_from(editor_values(html)[0], records["lead"], client)

    publish_without_the_comp(page, records)
    response = client.post(
        f"/admin/pages/{page.pk}/copy/",
        {"new_title": "A copy", "new_slug": "a-copy", "new_parent_page": page.get_parent().pk},
    )
    assert response.status_code == 302
    copy = Page.objects.get(slug="a-copy")
    html = client.get(f"/admin/pages/{copy.pk}/edit/").content.decode()
    _lead, block, figure, gallery = editor_values(html)
    for value, place in zip((block, figure, gallery), ("block", "figure", "gallery"), strict=True):
        assert_shown_from(value, records[place], client)


def test_a_deleted_licence_record_is_said_in_the_editor_kept_in_the_draft_and_refused_at_publishing(images):
    page, records = images
    lead_pk = records["lead"].pk
    records["lead"].delete()
    client = logged_in("editor")
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    lead, *body = editor_values(html)
    assert lead["id"] == "11" and lead["licence"] == lead_pk and lead["title"] == ""
    assert "The licence record of this image could not be found" in lead["notice"]
    # Saved again (by the editor, or autosave), the draft keeps it...
    response = client.post(f"/admin/pages/{page.pk}/edit/", form_data(page, lead, body))
    assert response.status_code == 302
    assert Page.objects.get(pk=page.pk).get_latest_revision_as_object().getty_image == {
        "state": "licensed",
        "id": "11",
        "licence": lead_pk,
    }
    # ...and publishing says why not, without an error page.
    response = client.post(f"/admin/pages/{page.pk}/edit/", form_data(page, lead, body, "action-publish"))
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert "The licence record of Getty image 11 (in “Lead image (Getty Images)”) could not be found" in (
        response.content.decode()
    )
    assert not Page.objects.get(pk=page.pk).live or Page.objects.get(pk=page.pk).live_revision is None


def test_a_deleted_library_image_is_said_in_the_editor_and_publishing_says_why(images):
    page, records = images
    records["figure"].image.delete()
    client = logged_in("editor")
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    _lead, _block, figure, *_rest = editor_values(html)
    assert figure["thumb_url"] is None and figure["import_url"] is None
    assert "The licensed file was deleted from the image library" in figure["notice"]
    lead, *body = editor_values(html)
    response = client.post(f"/admin/pages/{page.pk}/edit/", form_data(page, lead, body, "action-publish"))
    html = client.get(response["Location"]).content.decode()
    assert "(Getty image 13, in “Body › Figure › Image”) was deleted from the image library" in html
    # The public preview of the draft says so too, instead of failing.
    preview = page.get_latest_revision_as_object().make_preview_request()
    assert preview.status_code == 200


def test_the_revision_comparison_shows_each_image(images):
    page, records = images
    first = page.get_latest_revision()
    page.getty_image = COMP
    second = page.save_revision()
    client = logged_in("editor")
    html = client.get(f"/admin/pages/{page.pk}/revisions/compare/{first.pk}...{second.pk}/").content.decode()
    comparison = re.search(r'<div class="preview-image getty-picker-compare deletion".*?</div>', html, re.S)
    assert comparison and "Licensed 11 · Licensed · 11" in unescape(comparison.group(0))
    [src] = re.findall(r'<img [^>]*src="([^"]+)"', comparison.group(0))
    fetched_image(client, src)
    assert "A cat · Comp, not licensed · 1234" in unescape(html)


def test_wagtails_usage_counts_every_page_using_a_getty_image_at_any_depth(images):
    page, records = images
    publish_without_the_comp(page, records)
    client = logged_in("editor")
    for place, licence in records.items():
        image = licence.image
        assert ReferenceIndex.get_grouped_references_to(image).count() == 1, place
        html = client.get(f"/admin/images/{image.pk}/").content.decode()
        assert "Used 1 time" in html, place
        usage = client.get(f"/admin/images/usage/{image.pk}/").content.decode()
        assert page.title in usage, place
        delete = client.get(f"/admin/images/{image.pk}/delete/").content.decode()
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", unescape(delete)))
        assert "This image is referenced 1 time." in text, place


def test_the_image_edit_page_shows_its_getty_credit_and_licence(images):
    _page, records = images
    licence = records["lead"]
    licence.product_name, licence.project_code = "Premium Access", "WEB-HOME"
    licence.save()
    html = unescape(logged_in("editor").get(f"/admin/images/{licence.image_id}/").content.decode())
    section = re.search(r'<section class="getty-picker-licence".*?</section>', html, re.S).group(0)
    assert "Photographer 11 / Getty Images" in section and "Premium Access" in section
    assert "WEB-HOME" in section and ">11<" in section.replace(" · ", "<")
    # An image that did not come from Getty shows none.
    other = get_image_model().objects.create(
        title="Own", file=ImageFile(io.BytesIO(png_bytes()), name="own.png")
    )
    assert (
        "getty-picker-licence" not in logged_in("editor").get(f"/admin/images/{other.pk}/").content.decode()
    )


def test_the_example_site_serves_its_media(images):
    _page, records = images
    fetched_image(Client(), records["lead"].image.file.url)
