"""Hostile Mesos and DC/OS answers, and redirects to hosts Magnum never named.

Bays report (through the stand-in's ``sandbox_api_address`` and
``sandbox_master_addresses`` labels) the addresses of servers this module
runs on 127.0.0.1. They answer the endpoints the dashboard reads with markup
in every string it may show: names, ids, versions, leaders, frameworks,
diagnostics roles, a redirect's Location. A listener no bay reports proves
that no redirect is followed to it.
"""

import pytest
from selenium.webdriver.common.by import By

from tests.browser import open_page, page_ready, wait
from tests.security.probes import check_page, payload

pytestmark = [pytest.mark.security, pytest.mark.e2e]

ANSWERS = "hostile Mesos/DC/OS answers"
REDIRECTS = "redirects to unreported hosts"


def state_summary(prefix):
    """A Mesos state-summary whose every string is hostile."""
    agent_id = payload(f"{prefix}_agent_id")
    return {
        "hostname": payload(f"{prefix}_master_hostname"),
        "version": payload(f"{prefix}_master_version"),
        "cluster": payload(f"{prefix}_cluster"),
        "leader": f"master@{payload(prefix + '_leader_pid')}:5050",
        "leader_info": {"hostname": payload(f"{prefix}_leader"), "port": 5050},
        "slaves": [
            {
                "id": agent_id,
                "pid": f"slave(1)@{payload(prefix + '_pid')}:5051",
                "hostname": payload(f"{prefix}_agent_hostname"),
                "version": payload(f"{prefix}_agent_version"),
                "active": True,
                "registered_time": 1700000000.0,
                "resources": {"cpus": 4, "mem": 8192, "disk": 40960, "gpus": 0},
                "used_resources": {"cpus": 1, "mem": 1024, "disk": 1024, "gpus": 0},
                "TASK_RUNNING": 1,
                "attributes": {"rack": payload(f"{prefix}_attribute")},
            }
        ],
        "frameworks": [
            {
                "id": payload(f"{prefix}_framework_id"),
                "name": payload(f"{prefix}_framework"),
                "active": True,
                "TASK_RUNNING": 1,
                "slave_ids": [agent_id],
            }
        ],
    }


METRICS = {
    "master/elected": 1,
    "master/slaves_unreachable": 0,
    "master/slaves_active": 1,
}


def ok(body):
    return (200, {}, body)


@pytest.fixture(scope="module")
def world(created, hostile):
    unreported = hostile()
    dcos = hostile(
        {
            "/mesos/master/state-summary": ok(state_summary("d")),
            "/mesos/metrics/snapshot": ok(METRICS),
            "/system/health/v1/nodes": ok(
                {
                    "nodes": [
                        {
                            "host_ip": payload("d_diag_ip"),
                            "health": 0,
                            "role": payload("d_diag_role"),
                        }
                    ]
                }
            ),
        }
    )
    mesos = hostile(
        {
            "/master/state-summary": ok(state_summary("m")),
            "/metrics/snapshot": ok(METRICS),
        }
    )
    location = f"//127.0.0.1:{unreported.port}/master/state-summary?{payload('loc')}"
    mesos_redirect = hostile(
        {"/master/state-summary": (307, {"Location": location}, b"")}
    )
    dcos_redirect = hostile(
        {
            path: (302, {"Location": unreported.url + path}, b"")
            for path in (
                "/mesos/master/state-summary",
                "/mesos/metrics/snapshot",
                "/system/health/v1/nodes",
            )
        }
    )
    dcos_model = created.model(coe="dcos", labels={"dcos_overlay_enable": "true"})
    mesos_model = created.model(coe="mesos", image_id="ubuntu-mesos")
    bays = {
        "dcos": created.bay_at(dcos_model, api=dcos.url),
        "mesos": created.bay_at(mesos_model, masters=mesos),
        "mesos_redirect": created.bay_at(mesos_model, masters=mesos_redirect),
        "dcos_redirect": created.bay_at(dcos_model, api=dcos_redirect.url),
        "dcos_no_host": created.bay_at(dcos_model, api="javascript:"),
    }
    for bay in bays.values():
        created.wait(bay.uuid)
    return {
        "bays": bays,
        "unreported": unreported,
        "servers": [dcos, mesos, mesos_redirect, dcos_redirect],
    }


def nodes_tab(driver, base_url, bay):
    open_page(
        driver, f"{base_url}/project/dcos_bays/{bay.uuid}/?tab=bay_details__nodes"
    )
    wait(driver).until(
        lambda d: d.find_elements(
            By.CSS_SELECTOR, "#bay_details__nodes:not(.tab-loading)"
        ),
        "the Nodes tab never loaded",
    )


def test_hostile_answers_are_shown_as_text(demo_browser, base_url, world, probe):
    driver = demo_browser
    every = [
        f"{p}_{f}"
        for p in ("d", "m")
        for f in (
            "agent_id",
            "master_hostname",
            "master_version",
            "cluster",
            "leader",
            "leader_pid",
            "pid",
            "agent_hostname",
            "agent_version",
            "attribute",
            "framework_id",
            "framework",
        )
    ] + ["d_diag_ip", "d_diag_role", "loc"]
    bays = world["bays"]
    open_page(driver, f"{base_url}/project/dcos_bays/")
    # The health badges arrive after the page: wait until each has.
    wait(driver).until(
        lambda d: (
            page_ready(d)
            and not d.find_elements(By.CSS_SELECTOR, ".dcos-health-pending")
        ),
        "the health badges never arrived",
    )
    check_page(probe, driver, ANSWERS, "Bays list with hostile masters", every)
    for key in ("dcos", "mesos"):
        nodes_tab(driver, base_url, bays[key])
        shown = check_page(probe, driver, ANSWERS, f"Nodes tab of the {key} bay", every)
        assert f"{key[0]}_agent_hostname" in shown, (
            f"the {key} bay's Nodes tab shows no agent: the probe saw nothing"
        )
    for key in ("mesos_redirect", "dcos_redirect", "dcos_no_host"):
        nodes_tab(driver, base_url, bays[key])
        check_page(probe, driver, ANSWERS, f"Nodes tab of the {key} bay", every)
        open_page(driver, f"{base_url}/project/dcos_bays/{bays[key].uuid}/")
        check_page(probe, driver, ANSWERS, f"Overview of the {key} bay", every)
    probe.check(
        REDIRECTS,
        "a 307 or 302 to a host Magnum did not report is not followed",
        not world["unreported"].requests,
        f"{[r.path for r in world['unreported'].requests]} arrived",
    )
    # The probe is honest only if the dashboard did ask the redirecting masters.
    asked = [bool(server.requests) for server in world["servers"]]
    assert all(asked), f"some hostile masters were never asked: {asked}"
