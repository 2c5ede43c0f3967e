"""api/mesos against the sandbox's simulated clusters (dcos_sandbox.clusters).

The simulator answers as DC/OS Admin Router and Mesos masters do, with knobs
for faults; its request counts show what the client asked and how often.
Cluster records are built the way Magnum reports them: the addresses
``create`` returns.
"""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from dcos_dashboard import health
from dcos_dashboard.api import mesos
from dcos_sandbox.clusters import DCOS_PASSWORD, DCOS_UID, ClusterSimulator
from dcos_sandbox.config import Config
from tests.unit.test_mesos_client_http import (  # noqa: F401 - autouse fixture
    TIMEOUT,
    short_limits,
)


@pytest.fixture
def sim(tmp_path):
    simulator = ClusterSimulator(Config.from_env(state_dir=tmp_path, clusters_port=0))
    simulator.start()
    yield simulator
    simulator.stop()


def bay(sim, uuid, coe, masters=1, nodes=3, **knobs):
    addresses = sim.create(uuid, coe, masters, nodes)
    if knobs:
        sim.set_knobs(uuid, **knobs)
    return mesos.target_for({"uuid": uuid, **addresses}, coe)


def asked(sim, uuid):
    return sim.stats().get(uuid, {})


def dashboard(**values):
    return override_settings(
        DCOS_DASHBOARD={"CONNECT_TIMEOUT": TIMEOUT, "READ_TIMEOUT": TIMEOUT, **values}
    )


def test_a_healthy_dcos_bay(sim):
    target = bay(sim, "d1", "dcos", nodes=4)
    answer = mesos.bay_health(target)
    assert answer.overall == health.HEALTHY
    assert answer.healthy == len(answer.nodes) == 4
    assert all(node.diagnostics_health == 0 for node in answer.nodes)
    assert asked(sim, "d1") == {
        "/mesos/master/state-summary": 1,
        "/mesos/metrics/snapshot": 1,
        "/system/health/v1/nodes": 1,
        "/system/health/v1/units": 1,
    }


def test_dcos_faults_are_counted(sim):
    answer = mesos.bay_health(bay(sim, "d2", "dcos", nodes=5, disconnected=2))
    assert answer.overall == health.DEGRADED
    assert answer.disconnected == 2


def test_dcos_auth_required_without_and_with_a_login(sim):
    target = bay(sim, "d3", "dcos", auth_required=True)
    answer = mesos.bay_health(target)
    assert answer.auth_required
    assert answer.overall == health.UNREACHABLE
    cache.clear()
    with dashboard(
        HEALTH_CACHE_SECONDS=0,
        DCOS_ACS_UID=DCOS_UID,
        DCOS_ACS_PASSWORD=DCOS_PASSWORD,
        DCOS_ACS_LOGIN_OVER_HTTP=True,  # the simulator serves plain http
    ):
        answers = [mesos.bay_health(target) for _ in range(3)]
    assert {a.overall for a in answers} == {health.HEALTHY}
    counts = asked(sim, "d3")
    assert counts["/acs/api/v1/auth/login"] == 1
    assert counts["/mesos/master/state-summary"] == 1 + 3


def test_dcos_without_a_leader(sim):
    answer = mesos.bay_health(bay(sim, "d4", "dcos", no_leader=True))
    assert answer.overall == health.UNREACHABLE
    assert answer.reason.startswith("No Mesos leader elected")


def test_mesos_leader_found_through_a_redirect(sim):
    target = bay(sim, "m1", "mesos", masters=3, nodes=2, leader=2)
    answer = mesos.bay_health(target)
    assert answer.overall == health.HEALTHY
    assert answer.healthy == 2
    counts = asked(sim, "m1")
    # The first master redirects, the third answers; nobody asks /master/state.
    assert counts == {"/master/state-summary": 2, "/metrics/snapshot": 1}


def test_mesos_dead_first_master_is_skipped(sim):
    target = bay(sim, "m2", "mesos", masters=3, leader=1, master_down=[0])
    assert mesos.bay_health(target).overall == health.HEALTHY


def test_mesos_every_master_down(sim):
    target = bay(sim, "m3", "mesos", masters=3, master_down=True)
    answer = mesos.bay_health(target)
    assert answer.overall == health.UNREACHABLE
    assert "leader" not in answer.reason


def test_mesos_no_leader(sim):
    target = bay(sim, "m4", "mesos", masters=3, no_leader=True)
    answer = mesos.bay_health(target)
    assert answer.overall == health.UNREACHABLE
    assert answer.reason.startswith("No Mesos leader elected")


def test_slow_master_is_unreachable_quickly(sim):
    target = bay(sim, "m5", "mesos", slow_seconds=30)
    started = time.monotonic()
    answer = mesos.bay_health(target)
    assert time.monotonic() - started < 2.5 * TIMEOUT
    assert answer.overall == health.UNREACHABLE


def test_bad_json_is_unknown(sim):
    answer = mesos.bay_health(bay(sim, "m6", "mesos", bad_json=True))
    assert answer.overall == health.UNKNOWN
    assert "Invalid JSON" in answer.reason


def test_oversized_answer_is_refused(sim):
    target = bay(sim, "d5", "dcos", oversize_bytes=8 * 2**20)
    with dashboard(MAX_RESPONSE_BYTES=2**20):
        answer = mesos.bay_health(target)
    assert answer.overall == health.UNKNOWN
    assert "MAX_RESPONSE_BYTES" in answer.reason


def test_one_fetch_per_period_for_many_calls(sim):
    target = bay(sim, "d6", "dcos")
    for _ in range(5):
        mesos.bay_health(target)
    mesos.bays_health([target])
    assert asked(sim, "d6")["/mesos/master/state-summary"] == 1


def test_five_slow_bays_among_twenty_cost_about_one_timeout(sim):
    targets = [bay(sim, f"s{i}", "dcos", slow_seconds=30) for i in range(5)]
    targets += [bay(sim, f"f{i}", "dcos") for i in range(15)]
    started = time.monotonic()
    with dashboard(HEALTH_WORKERS=8):
        answers = mesos.bays_health(targets)
    assert time.monotonic() - started < 2.5 * TIMEOUT
    assert {answers[f"s{i}"].overall for i in range(5)} == {health.UNREACHABLE}
    assert {answers[f"f{i}"].overall for i in range(15)} == {health.HEALTHY}
