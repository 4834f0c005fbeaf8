"""End to end in headless Chromium with real logins: the example site (live, on 127.0.0.1), the
token service (sandbox upstream, forward-auth to the site, counting what it is asked) and a real
task worker (``manage.py db_worker``) that imports licensed files.

An editor licenses an image in the Getty field's chooser modal: a worker imports the very file
the sandbox delivered into Wagtail's image library while the field shows its progress, and the
published page shows it through renditions with its credit line, nothing of Getty's, also once
the sandbox is gone. A failed import is finished by "Import again" without a new download.
Comps are kept in drafts but not published, from the editor or a moderator's approval, until
licensed. An editor with neither Getty permission sees why instead of a chooser. What the field's
and the chooser's scripts share runs once, before both."""

import re

import pytest
from browser import (
    LEAD,
    after_submit,
    an_image,
    choose_comp,
    click,
    contrasts,
    download,
    fetch_token,
    footer_action,
    get,
    imported,
    loaded,
    log_in,
    messages,
    modal_closed,
    open_chooser,
    open_editor,
    picker_of,
    record_events,
    recorded,
    restricted_card,
    save_draft,
    search,
    use_image,
    wait,
    wait_for_value,
    workflow_action,
)
from selenium.webdriver.common.by import By
from support import TokenService

from getty_picker.models import GettyLicence

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What must never reach a public page.
GETTY = re.compile(r"gettyimages\.com|/sandbox/|getty-picker-server", re.I)


def point_at(settings, service, **extra):
    """The example site's pickers and imports use ``service`` (read at each request)."""
    settings.GETTY_PICKER = service.settings(**extra)
    return settings.GETTY_PICKER


def field_text(field, part):
    return field.find_element(By.CSS_SELECTOR, f"[data-getty-picker-{part}]").text


def test_licensing_imports_the_delivered_file_and_the_published_page_shows_only_it(
    page, live_server, demo_data, settings, widget_built, task_workers
):
    service = TokenService(live_server.url)
    try:
        point_at(settings, service)
        task_workers()
        log_in(page, live_server.url, "editor")
        field = open_editor(page, live_server.url, demo_data)
        picker = search(page, field, "kitten")
        card = restricted_card(picker)
        image_id = card.get_attribute("data-id")
        title = card.find_element(By.CSS_SELECTOR, ".gp-title").text
        restrictions = card.find_element(By.CSS_SELECTOR, ".gp-restrictions").text
        record_events(page, "getty-picker:download")
        download(page, card)
        # The modal closed; the field says what the worker does meanwhile.
        modal_closed(page)
        value = wait_for_value(page, field, imported, "the licensed file was not imported")
        [event] = recorded(page, "getty-picker:download")
        assert event["id"] == image_id
        # The record, and all the site shows of it, is Getty's word (the sandbox's metadata).
        credit = service.image(image_id)["credit_line"]
        # One download spent, its file fetched once, by the site.
        assert (service.downloads(), service.deliveries()) == (1, 1)

        # The field: a reference to the licence record, the site's own rendition as thumbnail.
        assert value["id"] == image_id and value["ref"] and "uri" not in value
        thumb = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-thumb]")
        assert thumb.get_attribute("src").startswith(f"{live_server.url}/media/images/")
        loaded(page, thumb)
        assert field_text(field, "title") == title
        assert field_text(field, "credit") == f"Credit: {credit}"
        assert field_text(field, "restrictions") == f"Usage restrictions: {restrictions}"
        assert event["product"] in field_text(field, "meta")
        assert not field.find_element(By.CSS_SELECTOR, "[data-getty-picker-import]").is_displayed()

        licence = GettyLicence.objects.select_related("image", "licensed_by").get(getty_id=image_id)
        assert (
            licence.licensed_by.username == "editor" and licence.credit_line == credit and licence.is_verified
        )
        assert licence.usage_restrictions == event["usage_restrictions"]
        assert licence.product_type == event["product_type"] and licence.delivery_uri == ""
        assert licence.image.collection.name == "Getty Images"
        # The bytes the site keeps are the bytes the sandbox delivers for that link.
        with licence.image.open_file() as kept:
            assert kept.read() == get(event["uri"])

        footer_action(page, "action-publish")
        after_submit(page, field)
        demo_data.refresh_from_db()
        assert demo_data.live and demo_data.getty_image == {
            "state": "licensed",
            "id": image_id,
            "licence": licence.pk,
        }

        def public_lead():
            page.get(f"{live_server.url}/")
            lead = page.find_element(By.CSS_SELECTOR, "#lead-image")
            img = lead.find_element(By.CSS_SELECTOR, "picture img")
            wait(
                page,
                lambda d: d.execute_script("return arguments[0].complete", img),
                "the image did not load",
            )
            assert page.execute_script("return arguments[0].naturalWidth", img) > 0
            assert img.get_attribute("currentSrc").startswith(f"{live_server.url}/media/images/")
            an_image(img.get_attribute("currentSrc"))
            assert lead.find_element(By.CSS_SELECTOR, "figcaption").text == credit
            html = page.page_source
            assert not GETTY.search(html) and service.address not in html
            return lead.get_attribute("outerHTML")

        before = public_lead()
        # The sandbox goes away (its delivery links with it) and a new one starts: the page
        # holds nothing of it.
        service.stop()
        assert public_lead() == before
        service = TokenService(live_server.url)
        assert public_lead() == before
    finally:
        service.stop()


def test_a_failed_import_is_finished_by_import_again_without_a_new_download(
    page, live_server, demo_data, settings, token_service, widget_built, task_workers
):
    # The sandbox is not an allowed delivery host yet.
    point_at(settings, token_service, DELIVERY_HOSTS=["https://delivery.gettyimages.com"])
    refusing = task_workers()
    downloads, deliveries = token_service.downloads(), token_service.deliveries()
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    picker = search(page, field, "kitten")
    card = picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card")
    image_id = card.get_attribute("data-id")
    record_events(page, "getty-picker:download")
    download(page, card)
    value = wait_for_value(page, field, lambda v: v.get("imported") is False, "the failure was not kept")
    message = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-message]")
    assert message.is_displayed() and "is not an allowed delivery host" in message.text
    assert "not in the image library yet" in field_text(field, "state")
    import_again = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-import]")
    assert import_again.is_displayed()
    licence = GettyLicence.objects.get(getty_id=image_id)
    assert (
        not licence.is_imported and licence.delivery_uri == recorded(page, "getty-picker:download")[0]["uri"]
    )
    assert (token_service.downloads(), token_service.deliveries()) == (downloads + 1, deliveries)
    assert value["licence"] == licence.pk

    # The operator allows the sandbox (the site and its workers); "Import again" uses the kept
    # link, in the background too.
    point_at(settings, token_service)
    refusing.stop()
    task_workers()
    click(page, import_again)
    wait_for_value(page, field, imported, "Import again did not import the file")
    assert not message.is_displayed() and not import_again.is_displayed()
    licence.refresh_from_db()
    assert licence.is_imported and licence.delivery_uri == ""
    assert (token_service.downloads(), token_service.deliveries()) == (downloads + 1, deliveries + 1)


def test_comps_in_the_field_and_a_block_are_kept_in_the_draft_but_not_published_until_licensed(
    page, live_server, demo_data, settings, token_service, widget_built, worker
):
    point_at(settings, token_service)
    published = demo_data.live_revision_id
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    picker = search(page, field, "kitten")
    use_image(page, picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card"))
    lead = wait_for_value(page, field, lambda v: v["state"] == "selected", "the comp was not kept")
    assert "Comp, not licensed" in field_text(field, "state")

    # A Getty image block, added in the editor, with a comp too.
    body = page.find_element(By.CSS_SELECTOR, '[data-contentpath="body"]')
    click(page, body.find_element(By.CSS_SELECTOR, "button.c-sf-add-button"))
    wait(
        page,
        lambda d: next(
            o for o in d.find_elements(By.CSS_SELECTOR, '[role="option"]') if o.text.strip() == "Getty image"
        ),
        "no Getty image block in the block menu",
    ).click()
    block = wait(
        page,
        lambda d: body.find_element(By.CSS_SELECTOR, "[data-getty-picker-field]"),
        "the block did not render its chooser",
    )
    # A compact chooser, as Wagtail's own: a button, no picker in the page.
    choose = block.find_element(By.CSS_SELECTOR, "[data-getty-picker-choose]")
    wait(page, lambda d: choose.is_displayed(), "the block offers no “Choose a Getty image”")
    assert choose.size["height"] < 60 and not body.find_elements(
        By.CSS_SELECTOR, "[data-getty-picker-element]"
    )
    block_picker = search(page, block, "beach")
    use_image(page, block_picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card"))
    in_block = wait_for_value(
        page, block, lambda v: v["state"] == "selected", "the block's comp was not kept"
    )

    footer_action(page, "action-publish")
    after_submit(page, field)
    [message] = [m for m in messages(page) if "was not published" in m]
    assert (
        f"“{lead['title']}” (Getty image {lead['id']}, in “Lead image (Getty Images)”) is a comp" in message
    )
    assert (
        f"“{in_block['title']}” (Getty image {in_block['id']}, in “Body › Getty image”) is a comp" in message
    )
    assert "license it with “Download” in its picker" in message
    # What the site shows did not change.
    demo_data.refresh_from_db()
    assert demo_data.live_revision_id == published and demo_data.getty_image is None
    # The draft kept both comps.
    draft = demo_data.get_latest_revision_as_object()
    assert draft.getty_image["state"] == "selected" and draft.body[0].value["state"] == "selected"

    # Licensing both (each field's "Change", then "Download"), the page publishes.
    for selector in (LEAD, '[data-contentpath="body"] [data-getty-picker-field]'):
        field = page.find_element(By.CSS_SELECTOR, selector)
        picker = search(page, field, "kitten" if selector == LEAD else "beach")
        download(page, picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card"))
        wait_for_value(page, field, imported, "the licensed file was not imported")
    footer_action(page, "action-publish")
    after_submit(page, field)
    demo_data.refresh_from_db()
    assert demo_data.live_revision_id != published and demo_data.getty_image["state"] == "licensed"
    assert demo_data.body[0].value["state"] == "licensed"
    assert len(page.find_elements(By.CSS_SELECTOR, ".messages li.error")) == 0


def test_a_moderators_approval_is_refused_while_the_writers_comp_is_held_and_passes_once_licensed(
    page, live_server, demo_data, settings, token_service, widget_built, worker
):
    point_at(settings, token_service)
    published = demo_data.live_revision_id
    # The writer (may search, not license) chooses a comp and submits the page for moderation.
    log_in(page, live_server.url, "writer")
    field = open_editor(page, live_server.url, demo_data)
    picker = search(page, field, "kitten")
    use_image(page, picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card"))
    comp = wait_for_value(page, field, lambda v: v["state"] == "selected", "the comp was not kept")
    footer_action(page, "action-submit")
    after_submit(page, field)
    demo_data.refresh_from_db()
    assert demo_data.workflow_in_progress

    # The editor (a moderator) approves: refused, with the message; the page stays in moderation.
    page.delete_all_cookies()
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    workflow_action(page, "approve")
    after_submit(page, field)
    assert any(
        f"“{comp['title']}” (Getty image {comp['id']}, in “Lead image (Getty Images)”) is a comp" in m
        for m in messages(page)
    ), messages(page)
    demo_data.refresh_from_db()
    assert demo_data.live_revision_id == published and demo_data.getty_image is None
    assert demo_data.workflow_in_progress

    # The editor licenses it in the field and approves: published.
    field = open_editor(page, live_server.url, demo_data)
    picker = search(page, field, "kitten")
    card = picker.shadow_root.find_element(By.CSS_SELECTOR, f'.gp-card[data-id="{comp["id"]}"]')
    download(page, card)
    wait_for_value(page, field, imported, "the licensed file was not imported")
    workflow_action(page, "approve")
    after_submit(page, field)
    demo_data.refresh_from_db()
    assert demo_data.live_revision_id != published and not demo_data.workflow_in_progress
    assert demo_data.getty_image["state"] == "licensed" and demo_data.getty_image["id"] == comp["id"]


def test_an_editor_with_neither_permission_sees_the_reason_instead_of_a_chooser(
    page, live_server, demo_data, settings, token_service, widget_built, django_user_model
):
    from django.contrib.auth.models import Group

    point_at(settings, token_service)
    reader = django_user_model.objects.create_user("reader", password="reader")
    reader.groups.set([Group.objects.get(name="Editors")])
    tokens = token_service.requests()[("POST", "/token")]
    log_in(page, live_server.url, "reader")
    field = open_editor(page, live_server.url, demo_data)
    denied = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-denied]")
    wait(page, lambda d: denied.is_displayed(), "no reason in place of the chooser")
    assert "You may not search or license Getty images" in denied.text
    assert "“Can search Getty images”" in denied.text
    assert not field.find_element(By.CSS_SELECTOR, "[data-getty-picker-choose]").is_displayed()
    assert not page.find_elements(By.CSS_SELECTOR, "[data-getty-picker-element]")
    # Nobody asked the token service for a token on the reader's behalf...
    assert token_service.requests()[("POST", "/token")] == tokens
    # ...and if asked, it refuses.
    refused = fetch_token(page, f"{token_service.url}/token")
    assert refused["status"] == 403 and "not_authorized" in refused["body"]


def test_the_editor_runs_what_the_field_and_the_chooser_share_once_before_them(
    page, live_server, demo_data, settings, token_service, widget_built
):
    point_at(settings, token_service)
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    # field.js and chooser.js take admin.js's functions as they start: both ran to their end.
    choose = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-choose]")
    wait(page, lambda d: choose.is_displayed(), "field.js did not set the field up")
    assert page.execute_script("return typeof window.GettyPickerChooser.open") == "function"
    # One copy in the page; a second one, as a site's own media might add, keeps the first.
    again = page.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const tags = document.querySelectorAll('script[src$="/getty_picker/admin.js"]');
        const first = window.GettyPickerAdmin;
        const copy = document.createElement("script");
        copy.src = tags[0].src;
        copy.onload = () => done({ tags: tags.length, kept: window.GettyPickerAdmin === first });
        copy.onerror = () => done({ tags: tags.length, kept: null });
        document.head.append(copy);
        """
    )
    assert again == {"tags": 1, "kept": True}


def test_logged_out_the_token_service_refuses(page, live_server, demo_data, token_service):
    token_url = f"{token_service.url}/token"
    log_in(page, live_server.url, "editor")
    granted = fetch_token(page, token_url)
    assert granted["status"] == 200 and "access_token" in granted["body"]

    page.delete_all_cookies()  # the session cookie is what logs the editor in
    refused = fetch_token(page, token_url)
    assert refused["status"] == 401 and "not_authenticated" in refused["body"]


def test_an_editor_whose_session_ended_is_told_to_log_in_again(
    page, live_server, demo_data, settings, token_service, widget_built
):
    point_at(settings, token_service)
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    panel = open_chooser(page, field)
    picker = picker_of(panel)
    box = wait(
        page,
        lambda d: picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-search-input"),
        "the picker did not start",
    )
    page.delete_all_cookies()  # the session ends while the editor is open
    box.send_keys("kitten\n")
    message = panel.find_element(By.CSS_SELECTOR, "[data-getty-chooser-message]")
    wait(page, lambda d: message.is_displayed(), "no message beside the picker")
    assert "log in again" in message.text
    status = picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-status")
    wait(page, lambda d: "401" in status.text, "the picker does not show the token service's 401")


def test_the_picker_takes_wagtails_admin_colours_light_and_dark(
    page, live_server, demo_data, settings, token_service, widget_built, django_user_model
):
    from wagtail.users.models import UserProfile

    point_at(settings, token_service)
    editor = django_user_model.objects.get(username="editor")
    log_in(page, live_server.url, "editor")
    colours = {}
    for theme in ("light", "dark"):
        profile = UserProfile.get_for_user(editor)
        profile.theme = theme
        profile.save()
        field = open_editor(page, live_server.url, demo_data)
        picker = picker_of(open_chooser(page, field))
        wait(
            page,
            lambda d, p=picker: p.shadow_root.find_element(By.CSS_SELECTOR, ".gp-search-input"),
            "no picker",
        )
        # What Wagtail's variables resolve to on this page, and what the picker paints.
        wagtail, picked = page.execute_script(
            """
            const [picker] = arguments;
            const probe = document.createElement("div");
            probe.style.cssText =
              "color: var(--w-color-text-context); background: var(--w-color-surface-page);" +
              "border: 1px solid var(--w-color-border-field-default)";
            picker.parentElement.append(probe);
            const w = getComputedStyle(probe);
            const wagtail = [w.color, w.backgroundColor, w.borderTopColor];
            probe.remove();
            // The search box paints the picker's text, background and border colours, and
            // draws as a native control of the theme's colour scheme.
            const input = getComputedStyle(picker.shadowRoot.querySelector(".gp-search-input"));
            return [
              [...wagtail, getComputedStyle(document.documentElement).colorScheme],
              [input.color, input.backgroundColor, input.borderTopColor, input.colorScheme],
            ];
            """,
            picker,
        )
        html_class = page.find_element(By.TAG_NAME, "html").get_attribute("class")
        assert f"w-theme-{theme}" in html_class
        assert wagtail[3] == theme, wagtail
        assert picked == wagtail, (theme, picked, wagtail)
        colours[theme] = wagtail
    assert colours["light"] != colours["dark"]


def test_the_fields_chooser_reads_well_in_wagtails_light_and_dark_themes(
    page, live_server, demo_data, settings, token_service, widget_built, django_user_model
):
    from wagtail.users.models import UserProfile

    point_at(settings, token_service)
    editor = django_user_model.objects.get(username="editor")
    log_in(page, live_server.url, "editor")
    # A comp, so the preview offers its actions: "License it" (filled), "Change" and "Remove"
    # (outline buttons, told apart by their borders).
    field = open_editor(page, live_server.url, demo_data)
    choose_comp(page, field)
    save_draft(page, field)
    actions = ["[data-getty-picker-license]", "[data-getty-picker-change]", "[data-getty-picker-remove]"]
    for theme in ("light", "dark"):
        profile = UserProfile.get_for_user(editor)
        profile.theme = theme
        profile.save()
        field = open_editor(page, live_server.url, demo_data)
        assert f"w-theme-{theme}" in page.find_element(By.TAG_NAME, "html").get_attribute("class")
        license_it = field.find_element(By.CSS_SELECTOR, actions[0])
        wait(page, lambda d, b=license_it: b.is_displayed(), "no “License it” on the comp")
        texts = ["[data-getty-picker-title]", "[data-getty-picker-state]"]
        measured = contrasts(page, field, [*actions, *texts])
        for selector, contrast in measured.items():
            assert contrast["text"] >= 4.5, (theme, selector, contrast)
        for selector in actions[1:]:
            assert measured[selector]["outline"] >= 3, (theme, selector, measured)
