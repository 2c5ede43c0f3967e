"""What the journeys do on the plugin's own pages, as a user does it."""

from selenium.webdriver.common.by import By

from tests.e2e.conftest import (
    choose,
    fill,
    left,
    modal,
    open_page,
    page_ready,
    tick,
    wait,
    wait_clickable,
    wait_text,
    wait_visible,
    wizard_next,
    wizard_step,
)

LABELS = "label_dcos__"


def row_of(table, name):
    """Locator of the row of table ``table`` whose Name link reads ``name``."""
    return (
        By.XPATH,
        f"//table[@id='{table}']/tbody/tr[.//td//a[normalize-space()='{name}']]",
    )


def row_actions(driver, table, name, action):
    """Click a row's action, from its menu when it is not the first one."""
    row = wait_visible(driver, row_of(table, name))
    buttons = row.find_elements(By.CSS_SELECTOR, f"[id$='__action_{action}']")
    assert buttons, f"{name} has no {action} action"
    if not buttons[0].is_displayed():
        row.find_element(By.CSS_SELECTOR, ".btn-group .dropdown-toggle").click()
        wait(driver).until(lambda d: buttons[0].is_displayed())
    buttons[0].click()


def field_error(driver, field_id):
    """The error Horizon shows beside a field ('' when none)."""
    group = driver.find_element(
        By.XPATH,
        f"//*[@id='{field_id}']/ancestor::div[contains(@class,'form-group')][1]",
    )
    if "has-error" not in group.get_attribute("class"):
        return ""
    return " ".join(e.text for e in group.find_elements(By.CSS_SELECTOR, ".help-block"))


def start_dcos_baymodel(driver, base_url, name, launcher="linux"):
    """Open the Create Bay Model wizard and fill in the seed's DC/OS model, up
    to its Labels step; the caller presses Create."""
    open_page(driver, f"{base_url}/project/dcos_baymodels/")
    wait_clickable(driver, (By.ID, "baymodels__action_create")).click()
    modal(driver, "Create Bay Model")
    assert wizard_step(driver).startswith("Info")
    fill(driver, "id_name", name)
    choose(driver, "id_coe", "DC/OS")
    wizard_next(driver, "Node Spec")
    choose(driver, "id_image_dcos", "dcos-centos-7.2")
    choose(driver, "id_flavor_id", "m1.small")
    choose(driver, "id_keypair_id", "testkey")
    fill(driver, "id_docker_volume_size", "5")
    wizard_next(driver, "Network")
    choose(driver, "id_external_network_id", "public")
    fill(driver, "id_dns_nameserver", "8.8.8.8")
    wizard_next(driver, "Labels")
    tick(driver, f"{LABELS}isolation", "docker/volume")
    choose(driver, f"id_{LABELS}launcher", launcher)
    tick(driver, f"{LABELS}image_providers", "docker")


def said(driver, text):
    """Wait until Horizon's messages say ``text``."""
    return wait_text(driver, text, (By.CSS_SELECTOR, ".messages"))


def submitted(driver, button, never):
    """Click ``button`` and wait until the page it leads to has loaded
    (``never``: what failed, when it does not)."""
    old = driver.find_element(By.TAG_NAME, "html")
    button.click()
    wait(driver).until(left(old), never)
    wait(driver).until(lambda d: page_ready(d))


def press_create(driver):
    driver.find_element(
        By.CSS_SELECTOR, "#modal_wrapper .modal.in .button-final"
    ).click()
