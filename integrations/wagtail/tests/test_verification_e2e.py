"""What an editor sees when the site does not record a licence, in Chromium with real logins
against the example site, the token service's sandbox and a real task worker: Getty could not
confirm it (the site keeps the download for "Import again"), or the report is not the image's
(said in words, nothing to retry)."""

import pytest
from browser import (
    click,
    download,
    imported,
    log_in,
    open_editor,
    picker_of,
    record_events,
    recorded,
    search,
    stored,
    wait,
    wait_for_value,
)
from selenium.webdriver.common.by import By

from getty_picker.models import GettyLicence

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def message_of(field):
    return field.find_element(By.CSS_SELECTOR, "[data-getty-picker-message]")


def test_a_licence_getty_could_not_confirm_is_kept_until_import_again_records_gettys_word(
    page, live_server, demo_data, settings, token_service, widget_built, task_workers
):
    # The site's ticket is signed with a secret the token service does not share.
    settings.GETTY_PICKER = token_service.settings(TICKET_SECRET="0" * 64)
    unconfirmed = task_workers()
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    picker = search(page, field, "lighthouse")
    card = picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card")
    image_id = card.get_attribute("data-id")
    record_events(page, "getty-picker:download")
    download(page, card)
    message = message_of(field)
    wait(page, lambda d: message.is_displayed(), "the field did not say the licence was not recorded")
    assert "Getty could not confirm this licence" in message.text and "TICKET_SECRET" in message.text
    retry = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-retry]")
    assert retry.is_displayed()
    assert not GettyLicence.objects.filter(getty_id=image_id).exists() and stored(field) is None
    downloads = token_service.downloads()

    # The operator puts the secret right (the site's and its workers'); "Import again" has a
    # worker try the download the site kept once more.
    settings.GETTY_PICKER = token_service.settings()
    unconfirmed.stop()
    task_workers()
    click(page, retry)
    value = wait_for_value(page, field, imported, "Import again did not record and import it")
    assert not message.is_displayed()
    licence = GettyLicence.objects.get(getty_id=image_id)
    assert value["licence"] == licence.pk and licence.is_verified and licence.is_imported
    assert licence.credit_line == token_service.image(image_id)["credit_line"]
    assert licence.delivery_uri == "" and recorded(page, "getty-picker:download")[0]["id"] == image_id
    # Nothing more was spent at Getty.
    assert token_service.downloads() == downloads


def test_a_download_report_that_is_not_the_images_is_refused_in_words_with_nothing_to_retry(
    page, live_server, demo_data, settings, token_service, widget_built, worker
):
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    picker = search(page, field, "lighthouse")
    # What a tampered page could report: one image's id with another image's link.
    ids = [
        card.get_attribute("data-id")
        for card in picker.shadow_root.find_elements(By.CSS_SELECTOR, ".gp-card")
    ]
    wanted, other = ids[0], ids[1]
    link = f"{token_service.url}/sandbox/delivery/downloads/{other}?k=00&e=1900000000"
    page.execute_script(
        """
        const [picker, id, uri] = arguments;
        picker.dispatchEvent(new CustomEvent("getty-picker:download", {
          bubbles: true, composed: true,
          detail: {id, uri, title: "Forged", credit_line: "Photo: Evil Corp", product: "Forged"},
        }));
        """,
        picker_of(field),
        wanted,
        link,
    )
    message = message_of(field)
    wait(page, lambda d: message.is_displayed(), "the field did not say why nothing was recorded")
    assert f"is Getty image {other}'s, not {wanted}'s" in message.text
    assert not field.find_element(By.CSS_SELECTOR, "[data-getty-picker-retry]").is_displayed()
    assert stored(field) is None and not GettyLicence.objects.exists()
