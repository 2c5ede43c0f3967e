"""The simulated DC/OS and Mesos clusters answer as the real ones do.

Shapes are checked key by key against real recorded responses in
../shared/fixtures/mesos/ (see SOURCES.md there); behaviour against the
Mesos and Admin Router facts in docs/reference.md.
"""

import ipaddress
import json
import socket
import time

import pytest
import requests

from dcos_sandbox.clusters import (
    DCOS_PASSWORD,
    DCOS_UID,
    KnobError,
)
from tests.sandbox.conftest import make_simulator
from tests.shared import mesos_fixture

TIMEOUT = 10
DCOS_UUID = "5d12f6fd-a196-4bf0-ae4c-1f639a523a52"
MESOS_UUID = "9a0c8e2e-3c1b-4b7e-8f6d-2b1e7c4d5a60"
OTHER_UUID = "0f0e0d0c-0b0a-4908-8706-050403020100"
# Every key the dashboard may read from /metrics/snapshot
# (docs/reference.md#mesos-metrics-snapshot).
METRIC_KEYS = [
    "master/elected",
    "master/uptime_secs",
    "master/slaves_active",
    "master/slaves_inactive",
    "master/slaves_connected",
    "master/slaves_disconnected",
    "master/slaves_unreachable",
    *(
        f"master/{r}_{k}"
        for r in ("cpus", "mem", "disk", "gpus")
        for k in ("total", "used", "percent")
    ),  # fmt: skip
    *(
        f"master/tasks_{s}"
        for s in (
            "staging",
            "starting",
            "running",
            "killing",
            "finished",
            "killed",
            "failed",
            "lost",
            "error",
            "unreachable",
        )
    ),  # fmt: skip
]


def fixture(name):
    data = mesos_fixture(name)
    # dcos-history stores state-summary double-encoded (SOURCES.md).
    return json.loads(data) if isinstance(data, str) else data


def json_type(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def get(url, **kwargs):
    return requests.get(url, timeout=TIMEOUT, **kwargs)


def admin(sim, path):
    return sim.config.url(sim.port, path)


def dcos(sim, uuid=DCOS_UUID, **create):
    """A DC/OS bay's API address (a full URL)."""
    args = {"master_count": 3, "node_count": 3, "name": "prod"} | create
    return sim.create(uuid, "dcos", **args)["api_address"]


# Knobs: one agent in each state Mesos still lists beside the connected ones.
ONE_OF_EACH = {"disconnected": 1, "deactivated": 1, "draining": 1, "drained": 1}


def mesos(sim, uuid=MESOS_UUID, **create):
    """A Mesos bay's master URLs."""
    args = {"master_count": 3, "node_count": 3} | create
    addresses = sim.create(uuid, "mesos", **args)["master_addresses"]
    return [f"http://{a}" for a in addresses]


def summary(api):
    response = get(api + "/mesos/master/state-summary")
    assert response.status_code == 200
    return response.json()


def metrics(api):
    return get(api + "/mesos/metrics/snapshot").json()


def by_state(agents):
    """Classify agents as docs/reference.md#mesos-agent-states says a reader must."""
    states = {}
    for agent in agents:
        if agent.get("deactivated"):
            state = agent.get("drain_info", {}).get("state", "DEACTIVATED")
        elif agent["active"]:
            state = "CONNECTED"
        else:
            state = "DISCONNECTED"
        states[state] = states.get(state, 0) + 1
    return states


# -- shapes against the recorded fixtures -------------------------------------

# Keys some real agents carry and others lack, by Mesos version or setup:
# drain_info only while draining (Mesos >= 1.9); reregistered_time only after
# a re-registration (absent on the dcos-diagnostics agent, we always send it);
# domain only with a fault domain (DC/OS bays here, not plain Mesos bays).
STATE_SUMMARY_FIXTURES = [
    "master_state-summary__dcos-diagnostics__decoded.json",
    "master_state-summary__dcos-diagnostics__valid_hour_state-summary.raw.json",
    "master_state-summary__dcos-ui__marathon-1-task_summary.json",
]


def _check_agents(real_agents, ours):
    """Every key of every real agent is on ours, with the same JSON type."""
    ours_by_drain = {a.get("drain_info", {}).get("state"): a for a in ours}
    for real in real_agents:
        mine = ours_by_drain[real.get("drain_info", {}).get("state")]
        missing = set(real) - set(mine)
        assert not missing, f"simulated agent lacks {sorted(missing)}"
        for key, value in real.items():
            assert json_type(mine[key]) == json_type(value), key
    for field in ("resources", "used_resources", "offered_resources"):
        real_keys = set().union(*(a[field] for a in real_agents))
        our_keys = set().union(*(a[field] for a in ours))
        assert real_keys <= our_keys, field


@pytest.mark.parametrize("name", STATE_SUMMARY_FIXTURES)
def test_dcos_state_summary_has_every_fixture_key(sim, name):
    real = fixture(name)
    api = dcos(sim)
    sim.set_knobs(DCOS_UUID, draining=1, drained=1)
    ours = summary(api)

    assert set(ours) == set(real) == {"hostname", "cluster", "slaves", "frameworks"}
    _check_agents(real["slaves"], ours["slaves"])
    for framework in real["frameworks"]:
        mine = next(f for f in ours["frameworks"] if f["name"] == framework["name"])
        assert set(framework) <= set(mine)
        for key, value in framework.items():
            assert json_type(mine[key]) == json_type(value), key


def test_mesos_state_summary_has_the_dcos_diagnostics_keys(sim):
    real = fixture(STATE_SUMMARY_FIXTURES[0])
    leader = mesos(sim)[0]
    ours = get(leader + "/master/state-summary").json()

    assert set(ours) == set(real)
    _check_agents(real["slaves"], ours["slaves"])
    assert all("domain" not in agent for agent in ours["slaves"])


def test_slaves_has_every_fixture_key_and_full_resources(sim):
    real = fixture("master_slaves__asgard-api__agents_list_raw_fields.json")
    api = dcos(sim)
    ours = get(api + "/mesos/master/slaves").json()

    assert set(ours) == {"slaves", "recovered_slaves"}
    real_agent, mine = real["slaves"][0], ours["slaves"][0]
    assert set(real_agent) <= set(mine)
    for key, value in real_agent.items():
        assert json_type(mine[key]) == json_type(value), key
    busy = next(a for a in ours["slaves"] if a["used_resources_full"])
    for resource in (
        real_agent["used_resources_full"] + real_agent["unreserved_resources_full"]
    ):
        same_type = [
            r
            for r in busy["used_resources_full"] + busy["unreserved_resources_full"]
            if r["type"] == resource["type"]
        ]
        assert any(set(resource) <= set(r) for r in same_type), resource
    one = get(api + "/mesos/master/slaves", params={"slave_id": mine["id"]}).json()
    assert [a["id"] for a in one["slaves"]] == [mine["id"]]


def test_state_endpoint_covers_the_old_state_fixture(sim):
    real = fixture("master_state__dcos-ui__state.json")
    api = dcos(sim)
    ours = get(api + "/mesos/master/state").json()

    # The *_tasks counters of Mesos 0.22 are gone from readonly_handler.cpp.
    counters = {k for k in real if k.endswith("_tasks") and k != "orphan_tasks"}
    assert set(real) - counters <= set(ours)
    assert set(real["slaves"][0]) <= set(ours["slaves"][0])


def test_old_mesos_knob_drops_the_fields_mesos_1_0_lacked(sim):
    api = dcos(sim)
    sim.set_knobs(DCOS_UUID, old_mesos=True, deactivated=1)
    agents = summary(api)["slaves"]

    assert {a["version"] for a in agents} == {"1.0.1"}
    for key in ("deactivated", "drain_info", "capabilities", "domain"):
        assert all(key not in a for a in agents), key
    assert [a["active"] for a in agents] == [False, True, True]


def test_metrics_snapshot_is_flat_and_complete(sim):
    snapshot = metrics(dcos(sim))

    assert set(METRIC_KEYS) <= set(snapshot)
    assert all(json_type(v) == "number" for v in snapshot.values())
    assert snapshot["master/elected"] == 1


def test_diagnostics_nodes_and_units_have_the_fixture_keys(sim):
    real_nodes = fixture("system_health_v1_nodes__dcos-ui__unit-health_nodes.json")
    real_units = fixture("system_health_v1_units__dcos-ui__unit-health_units.json")
    api = dcos(sim, master_count=3, node_count=4)
    nodes = get(api + "/system/health/v1/nodes").json()
    units = get(api + "/system/health/v1/units").json()

    # The fixture spells the role key "role:"; the real key is "role" (SOURCES.md).
    real_keys = {k.rstrip(":") for node in real_nodes["nodes"] for k in node}
    assert set(nodes) == {"nodes"}
    assert all(set(node) == real_keys for node in nodes["nodes"])
    roles = [node["role"] for node in nodes["nodes"]]
    assert roles == ["master"] * 3 + ["agent"] * 4
    addresses = sim.addresses(DCOS_UUID)
    ips = [node["host_ip"] for node in nodes["nodes"]]
    assert ips == addresses["master_addresses"] + addresses["node_addresses"]
    assert set(units) == {"units"}
    for unit in units["units"]:
        assert set(unit) >= {"id", "name", "health", "description"}
    assert set().union(*real_units["units"]) <= set(units["units"][0])


# -- bays: size, addresses, lifecycle -----------------------------------------


def test_agents_follow_node_count_and_resize(sim):
    api = dcos(sim, node_count=2, name="prod")
    agents = summary(api)["slaves"]
    first = sim.addresses(DCOS_UUID)

    assert [a["hostname"] for a in agents] == ["prod-agent-0", "prod-agent-1"]
    assert [a["pid"] for a in agents] == [
        f"slave(1)@{ip}:5051" for ip in first["node_addresses"]
    ]
    assert all(a["id"].endswith(f"-S{i}") for i, a in enumerate(agents))
    benchmark_range = ipaddress.ip_network("198.18.0.0/15")
    assert all(
        ipaddress.ip_address(ip) in benchmark_range for ip in first["node_addresses"]
    )

    grown = sim.resize(DCOS_UUID, 5)
    agents = summary(api)["slaves"]
    assert len(agents) == 5 == len(grown["node_addresses"])
    assert grown["node_addresses"][:2] == first["node_addresses"]
    assert len(set(grown["node_addresses"])) == 5
    assert sim.resize(DCOS_UUID, 1)["node_addresses"] == first["node_addresses"][:1]
    assert len(summary(api)["slaves"]) == 1


def test_unnamed_bay_names_agents_after_its_uuid(sim):
    api = dcos(sim, name="", node_count=1)
    assert summary(api)["slaves"][0]["hostname"] == f"{DCOS_UUID[:8]}-agent-0"


def test_usage_varies_per_agent_and_is_stable_per_bay(sim, tmp_path):
    api = dcos(sim, node_count=12)
    agents = summary(api)["slaves"]
    used = [a["used_resources"]["cpus"] for a in agents]

    assert len(set(used)) > 3
    assert all(
        a["used_resources"][r] <= a["resources"][r]
        for a in agents
        for r in ("cpus", "mem", "disk", "gpus")
    )
    other = make_simulator(tmp_path / "other")
    other.start()
    try:
        again = summary(dcos(other, node_count=12))["slaves"]
    finally:
        other.stop()
    assert [a["used_resources"] for a in again] == [a["used_resources"] for a in agents]
    assert [a["id"] for a in again] == [a["id"] for a in agents]


def test_console_page_is_dcos_and_refuses_framing(sim):
    api = dcos(sim, name="prod <1>", node_count=4)
    page = get(api + "/")

    assert page.status_code == 200
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Content-Type"].startswith("text/html")
    assert "<title>DC/OS</title>" in page.text
    assert "prod &lt;1&gt;" in page.text
    assert '<span id="agent-count">4</span>' in page.text


def test_delete_removes_the_bay(sim):
    api = dcos(sim)
    masters = mesos(sim)
    sim.delete(DCOS_UUID)
    sim.delete(MESOS_UUID)

    assert get(api + "/mesos/master/state-summary").status_code == 404
    with pytest.raises(requests.ConnectionError):
        get(masters[0] + "/master/health")
    assert sim.addresses(DCOS_UUID) is None
    assert get(admin(sim, "/_sandbox/clusters")).json() == {"clusters": []}
    sim.delete(DCOS_UUID)  # deleting twice is harmless


def test_bays_survive_a_restart(tmp_path):
    first = make_simulator(tmp_path)
    first.start()
    try:
        api = dcos(first, node_count=2)
        masters = mesos(first)
        first.set_knobs(MESOS_UUID, disconnected=1)
        before = get(masters[0] + "/master/state-summary").json()
        dcos_before = summary(api)
    finally:
        first.stop()
    with pytest.raises(requests.ConnectionError):
        get(masters[0] + "/master/health")

    second = make_simulator(tmp_path)
    second.start()
    try:
        assert [
            f"http://{a}" for a in second.addresses(MESOS_UUID)["master_addresses"]
        ] == masters
        assert get(masters[0] + "/master/state-summary").json() == before
        assert second.get_knobs(MESOS_UUID)["disconnected"] == 1
        api = second.addresses(DCOS_UUID)["api_address"]
        assert summary(api) == dcos_before
    finally:
        second.stop()


def test_unreadable_state_is_set_aside_not_lost(tmp_path):
    (tmp_path / "clusters.json").write_text("{not json")
    simulator = make_simulator(tmp_path)
    simulator.start()
    try:
        assert simulator.listing() == []
        kept = list(tmp_path.glob("clusters.json.unreadable-*"))
        assert [p.read_text() for p in kept] == ["{not json"]
    finally:
        simulator.stop()


def test_bad_calls_raise_clear_errors(sim, tmp_path):
    with pytest.raises(ValueError, match="coe"):
        sim.create(OTHER_UUID, "kubernetes", 1, 1)
    with pytest.raises(RuntimeError, match="start"):
        make_simulator(tmp_path / "idle").create(OTHER_UUID, "dcos", 1, 1)
    mesos(sim)
    with pytest.raises(KnobError, match="unknown knob"):
        sim.set_knobs(MESOS_UUID, nope=1)
    with pytest.raises(KnobError, match="leader"):
        sim.set_knobs(MESOS_UUID, leader=3)
    with pytest.raises(KnobError, match="whole number"):
        sim.set_knobs(MESOS_UUID, draining=-1)
    with pytest.raises(KeyError):
        sim.set_knobs(OTHER_UUID, bad_json=True)
    assert sim.get_knobs(MESOS_UUID)["draining"] == 0


# -- Mesos masters: leader, redirects, faults ---------------------------------


def test_only_the_leader_answers_the_others_redirect(sim):
    masters = mesos(sim)
    leader_port = masters[0].rsplit(":", 1)[1]

    assert get(masters[0] + "/master/state-summary").status_code == 200
    for follower in masters[1:]:
        response = get(follower + "/master/slaves?slave_id=x", allow_redirects=False)
        assert response.status_code == 307
        assert response.headers["Location"] == (
            f"//127.0.0.1:{leader_port}/master/slaves?slave_id=x"
        )
        followed = get(follower + "/master/state-summary")
        assert followed.url.startswith(masters[0])
        assert len(followed.json()["slaves"]) == 3
        snapshot = get(follower + "/metrics/snapshot").json()
        assert snapshot["master/elected"] == 0
        assert snapshot["master/slaves_active"] == 0
    assert get(masters[0] + "/metrics/snapshot").json()["master/elected"] == 1
    for master in masters:
        health = get(master + "/master/health")
        assert (health.status_code, health.content) == (200, b"")
        assert get(master + "/state.json").status_code == 404


def test_leader_knob_moves_the_leader(sim):
    masters = mesos(sim)
    sim.set_knobs(MESOS_UUID, leader=2)

    assert (
        get(masters[2] + "/master/state-summary", allow_redirects=False).status_code
        == 200
    )
    moved = get(masters[0] + "/master/state-summary", allow_redirects=False)
    assert moved.status_code == 307
    assert moved.headers["Location"].startswith(
        "//" + masters[2].removeprefix("http://")
    )
    assert get(masters[2] + "/metrics/snapshot").json()["master/elected"] == 1
    assert get(masters[0] + "/metrics/snapshot").json()["master/elected"] == 0


def test_no_leader_is_503_on_master_endpoints(sim):
    masters = mesos(sim)
    api = dcos(sim)
    sim.set_knobs(MESOS_UUID, no_leader=True)
    sim.set_knobs(DCOS_UUID, no_leader=True)

    for master in masters:
        assert get(master + "/master/state-summary").status_code == 503
        assert get(master + "/metrics/snapshot").json()["master/elected"] == 0
        assert get(master + "/master/health").status_code == 200
    assert get(api + "/mesos/master/state-summary").status_code == 503
    assert get(api + "/system/health/v1/nodes").status_code == 200
    sim.set_knobs(MESOS_UUID, no_leader=None)
    assert get(masters[1] + "/master/state-summary").status_code == 200


def test_master_down_refuses_connections(sim):
    masters = mesos(sim)
    api = dcos(sim)
    other = dcos(sim, uuid=OTHER_UUID)
    sim.set_knobs(DCOS_UUID, master_down=True)
    sim.set_knobs(MESOS_UUID, master_down=[0])

    with pytest.raises(requests.ConnectionError):
        get(api + "/mesos/master/state-summary")
    with pytest.raises(requests.ConnectionError):
        get(masters[0] + "/master/health")
    # The followers live on, still pointing at the leader they last knew.
    assert get(masters[1] + "/master/slaves", allow_redirects=False).status_code == 307
    assert get(other + "/mesos/master/state-summary").status_code == 200

    sim.set_knobs(MESOS_UUID, master_down=True)
    for master in masters:
        with pytest.raises(requests.ConnectionError):
            get(master + "/master/health")

    sim.set_knobs(DCOS_UUID, master_down=False)
    sim.set_knobs(MESOS_UUID, master_down=False)
    assert get(api + "/mesos/master/state-summary").status_code == 200
    assert get(masters[0] + "/master/state-summary").status_code == 200


def test_master_down_cuts_kept_alive_connections(sim):
    masters = mesos(sim, master_count=1)
    with requests.Session() as session:
        assert session.get(masters[0] + "/master/health", timeout=TIMEOUT).ok
        sim.set_knobs(MESOS_UUID, master_down=True)
        with pytest.raises(requests.ConnectionError):
            session.get(masters[0] + "/master/health", timeout=TIMEOUT)


# -- fault knobs on the bodies ------------------------------------------------


def test_slow_seconds_delays_the_answer(sim):
    api = dcos(sim)
    fast = dcos(sim, uuid=OTHER_UUID)
    sim.set_knobs(DCOS_UUID, slow_seconds=0.5)

    started = time.monotonic()
    assert get(api + "/mesos/metrics/snapshot").status_code == 200
    assert time.monotonic() - started >= 0.45
    with pytest.raises(requests.ReadTimeout):
        requests.get(api + "/mesos/metrics/snapshot", timeout=0.1)
    started = time.monotonic()
    assert get(fast + "/mesos/metrics/snapshot").status_code == 200
    assert time.monotonic() - started < 0.45


def test_stop_does_not_wait_for_slow_answers(tmp_path):
    simulator = make_simulator(tmp_path)
    simulator.start()
    api = dcos(simulator)
    simulator.set_knobs(DCOS_UUID, slow_seconds=60)
    with socket.create_connection(("127.0.0.1", simulator.port), timeout=TIMEOUT) as s:
        path = api.split(str(simulator.port), 1)[1] + "/mesos/metrics/snapshot"
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        time.sleep(0.2)
        started = time.monotonic()
        simulator.stop()
        assert time.monotonic() - started < 10
        try:
            answer = s.recv(100)
        except ConnectionResetError:
            answer = b""
        assert answer == b""  # dropped, never answered


def test_bad_json_is_a_200_that_does_not_parse(sim):
    api = dcos(sim)
    sim.set_knobs(DCOS_UUID, bad_json=True)
    response = get(api + "/mesos/master/state-summary")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    with pytest.raises(ValueError):
        json.loads(response.content)
    assert get(api + "/").status_code == 200  # the console is HTML, untouched


def test_oversize_streams_exactly_that_many_bytes(sim):
    masters = mesos(sim)
    size = 3_000_000
    sim.set_knobs(MESOS_UUID, oversize_bytes=size)

    with get(masters[0] + "/master/state-summary", stream=True) as response:
        assert response.headers["Transfer-Encoding"] == "chunked"
        assert "Content-Length" not in response.headers
        body = b"".join(response.iter_content(65536))
    assert len(body) == size
    padded = json.loads(body)
    assert len(padded["slaves"]) > 1000
    assert set(padded) == {"hostname", "cluster", "slaves", "frameworks"}
    snapshot = get(masters[0] + "/metrics/snapshot").content
    assert len(snapshot) == size
    json.loads(snapshot)

    sim.set_knobs(MESOS_UUID, oversize_bytes=10)  # smaller than the real body
    assert len(get(masters[0] + "/master/state-summary").json()["slaves"]) == 3


def test_auth_required_wants_the_login_token(sim):
    api = dcos(sim)
    other = dcos(sim, uuid=OTHER_UUID)
    sim.set_knobs(DCOS_UUID, auth_required=True)
    url = api + "/mesos/master/state-summary"

    refused = get(url)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == "acsjwt"
    assert get(url, headers={"Authorization": "token=forged"}).status_code == 401
    wrong = requests.post(
        api + "/acs/api/v1/auth/login",
        json={"uid": DCOS_UID, "password": "guess"},
        timeout=TIMEOUT,
    )
    assert wrong.status_code == 401
    login = requests.post(
        api + "/acs/api/v1/auth/login",
        json={"uid": DCOS_UID, "password": DCOS_PASSWORD},
        timeout=TIMEOUT,
    )
    assert login.status_code == 200
    token = login.json()["token"]
    authorized = {"Authorization": f"token={token}"}
    assert get(url, headers=authorized).status_code == 200
    assert get(api + "/system/health/v1/nodes", headers=authorized).status_code == 200
    assert get(api + "/").status_code == 200  # the console logs in by itself

    sim.set_knobs(OTHER_UUID, auth_required=True)
    foreign = get(other + "/mesos/master/state-summary", headers=authorized)
    assert foreign.status_code == 401


def test_agent_states_are_reflected_everywhere(sim):
    api = dcos(sim, node_count=9)
    sim.set_knobs(DCOS_UUID, **ONE_OF_EACH, unreachable=2, unhealthy=2)
    agents = summary(api)["slaves"]
    snapshot = metrics(api)
    nodes = get(api + "/system/health/v1/nodes").json()["nodes"]
    units = get(api + "/system/health/v1/units").json()["units"]

    assert len(agents) == 7
    assert by_state(agents) == {
        "CONNECTED": 3,
        "DISCONNECTED": 1,
        "DEACTIVATED": 1,
        "DRAINING": 1,
        "DRAINED": 1,
    }
    assert {a["id"].rsplit("-S", 1)[1] for a in agents} == {str(i) for i in range(7)}
    assert snapshot["master/slaves_unreachable"] == 2
    assert snapshot["master/slaves_disconnected"] == 1
    assert snapshot["master/slaves_connected"] == 6
    assert snapshot["master/slaves_active"] == 3
    assert snapshot["master/slaves_inactive"] == 4
    agent_health = [n["health"] for n in nodes if n["role"] == "agent"]
    assert agent_health == [1, 1] + [0] * 7
    assert {u["id"]: u["health"] for u in units}["dcos-mesos-slave.service"] == 1

    sim.set_knobs(DCOS_UUID, unreachable=0, disconnected=None, unhealthy=False)
    assert len(summary(api)["slaves"]) == 9
    assert metrics(api)["master/slaves_unreachable"] == 0


def test_ten_thousand_agents_with_consistent_metrics(sim):
    api = dcos(sim, node_count=3)
    sim.set_knobs(DCOS_UUID, agents=10_000, unreachable=10)
    body = get(api + "/mesos/master/state-summary").content
    ours = json.loads(body)
    agents = ours["slaves"]
    snapshot = metrics(api)

    assert len(agents) == 9_990
    assert len({a["id"] for a in agents}) == 9_990
    assert len(sim.addresses(DCOS_UUID)["node_addresses"]) == 3  # Magnum's view
    for resource in ("cpus", "mem", "disk", "gpus"):
        total = sum(a["resources"][resource] for a in agents)
        used = sum(a["used_resources"][resource] for a in agents)
        assert snapshot[f"master/{resource}_total"] == pytest.approx(total)
        assert snapshot[f"master/{resource}_used"] == pytest.approx(used)
        assert snapshot[f"master/{resource}_percent"] == pytest.approx(
            used / total if total else 0.0
        )
    running = sum(a["TASK_RUNNING"] for a in agents)
    assert snapshot["master/tasks_running"] == running
    assert snapshot["master/tasks_finished"] == sum(a["TASK_FINISHED"] for a in agents)
    marathon = next(f for f in ours["frameworks"] if f["name"] == "marathon")
    assert marathon["TASK_RUNNING"] == running
    assert marathon["used_resources"]["cpus"] == pytest.approx(
        snapshot["master/cpus_used"]
    )
    assert snapshot["master/slaves_active"] == 9_990
    assert snapshot["master/slaves_unreachable"] == 10
    assert get(api + "/mesos/master/state-summary").content == body


def test_bodies_are_cached_until_the_agents_change(sim):
    api = dcos(sim)
    summary(api)
    bay = sim.bays[DCOS_UUID]
    cached = bay.snapshot.body("state-summary")
    summary(api)
    sim.set_knobs(DCOS_UUID, slow_seconds=0.01, bad_json=False)
    summary(api)
    assert bay.snapshot.body("state-summary") is cached

    sim.set_knobs(DCOS_UUID, draining=1)
    assert by_state(summary(api)["slaves"])["DRAINING"] == 1
    assert bay.snapshot.body("state-summary") is not cached


def test_small_bay_metrics_equal_the_agent_sums(sim):
    masters = mesos(sim, node_count=5)
    agents = get(masters[0] + "/master/state-summary").json()["slaves"]
    snapshot = get(masters[0] + "/metrics/snapshot").json()

    assert snapshot["master/cpus_total"] == sum(a["resources"]["cpus"] for a in agents)
    assert snapshot["master/mem_used"] == pytest.approx(
        sum(a["used_resources"]["mem"] for a in agents)
    )
    assert snapshot["master/tasks_running"] == sum(a["TASK_RUNNING"] for a in agents)
    assert snapshot["master/slaves_active"] == 5


# -- the admin door -------------------------------------------------------------


def test_stats_count_requests_per_bay_and_path(sim):
    api = dcos(sim)
    masters = mesos(sim)
    for _ in range(3):
        summary(api)
    get(api + "/mesos/master/state")
    get(masters[1] + "/master/state-summary")  # a 307, then the leader

    counts = get(admin(sim, "/_sandbox/stats")).json()["requests"]
    assert counts[DCOS_UUID] == {
        "/mesos/master/state-summary": 3,
        "/mesos/master/state": 1,
    }
    assert counts[MESOS_UUID] == {"/master/state-summary": 2}
    assert requests.delete(admin(sim, "/_sandbox/stats"), timeout=TIMEOUT).ok
    assert sim.stats() == {}


def test_knobs_over_http(sim):
    api = dcos(sim)
    url = admin(sim, f"/_sandbox/clusters/{DCOS_UUID}/knobs")

    set_ = requests.post(url, json={"draining": 1, "slow_seconds": 0}, timeout=TIMEOUT)
    assert set_.status_code == 200
    assert set_.json()["draining"] == 1
    assert get(url).json()["draining"] == 1
    assert by_state(summary(api)["slaves"])["DRAINING"] == 1
    bad = requests.post(url, json={"draining": "lots"}, timeout=TIMEOUT)
    assert bad.status_code == 400
    assert "draining" in bad.json()["message"]
    assert requests.post(url, data="[1]", timeout=TIMEOUT).status_code == 400
    missing = admin(sim, f"/_sandbox/clusters/{OTHER_UUID}/knobs")
    assert requests.post(missing, json={}, timeout=TIMEOUT).status_code == 404
    assert (
        requests.post(url, json={"draining": None}, timeout=TIMEOUT).json()["draining"]
        == 0
    )

    listing = get(admin(sim, "/_sandbox/clusters")).json()["clusters"]
    assert [(b["uuid"], b["api_address"]) for b in listing] == [(DCOS_UUID, api)]
    assert listing[0]["knobs"]["draining"] == 0
    assert len(listing[0]["node_addresses"]) == 3
