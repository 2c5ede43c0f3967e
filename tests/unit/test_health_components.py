"""DC/OS components (/system/health/v1/units) in a bay's health."""

import pickle

from dcos_dashboard import health
from tests.shared import mesos_fixture

UNITS = mesos_fixture("system_health_v1_units__dcos-ui__unit-health_units.json")


def state(n=3):
    agents = [
        {
            "id": f"a{i}",
            "hostname": f"a{i}",
            "pid": f"slave(1)@10.0.0.{i}:5051",
            "active": True,
            "resources": {"cpus": 1.0},
            "used_resources": {"cpus": 0.5},
        }
        for i in range(1, n + 1)
    ]
    return {"hostname": "m1", "slaves": agents, "frameworks": []}


METRICS = {"master/elected": 1}


def units(*entries):
    return {
        "units": [
            {"id": f"{name.lower()}.service", "name": name, "health": value}
            for name, value in entries
        ]
    }


def test_recorded_units_make_a_healthy_bay_unhealthy_and_say_which():
    answer = health.summarize(state(), METRICS, None, UNITS)
    assert answer.overall == health.UNHEALTHY
    assert (
        answer.reason == "DC/OS component Mesos DNS is unhealthy; All 3 agents healthy"
    )
    assert [c.name for c in answer.components][:1] == ["Mesos DNS"]
    assert len(answer.components) == len(UNITS["units"])
    states = [c.state for c in answer.components]
    assert states == sorted(
        states, key=[health.UNHEALTHY, health.UNKNOWN, health.HEALTHY].index
    )


def test_all_healthy_components_change_nothing_but_are_listed():
    plain = health.summarize(state(), METRICS)
    answer = health.summarize(
        state(), METRICS, None, units(("Marathon", 0), ("Admin Router", 0))
    )
    assert (answer.overall, answer.reason) == (plain.overall, plain.reason)
    assert [c.name for c in answer.components] == ["Admin Router", "Marathon"]


def test_several_unhealthy_components_and_a_degraded_bay():
    summary = state()
    summary["slaves"][0]["active"] = False
    answer = health.summarize(
        summary,
        METRICS,
        None,
        units(("Marathon", 1), ("Admin Router", 1), ("Exhibitor", 3)),
    )
    assert answer.overall == health.UNHEALTHY
    assert answer.reason.startswith(
        "DC/OS components Admin Router and 1 other are unhealthy; "
        "1 of 3 agents disconnected"
    )
    assert [c.state for c in answer.components] == [
        health.UNHEALTHY,
        health.UNHEALTHY,
        health.UNKNOWN,
    ]


def test_an_unreachable_master_stays_unreachable():
    answer = health.summarize(
        state(), {"master/elected": 0}, None, units(("Marathon", 1))
    )
    assert answer.overall == health.UNREACHABLE


def test_malformed_units_are_read_defensively():
    for body in (None, [], {"units": "x"}, {"units": [1, None, {"name": "no id"}]}):
        assert health.summarize(state(), METRICS, None, body).components == ()
    answer = health.summarize(
        state(),
        METRICS,
        None,
        {
            "units": [
                {"id": "x.service", "health": "1", "name": 5, "description": ["?"]}
            ]
        },
    )
    (component,) = answer.components
    assert (component.name, component.health, component.description) == (
        "x.service",
        None,
        "",
    )
    assert component.state == health.UNKNOWN
    assert answer.overall == health.HEALTHY


def test_components_survive_the_shared_cache():
    answer = health.summarize(state(), METRICS, None, UNITS)
    again = pickle.loads(pickle.dumps(answer))  # noqa: S301 - our own bytes
    assert again == answer
    assert again.components == answer.components
