"""health: the node-state and overall rules, malformed input, edge cases."""

from __future__ import annotations

import dataclasses
import math

import pytest

from dcos_dashboard.health import (
    ZERO_USAGE,
    BayHealth,
    FrameworkSummary,
    NodeHealth,
    Usage,
    summarize,
    unreachable,
)


def agent(n: int = 0, **fields) -> dict:
    """A current-shape agent, idle, 4 CPUs / 1000 MB / 2000 MB disk."""
    body = {
        "id": f"S{n}",
        "hostname": f"agent-{n}",
        "pid": f"slave(1)@10.0.0.{n}:5051",
        "active": True,
        "resources": {"cpus": 4.0, "mem": 1000.0, "disk": 2000.0, "gpus": 0.0},
        "used_resources": {"cpus": 0.0, "mem": 0.0, "disk": 0.0, "gpus": 0.0},
        "TASK_RUNNING": 0,
    }
    body.update(fields)
    return body


def bay(*agents, **top) -> dict:
    return {"hostname": "10.0.0.100", "slaves": list(agents), **top}


def state_of(fields: dict, diagnostics: dict | None = None) -> str:
    return summarize(bay(agent(1, **fields)), diagnostics=diagnostics).nodes[0].state


def diag(ip: str, health, **extra) -> dict:
    return {"nodes": [{"host_ip": ip, "health": health, **extra}]}


# --- node state, in rule order -------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"deactivated": True, "drain_info": {"state": "DRAINING"}}, "draining"),
        ({"deactivated": True, "drain_info": {"state": "DRAINED"}}, "drained"),
        ({"deactivated": True}, "deactivated"),
        ({"deactivated": True, "drain_info": "DRAINING"}, "deactivated"),
        ({"deactivated": True, "drain_info": {"state": "draining"}}, "deactivated"),
        # Rule 1 comes before rule 2: an operator's drain outranks a lost link.
        (
            {"deactivated": True, "active": False, "drain_info": {"state": "DRAINED"}},
            "drained",
        ),
        ({"deactivated": False, "active": False}, "disconnected"),
        ({"active": False}, "disconnected"),
        # Only a JSON true deactivates; junk reads as missing.
        ({"deactivated": "true", "active": True}, "healthy"),
        ({"active": None}, "unknown"),
        ({"active": "true"}, "unknown"),
        ({"active": 1}, "unknown"),
        ({"active": True}, "healthy"),
    ],
)
def test_node_state_rules(fields, expected):
    assert state_of(fields) == expected


def test_node_state_unknown_when_active_missing():
    body = agent(1)
    del body["active"]
    assert summarize(bay(body)).nodes[0].state == "unknown"


@pytest.mark.parametrize(
    ("health", "state", "joined"),
    [(0, "healthy", 0), (1, "unhealthy", 1), (3, "healthy", 3), (2, "healthy", None)],
)
def test_diagnostics_health_joined_by_pid_ip(health, state, joined):
    node = summarize(bay(agent(1)), diagnostics=diag("10.0.0.1", health)).nodes[0]
    assert node.state == state
    assert node.diagnostics_health == joined


def test_diagnostics_unhealthy_does_not_outrank_disconnected_or_draining():
    unhealthy = diag("10.0.0.1", 1)
    assert state_of({"active": False}, unhealthy) == "disconnected"
    assert state_of({"active": None}, unhealthy) == "unknown"
    assert (
        state_of({"deactivated": True, "drain_info": {"state": "DRAINING"}}, unhealthy)
        == "draining"
    )


def test_diagnostics_health_must_be_an_int():
    for junk in (True, "1", 1.0, None):
        node = summarize(bay(agent(1)), diagnostics=diag("10.0.0.1", junk)).nodes[0]
        assert node.diagnostics_health is None
        assert node.state == "healthy"


def test_diagnostics_role_and_join_on_hostname_without_pid():
    body = agent(1, hostname="192.168.5.5")
    del body["pid"]
    node = summarize(
        bay(body), diagnostics=diag("192.168.5.5", 3, role="agent_public")
    ).nodes[0]
    assert node.ip == "192.168.5.5"
    assert node.role == "agent_public"
    assert node.diagnostics_health == 3


@pytest.mark.parametrize("order", [1, -1])
def test_diagnostics_agent_entry_beats_master_entry_for_one_ip(order):
    # A single-node cluster lists its one IP as master and as agent.
    entries = [
        {"host_ip": "10.0.0.1", "health": 0, "role": "master"},
        {"host_ip": "10.0.0.1", "health": 0, "role": "agent"},
    ][::order]
    node = summarize(bay(agent(1)), diagnostics={"nodes": entries}).nodes[0]
    assert node.role == "agent"


def test_diagnostics_unhealthy_entry_wins_for_one_ip():
    entries = [
        {"host_ip": "10.0.0.1", "health": 0, "role": "agent"},
        {"host_ip": "10.0.0.1", "health": 1, "role": "agent"},
        {"host_ip": "10.0.0.1", "health": 0, "role": "agent"},
    ]
    node = summarize(bay(agent(1)), diagnostics={"nodes": entries}).nodes[0]
    assert node.diagnostics_health == 1
    assert node.state == "unhealthy"


@pytest.mark.parametrize(
    "diagnostics",
    [
        [],
        "nodes",
        {"nodes": "x"},
        {"nodes": [None, 3, {"health": 1}, {"host_ip": 5, "health": 1}]},
        {"nodes": [{"host_ip": "", "health": 1}]},
    ],
)
def test_malformed_diagnostics_read_as_absent(diagnostics):
    health = summarize(bay(agent(1)), diagnostics=diagnostics)
    assert health.overall == "healthy"
    assert health.nodes[0].diagnostics_health is None
    assert health.nodes[0].role is None


# --- ip, text fields, times ------------------------------------------------


@pytest.mark.parametrize(
    ("pid", "hostname", "ip"),
    [
        ("slave(1)@172.16.0.13:5051", "srv3", "172.16.0.13"),
        ("slave(1)@[2001:db8::7]:5051", "srv3", "2001:db8::7"),
        ("slave(1)", "srv3", "srv3"),  # no "@": fall back to hostname
        ("slave(1)@:5051", "srv3", "srv3"),  # empty host
        ("slave(1)@host-without-port", "srv3", "srv3"),
        (12, "srv3", "srv3"),
        (None, 12, ""),  # nothing usable: empty, not a crash
    ],
)
def test_ip_from_pid_else_hostname(pid, hostname, ip):
    node = summarize(bay(agent(1, pid=pid, hostname=hostname))).nodes[0]
    assert node.ip == ip


def test_text_fields_kept_as_given_or_empty_when_not_strings():
    odd = "<b>srv&1</b>"
    node = summarize(bay(agent(1, hostname=odd, id=odd, version=odd))).nodes[0]
    assert (node.hostname, node.agent_id, node.version) == (odd, odd, odd)
    node = summarize(bay(agent(1, hostname=["x"], id=7, version=1.7))).nodes[0]
    assert (node.hostname, node.agent_id, node.version) == ("", "", None)


def test_times_accept_ints_and_reject_junk():
    node = summarize(bay(agent(1, registered_time=5, reregistered_time=6.5))).nodes[0]
    assert (node.registered_time, node.reregistered_time) == (5.0, 6.5)
    for junk in ("5", True, -1.0, math.nan, math.inf, 10**400):
        node = summarize(bay(agent(1, registered_time=junk))).nodes[0]
        assert node.registered_time is None, junk


# --- numbers and usage -----------------------------------------------------


def test_usage_percent_is_100_used_over_total():
    node = summarize(
        bay(
            agent(
                1,
                resources={"cpus": 8, "mem": 4000, "disk": 1000.0, "gpus": 2},
                used_resources={"cpus": 2, "mem": 1000.0, "disk": 1000, "gpus": 1},
            )
        )
    ).nodes[0]
    assert node.cpus == Usage(used=2.0, total=8.0, percent=25.0)  # 200/8
    assert node.mem == Usage(used=1000.0, total=4000.0, percent=25.0)  # 100000/4000
    assert node.disk == Usage(used=1000.0, total=1000.0, percent=100.0)
    assert node.gpus == Usage(used=1.0, total=2.0, percent=50.0)


def test_zero_totals_give_zero_percent():
    node = summarize(
        bay(
            agent(
                1,
                resources={"cpus": 0, "mem": 0.0, "disk": 0, "gpus": 0},
                used_resources={"cpus": 0, "mem": 0, "disk": 0, "gpus": 3},
            )
        )
    ).nodes[0]
    assert node.cpus == ZERO_USAGE
    assert node.mem == ZERO_USAGE
    assert node.disk == ZERO_USAGE
    # Used without a total: kept, but no percent of nothing.
    assert node.gpus == Usage(used=3.0, total=0.0, percent=0.0)


def test_used_above_total_caps_percent_at_100_and_keeps_figures():
    node = summarize(
        bay(agent(1, used_resources={"cpus": 6.0, "mem": 0, "disk": 0, "gpus": 0}))
    ).nodes[0]
    assert node.cpus == Usage(used=6.0, total=4.0, percent=100.0)  # 150% capped


@pytest.mark.parametrize(
    "junk",
    ["4", True, False, None, -4.0, -1, math.nan, math.inf, -math.inf, 10**400, 1e300],
)
def test_non_numbers_and_absurd_numbers_read_as_missing(junk):
    health = summarize(
        bay(
            agent(
                1,
                resources={"cpus": junk, "mem": 1000.0, "disk": 2000.0},
                used_resources={"cpus": 1.0, "mem": junk},
                TASK_RUNNING=junk,
            )
        )
    )
    node = health.nodes[0]
    assert node.cpus == Usage(used=1.0, total=0.0, percent=0.0)
    assert node.mem == Usage(used=0.0, total=1000.0, percent=0.0)
    assert node.running_tasks == 0
    assert health.cpus == Usage(used=1.0, total=0.0, percent=0.0)


def test_largest_accepted_numbers_stay_finite_in_bay_sums():
    big = float(2**53)
    resources = {"cpus": big, "mem": 1e-300, "disk": 0.0, "gpus": 0.0}
    used = {"cpus": big, "mem": big, "disk": 0.0, "gpus": 0.0}
    health = summarize(
        bay(*(agent(n, resources=resources, used_resources=used) for n in range(3)))
    )
    assert health.cpus == Usage(used=3 * big, total=3 * big, percent=100.0)
    # 100 * 2**53 / 1e-300 overflows to inf: capped.
    assert health.nodes[0].mem.percent == 100.0
    assert health.mem.percent == 100.0


@pytest.mark.parametrize("resources", [None, "cpus:4", [4.0], 4])
def test_resources_not_an_object_read_as_none(resources):
    health = summarize(bay(agent(1, resources=resources, used_resources=resources)))
    node = health.nodes[0]
    assert (node.cpus, node.mem, node.disk, node.gpus) == (ZERO_USAGE,) * 4
    assert node.state == "healthy"


def test_running_tasks_from_task_running_count():
    node = summarize(bay(agent(1, TASK_RUNNING=7, TASK_FINISHED=40))).nodes[0]
    assert node.running_tasks == 7


# --- overall ---------------------------------------------------------------


def test_spec_example_two_of_five_disconnected_one_unreachable():
    health = summarize(
        bay(
            agent(1),
            agent(2, active=False),
            agent(3),
            agent(4, active=False),
            agent(5),
        ),
        metrics={"master/elected": 1.0, "master/slaves_unreachable": 1.0},
    )
    assert health.overall == "degraded"
    assert health.reason == "2 of 5 agents disconnected; 1 unreachable"
    assert (health.healthy, health.disconnected, health.unreachable) == (3, 2, 1)


def test_unreachable_agents_alone_degrade():
    health = summarize(
        bay(agent(1), agent(2)), metrics={"master/slaves_unreachable": 2}
    )
    assert health.overall == "degraded"
    assert health.reason == "2 agents unreachable"
    assert health.unreachable == 2


def test_diagnostics_unhealthy_agent_degrades():
    health = summarize(
        bay(agent(1), agent(2)), diagnostics=diag("10.0.0.2", 1, role="agent")
    )
    assert health.overall == "degraded"
    assert health.reason == "1 of 2 agents unhealthy"


def test_operator_states_alone_do_not_degrade():
    health = summarize(
        bay(
            agent(1),
            agent(2, deactivated=True),
            agent(3, deactivated=True, drain_info={"state": "DRAINING"}),
            agent(4, deactivated=True, drain_info={"state": "DRAINED"}),
        )
    )
    assert health.overall == "healthy"
    assert (
        health.reason == "1 of 4 agents healthy; 1 draining; 1 drained; 1 deactivated"
    )
    assert (health.deactivated, health.draining, health.drained) == (1, 1, 1)


def test_unknown_agents_are_reported_but_do_not_degrade():
    health = summarize(bay(agent(1), agent(2, active="yes")))
    assert health.overall == "healthy"
    assert health.reason == "1 of 2 agents healthy; 1 in an unknown state"


def test_no_healthy_agent_is_unhealthy():
    health = summarize(
        bay(agent(1, active=False), agent(2, deactivated=True), agent(3, active=False))
    )
    assert health.overall == "unhealthy"
    assert (
        health.reason
        == "None of the 3 agents is healthy: 2 disconnected; 1 deactivated"
    )


def test_single_agent_wordings():
    assert summarize(bay(agent(1))).reason == "The only agent is healthy"
    lost = summarize(bay(agent(1, active=False)))
    assert (lost.overall, lost.reason) == (
        "unhealthy",
        "The only agent is not healthy: 1 disconnected",
    )


def test_no_agents_is_unhealthy():
    health = summarize(bay())
    assert health.overall == "unhealthy"
    assert health.reason == "The Mesos master lists no agents"
    assert health.nodes == ()
    assert health.cpus == ZERO_USAGE
    health = summarize(bay(), metrics={"master/slaves_unreachable": 3})
    assert health.overall == "unhealthy"
    assert health.reason == "The Mesos master lists no agents; 3 unreachable"


def test_all_healthy():
    health = summarize(bay(agent(1), agent(2), agent(3)), metrics={"master/elected": 1})
    assert (health.overall, health.reason) == ("healthy", "All 3 agents healthy")
    # 3 x 4 CPUs, 3 x 1000 MB, 3 x 2000 MB
    assert health.cpus == Usage(used=0.0, total=12.0, percent=0.0)
    assert health.mem == Usage(used=0.0, total=3000.0, percent=0.0)
    assert health.disk == Usage(used=0.0, total=6000.0, percent=0.0)


@pytest.mark.parametrize("elected", [0, 0.0])
def test_master_not_elected_is_unreachable(elected):
    health = summarize(
        bay(agent(1)),
        metrics={"master/elected": elected, "master/slaves_unreachable": 4},
    )
    assert health.overall == "unreachable"
    assert health.reason == (
        "The Mesos master that answered (10.0.0.100) is not the elected leader;"
        " a leader election may be under way, retry in a minute"
    )
    assert health.leader == "10.0.0.100"
    assert health.unreachable == 4
    assert health.nodes == ()


def test_not_elected_outranks_malformed():
    health = summarize([1, 2], metrics={"master/elected": 0})
    assert health.overall == "unreachable"
    assert "is not the elected leader" in health.reason


@pytest.mark.parametrize(
    "metrics", [None, [], "x", {"master/elected": "0"}, {"master/elected": None}]
)
def test_metrics_of_the_wrong_shape_read_as_absent(metrics):
    health = summarize(bay(agent(1)), metrics=metrics)
    assert health.overall == "healthy"
    assert health.unreachable == 0


@pytest.mark.parametrize("junk", ["2", -2, math.nan, True])
def test_junk_unreachable_count_reads_as_zero(junk):
    health = summarize(bay(agent(1)), metrics={"master/slaves_unreachable": junk})
    assert (health.overall, health.unreachable) == ("healthy", 0)


def test_no_answer_is_unreachable():
    health = summarize(None)
    assert health.overall == "unreachable"
    assert health.reason == "No answer from the Mesos master"


@pytest.mark.parametrize(
    ("top", "detail"),
    [
        ([], "an array, not an object"),
        ("<html>", "a string, not an object"),
        (42, "a number, not an object"),
        (1.5, "a number, not an object"),
        (True, "a boolean, not an object"),
    ],
)
def test_malformed_top_level_is_unknown(top, detail):
    health = summarize(top)
    assert health.overall == "unknown"
    assert health.reason == f"Unexpected answer from the Mesos master: {detail}"
    assert health.nodes == ()
    assert health.leader is None


@pytest.mark.parametrize(
    ("slaves", "detail"),
    [
        (None, "no agent list"),
        ({"S0": {}}, "its agent list is an object, not an array"),
        ("[]", "its agent list is a string, not an array"),
        (0, "its agent list is a number, not an array"),
    ],
)
def test_malformed_agent_list_is_unknown(slaves, detail):
    top = {"hostname": "m1", "frameworks": []}
    if slaves is not None:
        top["slaves"] = slaves
    health = summarize(top)
    assert health.overall == "unknown"
    assert health.reason == f"Unexpected answer from the Mesos master: {detail}"
    assert health.leader == "m1"
    assert health.nodes == ()


def test_agents_that_are_not_objects_become_unknown_nodes():
    health = summarize(bay(agent(1), "junk", None, 5, [agent(2)]))
    assert len(health.nodes) == 5
    assert [n.state for n in health.nodes] == ["healthy"] + ["unknown"] * 4
    assert health.nodes[1].agent_id == ""
    assert health.nodes[1].ip == ""
    assert (health.healthy, health.unknown) == (1, 4)
    assert health.overall == "healthy"
    assert health.reason == "1 of 5 agents healthy; 4 in an unknown state"
    # Only the real agent's 4 CPUs count.
    assert health.cpus.total == 4.0


def test_empty_agent_object_is_unknown_with_empty_fields():
    node = summarize(bay({})).nodes[0]
    assert node.state == "unknown"
    assert (node.agent_id, node.hostname, node.ip) == ("", "", "")
    assert (node.cpus, node.mem, node.disk, node.gpus) == (ZERO_USAGE,) * 4
    assert node.running_tasks == 0
    assert (node.registered_time, node.reregistered_time, node.version) == (
        None,
        None,
        None,
    )


def test_unknown_top_level_fields_are_ignored():
    plain = summarize(bay(agent(1)))
    noisy = summarize(bay(agent(1, future_field={"x": 1}), future_top=[1, 2]))
    assert noisy == plain


# --- leader, version, frameworks -------------------------------------------


def test_leader_is_the_answering_hostname_or_none():
    assert summarize(bay(agent(1))).leader == "10.0.0.100"
    assert summarize({"slaves": [agent(1)], "hostname": 5}).leader is None


def test_version_prefers_top_level_then_most_common_agent_version():
    agents = [
        agent(1, version="1.8.0"),
        agent(2, version="1.7.0"),
        agent(3, version="1.7.0"),
    ]
    assert summarize(bay(*agents)).version == "1.7.0"  # 2 votes to 1
    assert summarize(bay(*agents, version="1.9.0")).version == "1.9.0"
    tie = [agent(1, version="1.8.0"), agent(2, version="1.7.0")]
    assert summarize(bay(*tie)).version == "1.8.0"  # first seen
    assert summarize(bay(agent(1))).version is None


def test_frameworks_records_and_junk():
    health = summarize(
        bay(
            agent(1),
            frameworks=[
                {"name": "marathon", "active": True, "TASK_RUNNING": 3},
                {"name": "chronos", "active": False, "TASK_RUNNING": 0},
                "junk",
                {"name": 7, "active": "yes", "TASK_RUNNING": "2"},
            ],
        )
    )
    assert health.frameworks == (
        FrameworkSummary(name="marathon", active=True, tasks=3),
        FrameworkSummary(name="chronos", active=False, tasks=0),
        FrameworkSummary(name="", active=None, tasks=0),
    )
    assert summarize(bay(agent(1), frameworks={"a": 1})).frameworks == ()


def test_running_tasks_counted_from_master_state_task_lists():
    frameworks = [
        {
            "name": "marathon",
            "active": True,
            "tasks": [
                {"state": "TASK_RUNNING", "slave_id": "S1"},
                {"state": "TASK_RUNNING", "slave_id": "S1"},
                {"state": "TASK_STAGING", "slave_id": "S1"},
                {"state": "TASK_RUNNING", "slave_id": "S2"},
                {"state": "TASK_RUNNING"},
                "junk",
            ],
        }
    ]
    one, two = agent(1), agent(2)
    del one["TASK_RUNNING"], two["TASK_RUNNING"]
    health = summarize(bay(one, two, frameworks=frameworks))
    # 4 running: S1 twice, S2 once, one without a slave_id.
    assert health.frameworks == (
        FrameworkSummary(name="marathon", active=True, tasks=4),
    )
    assert [n.running_tasks for n in health.nodes] == [2, 1]


def test_agent_task_count_beats_task_lists():
    frameworks = [{"name": "m", "tasks": [{"state": "TASK_RUNNING", "slave_id": "S1"}]}]
    node = summarize(bay(agent(1, TASK_RUNNING=9), frameworks=frameworks)).nodes[0]
    assert node.running_tasks == 9


# --- unreachable() and the records themselves ------------------------------


def test_unreachable_constructor():
    health = unreachable("Mesos master 10.0.0.5 did not answer within 5 s")
    assert health.overall == "unreachable"
    assert health.reason == "Mesos master 10.0.0.5 did not answer within 5 s"
    assert health.auth_required is False
    assert health.nodes == ()
    assert health.frameworks == ()
    assert (health.leader, health.version) == (None, None)
    assert (health.cpus, health.mem, health.disk, health.gpus) == (ZERO_USAGE,) * 4
    assert [
        health.healthy,
        health.unhealthy,
        health.disconnected,
        health.deactivated,
        health.draining,
        health.drained,
        health.unknown,
        health.unreachable,
    ] == [0] * 8

    auth = unreachable("DC/OS authentication required", auth_required=True)
    assert (auth.overall, auth.auth_required) == ("unreachable", True)
    assert auth.reason == "DC/OS authentication required"


def test_records_are_frozen_and_slotted():
    health = summarize(bay(agent(1)))
    for record, field in ((health, "overall"), (health.cpus, "percent")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, field, "x")
        assert not hasattr(record, "__dict__")
    assert isinstance(health, BayHealth)
    # Nodes are named tuples: no field can change, no attribute be added.
    node = health.nodes[0]
    for field in ("state", "cpus_used", "cpus", "anything"):
        with pytest.raises(AttributeError):
            setattr(node, field, "x")
    assert not hasattr(node, "__dict__")


# --- scale -----------------------------------------------------------------


def test_ten_thousand_agents():
    agents = []
    for i in range(10_000):
        body = {
            "id": f"S{i}",
            "hostname": f"h{i}",
            "pid": f"slave(1)@10.{i // 65536}.{i // 256 % 256}.{i % 256}:5051",
            "active": i % 10 != 0,
            "resources": {"cpus": 4, "mem": 1000 + (i % 2) * 1000, "disk": 100},
            "used_resources": {"cpus": 1, "mem": 500, "disk": 0},
            "TASK_RUNNING": i % 3,
        }
        if i % 100 == 5:
            body["deactivated"] = True
            body["drain_info"] = {"state": "DRAINING" if i % 200 == 5 else "DRAINED"}
        agents.append(body)
    diagnostics = {"nodes": [{"host_ip": "10.0.0.1", "health": 1, "role": "agent"}]}

    health = summarize(
        bay(*agents), {"master/slaves_unreachable": 7}, diagnostics=diagnostics
    )

    assert len(health.nodes) == 10_000
    # i % 10 == 0: 1000 disconnected. i % 100 == 5: 100 deactivated, of which
    # i % 200 == 5 (5, 205, ...): 50 draining, the other 50 drained.
    # i == 1 is unhealthy by diagnostics. 10000 - 1000 - 100 - 1 = 8899 healthy.
    assert (
        health.healthy,
        health.unhealthy,
        health.disconnected,
        health.draining,
        health.drained,
        health.deactivated,
        health.unknown,
        health.unreachable,
    ) == (8899, 1, 1000, 50, 50, 0, 0, 7)
    assert health.overall == "degraded"
    assert health.reason == (
        "1000 of 10000 agents disconnected; 1 unhealthy; 7 unreachable;"
        " 50 draining; 50 drained"
    )
    assert health.cpus == Usage(used=10000.0, total=40000.0, percent=25.0)
    # 5000 x 1000 + 5000 x 2000 = 15,000,000 MB; used 10000 x 500 = 5,000,000
    assert health.mem.total == 15_000_000.0
    assert health.mem.used == 5_000_000.0
    assert health.mem.percent == pytest.approx(100 / 3, rel=1e-12)
    assert health.nodes[9999].ip == "10.0.39.15"  # 9999 = 39 * 256 + 15
    assert health.nodes[1].diagnostics_health == 1
    # i % 3 over 0..9999: 3333 x (0 + 1 + 2) + (9999 % 3 = 0) = 9999
    assert sum(n.running_tasks for n in health.nodes) == 9999


def test_a_summary_survives_the_cache_pickle_unchanged():
    import pickle

    state = {
        "hostname": "m1",
        "slaves": [
            {
                "id": "S0",
                "hostname": "a0",
                "pid": "slave(1)@10.0.0.1:5051",
                "active": True,
                "resources": {"cpus": 4, "mem": 1024, "disk": 10, "gpus": 0},
                "used_resources": {"cpus": 1, "mem": 256, "disk": 0, "gpus": 0},
                "TASK_RUNNING": 2,
            }
        ],
        "frameworks": [{"name": "marathon", "active": True, "TASK_RUNNING": 2}],
    }
    summary = summarize(state, {"master/elected": 1})
    again = pickle.loads(pickle.dumps(summary))  # noqa: S301 - our own bytes
    assert again == summary
    assert again.nodes[0].cpus == Usage(1, 4, 25.0)
    assert type(again) is BayHealth
    # A plain tuple would compare equal too: the nodes must come back as nodes.
    assert type(again.nodes) is tuple
    assert [type(node) for node in again.nodes] == [NodeHealth]
    assert again.nodes[0].hostname == "a0"
    assert type(again.frameworks[0]) is FrameworkSummary
