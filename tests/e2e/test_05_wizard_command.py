"""Journey: script what you fill in.

The Create Bay Model wizard shows, as it is filled in, the `openstack`
command that does the same; asking for it creates nothing.
"""

import shlex

from selenium.webdriver.common.by import By

from tests.e2e.conftest import (
    fill,
    login,
    open_page,
    snap,
    wait,
    wait_visible,
    wizard_step,
)
from tests.e2e.pages import row_of, start_dcos_baymodel

MODEL = "cmd-model"
LINE = (By.ID, "dcos-command-preview")


def shown_line(driver):
    line = driver.find_element(*LINE)
    return line.text if line.is_displayed() else ""


def test_the_bay_model_wizard_shows_its_command(driver, base_url):
    login(driver, base_url, "demo", "demo")
    start_dcos_baymodel(driver, base_url, MODEL)
    fill(driver, "id_extra_labels", "dns_search=corp.example.com")

    wait(driver).until(
        lambda d: "dns_search=corp.example.com" in shown_line(d),
        "the command never showed the label typed",
    )
    argv = shlex.split(shown_line(driver))
    assert argv[:5] == ["openstack", "coe", "cluster", "template", "create"]
    assert argv[-1] == MODEL
    assert "launcher=linux" in argv
    assert "dns_search=corp.example.com" in argv
    copy = driver.find_element(
        By.CSS_SELECTOR, "button[data-dcos-copy='dcos-command-preview']"
    )
    assert copy.is_displayed()
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'});", driver.find_element(*LINE)
    )
    snap(driver, "baymodel-wizard-command")

    # Back at Info, emptying the name: the command gives way to what is
    # missing, below whichever step is shown.
    driver.find_element(
        By.CSS_SELECTOR, "#modal_wrapper .modal.in .wizard-tabs li:first-child a"
    ).click()
    wait(driver).until(lambda d: wizard_step(d).startswith("Info"))
    fill(driver, "id_name", "")
    wait(driver).until(
        lambda d: (
            "Bay Model Name"
            in d.find_element(By.CSS_SELECTOR, ".dcos-command-missing").text
        ),
        "no sentence said the name is missing",
    )
    assert not driver.find_element(*LINE).is_displayed()

    # Nothing was created by asking.
    open_page(driver, f"{base_url}/project/dcos_baymodels/")
    wait_visible(driver, (By.ID, "baymodels"))
    assert not driver.find_elements(*row_of("baymodels", MODEL))
