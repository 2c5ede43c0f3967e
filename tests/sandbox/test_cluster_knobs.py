"""Knobs of the simulated clusters that others build on: black holes, DC/OS units,
fault domains; and that the command line lists every knob."""

import socket
import time
from urllib.parse import urlsplit

import pytest
import requests

from dcos_sandbox import __main__ as cli
from dcos_sandbox.clusters import KNOBS, KnobError
from tests.sandbox.test_clusters import (
    DCOS_UUID,
    MESOS_UUID,
    OTHER_UUID,
    dcos,
    get,
    mesos,
    summary,
)
from tests.sandbox.test_magnum_lifecycle import Cloud, T

CONNECT = 0.3  # seconds a client waits for a connection in these tests


def connect_outcome(address):
    """'accepted', 'refused' or 'timeout' for one TCP connection attempt."""
    host, port = address
    started = time.monotonic()
    with socket.socket() as s:
        s.settimeout(CONNECT)
        try:
            s.connect((host, port))
        except TimeoutError:
            assert time.monotonic() - started >= CONNECT * 0.9
            return "timeout"
        except ConnectionRefusedError:
            return "refused"
    return "accepted"


def where(url):
    parts = urlsplit(url)
    return parts.hostname, parts.port


# -- blackhole ----------------------------------------------------------------


def test_blackholed_dcos_bay_never_accepts_and_others_still_answer(sim):
    api = dcos(sim)
    other = dcos(sim, uuid=OTHER_UUID)
    sim.set_knobs(DCOS_UUID, blackhole=True)
    holed = sim.addresses(DCOS_UUID)["api_address"]

    assert holed != api
    assert urlsplit(holed).path == urlsplit(api).path
    assert connect_outcome(where(holed)) == "timeout"
    with pytest.raises(requests.ConnectTimeout):
        requests.get(holed + "/mesos/master/state-summary", timeout=(CONNECT, 1))
    assert summary(other)["slaves"]
    assert sim.addresses(OTHER_UUID)["api_address"] == other
    # The old address goes silent too, for a client that kept it.
    with pytest.raises(requests.ReadTimeout):
        requests.get(api + "/mesos/master/state-summary", timeout=(1, CONNECT))

    sim.set_knobs(DCOS_UUID, blackhole=False)
    assert sim.addresses(DCOS_UUID)["api_address"] == api
    assert len(summary(api)["slaves"]) == 3
    assert connect_outcome(where(holed)) == "refused"

    sim.set_knobs(DCOS_UUID, blackhole=True)
    assert sim.addresses(DCOS_UUID)["api_address"] == holed  # the same port again


def test_blackholed_mesos_masters_keep_their_addresses_but_never_accept(sim):
    masters = mesos(sim)
    other = mesos(sim, uuid=OTHER_UUID)
    sim.set_knobs(MESOS_UUID, blackhole=True)

    assert [f"http://{a}" for a in sim.addresses(MESOS_UUID)["master_addresses"]] == (
        masters
    )
    assert [connect_outcome(where(m)) for m in masters] == ["timeout"] * 3
    assert get(other[0] + "/master/health").status_code == 200

    # master_down refuses; the black hole wins while both are set.
    sim.set_knobs(MESOS_UUID, master_down=[1])
    assert connect_outcome(where(masters[1])) == "timeout"
    sim.set_knobs(MESOS_UUID, blackhole=False)
    outcomes = [connect_outcome(where(m)) for m in masters]
    assert outcomes == ["accepted", "refused", "accepted"]
    assert get(masters[0] + "/master/health").status_code == 200


def test_blackhole_survives_a_restart(sim, tmp_path):
    dcos(sim)
    sim.set_knobs(DCOS_UUID, blackhole=True)
    holed = sim.addresses(DCOS_UUID)["api_address"]
    sim.stop()
    sim.start()

    assert sim.addresses(DCOS_UUID)["api_address"] == holed
    assert connect_outcome(where(holed)) == "timeout"


def test_magnum_reports_the_black_hole_while_the_knob_is_on(sim, tmp_path):
    cloud = Cloud(tmp_path / "magnum", simulator=sim)
    bay = cloud.bay(cloud.template(), master_count=1, node_count=1)
    cloud.clock.now += T
    api = cloud.call("GET", f"/v1/clusters/{bay}").json["api_address"]
    assert api == sim.addresses(bay)["api_address"]

    sim.set_knobs(bay, blackhole=True)
    holed = cloud.call("GET", f"/v1/clusters/{bay}").json["api_address"]
    assert holed != api
    assert holed == sim.addresses(bay)["api_address"]
    assert connect_outcome(where(holed)) == "timeout"

    sim.set_knobs(bay, blackhole=None)
    assert cloud.call("GET", f"/v1/clusters/{bay}").json["api_address"] == api


# -- DC/OS units --------------------------------------------------------------


DNS = "dcos-mesos-dns.service"


def units(api):
    return {u["id"]: u for u in get(api + "/system/health/v1/units").json()["units"]}


def test_units_are_healthy_and_list_the_nodes_that_run_them(sim):
    api = dcos(sim, master_count=3, node_count=2)
    addresses = sim.addresses(DCOS_UUID)
    listed = units(api)

    assert {u["health"] for u in listed.values()} == {0}
    master = get(api + "/system/health/v1/units/dcos-mesos-master.service/nodes")
    agent = get(api + "/system/health/v1/units/dcos-mesos-slave.service/nodes")
    assert master.json() == {
        "nodes": [
            {"host_ip": ip, "health": 0, "role": "master"}
            for ip in addresses["master_addresses"]
        ]
    }
    assert [n["host_ip"] for n in agent.json()["nodes"]] == addresses["node_addresses"]
    one = get(api + "/system/health/v1/units/dcos-marathon.service").json()
    assert one == listed["dcos-marathon.service"]


def test_unhealthy_units_by_count_and_by_id(sim):
    api = dcos(sim, master_count=3, node_count=2)
    first_master = sim.addresses(DCOS_UUID)["master_addresses"][0]
    sim.set_knobs(DCOS_UUID, unhealthy_units=2)
    listed = units(api)

    assert [u for u, unit in listed.items() if unit["health"]] == list(listed)[:2]

    sim.set_knobs(DCOS_UUID, unhealthy_units=["dcos-marathon.service"])
    listed = units(api)
    assert [u for u, unit in listed.items() if unit["health"]] == [
        "dcos-marathon.service"
    ]
    path = "/system/health/v1/units/dcos-marathon.service/nodes"
    nodes = get(api + path).json()["nodes"]
    assert [n["health"] for n in nodes] == [1, 0, 0]
    node = get(api + f"{path}/{first_master}").json()
    assert node["health"] == 1
    assert node["help"] and node["output"]
    health = {
        n["host_ip"]: n["health"]
        for n in get(api + "/system/health/v1/nodes").json()["nodes"]
    }
    assert health[first_master] == 1
    assert sum(health.values()) == 1

    sim.set_knobs(DCOS_UUID, unhealthy_units=None)
    assert {u["health"] for u in units(api).values()} == {0}


def test_each_units_nodes_agree_with_the_listing_and_the_nodes(sim):
    """dcos-diagnostics keeps one tree: a unit's nodes are nodes of
    /system/health/v1/nodes with their role, and a unit is as unhealthy as
    its worst node."""
    api = dcos(sim, master_count=3, node_count=4)
    sim.set_knobs(
        DCOS_UUID, unhealthy=1, unhealthy_units=["dcos-mesos-slave.service", DNS]
    )
    roles = {
        n["host_ip"]: n["role"]
        for n in get(api + "/system/health/v1/nodes").json()["nodes"]
    }

    for unit_id, unit in units(api).items():
        nodes = get(api + f"/system/health/v1/units/{unit_id}/nodes").json()["nodes"]
        assert nodes, unit_id
        assert {roles[n["host_ip"]] for n in nodes} == {n["role"] for n in nodes}
        assert len({n["role"] for n in nodes}) == 1, unit_id
        assert unit["health"] == max(n["health"] for n in nodes), unit_id
        assert (unit["health"] == 1) == (unit_id in {"dcos-mesos-slave.service", DNS})
    dns = get(api + f"/system/health/v1/units/{DNS}/nodes").json()["nodes"]
    assert [n["role"] for n in dns] == ["master"] * 3
    assert sum(n["health"] for n in dns) == 1


def test_unknown_units_and_nodes_are_404(sim):
    api = dcos(sim)
    for path in (
        "/system/health/v1/units/dcos-nothing.service",
        "/system/health/v1/units/dcos-nothing.service/nodes",
        "/system/health/v1/units/dcos-marathon.service/nodes/10.9.9.9",
    ):
        assert get(api + path).status_code == 404, path


def test_unhealthy_units_knob_refuses_what_it_cannot_show(sim):
    dcos(sim)
    for value in (-1, "two", ["dcos-nothing.service"], [3], True):
        with pytest.raises(KnobError):
            sim.set_knobs(DCOS_UUID, unhealthy_units=value)


# -- fault domains ------------------------------------------------------------


def test_dcos_agents_spread_over_regions_and_zones(sim):
    api = dcos(sim, node_count=60)
    agents = summary(api)["slaves"]
    domains = [a["domain"]["fault_domain"] for a in agents]

    regions = {d["region"]["name"] for d in domains}
    zones = {(d["region"]["name"], d["zone"]["name"]) for d in domains}
    assert len(regions) >= 2
    assert len(zones) >= 4
    # Zones belong to one region each, as in DC/OS.
    assert len({zone for _region, zone in zones}) == len(zones)
    again = [a["domain"] for a in get(api + "/mesos/master/slaves").json()["slaves"]]
    assert again == [a["domain"] for a in agents]


# -- the command line ---------------------------------------------------------


def test_knob_help_names_every_knob():
    for knob in KNOBS:
        assert f"{knob}=" in cli.KNOB_HELP, knob
