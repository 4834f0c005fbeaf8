"""The licence survives every workflow, end to end in headless Chromium with real logins against
the example site and the token service's sandbox: an editor reloads and saves again and another
publisher publishes; a go-live is refused while a comp is held; an older revision is reverted
to; a page is copied, bulk published, unpublished and published again; the preview and the
revision comparison show the image; a licence record or its library image deleted afterwards is
said in the editor and at publishing. Every image URL a test checks is fetched (a 200 with an
image), not only looked at.

Licensing through the picker costs a search, a download and a worker's import; where the workflow
under test is not licensing, the licence record and its file are made on the server, as the import
makes them."""

import pytest
from browser import (
    LEAD,
    after_submit,
    an_image,
    autosaved,
    choose_comp,
    click,
    download,
    footer_action,
    imported,
    loaded,
    log_in,
    messages,
    open_editor,
    save_draft,
    search,
    wait,
    wait_for_value,
    watch_autosave,
)
from django.utils import timezone
from selenium.webdriver.common.by import By
from support import licence_record
from wagtail.models import Page

from getty_picker.models import GettyLicence

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIGURE = '[data-contentpath="body"] [data-getty-picker-field]'


@pytest.fixture
def site(page, live_server, demo_data, picker_settings):
    """The example site with its pickers and imports on the session's token service; returns
    ``(browser, site URL, the demo page)``."""
    return page, live_server.url, demo_data


def stored(licence):
    return {"state": "licensed", "id": licence.getty_id, "licence": licence.pk}


def with_figure(page, licence):
    """``page``'s draft with ``licence`` in a figure (a Getty image inside a struct block)."""
    from home.models import HomePage

    page = Page.objects.get(pk=page.pk).get_latest_revision_as_object()
    page.body = HomePage.body.field.stream_block.to_python(
        [{"type": "figure", "value": {"image": stored(licence), "caption": "A figure"}}]
    )
    return page


def preview_of(driver, field):
    """The field's preview once it shows an image: ``(title, meta, state, thumbnail URL)``."""
    preview = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-preview]")
    wait(driver, lambda d: preview.is_displayed(), "the field shows no image")
    thumb = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-thumb]")
    url = loaded(driver, thumb) if thumb.is_displayed() else None
    part = lambda name: field.find_element(By.CSS_SELECTOR, f"[data-getty-picker-{name}]").text  # noqa: E731
    return part("title"), part("meta"), part("state"), url


def confirmation(driver, action):
    """The submit button of the page's form posting to a URL ending in ``action`` (the admin's
    sidebar has a search form of its own)."""
    return wait(
        driver,
        lambda d: d.find_element(By.CSS_SELECTOR, f'main form[action*="{action}"] [type=submit]'),
        f"no form posting to {action}",
    )


def public_image(driver, site, path="/"):
    """The public page's first Getty image: loaded, fetched; returns its credit line."""
    driver.get(f"{site}{path}")
    figure = wait(
        driver, lambda d: d.find_element(By.CSS_SELECTOR, "figure.getty-image"), "no image on the page"
    )
    loaded(driver, figure.find_element(By.CSS_SELECTOR, "picture img"))
    return figure.find_element(By.CSS_SELECTOR, "figcaption").text


# Saves, autosaves and the token service's forward-auth calls write at once: the database's
# locking and transactions are part of what is tested.
@pytest.mark.every_database
def test_a_licensed_image_survives_reload_and_save_and_publishes_for_the_same_editor_and_another_publisher(
    site, token_service, django_user_model, worker
):
    from django.contrib.auth.models import Group

    driver, url, demo = site
    with_figure(demo, licence_record("7001")).save_revision()
    publisher = django_user_model.objects.create_user("publisher", password="publisher")
    publisher.groups.set(Group.objects.filter(name__in=["Moderators", "Getty Images licensers"]))

    log_in(driver, url, "editor")
    field = open_editor(driver, url, demo)
    picker = search(driver, field, "kitten")
    card = picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card")
    title = card.find_element(By.CSS_SELECTOR, ".gp-title").text
    download(driver, card)
    value = wait_for_value(driver, field, imported, "the licensed file was not imported")
    licence = GettyLicence.objects.get(getty_id=value["id"])
    save_draft(driver, field)

    for _ in range(2):  # reload, save again, reload
        field = open_editor(driver, url, demo)
        shown_title, meta, state, thumb = preview_of(driver, field)
        assert shown_title == title and meta.startswith("Licensed") and state == "" and thumb
        assert preview_of(driver, driver.find_element(By.CSS_SELECTOR, FIGURE))[0] == "Licensed 7001"
        save_draft(driver, field)
    # Neither a save nor an autosave ever stored the image as empty.
    revisions = Page.objects.get(pk=demo.pk).revisions.order_by("created_at")
    kept = [r.content["getty_image"] for r in revisions if r.content.get("getty_image")]
    assert kept and all(v == stored(licence) for v in kept[kept.index(stored(licence)) :])

    field = open_editor(driver, url, demo)
    preview_of(driver, field)
    footer_action(driver, "action-publish")
    after_submit(driver, field)
    assert not [m for m in messages(driver) if "was not published" in m], messages(driver)
    assert Page.objects.get(pk=demo.pk).specific.getty_image == stored(licence)
    assert public_image(driver, url) == licence.credit_line

    # Another publisher opens the page: the same image, and publishing keeps it.
    driver.delete_all_cookies()
    log_in(driver, url, "publisher")
    field = open_editor(driver, url, demo)
    assert preview_of(driver, field)[0] == title
    title_input = driver.find_element(By.ID, "id_title")
    title_input.clear()
    title_input.send_keys("Getty picker demo, edited")
    footer_action(driver, "action-publish")
    after_submit(driver, field)
    live = Page.objects.get(pk=demo.pk).specific
    assert live.title == "Getty picker demo, edited" and live.getty_image == stored(licence)
    assert live.body[0].value["image"] == stored(GettyLicence.objects.get(getty_id="7001"))
    assert public_image(driver, url) == licence.credit_line


def test_a_comp_held_by_the_site_is_taken_with_use_it_in_its_field_spending_nothing(site, token_service):
    driver, url, demo = site
    log_in(driver, url, "writer")
    field = open_editor(driver, url, demo)
    comp = choose_comp(driver, field)
    save_draft(driver, field)
    # Meanwhile the site licensed that very image (on another page, say).
    licence = licence_record(comp["id"])
    downloads = token_service.downloads()

    driver.delete_all_cookies()
    log_in(driver, url, "editor")
    field = open_editor(driver, url, demo)
    _title, _meta, state, _thumb = preview_of(driver, field)
    assert "“Use it” takes it at no cost" in state
    use = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-use]")
    wait(driver, lambda d: use.is_displayed(), "no “Use it” in the field")
    assert not field.find_element(By.CSS_SELECTOR, "[data-getty-picker-license]").is_displayed()
    click(driver, use)
    value = wait_for_value(
        driver, field, lambda v: v["state"] == "licensed", "“Use it” did not take the licence"
    )
    assert value["licence"] == licence.pk and preview_of(driver, field)[3]
    footer_action(driver, "action-publish")
    after_submit(driver, field)
    assert Page.objects.get(pk=demo.pk).specific.getty_image == stored(licence)
    assert token_service.downloads() == downloads


def test_a_go_live_with_a_comp_is_refused_when_it_is_set_in_the_editor(site):
    driver, url, demo = site
    log_in(driver, url, "editor")
    field = open_editor(driver, url, demo)
    comp = choose_comp(driver, field)
    # The status side panel's publishing schedule: a go-live tomorrow, saved with the draft.
    click(driver, driver.find_element(By.CSS_SELECTOR, '[data-side-panel-toggle="status"]'))
    click(
        driver, driver.find_element(By.CSS_SELECTOR, '[data-a11y-dialog-show="schedule-publishing-dialog"]')
    )
    go_live = driver.find_element(By.ID, "id_go_live_at")
    wait(driver, lambda d: go_live.is_displayed(), "the schedule dialog did not open")
    go_live.send_keys((timezone.now() + timezone.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"))
    # A click on the dialog's title closes the date picker the typing opened.
    click(driver, driver.find_element(By.ID, "title-schedule-publishing-dialog"))
    autosaved(driver)
    click(driver, driver.find_element(By.CSS_SELECTOR, "#schedule-publishing-dialog button.action-save"))
    after_submit(driver, field)
    field = wait(
        driver, lambda d: d.find_element(By.CSS_SELECTOR, LEAD), "no field after saving the schedule"
    )
    watch_autosave(driver)
    assert Page.objects.get(pk=demo.pk).get_latest_revision_as_object().go_live_at is not None
    footer_action(driver, "action-publish")
    after_submit(driver, field)
    [message] = [m for m in messages(driver) if "was not scheduled for publishing" in m]
    assert f"(Getty image {comp['id']}, in “Lead image (Getty Images)”) is a comp" in message
    demo.refresh_from_db()
    assert not demo.revisions.filter(approved_go_live_at__isnull=False).exists()


def test_reverting_to_an_older_revision_that_held_a_comp_shows_it_and_publishing_says_why(site):
    driver, url, demo = site
    log_in(driver, url, "editor")
    field = open_editor(driver, url, demo)
    comp = choose_comp(driver, field)
    save_draft(driver, field)
    older = Page.objects.get(pk=demo.pk).get_latest_revision()
    assert older.content["getty_image"]["state"] == "selected"
    # Later the page was published with a licensed image instead.
    licence = licence_record("7002")
    newer = Page.objects.get(pk=demo.pk).get_latest_revision_as_object()
    newer.getty_image = stored(licence)
    newer.save_revision().publish()

    # The history: the older revision's "Actions" menu, "Review this version".
    driver.get(f"{url}/admin/pages/{demo.pk}/history/")
    row = wait(
        driver,
        lambda d: next(
            (
                r
                for r in d.find_elements(By.CSS_SELECTOR, "table.listing tbody tr")
                if "Draft saved" in r.text
            ),
            None,
        ),
        "the older revision is not in the history",
    )
    click(driver, row.find_element(By.CSS_SELECTOR, ".w-dropdown__toggle"))
    revert = wait(
        driver,
        lambda d: next(
            (
                a
                for a in d.find_elements(By.CSS_SELECTOR, f'a[href$="/revisions/{older.pk}/revert/"]')
                if a.is_displayed()
            ),
            None,
        ),
        "no way to the older revision in the history",
    )
    click(driver, revert)
    after_submit(driver, row)
    field = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, LEAD), "no field in the reverted editor")
    watch_autosave(driver)
    title, meta, state, thumb = preview_of(driver, field)
    assert title == comp["title"] and meta == comp["id"] and "Comp, not licensed" in state and thumb
    footer_action(driver, "action-publish")
    after_submit(driver, field)
    assert any(
        f"(Getty image {comp['id']}, in “Lead image (Getty Images)”) is a comp" in m for m in messages(driver)
    )
    assert Page.objects.get(pk=demo.pk).specific.getty_image == stored(licence)
    assert public_image(driver, url) == licence.credit_line


def test_a_copied_page_keeps_its_licensed_images_and_its_published_copy_shows_them(site):
    from home.models import HomePage

    driver, url, demo = site
    licence = licence_record("7003")
    original = demo.add_child(instance=HomePage(title="Licensed", slug="licensed", live=False))
    page = with_figure(original, licence)
    page.getty_image = stored(licence)
    page.save_revision().publish()

    log_in(driver, url, "editor")
    driver.get(f"{url}/admin/pages/{original.pk}/copy/")
    title = wait(driver, lambda d: d.find_element(By.ID, "id_new_title"), "no copy form")
    title.clear()
    title.send_keys("A copy")
    slug = driver.find_element(By.ID, "id_new_slug")
    slug.clear()
    slug.send_keys("a-copy")
    publish = driver.find_elements(By.ID, "id_publish_copies")
    if publish and not publish[0].is_selected():
        click(driver, publish[0])
    submit = driver.find_element(By.CSS_SELECTOR, 'form[action$="/copy/"] [type=submit]')
    click(driver, submit)
    after_submit(driver, submit)
    copy = Page.objects.get(slug="a-copy")
    assert copy.live and copy.specific.getty_image == stored(licence)

    field = open_editor(driver, url, copy)
    assert preview_of(driver, field)[0] == "Licensed 7003"
    assert preview_of(driver, driver.find_element(By.CSS_SELECTOR, FIGURE))[0] == "Licensed 7003"
    assert public_image(driver, url, copy.url) == licence.credit_line


def test_bulk_publishing_refuses_a_comp_with_the_reason_and_publishes_licensed_drafts(site):
    from home.models import HomePage

    driver, url, demo = site
    demo.unpublish()
    licence = licence_record("7004")
    licensed = Page.objects.get(pk=demo.pk).specific
    licensed.getty_image = stored(licence)
    licensed.save_revision()
    with_comp = demo.add_sibling(instance=HomePage(title="With a comp", slug="with-a-comp", live=False))
    with_comp.getty_image = {"state": "selected", "id": "7005", "title": "A comp", "usage_restrictions": []}
    with_comp.save_revision()

    log_in(driver, url, "editor")

    def bulk_publish(pages):
        ids = "&".join(f"id={p.pk}" for p in pages)
        driver.get(f"{url}/admin/bulk/wagtailcore/page/publish/?{ids}&next=/admin/pages/")
        yes = confirmation(driver, "/publish/")
        click(driver, yes)
        after_submit(driver, yes)

    bulk_publish([licensed, with_comp])
    [message] = [m for m in messages(driver) if "was not published" in m]
    assert "“A comp” (Getty image 7005, in “Lead image (Getty Images)”) is a comp" in message
    assert not Page.objects.get(pk=demo.pk).live and not Page.objects.get(pk=with_comp.pk).live

    bulk_publish([licensed])
    assert Page.objects.get(pk=demo.pk).live
    assert public_image(driver, url) == licence.credit_line


def test_an_unpublished_page_is_published_again_with_its_licensed_image(site):
    driver, url, demo = site
    licence = licence_record("7006")
    page = Page.objects.get(pk=demo.pk).specific
    page.getty_image = stored(licence)
    page.save_revision().publish()

    log_in(driver, url, "editor")
    driver.get(f"{url}/admin/pages/{demo.pk}/unpublish/")
    yes = confirmation(driver, "/unpublish/")
    click(driver, yes)
    after_submit(driver, yes)
    assert not Page.objects.get(pk=demo.pk).live

    field = open_editor(driver, url, demo)
    assert preview_of(driver, field)[0] == "Licensed 7006"
    footer_action(driver, "action-publish")
    after_submit(driver, field)
    assert Page.objects.get(pk=demo.pk).live
    assert public_image(driver, url) == licence.credit_line


def test_the_preview_and_the_revision_comparison_show_the_licensed_image(site):
    driver, url, demo = site
    first = Page.objects.get(pk=demo.pk).specific.save_revision()
    licence = licence_record("7007")
    page = Page.objects.get(pk=demo.pk).specific
    page.getty_image = stored(licence)
    second = page.save_revision()

    log_in(driver, url, "editor")
    field = open_editor(driver, url, demo)
    preview_of(driver, field)
    click(driver, driver.find_element(By.CSS_SELECTOR, '[data-side-panel-toggle="preview"]'))
    # The preview panel loads the form's content into its iframe (it swaps in a fresh one at each
    # reload): the image of whichever iframe shows it once it has loaded.
    src = wait(
        driver,
        lambda d: d.execute_script(
            """
            for (const frame of document.querySelectorAll("iframe[data-w-preview-target='iframe']")) {
              const doc = frame.contentDocument;
              const img = doc && doc.querySelector("figure.getty-image picture img");
              const credit = doc && doc.querySelector("figure.getty-image figcaption");
              if (img && img.complete && img.naturalWidth > 0) return [img.currentSrc, credit.textContent];
            }
            return null;
            """
        ),
        "the preview shows no image",
    )
    assert src[1] == licence.credit_line
    an_image(src[0])

    driver.get(f"{url}/admin/pages/{demo.pk}/revisions/compare/{first.pk}...{second.pk}/")
    compared = wait(
        driver,
        lambda d: d.find_element(By.CSS_SELECTOR, ".getty-picker-compare.addition"),
        "no image compared",
    )
    loaded(driver, compared.find_element(By.CSS_SELECTOR, "img"))
    assert "Licensed 7007 · Licensed · 7007" in compared.text


def test_a_licence_record_or_library_image_deleted_afterwards_is_said_and_publishing_says_why(site):
    driver, url, demo = site
    gone, kept = licence_record("7008"), licence_record("7009")
    page = with_figure(demo, kept)
    page.getty_image = stored(gone)
    page.save_revision()
    gone_pk = gone.pk
    gone.delete()
    kept.image.delete()

    log_in(driver, url, "editor")
    field = open_editor(driver, url, demo)
    _title, _meta, state, thumb = preview_of(driver, field)
    assert "The licence record of this image could not be found" in state and thumb is None
    figure = driver.find_element(By.CSS_SELECTOR, FIGURE)
    _title, _meta, state, thumb = preview_of(driver, figure)
    assert "The licensed file was deleted from the image library" in state and thumb is None
    footer_action(driver, "action-publish")
    after_submit(driver, field)
    [message] = [m for m in messages(driver) if "was not published" in m]
    assert (
        "The licence record of Getty image 7008 (in “Lead image (Getty Images)”) could not be found"
        in message
    )
    assert "(Getty image 7009, in “Body › Figure › Image”) was deleted from the image library" in message
    # The draft still holds both, as the editor left them (nothing saved them as empty).
    autosaved(driver)
    draft = Page.objects.get(pk=demo.pk).get_latest_revision_as_object()
    assert draft.getty_image == {"state": "licensed", "id": "7008", "licence": gone_pk}
    assert draft.body[0].value["image"] == stored(kept)
