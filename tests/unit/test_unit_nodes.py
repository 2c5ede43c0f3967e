"""One DC/OS component's nodes: the parser (health.unit_nodes) and the
on-demand, cached read through the DC/OS client (mesos.unit_nodes), the
latter against the sandbox's simulated Admin Router."""

from __future__ import annotations

from django.core.cache import cache

from dcos_dashboard import health
from dcos_dashboard.api import mesos
from dcos_sandbox.clusters import DCOS_PASSWORD, DCOS_UID
from tests.unit import test_mesos_client_sandbox as client_sandbox
from tests.unit.test_mesos_client_http import short_limits  # noqa: F401 - autouse
from tests.unit.test_mesos_client_sandbox import asked, bay, dashboard

sim = client_sandbox.sim  # the simulator fixture, shared

NODES = "/system/health/v1/units/dcos-mesos-dns.service/nodes"

# -- the parser ---------------------------------------------------------------


def test_nodes_read_unhealthy_first_then_masters_then_by_ip():
    body = {
        "nodes": [
            {"host_ip": "10.0.1.2", "health": 0, "role": "agent"},
            {"host_ip": "10.0.0.2", "health": 0, "role": "master"},
            {"host_ip": "10.0.2.1", "health": 3, "role": "agent_public"},
            {"host_ip": "10.0.1.1", "health": 1, "role": "agent"},
            {"host_ip": "10.0.0.1", "health": 0, "role": "master"},
        ]
    }

    nodes = health.unit_nodes(body)

    assert [(n.host_ip, n.state) for n in nodes] == [
        ("10.0.1.1", health.UNHEALTHY),
        ("10.0.2.1", health.UNKNOWN),
        ("10.0.0.1", health.HEALTHY),
        ("10.0.0.2", health.HEALTHY),
        ("10.0.1.2", health.HEALTHY),
    ]
    assert nodes[0].role == "agent" and nodes[1].role == "agent_public"
    assert all(n.output == n.help == "" for n in nodes)


def test_output_and_help_are_kept_when_given():
    (node,) = health.unit_nodes(
        {
            "nodes": [
                {
                    "host_ip": "10.0.0.1",
                    "health": 1,
                    "role": "master",
                    "output": "dcos-mesos-dns.service: failed",
                    "help": "Try `journalctl -xv`",
                }
            ]
        }
    )
    assert node.output == "dcos-mesos-dns.service: failed"
    assert node.help == "Try `journalctl -xv`"


def test_untrusted_shapes_read_as_missing_never_raise():
    body = {
        "nodes": [
            "10.0.0.9",
            None,
            {"health": 1, "role": "master"},  # no host_ip: dropped
            {"host_ip": 10, "health": 1},  # not a string: dropped
            {"host_ip": "", "health": 1},
            {
                "host_ip": "10.0.0.1",
                "health": True,  # a bool is not a health code
                "role": ["master"],
                "output": {"x": 1},
                "help": 7,
            },
            {"host_ip": "10.0.0.2", "health": 2, "role": ""},
        ]
    }

    nodes = health.unit_nodes(body)

    assert [(n.host_ip, n.health, n.role, n.output, n.help) for n in nodes] == [
        ("10.0.0.1", None, None, "", ""),
        ("10.0.0.2", None, None, "", ""),
    ]
    for bad in (None, [], {"nodes": {}}, {"nodes": "x"}, "nodes", 3):
        assert health.unit_nodes(bad) == ()


# -- the read, against the simulated Admin Router -----------------------------


def test_an_unhealthy_unit_names_its_node_and_is_read_once_per_period(sim):
    target = bay(
        sim,
        "u1",
        "dcos",
        masters=3,
        nodes=2,
        unhealthy_units=["dcos-mesos-dns.service"],
    )
    first_master = target.master_addresses[0]

    answer = mesos.unit_nodes(target, "dcos-mesos-dns.service")
    again = mesos.unit_nodes(target, "dcos-mesos-dns.service")

    assert answer.reason is None
    assert [(n.host_ip, n.state, n.role) for n in answer.nodes][0] == (
        first_master.split(":")[0],
        health.UNHEALTHY,
        "master",
    )
    assert [n.state for n in answer.nodes[1:]] == [health.HEALTHY] * 2
    assert again == answer
    assert asked(sim, "u1") == {NODES: 1}


def test_agent_units_run_on_agents(sim):
    target = bay(sim, "u2", "dcos", nodes=3)
    answer = mesos.unit_nodes(target, "dcos-mesos-slave.service")
    assert [n.role for n in answer.nodes] == ["agent"] * 3
    assert {n.state for n in answer.nodes} == {health.HEALTHY}


def test_the_id_stays_one_quoted_path_segment(sim):
    target = bay(sim, "u3", "dcos")
    answer = mesos.unit_nodes(target, "../../mesos/x y.service")
    assert asked(sim, "u3") == {
        "/system/health/v1/units/..%2F..%2Fmesos%2Fx%20y.service/nodes": 1
    }
    # The simulator, as dcos-diagnostics, knows no such unit.
    assert answer.nodes == ()
    assert "answered HTTP 404" in answer.reason


def test_auth_required_says_which_setting_and_a_login_reads_it(sim):
    target = bay(sim, "u4", "dcos", auth_required=True)
    refused = mesos.unit_nodes(target, "dcos-marathon.service")
    assert refused.auth_required
    assert "DCOS_ACS_TOKEN" in refused.reason

    cache.clear()  # the refusal is kept for its period, as a bay's health is
    with dashboard(
        HEALTH_CACHE_SECONDS=0,
        DCOS_ACS_UID=DCOS_UID,
        DCOS_ACS_PASSWORD=DCOS_PASSWORD,
        DCOS_ACS_LOGIN_OVER_HTTP=True,
    ):
        answer = mesos.unit_nodes(target, "dcos-marathon.service")
    assert answer.reason is None and not answer.auth_required
    assert len(answer.nodes) == 1


def test_bad_json_oversize_and_a_silent_bay_end_in_the_tabs_sentences(sim):
    broken = bay(sim, "u5", "dcos", bad_json=True)
    assert "Invalid JSON" in mesos.unit_nodes(broken, "dcos-marathon.service").reason

    big = bay(sim, "u6", "dcos", nodes=50)
    with dashboard(MAX_RESPONSE_BYTES=200):
        reason = mesos.unit_nodes(big, "dcos-mesos-slave.service").reason
    assert "MAX_RESPONSE_BYTES" in reason

    down = bay(sim, "u7", "dcos", master_down=True)
    reason = mesos.unit_nodes(down, "dcos-marathon.service").reason
    assert reason and down.api_address.split(":")[0] in reason


def test_addresses_sort_as_numbers_and_odd_ones_last():
    body = {
        "nodes": [
            {"host_ip": ip, "health": 0, "role": "agent"}
            for ip in ("10.0.0.10", "not-an-ip", "10.0.0.9", "fd00::1", "10.0.0.100")
        ]
    }
    assert [n.host_ip for n in health.unit_nodes(body)] == [
        "10.0.0.9",
        "10.0.0.10",
        "10.0.0.100",
        "fd00::1",
        "not-an-ip",
    ]
