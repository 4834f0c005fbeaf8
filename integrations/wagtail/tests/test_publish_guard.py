"""Publish only what was licensed: a page holding a comp (in the field, a block, a block inside a
struct or a list) or a licence whose file is not imported is not published, from the editor,
from a moderator's approval (editor or dashboard), from the bulk action or from code; the draft
is kept and the message names the image and what to do. Once licensed and imported, it
publishes."""

import io
import json

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.test import Client
from django.utils import timezone
from support import png_bytes
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from getty_picker import value as values
from getty_picker.guard import HeldBack
from getty_picker.models import GettyLicence

pytestmark = pytest.mark.django_db

COMP = {
    "state": "selected",
    "id": "1234",
    "title": "A cat",
    "thumb_uri": None,
    "credit_line": "Ann Lee / Getty Images",
    "copyright": None,
    "artist": None,
    "asset_family": "creative",
    "usage_restrictions": [],
}


def licence(getty_id="555", imported=True):
    image = None
    if imported:
        image = get_image_model().objects.create(
            title="Licensed", file=ImageFile(io.BytesIO(png_bytes()), name=f"{getty_id}.png")
        )
    return GettyLicence.objects.create(
        getty_id=getty_id, title=f"Licensed {getty_id}", licensed_at=timezone.now(), image=image
    )


def shown(record):
    """The browser's copy of a licensed value (what the import hands the field)."""
    return {
        "state": "licensed",
        "id": record.getty_id,
        "licence": record.pk,
        "ref": values.reference(record.pk, record.getty_id),
    }


def stored(record):
    return {"state": "licensed", "id": record.getty_id, "licence": record.pk}


def logged_in(username):
    client = Client()
    assert client.login(username=username, password=username)
    return client


def edit(client, page, getty_image=None, body=(), action="action-publish", extra=None):
    """POSTs Wagtail's edit form of ``page`` as the editor's browser would."""
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "getty_image": json.dumps(getty_image) if getty_image else "",
            "body": streamfield(list(body)),
            "comments": inline_formset([]),
            action: "1",
            **(extra or {}),
        }
    )
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def latest(page):
    page.refresh_from_db()
    return page.get_latest_revision_as_object()


@pytest.fixture
def page(demo_data):
    """The demo page, as a draft nobody has published yet."""
    demo_data.unpublish()
    demo_data.refresh_from_db()
    return demo_data


@pytest.mark.every_database
@pytest.mark.parametrize(
    ("getty_image", "body", "where"),
    [
        (COMP, [], "Lead image (Getty Images)"),
        (None, [("getty_image", json.dumps(COMP))], "Body › Getty image"),
    ],
    ids=["field", "block"],
)
def test_publishing_a_comp_from_the_editor_is_refused_and_the_draft_kept(page, getty_image, body, where):
    response = edit(logged_in("editor"), page, getty_image=getty_image, body=body)
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.pk}/edit/"
    [message] = messages_of(response)
    assert "was not published" in message
    assert f"“A cat” (Getty image 1234, in “{where}”) is a comp, not licensed" in message
    assert "license it with “Download” in its picker, or remove it, then publish" in message
    page.refresh_from_db()
    assert not page.live and page.live_revision is None
    draft = latest(page)
    held = draft.getty_image if getty_image else draft.body[0].value
    assert isinstance(values.read(held), values.Comp)


def test_comps_inside_struct_and_list_blocks_are_found(page):
    from home.models import HomePage

    body = HomePage.body.field.stream_block.to_python(
        [
            {"type": "figure", "value": {"image": COMP, "caption": "Cats"}},
            {"type": "gallery", "value": [stored(licence()), {**COMP, "id": "99", "title": "Dog"}]},
        ]
    )
    page.body = body
    page.save_revision()
    with pytest.raises(HeldBack) as refused:
        page.get_latest_revision().publish()
    [figure, gallery] = refused.value.problems
    assert "“A cat” (Getty image 1234, in “Body › Figure › Image”)" in figure
    assert "“Dog” (Getty image 99, in “Body › Gallery 2”)" in gallery
    assert not Page.objects.get(pk=page.pk).live


def test_a_licence_whose_file_is_not_imported_is_not_published(page):
    pending = licence("777", imported=False)
    response = edit(logged_in("editor"), page, getty_image=shown(pending))
    [message] = messages_of(response)
    assert "The licensed file of “Licensed 777” (Getty image 777" in message
    assert "use “Import again” in its field, then publish" in message
    assert not Page.objects.get(pk=page.pk).live


def test_once_licensed_and_imported_the_page_publishes(page):
    record = licence()
    response = edit(
        logged_in("editor"),
        page,
        getty_image=shown(record),
        body=[("getty_image", json.dumps(shown(record)))],
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.getty_image == stored(record)
    assert page.body[0].value == stored(record)


def test_saving_a_draft_with_a_comp_is_allowed(page):
    response = edit(logged_in("editor"), page, getty_image=COMP, action="action-save")
    assert response.status_code == 302 and not any("not published" in m for m in messages_of(response))
    assert latest(page).getty_image == COMP


def test_a_tampered_licensed_value_is_refused_by_the_form(page):
    forged = {"state": "licensed", "id": "1234", "licence": licence().pk}
    response = edit(logged_in("editor"), page, getty_image=forged, action="action-save")
    assert response.status_code == 200  # the form again, with the error
    assert "licence reference of Getty image 1234 could not be verified" in response.content.decode()
    assert latest(page).getty_image is None


@pytest.fixture
def in_moderation(page):
    """The page with a comp, submitted for moderation by the writer (Wagtail's default workflow:
    Moderators approve)."""
    page.getty_image = COMP
    revision = page.save_revision(user=page.owner)
    workflow = Workflow.objects.get(name="Moderators approval")
    from django.contrib.auth import get_user_model

    writer = get_user_model().objects.get(username="writer")
    workflow.start(page, writer)
    page.refresh_from_db()
    assert page.workflow_in_progress
    return page, revision


@pytest.mark.every_database
def test_a_moderators_approval_from_the_dashboard_is_refused_while_a_comp_is_held(in_moderation):
    page, _revision = in_moderation
    task_state = page.current_workflow_task_state
    client = logged_in("editor")
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
    response = client.post(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    # Wagtail's dialog is told to go to the page's editor, where the message waits.
    assert response.status_code == 200
    answer = json.loads(response.content)
    assert answer["step"] == "success" and answer["redirect"] == f"/admin/pages/{page.pk}/edit/"
    [message] = messages_of(response)
    assert "“A cat” (Getty image 1234, in “Lead image (Getty Images)”) is a comp" in message
    page.refresh_from_db()
    assert not page.live
    # The approval did not happen: the page is still in moderation, its task still open.
    assert page.workflow_in_progress
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"


@pytest.mark.every_database
def test_a_moderators_approval_from_the_editor_is_refused_then_passes_once_licensed(in_moderation):
    page, _revision = in_moderation
    client = logged_in("editor")
    approve = {"workflow-action-name": "approve"}
    response = edit(client, page, getty_image=COMP, action="action-workflow-action", extra=approve)
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert any("is a comp, not licensed" in m for m in messages_of(response))
    page.refresh_from_db()
    assert not page.live and page.workflow_in_progress

    # The moderator licenses it in the field (the import's value), then approves: published.
    record = licence("1234")
    response = edit(client, page, getty_image=shown(record), action="action-workflow-action", extra=approve)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.getty_image == stored(record) and not page.workflow_in_progress


@pytest.mark.every_database
def test_bulk_publishing_is_refused_as_a_whole(page):
    page.getty_image = COMP
    page.save_revision()
    client = logged_in("editor")
    url = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/pages/"
    response = client.post(url, {"include_descendants": ""})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert any("is a comp, not licensed" in m for m in messages_of(response))
    assert not Page.objects.get(pk=page.pk).live


def test_publishing_from_code_is_refused_too(page):
    page.getty_image = COMP
    revision = page.save_revision()
    with pytest.raises(HeldBack):
        revision.publish()
    assert not Page.objects.get(pk=page.pk).live


def test_a_live_page_keeps_its_live_content_while_a_comp_waits_in_its_draft(page):
    record = licence()
    page.getty_image = stored(record)
    page.save_revision().publish()
    # A draft with a comp is saved on the live page: nothing about the live page changes.
    page.refresh_from_db()
    page.getty_image = COMP
    page.save_revision()
    live = Page.objects.get(pk=page.pk).specific
    assert live.live and live.getty_image == stored(record)
    assert latest(page).getty_image == COMP


@pytest.mark.every_database
def test_without_the_middleware_the_refusal_is_an_error_page_and_nothing_is_published(
    in_moderation, settings
):
    from getty_picker.apps import MIDDLEWARE, check_middleware

    page, _revision = in_moderation
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    [warning] = check_middleware()
    assert warning.id == "getty_picker.W001"
    task_state = page.current_workflow_task_state
    client = Client(raise_request_exception=False)
    assert client.login(username="editor", password="editor")
    response = client.post(f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/")
    assert response.status_code == 500
    assert not Page.objects.get(pk=page.pk).live


def test_a_licence_record_since_deleted_is_not_published(page):
    record = licence()
    page.getty_image = stored(record)
    record.delete()
    revision = page.save_revision()
    with pytest.raises(HeldBack) as refused:
        revision.publish()
    [problem] = refused.value.problems
    assert (
        "The licence record of Getty image 555 (in “Lead image (Getty Images)”) could not be found: "
        "license it again" in problem
    )


def test_a_licence_record_of_another_image_is_not_published(page):
    record = licence("555")
    page.getty_image = {"state": "licensed", "id": "999", "licence": record.pk}
    with pytest.raises(HeldBack) as refused:
        page.save_revision().publish()
    [problem] = refused.value.problems
    assert "The licence record kept for Getty image 999 (in “Lead image (Getty Images)”)" in problem
    assert "is that of Getty image 555: choose the image again" in problem


def test_a_save_with_update_fields_that_puts_a_page_live_is_refused(page):
    page.getty_image = COMP
    page.save()  # a draft's own row: not live, so allowed
    page.live = True
    with pytest.raises(HeldBack):
        page.save(update_fields=["live"])
    assert not Page.objects.get(pk=page.pk).live
    # The base page object (what a listing works with) cannot put the content live either.
    base = Page.objects.get(pk=page.pk)
    base.live = True
    with pytest.raises(HeldBack):
        base.save(update_fields=["live"])
    assert not Page.objects.get(pk=page.pk).live


def test_a_live_page_cannot_take_a_comp_in_place_but_stays_savable_with_what_it_holds(page):
    record = licence()
    page.getty_image = stored(record)
    page.save_revision().publish()
    page.refresh_from_db()
    page.getty_image = COMP
    with pytest.raises(HeldBack):
        page.save()  # the live row changed without a publish
    with pytest.raises(HeldBack):
        page.save(update_fields=["getty_image"])
    # What is live already is not judged again: a live page whose record went away stays savable.
    page.refresh_from_db()
    record.delete()
    page.title = "Renamed"
    page.save()
    assert Page.objects.get(pk=page.pk).title == "Renamed"


def test_models_that_are_not_pages_are_guarded_too(db):
    from home.models import Promo, Sponsor

    # A model with drafts: the draft keeps the comp, publishing is refused until licensed.
    promo = Promo.objects.create(title="Spring", image=COMP, live=False)
    revision = promo.save_revision()
    with pytest.raises(HeldBack):
        revision.publish()
    assert not Promo.objects.get(pk=promo.pk).live
    record = licence()
    promo.image = stored(record)
    promo.save_revision().publish()
    assert Promo.objects.get(pk=promo.pk).live
    # A model without drafts is live at every save: its form refuses a comp, and so does a save.
    sponsor = Sponsor(name="Acme", logo=COMP)
    with pytest.raises(ValidationError, match="is a comp, not licensed"):
        sponsor.full_clean()
    with pytest.raises(HeldBack):
        sponsor.save()
    sponsor.logo = stored(record)
    sponsor.full_clean()
    sponsor.save()


def test_scheduling_a_comp_from_the_editor_is_refused(page):
    go_live = (timezone.now() + timezone.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    response = edit(logged_in("editor"), page, getty_image=COMP, extra={"go_live_at": go_live})
    [message] = messages_of(response)
    assert "was not scheduled for publishing" in message and "is a comp, not licensed" in message
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()


@pytest.mark.every_database  # the refusal rolls the approval back: transactions
@pytest.mark.parametrize("live", [False, True], ids=["new page", "live page"])
def test_an_approval_with_a_future_go_live_is_refused_while_a_comp_is_held(in_moderation, live):
    page, revision = in_moderation
    if live:
        Page.objects.filter(pk=page.pk).update(live=True)
    content = revision.content
    content["go_live_at"] = (timezone.now() + timezone.timedelta(days=1)).isoformat()
    Revision.objects.filter(pk=revision.pk).update(content=content)
    task_state = page.current_workflow_task_state
    response = logged_in("editor").post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/",
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert json.loads(response.content)["redirect"] == f"/admin/pages/{page.pk}/edit/"
    [message] = messages_of(response)
    assert "was not scheduled for publishing" in message and "is a comp, not licensed" in message
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"


def scheduled(page, getty_image, minutes_ago):
    """``page`` with ``getty_image``, scheduled (as Wagtail records it) to go live
    ``minutes_ago`` minutes ago: its go-live has come."""
    page.getty_image = getty_image
    go_live = timezone.now() - timezone.timedelta(minutes=minutes_ago)
    page.go_live_at = go_live
    revision = page.save_revision()
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=go_live)
    return revision


@pytest.mark.every_database
def test_publish_scheduled_holds_back_a_page_that_may_not_go_live_and_publishes_the_others(page, capsys):
    from django.core.management import call_command
    from home.models import HomePage
    from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

    other = page.add_sibling(instance=HomePage(title="Later", slug="later", live=False))
    gone, kept = licence("555"), licence("556")
    scheduled(page, stored(gone), minutes_ago=10)  # goes first
    scheduled(other, stored(kept), minutes_ago=5)
    gone.delete()  # after scheduling: that page can no longer go live

    # Wagtail's own command stops at the first page, leaving the other unpublished.
    with pytest.raises(HeldBack):
        call_command(WagtailCommand())
    assert not Page.objects.get(pk=other.pk).live
    # (Wagtail took the page's revision off the schedule before refusing: it is due again, first.)
    Revision.objects.filter(object_id=str(page.pk)).update(
        approved_go_live_at=timezone.now() - timezone.timedelta(minutes=10)
    )

    call_command("publish_scheduled")
    assert Page.objects.get(pk=other.pk).live
    held = Page.objects.get(pk=page.pk)
    assert not held.live and not held.revisions.filter(approved_go_live_at__isnull=False).exists()
    assert "Held back: “Getty picker demo” was not published" in capsys.readouterr().err
    from wagtail.models import PageLogEntry

    entry = PageLogEntry.objects.get(page=page, action="getty_picker.held_back")
    assert "The licence record of Getty image 555" in entry.message
    # Nothing is left to do, and nothing raises.
    call_command("publish_scheduled")


def test_the_apps_publish_scheduled_is_the_one_django_runs_and_the_check_says_when_it_would_not(monkeypatch):
    from django.apps import apps
    from django.core.management import get_commands

    from getty_picker.apps import check_app_order

    assert get_commands()["publish_scheduled"] == "getty_picker"
    assert get_commands()["publish_scheduled_pages"] == "getty_picker"
    assert check_app_order() == []
    ours = apps.get_app_config("getty_picker")
    wagtail_first = [c for c in apps.get_app_configs() if c is not ours] + [ours]
    monkeypatch.setattr(apps, "get_app_configs", lambda: wagtail_first)
    [warning] = check_app_order()
    assert warning.id == "getty_picker.W003" and "wagtail, wagtail.images" in warning.msg
