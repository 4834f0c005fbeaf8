"""What the end-to-end tests do in Chromium, as an editor would: log in, open the editor, open a
Getty field's chooser modal, search, choose or license an image, publish, approve."""

import json
import urllib.request

from selenium.common.exceptions import (
    DetachedShadowRootException,
    ElementClickInterceptedException,
    ElementNotInteractableException,
    NoSuchElementException,
    NoSuchShadowRootException,
    StaleElementReferenceException,
    TimeoutException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT = 20
# A picker element has no shadow root until its script has defined it, which may come after the page.
NOT_THERE_YET = (NoSuchElementException, NoSuchShadowRootException, StaleElementReferenceException)
LEAD = "[data-getty-picker-field]:has(#id_getty_image)"


def wait(driver, condition, message, timeout=WAIT):
    """``condition(driver)`` once truthy, ignoring elements (and shadow roots) not there yet."""
    return WebDriverWait(driver, timeout, ignored_exceptions=NOT_THERE_YET).until(condition, message)


def click(driver, element):
    """Clicks ``element`` once nothing covers it: scrolled to the middle (Wagtail's sticky footer
    covers the bottom of the window, and its smooth scrolling would still be moving), again
    while the layout shifts (thumbnails that finish loading make cards taller)."""

    def scrolled_click(_driver):
        driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
        element.click()
        return True

    WebDriverWait(
        driver, WAIT, ignored_exceptions=(ElementClickInterceptedException, ElementNotInteractableException)
    ).until(scrolled_click, "the element stayed covered")


def log_in(driver, site, username, password=None):
    """Wagtail's login form, as typed by the user."""
    driver.get(f"{site}/admin/login/")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(password or username, Keys.ENTER)
    wait(driver, lambda d: d.current_url.rstrip("/").endswith("/admin"), f"{username} could not log in")


def open_editor(driver, site, page, field=LEAD):
    """The page's editor; returns the field (the lead image's by default)."""
    driver.get(f"{site}/admin/pages/{page.id}/edit/")
    found = wait(
        driver, lambda d: d.find_element(By.CSS_SELECTOR, field), "no Getty image field in the editor"
    )
    watch_autosave(driver)
    return found


MODAL_PANEL = ".modal [data-getty-chooser-panel]"


def is_field(element):
    """Whether ``element`` is a Getty field or block (a compact chooser)."""
    return element.get_attribute("data-getty-picker-field") is not None


def open_chooser(driver, field):
    """Opens the field's chooser modal ("Choose a Getty image", or "Change" when it holds an
    image); returns the modal's panel once shown and ready for typing."""
    choose = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-choose]")
    wait(driver, lambda d: choose.is_displayed() or field_shows_change(field), "the field offers no chooser")
    button = (
        choose if choose.is_displayed() else field.find_element(By.CSS_SELECTOR, "[data-getty-picker-change]")
    )
    click(driver, button)
    panel = modal_panel(driver)
    # Ready to type as the editor sees it, with the caret in the search box: the modal puts it
    # there once it has faded in and focused itself; keys typed before then would go to the modal.
    wait(
        driver,
        lambda d: d.execute_script(
            """
            const picker = arguments[0].querySelector("[data-getty-picker-element]");
            const focused = picker.shadowRoot && picker.shadowRoot.activeElement;
            return Boolean(focused && focused.matches(".gp-search-input"));
            """,
            panel,
        ),
        "the chooser modal did not put the caret in the search box",
    )
    return panel


def field_shows_change(field):
    return field.find_element(By.CSS_SELECTOR, "[data-getty-picker-change]").is_displayed()


def modal_panel(driver):
    """The open chooser modal's Getty panel, once shown (a minute: the modal is a request to the
    site, and the shared test machine can be slow)."""
    return wait(
        driver,
        lambda d: next((p for p in d.find_elements(By.CSS_SELECTOR, MODAL_PANEL) if p.is_displayed()), None),
        "the Getty chooser modal did not open",
        timeout=60,
    )


def modal_closed(driver):
    """Waits until no chooser modal is open (a choice closes it)."""
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, MODAL_PANEL), "the chooser modal stayed open")


def picker_of(where):
    """The picker element in ``where`` (a panel), or for a Getty field, in the open modal (the
    widget mounts into its shadow root)."""
    if is_field(where):
        return modal_panel(where.parent).find_element(By.CSS_SELECTOR, "[data-getty-picker-element]")
    return where.find_element(By.CSS_SELECTOR, "[data-getty-picker-element]")


def search(driver, where, phrase):
    """Types ``phrase`` into the picker of ``where`` (a panel, or a field: its chooser modal is
    opened unless one is open) and presses Enter; returns the picker."""
    if is_field(where) and not [
        p for p in driver.find_elements(By.CSS_SELECTOR, MODAL_PANEL) if p.is_displayed()
    ]:
        open_chooser(driver, where)
    picker = picker_of(where)
    box = wait(
        driver,
        lambda d: picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-search-input"),
        "the picker did not start in the chooser modal",
    )
    # The phrase arrives as one edit, as pasting does: typed key by key, a pause longer than the
    # picker's debounce (a loaded machine) would have it search the phrase's beginning first, and
    # the cards found here could be replaced by the phrase's own a moment later.
    driver.execute_script(
        """
        const [box, phrase] = arguments;
        box.focus();
        box.value = phrase;
        box.dispatchEvent(new InputEvent("input", {
          bubbles: true, composed: true, inputType: "insertFromPaste", data: phrase,
        }));
        """,
        box,
        phrase,
    )
    box.send_keys(Keys.ENTER)
    wait(driver, lambda d: picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card"), "no result cards")
    return picker


def cards(picker):
    return picker.shadow_root.find_elements(By.CSS_SELECTOR, ".gp-card")


def restricted_card(picker):
    """A result card with usage restrictions (so the field has some to show)."""
    card = next((c for c in cards(picker) if c.find_elements(By.CSS_SELECTOR, ".gp-restrictions")), None)
    assert card is not None, "no result card with usage restrictions"
    return card


def stored(field):
    """The field's hidden input as JSON (``None`` when empty)."""
    raw = field.find_element(By.CSS_SELECTOR, "[data-getty-picker-value]").get_attribute("value")
    return json.loads(raw) if raw else None


def is_card(element):
    """Whether ``element`` is a result card (rather than the details panel or a shadow root)."""
    return isinstance(element, WebElement) and "gp-card" in (element.get_attribute("class") or "").split()


def open_details(driver, card):
    """Opens ``card``'s details panel, where the picker licenses, as an editor does (a click on
    the card); returns the panel once it shows that image."""
    image_id = card.get_attribute("data-id")
    click(driver, card.find_element(By.CSS_SELECTOR, ".gp-card-open"))
    return wait(
        driver,
        lambda d: d.execute_script(
            """
            const [card, id] = arguments;
            const panel = card.getRootNode().querySelector(".gp-panel");
            const facts = panel ? [...panel.querySelectorAll(".gp-panel-facts dd")] : [];
            return facts.some((dd) => dd.textContent.trim() === id) ? panel : null;
            """,
            card,
            image_id,
        ),
        f"the details of {image_id} did not open",
    )


def details(driver, where):
    """The details panel to act in: ``where``'s, opened, if it is a card; else ``where`` itself
    (the panel, or a picker's shadow root whose panel is open)."""
    return open_details(driver, where) if is_card(where) else where


def card_action(driver, card, action):
    """Presses the button for ``action`` in ``card``'s details (opened first): "select" ("Use
    this image": a comp), "use" ("Use it" on an image the site holds) or "download". The one
    place that knows where a card keeps its actions. ``card`` may also be the details panel, or
    a picker's shadow root showing one image's details."""
    card = details(driver, card)
    if action == "use":
        [button] = wait(
            driver,
            lambda d: [
                b for b in card.find_elements(By.CSS_SELECTOR, "button") if b.text.strip() == "Use it"
            ],
            "no “Use it” in the details",
        )
    else:
        selector = {"select": ".gp-select", "download": ".gp-download"}[action]
        button = wait(
            driver, lambda d: card.find_element(By.CSS_SELECTOR, selector), f"no {selector} in the details"
        )
    click(driver, button)


def use_image(driver, card):
    """ "Use this image" in ``card``'s details: a comp."""
    card_action(driver, card, "select")


def use_held(driver, card):
    """ "Use it" in ``card``'s details, an image the site holds: nothing spent."""
    card_action(driver, card, "use")


def choose_comp(driver, field, phrase="kitten"):
    """Searches ``phrase`` in the field's chooser and keeps the first result as a comp ("Use this
    image"); returns the field's value."""
    picker = search(driver, field, phrase)
    use_image(driver, picker.shadow_root.find_element(By.CSS_SELECTOR, ".gp-card"))
    return wait_for_value(driver, field, lambda v: v["state"] == "selected", "the comp was not kept")


def download(driver, card, confirm=True):
    """Licenses ``card``'s image in its details (a card is opened first; the panel, or a shadow
    root whose panel is open, is used as it is): the account's product (with a project code
    where the sandbox's demo account requires one), then "Download", and with ``confirm`` "Use
    one more download" if the picker asks first. Returns the panel."""
    card = details(driver, card)
    # The details show the account's products, the fields the chosen one requires, once the
    # picker knows them (asked when the first details open): until then the controls are busy.
    wait(
        driver,
        lambda d: card.find_elements(By.CSS_SELECTOR, '.gp-download-controls[aria-busy="false"]'),
        "the details never showed the account's products",
    )
    wait(driver, lambda d: choose_project_code(card), "the project code could not be chosen")
    card_action(driver, card, "download")
    if not confirm:
        return card

    # The token service's sandbox lives as long as the test session, so Getty's download history
    # may already list the image (an earlier test licensed it): the picker then asks first, and
    # licensing means confirming. Whether it asks is tests/test_e2e_contracts.py's concern. A
    # download in a Getty field's modal closes the modal (the field imports the file).
    # The modal may close between finding an element and reading it, so both happen in one go.
    def outcome(d):
        try:
            found = card.find_elements(
                By.CSS_SELECTOR, ".gp-confirm-spend, .gp-delivery-link, .gp-card-error, .gp-download-again"
            )
            return (found[0], found[0].get_attribute("class") or "") if found else None
        except (StaleElementReferenceException, DetachedShadowRootException, NoSuchShadowRootException):
            return "closed", ""

    found, classes = wait(driver, outcome, "the download neither asked first nor ended")
    if "gp-confirm-spend" in classes.split():
        click(driver, found)
    return card


def choose_project_code(panel):
    """Chooses the sandbox's project code where the product asks for one from a list; true once
    chosen or not asked for. The field is found afresh each time: it is rebuilt when what the
    chosen product requires changes (``download`` calls this in a wait)."""
    codes = panel.find_elements(By.CSS_SELECTOR, "select.gp-project-code")
    if not codes:
        return True
    Select(codes[0]).select_by_value("WEB-HOME")
    return codes[0].get_attribute("value") == "WEB-HOME"


def wait_for_value(driver, field, test, message):
    """The field's value once ``test(value)`` holds; if it never does, says what the field and its
    picker showed then."""
    try:
        return wait(driver, lambda d: (lambda v: v if v and test(v) else None)(stored(field)), message)
    except TimeoutException:
        raise AssertionError(f"{message}: {field_state(driver, field)}") from None


def field_state(driver, field):
    """What a Getty image field shows: its value, message, progress, and the open chooser's
    picker's card texts (download states and errors)."""
    return driver.execute_script(
        """
        const field = arguments[0];
        const text = (name) => {
          const el = field.querySelector(`[data-getty-picker-${name}]`);
          return el && !el.hidden ? el.textContent.trim() : null;
        };
        const picker = document.querySelector(".modal [data-getty-picker-element]");
        const root = picker && picker.shadowRoot;
        const outcomes = root
          ? [...root.querySelectorAll(".gp-card-error, .gp-status, .gp-confirm-spend, .gp-delivery-link")]
              .map((e) => `${e.className}: ${e.textContent.trim()}`.slice(0, 200))
          : [];
        return {
          value: field.querySelector("[data-getty-picker-value]").value.slice(0, 300),
          message: text("message"), progress: text("progress"), state: text("state"), outcomes,
        };
        """,
        field,
    )


def imported(value):
    return value.get("state") == "licensed" and value.get("imported") is True


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


def autosaved(driver):
    """Waits until Wagtail's autosave has nothing left to send, as an editor sees "Changes have
    been autosaved" before pressing Publish, so that the submit does not race an autosave request
    (Wagtail's own business, not what these tests are about).

    How Wagtail 8's editor autosaves: its unsaved-changes controller snapshots the form 2 s after
    load, compares the form with the snapshot every 0.5 s and, on a difference, asks autosave to
    save (debounced 0.5 s); a successful autosave takes a new snapshot. So the form is saved when
    it equals the snapshot. Right after a change its "has edits" flag is still false for up to
    0.5 s, which is why that flag alone is not enough. An autosave that failed (say, a form that
    does not validate) leaves the form unsaved with nothing in flight: the submit carries it. An
    editor Wagtail re-rendered after a form that did not validate starts "forced" (dirty): it
    takes no snapshot and never autosaves, so nothing is in flight there either (waiting for its
    "has edits" flag to clear is what used to time out). Autosave retries a failed request after
    2, 4, 8… s, hence a minute on a loaded machine."""

    def settled(d):
        return d.execute_script(
            """
            const form = document.querySelector("form[data-edit-form]");
            const app = window.wagtail && window.wagtail.app;
            if (!form || !app) return false;
            const autosave = app.getControllerForElementAndIdentifier(form, "w-autosave");
            if (!autosave || !autosave.activeValue) return true;  // off, or given up for good
            const unsaved = app.getControllerForElementAndIdentifier(form, "w-unsaved");
            if (!unsaved) return false;
            if (unsaved.forceValue) return true;  // re-rendered after errors: never autosaves
            if (unsaved.initialFormData === undefined) return false;  // not watching yet
            const now = unsaved.formData;
            return now === unsaved.initialFormData || now === form.dataset.gettyTestsAutosaveFailedWith;
            """
        )

    wait(driver, settled, "the editor's changes were not autosaved", timeout=60)


def watch_autosave(driver):
    """Notes, on the editor's form, the data of the last autosave that failed (``autosaved``
    then knows nothing is in flight for it)."""
    driver.execute_script(
        """
        const form = document.querySelector("form[data-edit-form]");
        if (!form || form.dataset.gettyTestsWatching) return;
        form.dataset.gettyTestsWatching = "1";
        form.addEventListener("w-autosave:error", () => {
          const app = window.wagtail && window.wagtail.app;
          const unsaved = app && app.getControllerForElementAndIdentifier(form, "w-unsaved");
          if (unsaved) form.dataset.gettyTestsAutosaveFailedWith = unsaved.formData;
        });
        """
    )


def footer_action(driver, name):
    """Presses the editor footer's button ``name`` (``action-publish``, ``action-submit``, …),
    opening the footer's menu first when it is in there."""
    autosaved(driver)
    button = driver.find_element(By.CSS_SELECTOR, f'footer button[name="{name}"]')
    if not button.is_displayed():
        click(driver, driver.find_element(By.CSS_SELECTOR, "footer .w-dropdown__toggle"))
        wait(driver, lambda d: button.is_displayed(), f"the footer's menu did not show {name}")
    click(driver, button)


def save_draft(driver, element):
    """ "Save draft" in the editor's footer; waits until the saved editor replaced ``element``."""
    autosaved(driver)
    click(driver, driver.find_element(By.CSS_SELECTOR, "footer button.action-save"))
    after_submit(driver, element)


def workflow_action(driver, action):
    """Presses the editor footer's moderation action (``approve``, ``reject``, …)."""
    autosaved(driver)
    selector = f'footer button[data-workflow-action-name="{action}"], footer button[value="{action}"]'
    button = driver.find_element(By.CSS_SELECTOR, selector)
    if not button.is_displayed():
        click(driver, driver.find_element(By.CSS_SELECTOR, "footer .w-dropdown__toggle"))
        wait(driver, lambda d: button.is_displayed(), f"the footer's menu did not show {action}")
    click(driver, button)


def after_submit(driver, element):
    """Waits until the form the editor submitted replaced the page (a minute: the shared test
    machine can be slow to publish and render the editor again); if it did not, says what the
    page showed then."""
    try:
        WebDriverWait(driver, 60).until(EC.staleness_of(element))
    except TimeoutException:
        raise AssertionError(f"the editor did not submit within a minute: {submit_state(driver)}") from None


def submit_state(driver):
    """What the editor's page shows when a submit did not replace it: its messages, the footer's
    buttons (Wagtail disables one while it submits), the form's unsaved-changes state, the
    dialogs still open (one may hold the submit) and what has the focus."""
    return driver.execute_script(
        """
        const form = document.querySelector("form[data-edit-form]");
        return {
          url: location.pathname,
          messages: [...document.querySelectorAll(".messages li")].map((m) => m.textContent.trim()),
          buttons: [...document.querySelectorAll("footer button[name], .w-dialog button.action-save")].map(
            (b) => `${b.name || b.className} ${b.disabled ? "disabled" : "enabled"} "${b.textContent.trim()}"`
          ),
          has_edits: form && form.getAttribute("data-w-unsaved-has-edits-value"),
          dialogs: [...document.querySelectorAll(".w-dialog, [data-a11y-dialog]")]
            .filter((d) => !d.hidden && d.getAttribute("aria-hidden") !== "true")
            .map((d) => d.id || d.className),
          focused: document.activeElement && document.activeElement.outerHTML.slice(0, 200),
        };
        """
    )


def an_image(url):
    """Fetches ``url`` outside the browser: it must answer 200 with an image."""
    with urllib.request.urlopen(url, timeout=20) as response:
        assert response.status == 200, url
        assert response.headers["Content-Type"].startswith("image/"), (url, response.headers["Content-Type"])
        body = response.read()
    assert body[:8] == b"\x89PNG\r\n\x1a\n" or body[:3] == b"\xff\xd8\xff" or body[8:12] == b"WEBP", url
    return body


def loaded(driver, img):
    """``img`` has loaded in the browser (with pixels) and its URL answers with an image."""
    wait(driver, lambda d: d.execute_script("return arguments[0].complete", img), "the image never loaded")
    assert driver.execute_script("return arguments[0].naturalWidth", img) > 0, img.get_attribute("src")
    url = driver.execute_script("return arguments[0].currentSrc || arguments[0].src", img)
    an_image(url)
    return url


def messages(driver):
    """The texts of Wagtail's messages at the top of the page. Read from the document, not as
    shown: Wagtail keeps the list transparent until its script marks the page ready and then
    fades it in, and a transparent element's visible text is empty to WebDriver."""
    return [
        " ".join((m.get_attribute("textContent") or "").split())
        for m in driver.find_elements(By.CSS_SELECTOR, ".messages li")
    ]


def get(url):
    """The body of ``url``, fetched outside the browser."""
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.read()


# WCAG's contrast ratio of what an element paints: its text against its own background (or the
# first painted one behind it), its border against what is behind it.
_CONTRASTS = """
const [host, selectors] = arguments;
const root = host.shadowRoot || host;
const channels = (c) => c.match(/[\\d.]+/g).map(Number);
const luminance = (c) => {
  const [r, g, b] = channels(c).slice(0, 3).map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const painted = (c) => c && c !== "transparent" && !(channels(c).length === 4 && channels(c)[3] === 0);
const behind = (el) => {
  for (let e = el; e; e = e.parentElement || e.getRootNode().host) {
    const c = getComputedStyle(e).backgroundColor;
    if (painted(c)) return c;
  }
  return "rgb(255, 255, 255)";
};
const out = {};
for (const selector of selectors) {
  const el = root.querySelector(selector);
  const style = getComputedStyle(el);
  const around = behind(el.parentElement);
  const own = painted(style.backgroundColor) ? style.backgroundColor : around;
  out[selector] = { text: ratio(style.color, own), outline: ratio(style.borderTopColor, around) };
}
return out;
"""


def contrasts(driver, host, selectors):
    """``{selector: {"text": ratio, "outline": ratio}}`` of the first element matching each
    selector in ``host`` (in its shadow root if it has one: a picker)."""
    return driver.execute_script(_CONTRASTS, host, selectors)
