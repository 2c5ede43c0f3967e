"""A real Chromium driven by Selenium against the session's live stack.

A pytest plugin (``pytest_plugins`` in tests/conftest.py), so tests/e2e and
tests/security share one Chromium and one live stack per session.

Fixtures: ``driver`` (one headless Chromium for the session), ``base_url``
(the live Horizon), ``sandbox`` (knobs on a simulated bay, by the bay's name),
``stock_stack`` (a second, whole cloud whose Magnum is stock, for one
journey). Helpers: :func:`login`, :func:`logout`, :func:`wait_text`,
:func:`snap`. Every run leaves screenshots of the pages the journeys visit in
``artifacts/screenshots/``; a failing test leaves its page there too (PNG and
HTML), named after the test.
"""

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import (
    StaleElementReferenceException,
    WebDriverException,
)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from dcos_sandbox.config import Config
from tests.conftest import stack_of

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# Long enough for a cold page on 2 busy cores, short enough to fail fast.
TIMEOUT = 30

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


# --- the browser ---------------------------------------------------------


@pytest.fixture(scope="session")
def driver(tmp_path_factory):
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).exists():
            pytest.fail(
                f"{path} is missing: `apt-get install chromium chromium-driver` "
                "(.ci/run does it)"
            )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as browser:
        yield browser


@contextlib.contextmanager
def chromium(profile, **capabilities):
    """A headless Chromium on its own profile folder (removed after), with
    the given capabilities."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    for name, value in capabilities.items():
        options.set_capability(name, value)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(60)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def cloud(request):
    """The cloud the browser talks to: the session's ``live_stack``, or, with
    DCOS_E2E_RUNNING=1, the one ``make run`` serves (DCOS_SANDBOX_* variables
    say where), which saves the stack's start while writing a journey."""
    if os.environ.get("DCOS_E2E_RUNNING") == "1":
        return Config.from_env()
    return request.getfixturevalue("live_stack")


@pytest.fixture(scope="session")
def base_url(cloud):
    return cloud.url(cloud.horizon_port)


def wait(driver, timeout=TIMEOUT):
    return WebDriverWait(
        driver, timeout, ignored_exceptions=(StaleElementReferenceException,)
    )


def left(old):
    """A wait condition: the page that held ``old`` is gone.

    Selenium's ``staleness_of``, except that ChromeDriver, asked while the
    old document unloads, may answer "Node with given id does not belong to
    the document" as an unknown error instead of a stale element: that too
    says the node's page is gone (seen once in a full run).
    """

    def gone(driver):
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return True
            raise
        return False

    return gone


def wait_text(driver, text, locator=(By.TAG_NAME, "body"), timeout=TIMEOUT):
    """Wait until the element at ``locator`` shows ``text``; return the element."""
    wait(driver, timeout).until(
        EC.text_to_be_present_in_element(locator, text),
        f"{text!r} never appeared in {locator} on {driver.current_url}",
    )
    return driver.find_element(*locator)


def wait_visible(driver, locator, timeout=TIMEOUT):
    return wait(driver, timeout).until(
        EC.visibility_of_element_located(locator),
        f"{locator} never became visible on {driver.current_url}",
    )


def wait_clickable(driver, locator, timeout=TIMEOUT):
    return wait(driver, timeout).until(
        EC.element_to_be_clickable(locator),
        f"{locator} never became clickable on {driver.current_url}",
    )


def page_ready(driver):
    """True once the document has loaded and jQuery has no request in flight."""
    return driver.execute_script(
        "return document.readyState === 'complete' &&"
        " (!window.jQuery || jQuery.active === 0);"
    )


def open_page(driver, url):
    driver.get(url)
    wait(driver).until(lambda d: page_ready(d), f"{url} never finished loading")


def login(driver, base_url, user, password):
    """Log in through Horizon's form, as a user types; returns nothing.

    The caller checks where it landed (a refused login stays on the form).
    """
    driver.delete_all_cookies()
    open_page(driver, f"{base_url}/auth/login/")
    username = wait_visible(driver, (By.ID, "id_username"))
    username.clear()
    username.send_keys(user)
    password_field = driver.find_element(By.ID, "id_password")
    password_field.clear()
    password_field.send_keys(password)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.ID, "loginBtn").click()
    wait(driver).until(left(old), "the login form was never submitted")
    wait(driver).until(lambda d: page_ready(d))


def logout(driver):
    """Sign out through the user menu, as a user does."""
    wait_clickable(
        driver, (By.CSS_SELECTOR, "li.user-menu > a.dropdown-toggle")
    ).click()
    button = wait_clickable(
        driver,
        (
            By.XPATH,
            "//li[contains(@class,'user-menu')]//button[contains(.,'Sign Out')]",
        ),
    )
    old = driver.find_element(By.TAG_NAME, "html")
    button.click()
    wait(driver).until(left(old), "signing out never left the page")
    wait_visible(driver, (By.ID, "id_username"))


def fill(driver, field_id, text):
    """Type into a text field, replacing what it held."""
    field = wait_visible(driver, (By.ID, field_id))
    field.clear()
    field.send_keys(text)
    return field


def choose(driver, field_id, option_text):
    """Pick an option of a select by its text, through Horizon's themable
    dropdown when the select has one (the <select> itself is hidden then)."""
    select = driver.find_element(By.ID, field_id)
    boxes = select.find_elements(
        By.XPATH, "parent::div[contains(@class,'themable-select')]"
    )
    if not boxes:
        Select(select).select_by_visible_text(option_text)
        return
    box = boxes[0]
    wait(driver).until(
        lambda d: box.find_element(
            By.CSS_SELECTOR, "button.dropdown-toggle"
        ).is_displayed(),
        f"the {field_id} dropdown is not shown",
    )
    box.find_element(By.CSS_SELECTOR, "button.dropdown-toggle").click()
    option = (
        By.XPATH,
        f".//ul[contains(@class,'dropdown-menu')]//a[normalize-space()='{option_text}']",
    )
    wait(driver).until(
        lambda d: box.find_element(*option).is_displayed(),
        f"{option_text!r} is not among the {field_id} choices",
    )
    box.find_element(*option).click()
    wait(driver).until(
        lambda d: selected_text(d, field_id) == option_text,
        f"{field_id} did not take {option_text!r}",
    )


def selected_text(driver, field_id):
    """The text of a select's chosen option (hidden selects included)."""
    option = Select(driver.find_element(By.ID, field_id)).first_selected_option
    return " ".join(option.get_attribute("textContent").split())


def tick(driver, name, value, on=True):
    """Set one checkbox of a group (by the group's name and the box's value)."""
    box = driver.find_element(
        By.CSS_SELECTOR, f"input[type=checkbox][name='{name}'][value='{value}']"
    )
    if box.is_selected() != on:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
        if box.is_displayed():
            box.click()
        else:  # a themed box: its label is what a user clicks
            driver.find_element(
                By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']"
            ).click()
    wait(driver).until(lambda d: box.is_selected() == on, f"{name}={value} not set")
    return box


def modal(driver, title):
    """Wait for the modal dialog called ``title`` (a workflow or a form) to be
    shown and ready: Horizon first shows a spinner in a modal of its own."""
    locator = (
        By.XPATH,
        "//div[@id='modal_wrapper']//div[contains(@class,'modal') and"
        " contains(@class,'in')][.//h3[contains(@class,'modal-title')"
        f" and normalize-space()='{title}']]",
    )
    dialog = wait_visible(driver, locator)
    wait(driver).until(lambda d: page_ready(d), "the modal never settled")
    return dialog


def wizard_step(driver):
    """The title of the wizard's current step."""
    return driver.find_element(
        By.CSS_SELECTOR, "#modal_wrapper .modal.in .wizard-tabs li.active a"
    ).text.strip()


def wizard_next(driver, expected_step):
    """Click Next and wait for the next step (the server validates the last)."""
    wait_clickable(
        driver, (By.CSS_SELECTOR, "#modal_wrapper .modal.in .button-next")
    ).click()
    wait(driver).until(
        lambda d: wizard_step(d).startswith(expected_step),
        f"the wizard did not move on to {expected_step!r}",
    )


_CELL_JS = """
const [tableId, rowName, header] = arguments;
const table = document.getElementById(tableId);
if (!table) return null;
const heads = [...table.querySelectorAll('thead tr:last-child th')];
const index = heads.findIndex(th => th.innerText.trim() === header);
if (index < 0) return null;
for (const tr of table.querySelectorAll('tbody tr')) {
  const links = [...tr.querySelectorAll('td a')];
  if (links.some(a => a.innerText.trim() === rowName)) {
    const td = tr.querySelectorAll(':scope > td')[index];
    return td ? td.innerText.trim() : null;
  }
}
return null;
"""


def cell_text(driver, table, row_name, header):
    """What the cell under ``header`` shows in the row of ``row_name`` (None
    while there is no such row). Found afresh each time: Horizon replaces a
    row when it refreshes it."""
    return driver.execute_script(_CELL_JS, table, row_name, header)


def wait_cell(driver, table, row_name, header, text, timeout=TIMEOUT):
    wait(driver, timeout).until(
        lambda d: cell_text(d, table, row_name, header) == text,
        f"{header} of {row_name} never read {text!r}"
        f" (last: {cell_text(driver, table, row_name, header)!r})",
    )


def _safe(name):
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_")[-120:]


def snap(driver, name):
    """Save what the browser shows now as artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{_safe(name)}.png"
    driver.save_screenshot(str(path))
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    browser = item.funcargs.get("driver")
    if browser is None:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = f"FAILED-{_safe(item.nodeid)}"
    png, page = SCREENSHOTS / f"{stem}.png", SCREENSHOTS / f"{stem}.html"
    try:
        browser.save_screenshot(str(png))
        page.write_text(f"<!-- {browser.current_url} -->\n{browser.page_source}")
        report.sections.append(
            ("e2e", f"page at failure: {png} and {page.name} ({browser.current_url})")
        )
    except WebDriverException as exc:  # the browser itself may be what failed
        report.sections.append(("e2e", f"no screenshot: {exc}"))


# --- the simulated clusters' knobs -----------------------------------------


class Sandbox:
    """Set knobs on a simulated bay by its name, through the sandbox's API."""

    def __init__(self, config):
        self.config = config
        self.root = f"{config.clusters_url}/_sandbox/clusters"

    def clusters(self):
        r = requests.get(self.root, timeout=10)
        r.raise_for_status()
        return r.json()["clusters"]

    def uuid(self, bay_name):
        matches = [c["uuid"] for c in self.clusters() if c.get("name") == bay_name]
        assert len(matches) == 1, f"{len(matches)} simulated clusters are {bay_name!r}"
        return matches[0]

    def set(self, bay_name, **knobs):
        r = requests.post(
            f"{self.root}/{self.uuid(bay_name)}/knobs", json=knobs, timeout=10
        )
        assert r.status_code < 400, f"{r.status_code}: {r.text}"
        return r.json()


@pytest.fixture(scope="session")
def sandbox(cloud):
    return Sandbox(cloud)


# --- a second cloud whose Magnum is stock ------------------------------------


@pytest.fixture(scope="module")
def stock_stack(cloud, tmp_path_factory):
    """A whole second cloud (its own Keystone, stand-ins, Horizon) in stock mode.

    Its own Keystone too: a Keystone's catalog names one set of stand-in ports.
    """
    config = Config.on_free_ports(
        tmp_path_factory.mktemp("stock-sandbox"),
        magnum_mode="stock",
        transition_seconds=cloud.transition_seconds,
    )
    with stack_of(config) as stack:
        stack.start()
        yield config
