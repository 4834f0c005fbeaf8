"""End to end where the widget, the token service and the site meet, in Chromium with real
logins against the example site and the token service's sandbox:

- the host's library: the picker asks the site's library which results it holds; a held card says "In your
  library" and "Use it" fills the field from the site's licence, spending nothing at the sandbox;
- roles: a writer with only "Can search Getty images" gets a search-only token: no download control
  anywhere, one line saying who licenses, and the token cannot download at the sandbox;
- licence history: an image the company licensed before (Getty's download history) is said so, with the date,
  and nothing is spent until the editor confirms;
- details at mount: a comp's "License it" opens the chooser modal on that image's details
  (``data-open-image``), with its products and Download, and licenses it there without a new
  search.
"""

import json

import pytest
from browser import (
    after_submit,
    choose_comp,
    click,
    download,
    fetch_token,
    footer_action,
    imported,
    log_in,
    open_details,
    open_editor,
    picker_of,
    save_draft,
    search,
    use_held,
    wait,
    wait_for_value,
)
from selenium.webdriver.common.by import By

from getty_picker.models import GettyLicence

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def point_at(settings, service):
    settings.GETTY_PICKER = service.settings()


def clear(driver, field):
    """Empties the field if it holds an image (its "Remove")."""
    remove = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-remove]")
    if remove.is_displayed():
        click(driver, remove)


def license_image(page, field, card):
    """Licenses ``card``'s image (confirming if Getty's history lists it already: the sandbox
    lives as long as the session) until the field holds the imported file (a worker imports it)."""
    download(page, card)
    wait_for_value(page, field, imported, "the licensed file was not imported")


def card_of(picker, image_id):
    return picker.shadow_root.find_element(By.CSS_SELECTOR, f'.gp-card[data-id="{image_id}"]')


def test_a_held_image_is_marked_in_your_library_and_use_it_spends_nothing(
    page, live_server, demo_data, settings, token_service, widget_built, worker
):
    point_at(settings, token_service)
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    picker = search(page, field, "kitten")
    card = picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card")
    image_id = card.get_attribute("data-id")
    license_image(page, field, card)
    licence = GettyLicence.objects.get(getty_id=image_id)
    downloads = token_service.downloads()

    # Another page load: the same search marks the held card, and its details offer "Use it".
    field = open_editor(page, live_server.url, demo_data)
    clear(page, field)
    picker = search(page, field, "kitten")
    wait(page, lambda d: "In your library" in card_of(picker, image_id).text, "the held card is not marked")
    use_held(page, card_of(picker, image_id))
    value = wait_for_value(page, field, lambda v: v.get("licence") == licence.pk, "“Use it” left the field")
    assert value["state"] == "licensed" and value["imported"] is True
    assert token_service.downloads() == downloads
    footer_action(page, "action-publish")
    after_submit(page, field)
    demo_data.refresh_from_db()
    assert demo_data.getty_image == {
        "state": "licensed",
        "id": image_id,
        "licence": licence.pk,
    }


def test_a_search_only_writer_searches_and_chooses_but_cannot_spend(
    page, live_server, demo_data, settings, token_service, widget_built
):
    point_at(settings, token_service)
    log_in(page, live_server.url, "writer")
    field = open_editor(page, live_server.url, demo_data)
    picker = search(page, field, "kitten")
    wait(
        page,
        lambda d: "an editor who may license Getty images licenses them"
        in picker.shadow_root.find_element(By.CSS_SELECTOR, ".getty-picker").text,
        "no line saying who licenses",
    )
    panel = open_details(page, picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card"))
    assert not picker.shadow_root.find_elements(By.CSS_SELECTOR, ".gp-download")
    assert panel.find_elements(By.CSS_SELECTOR, ".gp-select")

    token = fetch_token(page, f"{token_service.url}/token")
    answer = json.loads(token["body"])
    assert answer["search_only"] is True and answer["search_only_reason"] == "role"
    image_id = picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card").get_attribute("data-id")
    downloads = token_service.downloads()
    refused = page.execute_async_script(
        """
        const [base, id, token, done] = arguments;
        fetch(`${base}/v3/downloads/images/${id}?auto_download=false&product_type=easyaccess`, {
          method: "POST", headers: {"Api-Key": "sandbox-api-key", Authorization: `Bearer ${token}`},
        }).then((r) => done(r.status)).catch((e) => done(String(e)));
        """,
        token_service.url,
        image_id,
        answer["access_token"],
    )
    assert refused in (401, 403)
    assert token_service.downloads() == downloads


def test_an_image_the_company_licensed_before_is_said_so_and_asked_first(
    page, live_server, demo_data, settings, token_service, widget_built, worker
):
    point_at(settings, token_service)
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    picker = search(page, field, "kitten")
    card = picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card")
    image_id = card.get_attribute("data-id")
    license_image(page, field, card)
    # The site lets it go (another site of the company, say): Getty still remembers it.
    GettyLicence.objects.filter(getty_id=image_id).delete()
    downloads = token_service.downloads()

    field = open_editor(page, live_server.url, demo_data)
    clear(page, field)
    picker = search(page, field, "kitten")
    panel = download(page, card_of(picker, image_id), confirm=False)
    wait(
        page,
        lambda d: "Your company licensed this image on" in panel.text,
        "the picker did not say the image was licensed before",
    )
    assert token_service.downloads() == downloads
    # Nothing decided yet: the chooser stays open on the question.
    assert picker_of(field).is_displayed()


def searches(service):
    """How many searches the sandbox answered."""
    return sum(n for (_m, p), n in service.requests().items() if p.startswith("/v3/search/"))


def test_a_comps_license_it_opens_its_details_in_place_and_licenses_it_without_a_new_search(
    page, live_server, demo_data, settings, token_service, widget_built, worker
):
    point_at(settings, token_service)
    log_in(page, live_server.url, "editor")
    field = open_editor(page, live_server.url, demo_data)
    comp = choose_comp(page, field)
    save_draft(page, field)

    # Another sitting: the comp's preview offers "License it".
    field = open_editor(page, live_server.url, demo_data)
    license_it = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-license]")
    wait(page, lambda d: license_it.is_displayed(), "no “License it” for the comp")
    before = searches(token_service)
    click(page, license_it)
    # The chooser modal opens on that image's details with its licensing controls, as if its
    # card had been opened: the products, Download.
    picker = picker_of(field)
    wait(
        page,
        lambda d: picker.shadow_root.find_elements(By.CSS_SELECTOR, ".gp-download"),
        "the picker did not open the comp's details",
    )
    license_image(page, field, picker.shadow_root)
    value = wait_for_value(page, field, imported, "the licensed file was not imported")
    assert value["id"] == comp["id"]
    assert searches(token_service) == before
    assert token_service.requests()[("GET", f"/v3/images/{comp['id']}")] >= 1
