"""Journeys 2, 3, 4, 7 and 6: a DC/OS bay from its model to its deletion.

They build on each other in this order (one bay model, one bay), as a user
would: create the model, create a bay from it, look inside, scale it and
break it, check another project cannot see it, then delete both.
"""

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.e2e.conftest import (
    cell_text,
    choose,
    fill,
    left,
    login,
    modal,
    open_page,
    page_ready,
    selected_text,
    snap,
    wait,
    wait_cell,
    wait_clickable,
    wait_text,
    wait_visible,
    wizard_next,
    wizard_step,
)
from tests.e2e.pages import (
    LABELS,
    field_error,
    press_create,
    row_actions,
    row_of,
    said,
    start_dcos_baymodel,
    submitted,
)

pytestmark = pytest.mark.e2e

MODEL = "dcosbaymodel"
BAY = "dcosbay"


NODES = "#bay_details__nodes"


def open_detail(driver, base_url, name):
    open_page(driver, f"{base_url}/project/dcos_bays/")
    wait_clickable(
        driver, (By.XPATH, f"//table[@id='bays']//a[normalize-space()='{name}']")
    ).click()
    wait_text(driver, name, (By.CSS_SELECTOR, ".page-header"))


def nodes_pane(driver):
    """The Nodes tab's pane once its content has arrived (None before)."""
    panes = driver.find_elements(By.CSS_SELECTOR, f"{NODES}:not(.tab-loading)")
    if panes and panes[0].find_elements(By.CSS_SELECTOR, ".dcos-bay-nodes"):
        return panes[0]
    return None


def open_nodes_tab(driver):
    """Click the Nodes tab and wait for what it loads lazily."""
    wait_clickable(driver, (By.CSS_SELECTOR, f"a[data-target='{NODES}']")).click()
    return wait(driver).until(nodes_pane, "the Nodes tab never loaded")


def nodes_tab_until(driver, condition, timeout=45):
    """Wait until the Nodes tab shows ``condition``, pressing its Refresh (or
    Retry) link meanwhile, as a user does while the master's answer is
    cached (HEALTH_CACHE_SECONDS)."""

    def shown(d):
        pane = nodes_pane(d)
        if pane is None:
            return False  # reloading
        if condition(pane):
            return True
        pane.find_element(By.CSS_SELECTOR, "a[data-dcos-tab-reload]").click()
        return False

    wait(driver, timeout).until(shown, "the Nodes tab never showed what was expected")
    return nodes_pane(driver)


def agent_rows(pane):
    return [
        row
        for row in pane.find_elements(By.CSS_SELECTOR, "table#nodes > tbody > tr")
        if not row.find_elements(By.CSS_SELECTOR, "td.no-results, td.empty")
        and "empty" not in (row.get_attribute("class") or "")
    ]


def state(row):
    """The State cell of an agent row."""
    heads = row.find_elements(By.XPATH, "ancestor::table[1]/thead/tr[last()]/th")
    index = [h.text.strip() for h in heads].index("State")
    return row.find_elements(By.XPATH, "./td")[index].text.strip()


def badge(pane):
    """The bay's health verdict at the top of the Nodes tab."""
    return pane.find_element(By.CSS_SELECTOR, ".dcos-nodes-health .dcos-health").text


@pytest.mark.incremental
class TestDcosBay:
    def test_2_create_the_dcos_bay_model_through_the_wizard(self, driver, base_url):
        login(driver, base_url, "demo", "demo")
        # First a launcher DC/OS cannot run with: Mesos' isolators need linux.
        start_dcos_baymodel(driver, base_url, MODEL, launcher="posix")
        press_create(driver)

        launcher = f"id_{LABELS}launcher"
        wait(driver).until(
            lambda d: "Linux launcher" in field_error(d, launcher),
            "no error beside the launcher field",
        )
        assert wizard_step(driver).startswith("Labels")
        message = field_error(driver, launcher)
        assert "posix" in message and "isolation" in message
        driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'});",
            driver.find_element(By.ID, launcher).find_element(By.XPATH, ".."),
        )
        snap(driver, "baymodel-wizard-labels-error")
        # Everything typed is still there, in every step.
        assert driver.find_element(By.ID, "id_name").get_attribute("value") == MODEL
        assert selected_text(driver, "id_coe") == "DC/OS"
        assert selected_text(driver, "id_image_dcos") == "dcos-centos-7.2"
        assert selected_text(driver, "id_flavor_id") == "m1.small"
        assert selected_text(driver, "id_keypair_id") == "testkey"
        assert (
            driver.find_element(By.ID, "id_docker_volume_size").get_attribute("value")
            == "5"
        )
        assert selected_text(driver, "id_external_network_id") == "public"
        assert (
            driver.find_element(By.ID, "id_dns_nameserver").get_attribute("value")
            == "8.8.8.8"
        )
        assert selected_text(driver, launcher) == "posix"
        for name, value in (
            ("isolation", "docker/volume"),
            ("image_providers", "docker"),
        ):
            box = driver.find_element(
                By.CSS_SELECTOR, f"input[name='{LABELS}{name}'][value='{value}']"
            )
            assert box.is_selected(), f"{name}={value} was lost"

        choose(driver, launcher, "linux")
        old = driver.find_element(By.TAG_NAME, "html")
        press_create(driver)
        wait(driver).until(left(old), "the wizard never finished")
        wait(driver).until(
            lambda d: d.current_url.startswith(f"{base_url}/project/dcos_baymodels/")
        )
        said(driver, f'Created bay model "{MODEL}".')
        row = wait_visible(driver, row_of("baymodels", MODEL))
        text = row.text
        assert "dcos" in text
        assert "m1.small" in text
        for label in (
            "isolation=docker/volume",
            "launcher=linux",
            "image_providers=docker",
        ):
            assert label in text, f"{label} is not in the row: {text!r}"
        snap(driver, "baymodels-list")

    def test_3_create_a_bay_watch_it_complete_and_look_inside(self, driver, base_url):
        login(driver, base_url, "demo", "demo")
        open_page(driver, f"{base_url}/project/dcos_bays/")
        wait_clickable(driver, (By.ID, "bays__action_create")).click()
        modal(driver, "Create Bay")
        fill(driver, "id_name", BAY)
        choose(driver, "id_cluster_template_id", MODEL)
        wizard_next(driver, "Size")
        fill(driver, "id_node_count", "3")
        wizard_next(driver, "Advanced")
        submitted(
            driver,
            driver.find_element(By.CSS_SELECTOR, ".modal.in .button-final"),
            "the wizard never finished",
        )
        assert driver.current_url.startswith(f"{base_url}/project/dcos_bays/")
        said(driver, f'Bay "{BAY}" is being created.')

        # The page shows the bay being built, then the row refreshes itself.
        first = cell_text(driver, "bays", BAY, "Status")
        assert first == "Create In Progress", (
            f"the bay read {first!r} when the page first showed it"
        )
        driver.execute_script("window.e2eSamePage = true;")
        wait_cell(driver, "bays", BAY, "Status", "Create Complete")
        assert driver.execute_script("return window.e2eSamePage === true;"), (
            "the page was reloaded"
        )
        assert cell_text(driver, "bays", BAY, "Nodes") == "3"
        assert cell_text(driver, "bays", BAY, "COE") == "DC/OS"
        assert cell_text(driver, "bays", BAY, "Bay Model") == MODEL
        wait_cell(driver, "bays", BAY, "Health", "Healthy")
        assert cell_text(driver, "bays", BAY, "Console") == "Console"
        snap(driver, "bays-list")

        wait_clickable(
            driver, (By.XPATH, f"//table[@id='bays']//a[normalize-space()='{BAY}']")
        ).click()
        wait_text(driver, BAY, (By.CSS_SELECTOR, ".page-header"))
        overview = wait_visible(driver, (By.CSS_SELECTOR, ".dcos-bay-overview"))
        assert "Create Complete" in overview.text
        assert "DC/OS" in overview.text

        pane = open_nodes_tab(driver)
        nodes_tab_until(driver, lambda p: len(agent_rows(p)) == 3)
        pane = nodes_pane(driver)
        assert badge(pane) == "Healthy"
        rows = agent_rows(pane)
        assert [state(row) for row in rows] == ["Healthy"] * 3
        # A usage bar per resource for each agent (GPU only where the
        # simulated bay has GPUs: it varies with the bay's uuid), and for
        # the whole bay.
        heads = [
            th.text.strip()
            for th in pane.find_elements(By.CSS_SELECTOR, "table#nodes thead tr th")
        ]
        usage = [h for h in heads if h in ("CPU", "Memory", "Disk", "GPU")]
        assert usage[:3] == ["CPU", "Memory", "Disk"], heads
        for row in rows:
            bars = row.find_elements(
                By.CSS_SELECTOR, ".progress.dcos-usage .progress-bar"
            )
            assert len(bars) == len(usage), f"{row.text!r} lacks usage bars"
            for bar in bars:
                assert 0 <= int(bar.get_attribute("aria-valuenow")) <= 100
        summary = pane.find_elements(By.CSS_SELECTOR, ".dcos-usage-row")
        assert [r.find_element(By.TAG_NAME, "strong").text for r in summary] == usage
        for r in summary:
            assert r.find_elements(By.CSS_SELECTOR, ".progress .progress-bar")
        snap(driver, "bay-nodes")

        console = pane.find_element(
            By.XPATH,
            ".//ul[contains(@class,'dcos-bay-links')]"
            "//a[normalize-space()='DC/OS Console']",
        )
        home = driver.current_window_handle
        before = set(driver.window_handles)
        console.click()
        wait(driver).until(lambda d: len(d.window_handles) == len(before) + 1)
        (tab,) = set(driver.window_handles) - before
        driver.switch_to.window(tab)
        try:
            wait_text(driver, BAY, (By.ID, "cluster-name"))
            assert driver.title == "DC/OS"
            assert driver.find_element(By.TAG_NAME, "h1").text == "DC/OS"
            assert driver.find_element(By.ID, "agent-count").text == "3"
            snap(driver, "dcos-console")
        finally:
            driver.close()
            driver.switch_to.window(home)

    def test_4_scale_to_five_then_degrade_and_lose_the_master(
        self, driver, base_url, sandbox
    ):
        login(driver, base_url, "demo", "demo")
        open_page(driver, f"{base_url}/project/dcos_bays/")
        wait_cell(driver, "bays", BAY, "Status", "Create Complete")
        wait_clickable(
            driver,
            (
                By.XPATH,
                f"//table[@id='bays']//tr[.//a[normalize-space()='{BAY}']]"
                "//a[contains(@id,'__action_scale')]",
            ),
        ).click()
        dialog = modal(driver, "Scale Bay")
        assert "has 3 nodes now" in dialog.text
        fill(driver, "id_node_count", "5")
        submitted(
            driver,
            dialog.find_element(By.CSS_SELECTOR, ".modal-footer .btn-primary"),
            "the scale form never finished",
        )
        said(driver, f'Scaling bay "{BAY}" to 5 nodes.')
        wait_cell(driver, "bays", BAY, "Status", "Update Complete")
        assert cell_text(driver, "bays", BAY, "Nodes") == "5"

        open_detail(driver, base_url, BAY)
        open_nodes_tab(driver)
        nodes_tab_until(driver, lambda p: len(agent_rows(p)) == 5)
        assert [state(r) for r in agent_rows(nodes_pane(driver))] == ["Healthy"] * 5

        # One agent loses its connection: the bay is degraded.
        sandbox.set(BAY, disconnected=1)
        nodes_tab_until(driver, lambda p: badge(p) == "Degraded")
        states = sorted(state(r) for r in agent_rows(nodes_pane(driver)))
        assert states == ["Disconnected"] + ["Healthy"] * 4
        snap(driver, "bay-nodes-degraded")

        # The master goes away: the tab says so; the Overview is Magnum's.
        sandbox.set(BAY, master_down=True)
        nodes_tab_until(driver, lambda p: badge(p) == "Unreachable")
        pane = nodes_pane(driver)
        assert pane.find_elements(By.CSS_SELECTOR, ".dcos-master-failed")
        assert not agent_rows(pane)
        snap(driver, "bay-nodes-unreachable")
        driver.find_element(
            By.CSS_SELECTOR, "a[data-target='#bay_details__overview']"
        ).click()
        overview = wait_visible(driver, (By.CSS_SELECTOR, ".dcos-bay-overview"))
        assert BAY in overview.text
        assert "Update Complete" in overview.text

        # The master comes back hung: it accepts and never answers. Once the
        # last answer is past HEALTH_CACHE_SECONDS (10 s), the Bays page
        # asks again; its Health cell shows the last known answer, marked
        # so, and turns into the hung fetch's own verdict by itself, on the
        # same page (issue 14).
        sandbox.set(BAY, master_down=False, slow_seconds=60)
        time.sleep(11)
        open_page(driver, f"{base_url}/project/dcos_bays/")
        driver.execute_script("window.e2eSamePage = true;")
        wait_cell(driver, "bays", BAY, "Health", "Unreachable", timeout=60)
        reason = driver.find_element(
            By.XPATH,
            f"//table[@id='bays']//tr[.//a[normalize-space()='{BAY}']]"
            "//span[contains(@class,'dcos-health-unreachable')]",
        ).get_attribute("title")
        assert "did not answer within" in reason, reason
        assert driver.execute_script("return window.e2eSamePage === true;"), (
            "the page was reloaded"
        )
        sandbox.set(BAY, master_down=False, disconnected=0, slow_seconds=0)

    def test_7_another_project_sees_none_of_it(self, driver, base_url, sandbox):
        uuid = sandbox.uuid(BAY)
        login(driver, base_url, "alt", "alt")
        wait(driver).until(
            lambda d: d.current_url == f"{base_url}/project/dcos_bays/",
            "alt did not land on the Bays panel",
        )
        assert "alt" in driver.find_element(By.CSS_SELECTOR, ".context-project").text
        table = wait_visible(driver, (By.ID, "bays"))
        assert "No items to display." in table.text
        assert BAY not in table.text
        open_page(driver, f"{base_url}/project/dcos_baymodels/")
        table = wait_visible(driver, (By.ID, "baymodels"))
        assert "No items to display." in table.text
        assert MODEL not in table.text
        # Nor by its address: Magnum answers alt's token with a 404.
        open_page(driver, f"{base_url}/project/dcos_bays/{uuid}/")
        assert driver.current_url == f"{base_url}/project/dcos_bays/"
        wait_visible(driver, (By.CSS_SELECTOR, ".messages .alert-danger"))
        assert BAY not in driver.find_element(By.TAG_NAME, "body").text
        snap(driver, "alt-bay-by-address")

    def test_6_delete_the_bay_then_its_model(self, driver, base_url):
        login(driver, base_url, "demo", "demo")
        open_page(driver, f"{base_url}/project/dcos_bays/")
        row_actions(driver, "bays", BAY, "delete")
        confirm = modal(driver, "Confirm Delete Bay")
        assert BAY in confirm.text
        driver.execute_script("window.e2eSamePage = true;")
        confirm.find_element(By.CSS_SELECTOR, ".modal-footer .btn-danger").click()
        wait(driver).until(lambda d: page_ready(d))
        said(driver, f"Scheduled deletion of Bay: {BAY}")
        # Deleting, then gone: the row leaves the table by itself.
        wait_visible(driver, row_of("bays", BAY))
        driver.execute_script("window.e2eSamePage = true;")
        wait(driver).until(
            EC.invisibility_of_element_located(row_of("bays", BAY)),
            "the deleted bay stayed in the table",
        )
        assert driver.execute_script("return window.e2eSamePage === true;")

        open_page(driver, f"{base_url}/project/dcos_baymodels/")
        row_actions(driver, "baymodels", MODEL, "delete")
        confirm = modal(driver, "Confirm Delete Bay Model")
        confirm.find_element(By.CSS_SELECTOR, ".modal-footer .btn-danger").click()
        wait(driver).until(lambda d: page_ready(d))
        said(driver, f"Deleted Bay Model: {MODEL}")
        table = wait_visible(driver, (By.ID, "baymodels"))
        assert "No items to display." in table.text
