"""The README's Content-Security-Policy holds for the plugin's pages: a real
Chromium loads them under it (devenv serves it, as an operator's front
server would) and reports no violation in its console."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from devenv.headers import CONTENT_SECURITY_POLICY
from tests.browser import chromium, page_ready

pytestmark = [pytest.mark.cloud, pytest.mark.e2e]

PAGES = (
    "/project/dcos_bays/",
    "/project/dcos_baymodels/",
    "/project/dcos_baymodels/create/",
    "/project/dcos_bays/create/",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-csp")
    # Chromium reports every CSP violation on the console.
    logging = {"goog:loggingPrefs": {"browser": "ALL"}}
    with chromium(profile, **logging) as driver:
        yield driver


def visit(driver, url):
    driver.get(url)
    WebDriverWait(driver, 30).until(page_ready, f"{url} never finished loading")
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]


def test_the_pages_satisfy_the_recommended_policy(live_stack, browser):
    base = live_stack.url(live_stack.horizon_port)
    assert visit(browser, f"{base}/auth/login/") == []
    browser.find_element(By.ID, "id_username").send_keys("demo")
    browser.find_element(By.ID, "id_password").send_keys("demo")
    browser.find_element(By.ID, "loginBtn").click()
    WebDriverWait(browser, 60).until(
        lambda d: d.current_url.endswith("/project/dcos_bays/") and page_ready(d)
    )
    violations = {}
    for path in PAGES:
        found = visit(browser, f"{base}{path}")
        assert "/auth/login/" not in browser.current_url
        if found:
            violations[path] = found
    assert violations == {}

    # The console does report a violation: a script from another origin.
    browser.execute_script(
        "const s = document.createElement('script');"
        "s.src = 'http://localhost:9/elsewhere.js'; document.head.appendChild(s);"
    )
    WebDriverWait(browser, 10).until(
        lambda d: any(
            "Content Security Policy" in e["message"] for e in d.get_log("browser")
        ),
        "an off-origin script raised no CSP report",
    )
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
