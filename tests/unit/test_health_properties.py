"""health.summarize on arbitrary JSON: it never raises, and what it returns
always holds together (counts add up, percents are finite and in 0..100)."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dcos_dashboard.health import (
    DEGRADED,
    HEALTHY,
    UNHEALTHY,
    UNKNOWN,
    UNREACHABLE,
    BayHealth,
    summarize,
)

OVERALLS = {HEALTHY, DEGRADED, UNHEALTHY, UNKNOWN, UNREACHABLE}
NODE_STATES = {
    "healthy",
    "unhealthy",
    "disconnected",
    "deactivated",
    "draining",
    "drained",
    "unknown",
}

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.integers().map(lambda n: n * 10**400)  # beyond any float
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


def mostly(plausible):
    """Plausible three times in four, junk otherwise: junk everywhere at once
    would stop nearly every example at the first check."""
    return st.sampled_from([True, True, True, False]).flatmap(
        lambda keep: plausible if keep else json_values
    )


numbers = mostly(
    st.floats(min_value=0, max_value=1e6)
    | st.integers(min_value=0, max_value=10**6)
    | st.sampled_from([0, 0.0, -1, math.nan, math.inf, 2**53, 2**53 + 1, 10**400])
)
pids = mostly(
    st.builds(
        "slave(1)@{}:{}".format,
        st.sampled_from(["10.0.0.1", "10.0.0.2", "[::1]", "", "h:o:s:t"]),
        st.integers(0, 65535),
    )
    | st.text(max_size=20)
)
resource_names = ["cpus", "mem", "disk", "gpus"]
resources = mostly(
    st.fixed_dictionaries(
        {name: numbers for name in resource_names}, optional={"ports": json_values}
    )
    | st.dictionaries(st.sampled_from(resource_names), numbers, max_size=4)
)
# Required keys are the ones a missing value would stop early (active ->
# unknown, no resources -> zeros); missing keys are covered by json_values.
agents = mostly(
    st.fixed_dictionaries(
        {
            "active": mostly(st.booleans()),
            "pid": pids,
            "resources": resources,
            "used_resources": resources,
        },
        optional={
            "id": mostly(st.text(max_size=10)),
            "hostname": mostly(st.sampled_from(["10.0.0.1", "a"])),
            "deactivated": st.sampled_from([False, False, True]) | json_values,
            "drain_info": st.fixed_dictionaries(
                {"state": st.sampled_from(["DRAINING", "DRAINED", "X"]) | json_values}
            )
            | json_values,
            "TASK_RUNNING": numbers,
            "registered_time": numbers,
            "reregistered_time": numbers,
            "version": mostly(st.sampled_from(["1.7.0", "1.8.1"])),
        },
    )
)
frameworks = (
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "name": st.text(max_size=8) | json_values,
                "active": st.booleans() | json_values,
                "TASK_RUNNING": numbers,
                "tasks": st.lists(
                    st.fixed_dictionaries(
                        {},
                        optional={
                            "state": st.sampled_from(["TASK_RUNNING", "TASK_LOST"])
                            | json_values,
                            "slave_id": st.text(max_size=4) | json_values,
                        },
                    )
                    | json_values,
                    max_size=4,
                )
                | json_values,
            },
        )
        | json_values,
        max_size=4,
    )
    | json_values
)
state_summaries = st.fixed_dictionaries(
    {"slaves": mostly(st.lists(agents, max_size=6))},
    optional={
        "hostname": st.text(max_size=10) | json_values,
        "version": st.text(max_size=6) | json_values,
        "frameworks": frameworks,
        "cluster": json_values,
    },
)
metrics = st.none() | mostly(
    st.fixed_dictionaries(
        {},
        optional={
            "master/elected": mostly(st.sampled_from([0, 1, 0.0, 1.0])),
            "master/slaves_unreachable": numbers,
        },
    )
)
diagnostic_entries = mostly(
    st.fixed_dictionaries(
        {
            "host_ip": mostly(st.sampled_from(["10.0.0.1", "10.0.0.2", "::1"])),
            "health": mostly(st.sampled_from([0, 1, 2, 3, True])),
        },
        optional={
            "role": mostly(st.sampled_from(["master", "agent", "agent_public"])),
        },
    )
)
diagnostics = st.none() | mostly(
    st.fixed_dictionaries({"nodes": mostly(st.lists(diagnostic_entries, max_size=5))})
)

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check_consistent(health: BayHealth) -> None:
    assert isinstance(health, BayHealth)
    assert health.overall in OVERALLS
    assert isinstance(health.reason, str)
    assert health.reason
    assert health.auth_required is False
    listed = (
        health.healthy
        + health.unhealthy
        + health.disconnected
        + health.deactivated
        + health.draining
        + health.drained
        + health.unknown
    )
    assert listed == len(health.nodes)
    assert health.unreachable >= 0
    usages = [health.cpus, health.mem, health.disk, health.gpus]
    for node in health.nodes:
        assert node.state in NODE_STATES
        assert isinstance(node.ip, str)
        assert isinstance(node.hostname, str)
        assert isinstance(node.agent_id, str)
        assert node.diagnostics_health in (None, 0, 1, 3)
        assert isinstance(node.running_tasks, int)
        assert node.running_tasks >= 0
        usages += [node.cpus, node.mem, node.disk, node.gpus]
    for usage in usages:
        assert math.isfinite(usage.used)
        assert math.isfinite(usage.total)
        assert usage.used >= 0
        assert usage.total >= 0
        assert 0.0 <= usage.percent <= 100.0
    if health.overall == HEALTHY:
        assert health.healthy > 0
        assert health.disconnected == health.unhealthy == health.unreachable == 0


@SETTINGS
@given(json_values, json_values, json_values)
def test_never_raises_on_any_json(state, some_metrics, some_diagnostics):
    check_consistent(summarize(state))
    check_consistent(summarize(state, some_metrics, some_diagnostics))


@SETTINGS
@given(state_summaries, metrics, diagnostics)
def test_never_raises_on_state_summary_shapes_with_junk(state, some_metrics, diags):
    check_consistent(summarize(state, some_metrics, diags))
