"""End to end in headless Chromium with real logins: the "Getty Images" tab of Wagtail's own image
chooser, on the example page's image ForeignKey (Wagtail's FieldPanel), against the token
service's sandbox and a real task worker (``manage.py db_worker``) that imports the file.

Licensing in the tab imports the file in the background and hands the Wagtail image to the
field as Wagtail's chooser does; the published page shows its rendition and credit. "Use it"
on the image the library holds chooses it again with no download. A search-only writer is told
who may license and cannot spend."""

import pytest
from browser import (
    after_submit,
    click,
    contrasts,
    download,
    footer_action,
    get,
    log_in,
    open_details,
    search,
    use_held,
    wait,
)
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By

from getty_picker.models import GettyImport, GettyLicence

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHOTO = "#id_photo-chooser"


def open_getty_tab(driver, site, page):
    """The page's editor, the photo's "Choose an image", the modal's "Getty Images" tab;
    returns the tab's panel."""
    driver.get(f"{site}/admin/pages/{page.id}/edit/")
    chooser = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, PHOTO), "no image chooser in the editor")
    choose = chooser.find_elements(By.CSS_SELECTOR, ".unchosen [data-chooser-action-choose]")[0]
    if not choose.is_displayed():
        click(driver, chooser.find_element(By.CSS_SELECTOR, ".chosen .w-dropdown__toggle"))
        choose = chooser.find_element(By.CSS_SELECTOR, ".chosen [data-chooser-action-choose]")
    click(driver, choose)
    return getty_tab(driver)


def getty_tab(driver):
    """The open chooser modal's "Getty Images" tab, selected; returns its panel."""
    # A minute: the modal is a request to the site, which renders Wagtail's image listing.
    tab = wait(
        driver,
        lambda d: d.find_element(By.CSS_SELECTOR, ".modal #tab-label-getty"),
        "no Getty Images tab",
        timeout=60,
    )
    # Wagtail's own tabs are there too (shown once the modal has faded in).
    search = driver.find_element(By.CSS_SELECTOR, ".modal #tab-label-search")
    wait(driver, lambda d: search.is_displayed() and tab.is_displayed(), "the modal's tabs are not shown")
    click(driver, tab)
    panel = driver.find_element(By.CSS_SELECTOR, ".modal #tab-getty")
    wait(driver, lambda d: panel.is_displayed(), "the Getty Images tab did not open")
    return panel


def option_named(driver, label):
    """The shown menu option (block menu, rich-text commands) whose text is ``label``."""
    options = driver.find_elements(By.CSS_SELECTOR, '[role="option"]')
    return next((o for o in options if o.text.strip() == label and o.is_displayed()), None)


def add_block(driver, label, part):
    """Adds a block of the body's ``label`` type at its end; returns its ``part`` (a CSS
    selector of what the new block brings, e.g. its chooser)."""
    body = driver.find_element(By.CSS_SELECTOR, '[data-contentpath="body"]')
    before = len(body.find_elements(By.CSS_SELECTOR, part))
    click(driver, body.find_elements(By.CSS_SELECTOR, "button.c-sf-add-button")[-1])
    option = wait(
        driver,
        lambda d: option_named(d, label),
        f"no {label} block in the block menu",
    )
    click(driver, option)
    return wait(
        driver,
        lambda d: body.find_elements(By.CSS_SELECTOR, part)[before:][0],
        f"the {label} block was not added",
    )


def chosen_image(driver):
    """The image id in the photo's hidden input once the chooser has set it (a minute: the
    worker imports in the background) and closed; else what the tab says."""

    def chosen(d):
        if d.find_elements(By.CSS_SELECTOR, ".modal-body #tab-getty"):
            return None
        return d.find_element(By.CSS_SELECTOR, "#id_photo").get_attribute("value") or None

    try:
        return wait(driver, chosen, "", timeout=60)
    except TimeoutException:
        shown = driver.execute_script(
            """return [...document.querySelectorAll("#tab-getty [role=status], #tab-getty [role=alert]")]
                 .map((e) => e.textContent.trim())"""
        )
        imports = list(GettyImport.objects.values("state", "error"))
        raise AssertionError(f"nothing was chosen; the tab says {shown}; imports: {imports}") from None


def test_licensing_in_the_image_choosers_getty_tab_imports_and_chooses_the_file(
    page, live_server, demo_data, token_service, worker
):
    downloads = token_service.downloads()
    log_in(page, live_server.url, "editor")
    panel = open_getty_tab(page, live_server.url, demo_data)
    picker = search(page, panel, "kitten")
    card = picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card")
    image_id = card.get_attribute("data-id")
    download(page, card)

    chosen = chosen_image(page)
    licence = GettyLicence.objects.select_related("image", "licensed_by").get(getty_id=image_id)
    assert chosen == str(licence.image_id) and licence.licensed_by.username == "editor"
    assert licence.image.collection.name == "Getty Images" and licence.credit_line
    # One download, imported by the worker, not by the web request.
    assert token_service.downloads() == downloads + 1
    job = GettyImport.objects.get(getty_id=image_id)
    assert job.state == GettyImport.IMPORTED and job.task_id
    assert licence.image.title in page.find_element(By.CSS_SELECTOR, f"{PHOTO} [data-chooser-title]").text

    editor = page.find_element(By.CSS_SELECTOR, PHOTO)
    footer_action(page, "action-publish")
    after_submit(page, editor)
    demo_data.refresh_from_db()
    assert demo_data.live and demo_data.photo_id == licence.image_id

    # The public page: the site's own rendition (fetched: an image) and the credit.
    page.get(f"{live_server.url}/")
    figure = page.find_element(By.CSS_SELECTOR, "#photo")
    src = figure.find_element(By.CSS_SELECTOR, "img").get_attribute("src")
    assert src.startswith(f"{live_server.url}/media/images/")
    assert get(src)[:4] in (b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"\xff\xd8\xff\xdb", b"RIFF")
    assert figure.find_element(By.CSS_SELECTOR, "figcaption").text == licence.credit_line

    # Later, another choice: the library holds the image, "Use it" spends nothing.
    spent = token_service.downloads()
    panel = open_getty_tab(page, live_server.url, demo_data)
    picker = search(page, panel, "kitten")
    held = f'.gp-card[data-id="{image_id}"]'
    card = wait(
        page, lambda d: picker.shadow_root.find_element(By.CSS_SELECTOR, held), "the image is not found"
    )
    wait(page, lambda d: "In your library" in card.text, "the held card is not marked")
    use_held(page, card)
    assert chosen_image(page) == str(licence.image_id)
    assert token_service.downloads() == spent
    assert GettyImport.objects.filter(getty_id=image_id).count() == 1


def test_a_search_only_writer_sees_the_tab_searches_and_is_told_who_may_license(
    page, live_server, demo_data, token_service, worker
):
    downloads = token_service.downloads()
    log_in(page, live_server.url, "writer")
    panel = open_getty_tab(page, live_server.url, demo_data)
    notice = panel.find_element(By.CSS_SELECTOR, "[data-getty-chooser-notice]")
    assert "Getty Images licensers" in notice.text
    picker = search(page, panel, "kitten")
    # The last card's details: no way to spend, no download button that works for a search-only
    # token.
    far = open_details(page, picker.shadow_root.find_elements(By.CSS_SELECTOR, ".gp-card")[-1])
    assert not [b for b in far.find_elements(By.CSS_SELECTOR, ".gp-download") if b.is_enabled()]
    # A comp does not go into the image field.
    selects = far.find_elements(By.CSS_SELECTOR, ".gp-select")
    if selects:
        click(page, selects[0])
        message = panel.find_element(By.CSS_SELECTOR, "[data-getty-chooser-message]")
        wait(page, lambda d: message.is_displayed(), "the comp was not refused")
        assert "cannot go into an image field" in message.text
        # In view, wherever the card was.
        in_view = (
            "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight"
        )
        wait(page, lambda d: d.execute_script(in_view, message), "the message is out of view")
    assert page.find_elements(By.CSS_SELECTOR, ".modal-body #tab-getty")  # still open
    assert token_service.downloads() == downloads and not GettyImport.objects.exists()


def license_first(driver, panel, phrase):
    """Searches ``phrase`` in the tab and licenses the first card; returns its Getty id."""
    picker = search(driver, panel, phrase)
    card = picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card")
    image_id = card.get_attribute("data-id")
    download(driver, card)
    return image_id


def test_an_image_chooser_block_and_a_rich_text_image_are_licensed_through_the_tab(
    page, live_server, demo_data, token_service, worker
):
    downloads = token_service.downloads()
    log_in(page, live_server.url, "editor")
    page.get(f"{live_server.url}/admin/pages/{demo_data.id}/edit/")

    # An ImageChooserBlock ("Photo") in the body.
    block = add_block(page, "Photo", ".chooser")
    click(page, block.find_element(By.CSS_SELECTOR, ".unchosen [data-chooser-action-choose]"))
    block_image = license_first(page, getty_tab(page), "kitten")
    block_input = block.find_element(By.XPATH, "following-sibling::input[@type='hidden']")
    wait(page, lambda d: block_input.get_attribute("value"), "the block got no image", timeout=60)
    in_block = GettyLicence.objects.get(getty_id=block_image)
    assert block_input.get_attribute("value") == str(in_block.image_id)

    # A rich-text image: a paragraph, "/" → Image, the tab, then Wagtail's format step.
    editor = add_block(page, "Paragraph", "[contenteditable=true]")
    paragraph = editor.find_element(By.XPATH, "ancestor::*[contains(@class, 'Draftail-Editor')][1]")
    click(page, editor)
    editor.send_keys("/")
    image_option = wait(page, lambda d: option_named(d, "Image"), "no Image command in the rich text")
    click(page, image_option)
    text_image = license_first(page, getty_tab(page), "beach")
    alt = wait(
        page,
        lambda d: d.find_element(By.CSS_SELECTOR, ".modal #id_image-chooser-insertion-alt_text"),
        "the rich-text editor's format step did not follow",
        timeout=60,
    )
    insert = alt.find_element(By.XPATH, "ancestor::form[1]").find_element(By.CSS_SELECTOR, "[type=submit]")
    in_text = GettyLicence.objects.select_related("image").get(getty_id=text_image)
    assert alt.get_attribute("value") == in_text.image.description
    click(page, page.find_element(By.CSS_SELECTOR, ".modal input[type=radio][value=fullwidth]"))
    click(page, insert)
    wait(page, lambda d: paragraph.find_elements(By.CSS_SELECTOR, "img"), "no image in the rich text")
    assert token_service.downloads() == downloads + (2 if block_image != text_image else 1)

    footer_action(page, "action-publish")
    after_submit(page, block)
    demo_data.refresh_from_db()
    assert demo_data.live
    blocks = {child.block_type: child.value for child in demo_data.body}
    assert blocks["photo"].pk == in_block.image_id
    assert f'id="{in_text.image_id}"' in str(blocks["paragraph"].source)

    page.get(f"{live_server.url}/")
    figures = page.find_elements(By.CSS_SELECTOR, "figure")
    credits = [f.find_element(By.CSS_SELECTOR, "figcaption").text for f in figures]
    assert in_block.credit_line in credits and in_text.credit_line in credits
    for img in page.find_elements(By.CSS_SELECTOR, "figure img"):
        src = img.get_attribute("src")
        assert src.startswith(f"{live_server.url}/media/images/"), src
        assert len(get(src)) > 100


def test_an_import_that_failed_in_the_tab_says_why_and_import_again_finishes_it(
    page, live_server, demo_data, token_service, picker_settings, task_workers
):
    # This worker may not fetch from the sandbox (its delivery hosts are Getty's only).
    refusing = task_workers(DELIVERY_HOSTS=["https://delivery.gettyimages.com"])
    try:
        log_in(page, live_server.url, "editor")
        panel = open_getty_tab(page, live_server.url, demo_data)
        image_id = license_first(page, panel, "kitten")
        message = panel.find_element(By.CSS_SELECTOR, "[data-getty-chooser-message]")
        # (A poll the busy test site did not answer may say "still trying" meanwhile.)
        wait(
            page,
            lambda d: message.is_displayed() and "The file was not imported" in message.text,
            "the failure was not shown",
            timeout=60,
        )
    finally:
        refusing.stop()
    # The download's POST is done: the import it started has failed.
    spent = token_service.downloads()
    job = GettyImport.objects.get(getty_id=image_id)
    assert job.state == GettyImport.FAILED and job.error in message.text
    retry = panel.find_element(By.CSS_SELECTOR, "[data-getty-chooser-retry]")
    assert retry.is_displayed() and not page.find_element(By.CSS_SELECTOR, "#id_photo").get_attribute("value")

    fetching = task_workers()
    try:
        click(page, retry)
        chosen = chosen_image(page)
    finally:
        fetching.stop()
    licence = GettyLicence.objects.get(getty_id=image_id)
    assert chosen == str(licence.image_id)
    # The kept link: no new download.
    assert token_service.downloads() == spent


def test_the_tab_reads_well_in_wagtails_light_and_dark_themes(
    page, live_server, demo_data, token_service, worker, django_user_model
):
    from wagtail.users.models import UserProfile

    editor = django_user_model.objects.get(username="editor")
    log_in(page, live_server.url, "editor")
    for theme in ("light", "dark"):
        profile = UserProfile.get_for_user(editor)
        profile.theme = theme
        profile.save()
        picker = search(page, open_getty_tab(page, live_server.url, demo_data), "kitten")
        assert f"w-theme-{theme}" in page.find_element(By.TAG_NAME, "html").get_attribute("class")
        open_details(page, picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card"))
        wait(
            page,
            lambda d, p=picker: p.shadow_root.find_element(By.CSS_SELECTOR, ".gp-download"),
            "no Download",
        )
        measured = contrasts(page, picker, [".gp-title", ".gp-search-button", ".gp-download", ".gp-select"])
        for selector, contrast in measured.items():
            assert contrast["text"] >= 4.5, (theme, selector, contrast)
        # The outline button ("Use this image") is told apart by its border.
        assert measured[".gp-select"]["outline"] >= 3, (theme, measured)


@pytest.mark.every_database
def test_a_worker_stopped_mid_import_and_started_again_finishes_it_and_the_editor_gets_the_image(
    page, live_server, demo_data, token_service, picker_settings, task_workers, delivery_host
):
    # Beats every half second: an import silent for two seconds is taken as dead.
    picker_settings["IMPORT_HEARTBEAT"] = 0.5
    # This worker asks for the site's Getty token at a host of the tests' own that holds its
    # answer: it has claimed the import and is in the middle of it for as long as the test needs,
    # however slow the machine (its deadlines are longer than the test).
    delivery_host.answers["/token"] = ("held", ("status", 503))
    stuck = task_workers(SERVER_TOKEN_URL=delivery_host.url("/token"), API_TIMEOUT=300.0, READ_TIMEOUT=300.0)
    downloads, deliveries = token_service.downloads(), token_service.deliveries()
    log_in(page, live_server.url, "editor")
    panel = open_getty_tab(page, live_server.url, demo_data)
    # Marks this page: a reload would lose it.
    page.execute_script("window.gettyNoReload = true")
    image_id = license_first(page, panel, "kitten")
    progress = panel.find_element(By.CSS_SELECTOR, "[data-getty-chooser-progress]")
    try:
        wait(page, lambda d: delivery_host.hits["/token"] == 1, f"the worker never began: {stuck.logs()}")
        job = GettyImport.objects.get(getty_id=image_id)
        assert (job.state, job.attempts) == (GettyImport.RUNNING, 1)
        wait(page, lambda d: "Importing" in progress.text, "the editor is not told the file is importing")
    finally:
        # Stopped mid-import, as a worker dies (a deploy, the machine gone): no chance to finish.
        stuck.kill()
        stuck.stop()

    # Nobody works on it: the editor's page keeps saying so, and its polls enqueue the silent
    # import again.
    wait(
        page,
        lambda d: GettyImport.objects.get(pk=job.pk).state == GettyImport.QUEUED,
        "the stopped import was not enqueued again",
    )
    assert (
        progress.is_displayed()
        and progress.text
        and not page.find_element(By.CSS_SELECTOR, "#id_photo").get_attribute("value")
    )
    assert not GettyLicence.objects.filter(getty_id=image_id, image__isnull=False).exists()

    again = task_workers()
    try:
        chosen = chosen_image(page)
    finally:
        again.stop()
    licence = GettyLicence.objects.select_related("image").get(getty_id=image_id)
    assert chosen == str(licence.image_id) and licence.image.collection.name == "Getty Images"
    assert licence.image.title in page.find_element(By.CSS_SELECTOR, f"{PHOTO} [data-chooser-title]").text
    assert page.execute_script("return window.gettyNoReload === true")
    job.refresh_from_db()
    assert (job.state, job.attempts) == (GettyImport.IMPORTED, 2)
    # One download spent, one file fetched (the stopped worker never got that far).
    assert token_service.downloads() == downloads + 1
    assert token_service.deliveries() == deliveries + 1
