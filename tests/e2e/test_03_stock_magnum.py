"""Journey 5: a cloud whose Magnum is stock (no DC/OS driver).

Its own whole cloud (Keystone, stand-ins in stock mode, Horizon), started for
this module: creating the DC/OS bay model ends in a sentence an operator
understands, in the wizard, with everything typed kept.
"""

import pytest
from selenium.webdriver.common.by import By

from tests.e2e.conftest import (
    login,
    open_page,
    selected_text,
    snap,
    wait,
    wait_visible,
    wizard_step,
)
from tests.e2e.pages import field_error, press_create, start_dcos_baymodel

pytestmark = pytest.mark.e2e

SENTENCE = "This Magnum does not accept coe=dcos"


def test_stock_magnum_refuses_dcos_with_a_clear_sentence(driver, stock_stack):
    base_url = stock_stack.url(stock_stack.horizon_port)
    login(driver, base_url, "demo", "demo")
    start_dcos_baymodel(driver, base_url, "dcosbaymodel")
    press_create(driver)

    # Beside the COE it refused, on the wizard's first step.
    wait(driver).until(
        lambda d: SENTENCE in field_error(d, "id_coe"),
        "the wizard never said why Magnum refused",
    )
    text = field_error(driver, "id_coe")
    assert "DC/OS driver is not enabled" in text
    assert "Ask your cloud operator" in text
    # Still the wizard, not an error page, with what was typed.
    title = driver.find_element(By.CSS_SELECTOR, "#modal_wrapper .modal.in h3")
    assert title.text == "Create Bay Model"
    assert wizard_step(driver).startswith("Info")
    assert driver.find_element(By.ID, "id_name").get_attribute("value") == (
        "dcosbaymodel"
    )
    assert selected_text(driver, "id_coe") == "DC/OS"
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "Traceback" not in body and "Server error" not in body
    snap(driver, "stock-magnum-refuses-dcos")

    # Nothing was created.
    open_page(driver, f"{base_url}/project/dcos_baymodels/")
    table = wait_visible(driver, (By.ID, "baymodels"))
    assert "No items to display." in table.text
