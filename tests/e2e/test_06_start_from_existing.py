"""Journey 9: start from what exists: Copy a Bay Model, Create Again a failed bay.

The source model and the failed bay are made through Magnum's API; the user
then copies and re-creates them by clicking, as they would.
"""

import pytest
from selenium.webdriver.common.by import By

from tests.e2e.conftest import (
    fill,
    left,
    login,
    modal,
    open_page,
    snap,
    wait,
    wait_cell,
    wait_visible,
    wizard_next,
)
from tests.e2e.magnum import Magnum, s3_exhibitor
from tests.e2e.pages import LABELS, press_create, row_actions, row_of, said, submitted

pytestmark = pytest.mark.e2e

SOURCE = "sourcemodel"
FAILED = "failbay"  # a name with "fail" ends in CREATE_FAILED in the sandbox
AGAIN = "againbay"
SECRET = "wJalrXUtnFEMI-copy-secret"


@pytest.fixture(scope="module")
def existing(cloud):
    magnum = Magnum(cloud)
    model = magnum.dcos_model(SOURCE, {"launcher": "linux", **s3_exhibitor(SECRET)})
    magnum.bay(FAILED, model, node_count=2, until="CREATE_FAILED")
    made = []
    try:
        yield magnum, model, made
    finally:
        for name in (FAILED, AGAIN):
            for cluster in magnum.call("GET", "/clusters")["clusters"]:
                if cluster["name"] == name:
                    magnum.delete_bay(cluster["uuid"])
        for template in magnum.call("GET", "/clustertemplates")["clustertemplates"]:
            if template["name"] in (SOURCE, f"{SOURCE}-copy"):
                magnum.call("DELETE", f"/clustertemplates/{template['uuid']}")


def test_9_copy_a_model_and_create_a_failed_bay_again(driver, base_url, existing):
    magnum, model, _made = existing
    login(driver, base_url, "demo", "demo")

    # Copy: the wizard opens filled in, the secret left out and named.
    open_page(driver, f"{base_url}/project/dcos_baymodels/")
    row_actions(driver, "baymodels", SOURCE, "copy")
    dialog = modal(driver, "Create Bay Model")
    assert "A copy of the bay model" in dialog.text
    assert "aws_secret_access_key was not copied" in dialog.text
    assert SECRET not in driver.page_source
    name = driver.find_element(By.ID, "id_name")
    assert name.get_attribute("value") == f"{SOURCE}-copy"
    snap(driver, "baymodel-copy")
    wizard_next(driver, "Node Spec")
    wizard_next(driver, "Network")
    wizard_next(driver, "Labels")
    secret = driver.find_element(By.ID, f"id_{LABELS}aws_secret_access_key")
    assert secret.get_attribute("value") == ""
    secret.send_keys("a-new-secret-value")
    old = driver.find_element(By.TAG_NAME, "html")
    press_create(driver)
    wait(driver).until(left(old), "the copy was never created")
    said(driver, f'Created bay model "{SOURCE}-copy".')
    copies = [
        t
        for t in magnum.call("GET", "/clustertemplates/detail")["clustertemplates"]
        if t["name"] == f"{SOURCE}-copy"
    ]
    assert len(copies) == 1
    labels = copies[0]["labels"]
    assert labels["aws_secret_access_key"] == "a-new-secret-value"
    assert labels["launcher"] == "linux"
    assert labels["aws_region"] == "eu-west-1"

    # Create Again: the failed bay's wizard shows why it failed.
    open_page(driver, f"{base_url}/project/dcos_bays/")
    wait_cell(driver, "bays", FAILED, "Status", "Create Failed")
    row_actions(driver, "bays", FAILED, "again")
    dialog = modal(driver, "Create Bay")
    assert f'Creating "{FAILED}" again.' in dialog.text
    assert "It failed:" in dialog.text
    snap(driver, "bay-create-again")
    fill(driver, "id_name", AGAIN)
    wizard_next(driver, "Size")
    assert driver.find_element(By.ID, "id_node_count").get_attribute("value") == "2"
    wizard_next(driver, "Advanced")
    submitted(
        driver,
        driver.find_element(By.CSS_SELECTOR, ".modal.in .button-final"),
        "the wizard never finished",
    )
    said(driver, f'Bay "{AGAIN}" is being created.')
    wait_visible(driver, row_of("bays", AGAIN))
    wait_cell(driver, "bays", AGAIN, "Status", "Create Complete", timeout=60)
