"""Journey 8: find the bad node of a 10,000-agent bay, and script what you see.

The model and bay are made through Magnum's API (the wizards have their
own journeys); the user then works in the browser: reads the command lines
of the bay and its model, filters and sorts the Nodes tab of a big bay,
shares the filtered page as a link, finds the DC/OS component that makes
the bay unhealthy and the node where it fails, and sees the Bays page at a
glance.
"""

import shlex

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.e2e.conftest import (
    login,
    open_page,
    snap,
    wait,
    wait_clickable,
    wait_text,
    wait_visible,
)
from tests.e2e.magnum import Magnum, s3_exhibitor
from tests.e2e.test_02_bay_lifecycle import (
    agent_rows,
    nodes_pane,
    open_nodes_tab,
    state,
)

pytestmark = pytest.mark.e2e

MODEL = "bigmodel"
BAY = "bigbay"
SECRET = "wJalrXUtnFEMI-K7MDENG-secret"
DISCONNECTED = 37


@pytest.fixture(scope="module")
def big_bay(cloud, sandbox):
    magnum = Magnum(cloud)
    model = magnum.dcos_model(MODEL, s3_exhibitor(SECRET))
    bay = magnum.bay(BAY, model, node_count=3, until="CREATE_COMPLETE")
    sandbox.set(BAY, agents=10_000, disconnected=DISCONNECTED)
    try:
        yield model["uuid"], bay["uuid"]
    finally:
        magnum.delete_bay(bay["uuid"])
        magnum.call("DELETE", f"/clustertemplates/{model['uuid']}")


def command_lines(driver):
    pres = driver.find_elements(By.CSS_SELECTOR, ".dcos-commands pre")
    return [shlex.split(pre.text) for pre in pres]


def pager(pane):
    return pane.find_element(By.CSS_SELECTOR, ".dcos-nodes-pager").text


def test_8_command_lines_and_the_bad_nodes_of_a_big_bay(
    driver, base_url, big_bay, sandbox
):
    model_uuid, bay_uuid = big_bay
    login(driver, base_url, "demo", "demo")

    # The model's page: the command that makes it again, secret left out.
    open_page(driver, f"{base_url}/project/dcos_baymodels/{model_uuid}/")
    wait_visible(driver, (By.CSS_SELECTOR, ".dcos-commands"))
    assert SECRET not in driver.page_source
    (create_model,) = command_lines(driver)
    assert create_model[:5] == ["openstack", "coe", "cluster", "template", "create"]
    assert create_model[-1] == MODEL
    assert "aws_secret_access_key=<secret>" in create_model

    # The bay's page: create again, scale, and the DC/OS CLI.
    open_page(driver, f"{base_url}/project/dcos_bays/{bay_uuid}/")
    wait_text(driver, BAY, (By.CSS_SELECTOR, ".page-header"))
    create, scale, setup = command_lines(driver)
    assert create[:4] == ["openstack", "coe", "cluster", "create"]
    assert create[create.index("--cluster-template") + 1] == model_uuid
    assert scale == ["openstack", "coe", "cluster", "update", "--node-count", "3"] + [
        bay_uuid
    ]
    assert setup[:3] == ["dcos", "cluster", "setup"]
    assert setup[3].startswith("http://127.0.0.1:")
    copy = driver.find_element(By.CSS_SELECTOR, "button[data-dcos-copy]")
    copy.click()
    wait(driver).until(lambda d: copy.text == "Copied", "Copy never said so")
    snap(driver, "bay-command-lines")

    # The Nodes tab of 10,000 agents: filter to the disconnected ones.
    driver.execute_script("window.scrollTo(0, 0);")  # the tabs, under the navbar
    pane = open_nodes_tab(driver)
    wait(driver, 60).until(
        lambda d: "10000 in the bay" in pager(nodes_pane(d) or pane),
        "the Nodes tab never showed the 10,000 agents",
    )
    pane = nodes_pane(driver)
    Select(pane.find_element(By.ID, "dcos-nodes_state")).select_by_visible_text(
        "Disconnected"
    )
    Select(pane.find_element(By.ID, "dcos-nodes-sort")).select_by_visible_text(
        "Hostname"
    )
    pane.find_element(By.CSS_SELECTOR, ".dcos-nodes-filter button").click()
    wait(driver, 60).until(
        lambda d: f"of {DISCONNECTED} matching" in pager(nodes_pane(d) or pane),
        "the filter never applied",
    )
    pane = nodes_pane(driver)
    rows = agent_rows(pane)
    assert len(rows) == DISCONNECTED
    assert {state(r) for r in rows} == {"Disconnected"}
    hostnames = [r.find_element(By.XPATH, "./td[1]").text for r in rows]
    assert hostnames == sorted(hostnames, key=str.lower)
    snap(driver, "bay-nodes-filtered")

    # The address bar holds the filter: the link opens the same page.
    shared = driver.current_url
    assert "nodes_state=disconnected" in shared
    assert "nodes_sort=hostname" in shared

    # Search within it for one host, by part of its name.
    wanted = hostnames[5]
    search = pane.find_element(By.ID, "dcos-nodes-q")
    search.clear()
    search.send_keys(wanted)
    pane.find_element(By.CSS_SELECTOR, ".dcos-nodes-filter button").click()
    wait(driver, 60).until(
        lambda d: "of 1 matching" in pager(nodes_pane(d) or pane),
        "the search never narrowed to one agent",
    )

    open_page(driver, shared)
    pane = wait(driver, 60).until(nodes_pane, "the shared link lost the Nodes tab")
    assert f"of {DISCONNECTED} matching" in pager(pane)
    selected = Select(pane.find_element(By.ID, "dcos-nodes_state"))
    assert selected.first_selected_option.text == "Disconnected"
    wait_clickable(driver, (By.LINK_TEXT, "Clear filters")).click()
    wait(driver, 60).until(
        lambda d: "of 10000 matching" in pager(nodes_pane(d) or pane),
        "Clear filters never showed every agent",
    )

    # A DC/OS component fails: the Components tab shows it first and the
    # bay's verdict names it.
    sandbox.set(BAY, unhealthy_units=["dcos-mesos-dns.service"])
    driver.execute_script("window.scrollTo(0, 0);")
    wait_clickable(
        driver, (By.CSS_SELECTOR, "a[data-target='#bay_details__components']")
    ).click()

    def components(d):
        panes = d.find_elements(
            By.CSS_SELECTOR, "#bay_details__components:not(.tab-loading)"
        )
        if not panes or not panes[0].find_elements(
            By.CSS_SELECTOR, ".dcos-bay-components"
        ):
            return None
        rows = panes[0].find_elements(By.CSS_SELECTOR, "table#components tbody tr")
        if rows and "Unhealthy" in rows[0].text:
            return rows
        panes[0].find_element(By.CSS_SELECTOR, "a[data-dcos-tab-reload]").click()
        return None

    rows = wait(driver, 60).until(components, "the unhealthy component never showed")
    assert "Mesos DNS" in rows[0].text
    assert all("Healthy" in row.text for row in rows[1:])
    snap(driver, "bay-components")

    # The component's own page: the node where it fails comes first.
    rows[0].find_element(By.CSS_SELECTOR, "a.dcos-component-link").click()
    wait_text(driver, "Mesos DNS", (By.CSS_SELECTOR, ".page-header"))
    nodes = wait_visible(driver, (By.CSS_SELECTOR, "table#component_nodes tbody"))
    node_rows = nodes.find_elements(By.CSS_SELECTOR, "tr")
    assert "Unhealthy" in node_rows[0].text and "Master" in node_rows[0].text
    assert all("Healthy" in row.text for row in node_rows[1:])
    assert (
        "1 of"
        in driver.find_element(By.CSS_SELECTOR, ".dcos-component-nodes-summary").text
    )
    snap(driver, "bay-component-nodes")
    wait_clickable(driver, (By.CSS_SELECTOR, "a.dcos-component-back")).click()
    wait(driver, 60).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "table#components"),
        "the link back never showed the Components tab",
    )

    # The Bays page at a glance: the verdict, the filter.
    open_page(driver, f"{base_url}/project/dcos_bays/")
    wait(driver, 60).until(
        lambda d: (
            "Unhealthy" in d.find_element(By.CSS_SELECTOR, ".dcos-bays-summary").text
        ),
        "the summary never counted the unhealthy bay",
    )
    summary = driver.find_element(By.CSS_SELECTOR, ".dcos-bays-summary").text
    assert "10000 agents" in summary
    search = driver.find_element(By.CSS_SELECTOR, "input[name='bays__filter__q']")
    search.send_keys("nothing-like-it")
    wait(driver).until(
        lambda d: (
            not [
                r
                for r in d.find_elements(By.CSS_SELECTOR, "table#bays tbody tr")
                if r.is_displayed() and BAY in r.text
            ]
        ),
        "the filter never hid the bay",
    )
    search.clear()
    search.send_keys(BAY[:4])
    wait(driver).until(
        lambda d: [
            r
            for r in d.find_elements(By.CSS_SELECTOR, "table#bays tbody tr")
            if r.is_displayed() and BAY in r.text
        ],
        "the filter never showed the bay again",
    )
    snap(driver, "bays-at-a-glance")
