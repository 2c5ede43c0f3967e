"""Journey 1: logging in and out of the dashboard in a real browser."""

import pytest
from selenium.webdriver.common.by import By

from tests.e2e.conftest import login, logout, snap, wait, wait_text, wait_visible

pytestmark = pytest.mark.e2e


def test_demo_logs_in_lands_on_bays_and_logs_out(driver, base_url):
    login(driver, base_url, "demo", "demo")
    wait(driver).until(
        lambda d: d.current_url == f"{base_url}/project/dcos_bays/",
        "the login did not land on the Bays panel",
    )
    wait_text(driver, "Bays", (By.CSS_SELECTOR, ".page-header"))
    # The plugin's panel group, with both panels, in the Project navigation.
    group = wait_visible(
        driver,
        (
            By.XPATH,
            "//li[contains(@class,'openstack-panel-group')]"
            "/a[normalize-space(text())='DC/OS']",
        ),
    )
    target = group.get_attribute("data-target")
    links = driver.find_elements(By.CSS_SELECTOR, f"{target} a.openstack-panel")
    assert [link.text for link in links] == ["Bay Models", "Bays"]
    assert driver.find_element(By.CSS_SELECTOR, "li.user-menu .user-name").text == (
        "demo"
    )
    snap(driver, "bays-empty")

    logout(driver)
    assert "/auth/login/" in driver.current_url
    # Signed out for real: the panel sends us back to the login form.
    driver.get(f"{base_url}/project/dcos_bays/")
    wait_visible(driver, (By.ID, "id_username"))
    assert "/auth/login/" in driver.current_url


def test_wrong_password_is_refused_with_horizons_message(driver, base_url):
    login(driver, base_url, "demo", "not-the-password")
    wait_text(driver, "Invalid credentials.", (By.CSS_SELECTOR, "form .alert-danger"))
    assert "/auth/login/" in driver.current_url
    assert driver.find_element(By.ID, "id_username").get_attribute("value") == "demo"
    snap(driver, "login-refused")
