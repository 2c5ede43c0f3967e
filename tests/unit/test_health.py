"""health.summarize against real recorded Mesos and DC/OS answers.

Every expected figure is read off the fixture by hand and written as a
literal, with the arithmetic beside it. The fixtures live next to the repo
(../shared/fixtures/mesos, see SOURCES.md there).
"""

from __future__ import annotations

import json

import pytest

from dcos_dashboard.health import (
    ZERO_USAGE,
    BayHealth,
    FrameworkSummary,
    Usage,
    summarize,
)
from tests.shared import mesos_fixture

load = mesos_fixture


STATE_SUMMARY_1_7 = "master_state-summary__dcos-diagnostics__decoded.json"
STATE_SUMMARY_RAW = (
    "master_state-summary__dcos-diagnostics__valid_hour_state-summary.raw.json"
)
STATE_SUMMARY_UI = "master_state-summary__dcos-ui__marathon-1-task_summary.json"
SLAVES_1_4 = "master_slaves__asgard-api__agents_list_raw_fields.json"
STATE_0_22 = "master_state__dcos-ui__state.json"
NODES = "system_health_v1_nodes__dcos-ui__unit-health_nodes.json"


def counts(health: BayHealth) -> dict[str, int]:
    return {
        "healthy": health.healthy,
        "unhealthy": health.unhealthy,
        "disconnected": health.disconnected,
        "deactivated": health.deactivated,
        "draining": health.draining,
        "drained": health.drained,
        "unknown": health.unknown,
        "unreachable": health.unreachable,
    }


NO_AGENTS = dict.fromkeys(
    (
        "healthy",
        "unhealthy",
        "disconnected",
        "deactivated",
        "draining",
        "drained",
        "unknown",
        "unreachable",
    ),
    0,
)


def test_state_summary_mesos_1_7_one_idle_agent():
    health = summarize(load(STATE_SUMMARY_1_7))

    assert health.overall == "healthy"
    assert health.reason == "The only agent is healthy"
    assert health.leader == "172.17.0.2"
    # No top-level version in a state-summary: the agent's "1.7.0" stands in.
    assert health.version == "1.7.0"
    assert counts(health) == {**NO_AGENTS, "healthy": 1}
    assert health.auth_required is False
    assert health.frameworks == (
        FrameworkSummary(name="metronome", active=True, tasks=0),
        FrameworkSummary(name="marathon", active=True, tasks=0),
    )
    (node,) = health.nodes
    assert node.agent_id == "f7b5b567-b49a-4b8c-8f71-acf46a23fdb9-S0"
    assert node.hostname == "172.17.0.3"
    assert node.ip == "172.17.0.3"  # pid "slave(1)@172.17.0.3:5051"
    assert node.role is None
    assert node.state == "healthy"
    assert node.diagnostics_health is None
    assert node.cpus == Usage(used=0.0, total=8.0, percent=0.0)
    assert node.mem == Usage(used=0.0, total=31012.0, percent=0.0)
    assert node.disk == Usage(used=0.0, total=20778.0, percent=0.0)
    assert node.gpus == Usage(used=0.0, total=0.0, percent=0.0)
    assert node.running_tasks == 0
    assert node.registered_time == 1538404905.241877
    assert node.reregistered_time is None
    assert node.version == "1.7.0"
    # One agent: the bay's usage is that agent's.
    assert (health.cpus, health.mem, health.disk, health.gpus) == (
        node.cpus,
        node.mem,
        node.disk,
        ZERO_USAGE,
    )


def test_double_encoded_raw_fixture_reads_like_the_decoded_one():
    raw = load(STATE_SUMMARY_RAW)
    assert isinstance(raw, str), "the raw fixture is a JSON string holding JSON"
    health = summarize(json.loads(raw))

    assert health == summarize(load(STATE_SUMMARY_1_7))
    assert health.leader == "172.17.0.2"
    assert health.nodes[0].cpus == Usage(used=0.0, total=8.0, percent=0.0)


def test_raw_fixture_undecoded_is_malformed_not_a_crash():
    health = summarize(load(STATE_SUMMARY_RAW))

    assert health.overall == "unknown"
    assert health.reason == (
        "Unexpected answer from the Mesos master: a string, not an object"
    )
    assert health.nodes == ()


def test_dcos_ui_summary_draining_drained_and_two_healthy():
    health = summarize(load(STATE_SUMMARY_UI))

    # Draining and drained are an operator's doing: the bay stays healthy.
    assert health.overall == "healthy"
    assert health.reason == "2 of 4 agents healthy; 1 draining; 1 drained"
    assert health.leader == "172.17.8.101"
    assert health.version is None  # no version anywhere in this fixture
    assert counts(health) == {**NO_AGENTS, "healthy": 2, "draining": 1, "drained": 1}
    # The framework has no "active" key: not said, rather than "inactive".
    assert health.frameworks == (
        FrameworkSummary(name="marathon", active=None, tasks=1),
    )
    assert [n.state for n in health.nodes] == [
        "draining",  # deactivated: true, drain_info.state DRAINING (active: true)
        "drained",  # deactivated: true, drain_info.state DRAINED
        "healthy",
        "healthy",
    ]
    assert [n.hostname for n in health.nodes] == [
        "dcos-01",
        "dcos-01",
        "dcos-02",
        "dcos-03",
    ]
    # The hand-edited fixture gives every agent the pid slave(1)@172.17.8.101:5051.
    assert [n.ip for n in health.nodes] == ["172.17.8.101"] * 4
    for node in health.nodes:
        assert node.cpus.used == 0.1
        assert node.cpus.total == 4.0
        assert node.cpus.percent == pytest.approx(2.5, rel=1e-12)  # 100*0.1/4
        assert node.mem.used == 16.0
        assert node.mem.total == 2933.0
        # 100 * 16 / 2933 = 0.545516...
        assert node.mem.percent == pytest.approx(0.5455165359699966, rel=1e-12)
        assert node.disk == Usage(used=0.0, total=10823.0, percent=0.0)
        assert node.gpus == ZERO_USAGE  # no gpus key at all
        assert node.running_tasks == 1
        assert node.registered_time == 1443995289.19971
        assert node.reregistered_time == 1443995289.19981
        assert node.version is None

    # Bay sums over all 4 agents, whatever their state.
    assert health.cpus.used == pytest.approx(0.4, rel=1e-12)  # 4 x 0.1
    assert health.cpus.total == 16.0  # 4 x 4
    assert health.cpus.percent == pytest.approx(2.5, rel=1e-12)  # 100*0.4/16
    assert health.mem.used == 64.0  # 4 x 16
    assert health.mem.total == 11732.0  # 4 x 2933
    # 100 * 64 / 11732 = 0.545516...
    assert health.mem.percent == pytest.approx(0.5455165359699966, rel=1e-12)
    assert health.disk == Usage(used=0.0, total=43292.0, percent=0.0)  # 4 x 10823
    assert health.gpus == ZERO_USAGE


def test_master_slaves_mesos_1_4_one_busy_agent():
    health = summarize(load(SLAVES_1_4))

    assert health.overall == "healthy"
    assert health.leader is None  # /master/slaves has no hostname
    assert health.version == "1.4.1"
    assert health.frameworks == ()  # /master/slaves has no frameworks
    assert counts(health) == {**NO_AGENTS, "healthy": 1}
    (node,) = health.nodes
    assert node.agent_id == "fa8dd968-40c9-4179-9b1f-38b56341a2a4-S0"
    assert node.hostname == "10.168.200.94"
    assert node.ip == "10.168.200.94"
    assert node.cpus.used == 2.7
    assert node.cpus.total == 4.0
    assert node.cpus.percent == pytest.approx(67.5, rel=1e-12)  # 100*2.7/4
    assert node.mem == Usage(used=4128.0, total=8000.0, percent=51.6)  # 412800/8000
    assert node.disk == Usage(used=0.0, total=456229.0, percent=0.0)
    assert node.gpus == ZERO_USAGE  # gpus 0 of 0
    assert node.running_tasks == 0  # /master/slaves carries no TASK_* counts
    assert node.registered_time == 1546863598.0782
    assert node.reregistered_time == 1547823685.33856
    assert node.version == "1.4.1"


def test_master_state_mesos_0_22_old_agent_shape():
    health = summarize(load(STATE_0_22))

    assert health.overall == "healthy"
    assert health.reason == "All 6 agents healthy"
    assert health.leader == "srv5.hw.ca1.mesosphere.com"
    assert health.version == "0.22.0"  # /master/state has it at the top level
    assert counts(health) == {**NO_AGENTS, "healthy": 6}
    by_id = {n.agent_id: n for n in health.nodes}
    expected = {
        # id suffix: (hostname, ip from pid, mem, running, registered, reregistered)
        # running = TASK_RUNNING tasks with that slave_id in frameworks[].tasks.
        "20150401-160104-251662508-5050-2197-S7": (
            "srv3.hw.ca1.mesosphere.com",
            "172.16.0.13",
            256729.0,
            31,  # Storm!!! 24 + marathon 7
            1428903300.9646,
            None,
        ),
        "20150401-160104-251662508-5050-2197-S2": (
            "srv7.hw.ca1.mesosphere.com",
            "172.16.0.17",
            256730.0,
            11,  # marathon 11
            1428837403.32496,
            None,
        ),
        "20150401-160104-251662508-5050-2197-S1": (
            "srv2.hw.ca1.mesosphere.com",
            "172.16.0.12",
            256729.0,
            32,  # Storm!!! 7 + chronos 2 + marathon 23
            1427914427.81056,
            1428662894.87493,
        ),
        "20150326-143600-201330860-5050-18083-S4": (
            "srv6.hw.ca1.mesosphere.com",
            "172.16.0.16",
            256729.0,
            19,  # Storm!!! 7 + marathon 11 + hdfs 1
            1427912634.46273,
            1428540122.78387,
        ),
        "20150326-143600-201330860-5050-18083-S3": (
            "srv5.hw.ca1.mesosphere.com",
            "172.16.0.15",
            256728.0,
            21,  # Storm!!! 10 + marathon 10 + hdfs 1
            1427912634.11883,
            1428540122.17951,
        ),
        "20150327-025553-218108076-5050-4122-S0": (
            "srv4.hw.ca1.mesosphere.com",
            "172.16.0.14",
            256729.0,
            17,  # Storm!!! 2 + marathon 14 + hdfs 1
            1427912634.08453,
            1428712439.8126,
        ),
    }
    assert set(by_id) == set(expected)
    for agent_id, (
        hostname,
        ip,
        mem,
        running,
        registered,
        reregistered,
    ) in expected.items():
        node = by_id[agent_id]
        assert node.hostname == hostname
        assert node.ip == ip
        assert node.state == "healthy"
        # 0.22 agents publish no used_resources: usage reads 0.
        assert node.cpus == Usage(used=0.0, total=40.0, percent=0.0)
        assert node.mem == Usage(used=0.0, total=mem, percent=0.0)
        assert node.disk == Usage(used=0.0, total=7443630.0, percent=0.0)
        assert node.gpus == ZERO_USAGE
        assert node.running_tasks == running
        assert node.registered_time == registered
        assert node.reregistered_time == reregistered
        assert node.version is None
    # 31 + 11 + 32 + 19 + 21 + 17 = 131, the fixture's running task count.
    assert sum(n.running_tasks for n in health.nodes) == 131
    assert health.cpus == Usage(used=0.0, total=240.0, percent=0.0)  # 6 x 40
    # 256729 x 4 + 256730 + 256728 = 1540374
    assert health.mem == Usage(used=0.0, total=1540374.0, percent=0.0)
    assert health.disk == Usage(used=0.0, total=44661780.0, percent=0.0)  # 6 x 7443630
    # Running frameworks only: the 9 completed_frameworks are not listed.
    assert health.frameworks == (
        FrameworkSummary(name="Storm!!!", active=True, tasks=50),
        FrameworkSummary(name="dispatch-0.0.1", active=True, tasks=0),
        FrameworkSummary(
            name="chronos-2.3.1_mesos-0.20.1-SNAPSHOT", active=True, tasks=2
        ),
        FrameworkSummary(name="marathon", active=True, tasks=76),
        FrameworkSummary(name="hdfs", active=True, tasks=3),
    )


def test_nodes_fixture_joined_by_ip_with_its_role_typo():
    nodes = load(NODES)
    template = load(STATE_SUMMARY_1_7)["slaves"][0]
    slaves = []
    for n, ip in enumerate(
        ["167.114.218.155", "167.114.218.156", "167.114.218.157", "167.114.218.158"]
    ):
        agent = dict(template)
        agent["id"] = f"S{n}"
        agent["hostname"] = f"agent-{n}"
        agent["pid"] = f"slave(1)@{ip}:5051"
        slaves.append(agent)

    health = summarize({"hostname": "m1", "slaves": slaves}, diagnostics=nodes)

    # Health in the fixture: .155 0, .156 1, .157 0, .158 0.
    assert [n.diagnostics_health for n in health.nodes] == [0, 1, 0, 0]
    assert [n.state for n in health.nodes] == [
        "healthy",
        "unhealthy",
        "healthy",
        "healthy",
    ]
    # The fixture spells the key "role:", so no role is known.
    assert [n.role for n in health.nodes] == [None, None, None, None]
    assert health.overall == "degraded"
    assert health.reason == "1 of 4 agents unhealthy"
    assert counts(health) == {**NO_AGENTS, "healthy": 3, "unhealthy": 1}


def test_nodes_fixture_with_no_matching_ip_changes_nothing():
    summary = load(STATE_SUMMARY_UI)
    alone = summarize(summary)
    joined = summarize(summary, diagnostics=load(NODES))

    # 167.114.218.x never matches 172.17.8.101.
    assert joined == alone
    assert [n.diagnostics_health for n in joined.nodes] == [None] * 4
