"""End to end in headless Chromium: the example site (live, on 127.0.0.1) and the token service
(sandbox upstream, forward-auth to the site). An editor licenses an image in the page editor and
the saved page keeps it; an editor without the permission gets no token; logged out, /token is
refused."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT = 20
FIELD = "[data-getty-picker-field]:has(#id_getty_image)"


def wait(driver, condition, message):
    """``condition(driver)`` once truthy, ignoring elements that are not there (yet)."""
    return WebDriverWait(
        driver, WAIT, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    ).until(condition, message)


def click(driver, element):
    """Clicks ``element`` once nothing covers it: scrolled to the middle (Wagtail's sticky footer
    covers the bottom of the window, and its smooth scrolling would still be moving), again
    while the layout shifts (thumbnails that finish loading make cards taller)."""

    def scrolled_click(_driver):
        driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
        element.click()
        return True

    WebDriverWait(driver, WAIT, ignored_exceptions=(ElementClickInterceptedException,)).until(
        scrolled_click, "the element stayed covered"
    )


def log_in(driver, site, username):
    driver.get(f"{site}/admin/login/")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(username, Keys.ENTER)
    wait(driver, lambda d: d.current_url.rstrip("/").endswith("/admin"), f"{username} could not log in")


def open_editor(driver, site, page):
    driver.get(f"{site}/admin/pages/{page.id}/edit/")
    return driver.find_element(By.CSS_SELECTOR, FIELD)


def search(driver, field, phrase):
    """Types ``phrase`` into the lead image's picker and presses Enter; returns the picker."""
    picker = field.find_element(By.CSS_SELECTOR, "[data-getty-picker]")
    box = wait(
        driver,
        lambda d: picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-search-input"),
        "the picker did not start in the page editor",
    )
    box.send_keys(phrase, Keys.ENTER)
    return picker


def stored(field):
    """The field's hidden input as JSON (``None`` when empty)."""
    raw = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-value]").get_attribute("value")
    return json.loads(raw) if raw else None


def fetch_token(driver, token_url):
    """``POST /token`` from the page, as the widget sends it (with the browser's cookies)."""
    return driver.execute_async_script(
        """
        const [url, done] = arguments;
        fetch(url, {method: "POST", credentials: "include"})
          .then(async (r) => done({status: r.status, body: await r.text()}))
          .catch((e) => done({status: 0, body: String(e)}));
        """,
        token_url,
    )


def record_events(driver, name):
    """From now on, the page keeps the ``detail`` of each ``name`` event (see ``recorded``)."""
    driver.execute_script(
        """
        const name = arguments[0];
        window.gettyEvents = window.gettyEvents || {};
        window.gettyEvents[name] = [];
        document.addEventListener(name, (e) => window.gettyEvents[name].push(JSON.stringify(e.detail)));
        """,
        name,
    )


def recorded(driver, name):
    """The details of the ``name`` events since ``record_events``."""
    return [json.loads(d) for d in driver.execute_script("return window.gettyEvents[arguments[0]]", name)]


def card_details(driver, picker, card):
    """The picker's preview of ``card``, as the editor reads it: ``{label: text}``."""
    click(driver, card.find_element(By.CSS_SELECTOR, ".gp-thumb"))
    dialog = wait(
        driver,
        lambda d: picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-preview dl"),
        "the card's preview did not open",
    )
    labels = [dt.text for dt in dialog.find_elements(By.CSS_SELECTOR, "dt")]
    values = [dd.text for dd in dialog.find_elements(By.CSS_SELECTOR, "dd")]
    click(driver, picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-preview-close"))
    wait(
        driver,
        lambda d: not picker.shadow_root.find_elements(By.CSS_SELECTOR, ".gp-preview"),
        "the card's preview did not close",
    )
    return dict(zip(labels, values, strict=True))


def test_an_editor_licenses_an_image_and_the_saved_page_keeps_it(
    page, live_server, demo_data, picker_settings, token_service
):
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    assert stored(field) is None
    picker = search(page, field, "kitten")
    wait(
        page,
        lambda d: picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card"),
        "no result cards after searching",
    )
    # An image with usage restrictions, so the editor's preview has some to show.
    card = next(
        (
            c
            for c in picker.shadow_root.find_elements(By.CSS_SELECTOR, ".gp-card")
            if c.find_elements(By.CSS_SELECTOR, ".gp-restrictions")
        ),
        None,
    )
    assert card is not None, "no result card with usage restrictions"
    image_id = card.get_attribute("data-id")
    title = card.find_element(By.CSS_SELECTOR, ".gp-title").text
    restrictions = card.find_element(By.CSS_SELECTOR, ".gp-restrictions").text
    credit = card_details(page, picker, card)["Credit"]
    assert credit.endswith("Getty Images")
    # The sandbox's demo account charges creative images to a product that requires a
    # project code: the editor chooses one before downloading. The card shows it once the
    # picker knows the account's products (asked for after the search): until then a card
    # offers neither that nor, for editorial images, the choice of two products.
    wait(
        page,
        lambda d: card.find_elements(By.CSS_SELECTOR, "select.gp-project-code, .gp-product-choice"),
        "the card never showed the account's products",
    )
    codes = card.find_elements(By.CSS_SELECTOR, "select.gp-project-code")
    if codes:
        Select(codes[0]).select_by_value("WEB-HOME")
    record_events(page, "getty-picker:download")
    click(page, card.find_element(By.CSS_SELECTOR, ".gp-download"))
    wait(page, lambda d: (stored(field) or {}).get("state") == "licensed", "the download was not kept")
    [event] = recorded(page, "getty-picker:download")
    assert event["id"] == image_id and event["credit_line"] == credit
    assert " · ".join(event["usage_restrictions"]) == restrictions
    preview = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-preview]")
    assert preview.is_displayed()
    assert field.find_element(By.CSS_SELECTOR, "[data-getty-picker-title]").text == title
    assert field.find_element(By.CSS_SELECTOR, "[data-getty-picker-credit]").text == f"Credit: {credit}"
    shown = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-restrictions]")
    assert shown.is_displayed() and shown.text == f"Usage restrictions: {restrictions}"
    assert event["product"] in field.find_element(By.CSS_SELECTOR, "[data-getty-picker-meta]").text
    assert not field.find_element(By.CSS_SELECTOR, "[data-getty-picker-panel]").is_displayed()

    page.find_element(By.CSS_SELECTOR, ".actions--primary button.action-save").click()
    wait(page, EC.staleness_of(field), "saving did not reload the editor")
    page.refresh()
    field = wait(page, lambda d: d.find_element(By.CSS_SELECTOR, FIELD), "no field after reload")

    value = stored(field)
    assert value["state"] == "licensed"
    assert value["id"] == image_id and value["title"] == title
    assert value["uri"].startswith(f"{token_service.url}/sandbox/delivery/{image_id}")
    assert value["product_type"] == event["product_type"] and value["product"] == event["product"]
    # What the site must print and keep, as the event carried it.
    assert value["credit_line"] == credit
    assert value["usage_restrictions"] == event["usage_restrictions"]
    for key in ("copyright", "artist", "asset_family"):
        assert value[key] == event[key], key
    licensed_at = datetime.fromisoformat(value["licensed_at"])
    assert timedelta(0) <= datetime.now(timezone.utc) - licensed_at < timedelta(minutes=5)
    assert field.find_element(By.CSS_SELECTOR, "[data-getty-picker-preview]").is_displayed()
    assert field.find_element(By.CSS_SELECTOR, "[data-getty-picker-title]").text == title

    # What the page itself holds: its latest revision in the database.
    demo_data.refresh_from_db()
    assert demo_data.get_latest_revision_as_object().getty_image == value

    # The saved draft, as the site renders it: the credit line beneath the image.
    editor_url = page.current_url
    page.get(f"{live_server.url}/admin/pages/{demo_data.id}/view_draft/")
    figure = page.find_element(By.CSS_SELECTOR, "#lead-image figure.getty-image")
    assert figure.get_attribute("data-getty-id") == image_id
    assert figure.find_element(By.CSS_SELECTOR, "figcaption").text == credit
    page.get(editor_url)
    field = wait(page, lambda d: d.find_element(By.CSS_SELECTOR, FIELD), "no field back in the editor")

    # "Change" brings the picker back (the next choice replaces the image).
    panel = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-panel]")
    assert not panel.is_displayed()
    field.find_element(By.CSS_SELECTOR, "[data-getty-picker-change]").click()
    assert panel.is_displayed()

    # "Remove" empties the field, and the saved page then holds no image.
    field.find_element(By.CSS_SELECTOR, "[data-getty-picker-remove]").click()
    assert stored(field) is None
    assert field.find_element(By.CSS_SELECTOR, "[data-getty-picker-panel]").is_displayed()
    page.find_element(By.CSS_SELECTOR, ".actions--primary button.action-save").click()
    wait(page, EC.staleness_of(field), "saving did not reload the editor")
    demo_data.refresh_from_db()
    assert demo_data.get_latest_revision_as_object().getty_image is None


def test_an_editor_without_the_permission_gets_no_token_and_a_clear_message(
    page, live_server, demo_data, picker_settings, token_service
):
    log_in(page, live_server.url, "writer")
    field = open_editor(page, live_server.url, demo_data)
    picker = search(page, field, "kitten")
    message = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-message]")
    wait(page, lambda d: message.is_displayed(), "no message beside the picker")
    assert "may not search or license Getty images" in message.text
    status = picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-status")
    wait(page, lambda d: "403" in status.text, "the picker does not show the token service's 403")
    assert not picker.shadow_root.find_elements(By.CSS_SELECTOR, ".gp-card")
    refused = fetch_token(page, picker_settings["TOKEN_URL"])
    assert refused["status"] == 403 and "not_authorized" in refused["body"]


def test_logged_out_the_token_service_refuses(page, live_server, demo_data, token_service):
    token_url = f"{token_service.url}/token"
    log_in(page, live_server.url, "editor")
    granted = fetch_token(page, token_url)
    assert granted["status"] == 200 and "access_token" in json.loads(granted["body"])

    page.delete_all_cookies()  # the session cookie is what logs the editor in
    refused = fetch_token(page, token_url)
    assert refused["status"] == 401 and "not_authenticated" in refused["body"]


def test_a_getty_image_block_added_in_the_editor_keeps_a_selected_image(
    page, live_server, demo_data, picker_settings, token_service
):
    log_in(page, live_server.url, "editor")
    page.get(f"{live_server.url}/admin/pages/{demo_data.id}/edit/")
    body = page.find_element(By.CSS_SELECTOR, '[data-contentpath="body"]')
    click(page, body.find_element(By.CSS_SELECTOR, "button.c-sf-add-button"))
    wait(
        page,
        lambda d: next(
            o for o in d.find_elements(By.CSS_SELECTOR, '[role="option"]') if o.text.strip() == "Getty image"
        ),
        "no Getty image block in the block menu",
    ).click()
    # Blocks are rendered by Wagtail's script after the page loaded: field.js mounts their picker.
    field = wait(
        page,
        lambda d: body.find_element(By.CSS_SELECTOR, "[data-getty-picker-field]"),
        "the block did not render its picker field",
    )
    picker = search(page, field, "kitten")
    card = wait(
        page,
        lambda d: picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card"),
        "no result cards in the block's picker",
    )
    image_id = card.get_attribute("data-id")
    record_events(page, "getty-picker:select")
    click(page, card.find_element(By.CSS_SELECTOR, ".gp-select"))
    wait(page, lambda d: (stored(field) or {}).get("state") == "selected", "the selection was not kept")
    [event] = recorded(page, "getty-picker:select")
    meta = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-meta]")
    assert "not licensed" in meta.text

    page.find_element(By.CSS_SELECTOR, ".actions--primary button.action-save").click()
    wait(page, EC.staleness_of(field), "saving did not reload the editor")

    demo_data.refresh_from_db()
    blocks = list(demo_data.get_latest_revision_as_object().body)
    assert [block.block_type for block in blocks] == ["getty_image"]
    value = blocks[0].value
    assert value["state"] == "selected" and value["id"] == image_id
    assert value["uri"] is None and value["licensed_at"] is None
    assert value["thumb_uri"].startswith(token_service.url)
    assert value["credit_line"] == event["credit_line"] and value["credit_line"].endswith("Getty Images")
    assert value["usage_restrictions"] == event["usage_restrictions"]

    # The block renders with its credit line on the saved draft.
    page.get(f"{live_server.url}/admin/pages/{demo_data.id}/view_draft/")
    figure = page.find_element(By.CSS_SELECTOR, "figure.getty-image")
    assert figure.get_attribute("data-getty-id") == image_id
    assert figure.find_element(By.CSS_SELECTOR, "figcaption").text == event["credit_line"]


def test_an_editor_whose_session_ended_is_told_to_log_in_again(
    page, live_server, demo_data, picker_settings, token_service
):
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    page.delete_all_cookies()  # the session ends while the editor is open
    picker = search(page, field, "kitten")
    message = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-message]")
    wait(page, lambda d: message.is_displayed(), "no message beside the picker")
    assert "log in again" in message.text
    status = picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-status")
    wait(page, lambda d: "401" in status.text, "the picker does not show the token service's 401")
