"""The simulator's answers have the recorded answers' shapes all the way down.

A schema is drawn from each recorded fixture (../shared/fixtures/mesos/):
at every level the JSON type, for objects the keys every recorded instance
has, for arrays the merged schema of their elements. The simulator's answer
must then have, at every path, every key the recording always has, with a
type the recording shows there, and arrays whose every element fits the
recorded elements. Keys the simulator adds are allowed (newer Mesos writes
more); the few recorded keys newer Mesos dropped are listed with the reason.
"""

import re

import pytest

from tests.sandbox.conftest import make_simulator
from tests.sandbox.test_clusters import (
    DCOS_UUID,
    ONE_OF_EACH,
    dcos,
    fixture,
    get,
    json_type,
)

STATE_SUMMARY_FIXTURES = (
    "master_state-summary__dcos-diagnostics__valid_hour_state-summary.raw.json",
    "master_state-summary__dcos-ui__marathon-1-task_summary.json",
)


def schema(value):
    """{json type: detail}: keys and required keys of objects, element schema
    of arrays (None while no element was seen)."""
    kind = json_type(value)
    if kind == "dict":
        keys = {k.rstrip(":"): schema(v) for k, v in value.items()}
        return {kind: {"keys": keys, "required": set(keys)}}
    if kind == "list":
        element = None
        for item in value:
            element = merge(element, schema(item))
        return {kind: element}
    return {kind: None}


def merge(a, b):
    if a is None or b is None:
        return a or b
    merged = dict(a)
    for kind, detail in b.items():
        if kind not in merged:
            merged[kind] = detail
        elif kind == "dict":
            mine = merged[kind]
            keys = dict(mine["keys"])
            for key, sub in detail["keys"].items():
                keys[key] = merge(keys.get(key), sub)
            required = mine["required"] & detail["required"]
            merged[kind] = {"keys": keys, "required": required}
        elif kind == "list":
            merged[kind] = merge(merged[kind], detail)
    return merged


# Objects whose keys are data, not shape: an agent's operator-defined
# attributes and a master's command-line flags. Their values are checked
# against every recorded value; no key is required.
MAPS = {"/slaves[]/attributes", "/flags"}
# Keys a recording always has that a real answer may lack: Mesos writes a
# resource map with the resources present, and ports only once tasks hold
# some (readonly_handler.cpp; the recorded agents all ran tasks).
OPTIONAL = {"/slaves[]/used_resources/ports", "/frameworks[]/used_resources/ports"}


def mismatches(value, expected, path=""):
    """Every place where ``value`` does not fit the ``expected`` schema."""
    kind = json_type(value)
    if kind not in expected:
        return [f"{path or '/'}: {kind}, recorded {'|'.join(sorted(expected))}"]
    detail = expected[kind]
    found = []
    if kind == "dict" and _collapse(path) in MAPS:
        values = None
        for sub in detail["keys"].values():
            values = merge(values, sub)
        for key, sub in value.items() if values else ():
            found += mismatches(sub, values, f"{path}/{key}")
    elif kind == "dict":
        for key in sorted(detail["required"] - set(value)):
            found.append(f"{path}/{key}: missing")
        for key, sub in value.items():
            if key in detail["keys"]:
                found += mismatches(sub, detail["keys"][key], f"{path}/{key}")
    elif kind == "list" and detail is not None:
        for i, item in enumerate(value):
            found += mismatches(item, detail, f"{path}[{i}]")
    return found


def fits(value, recorded, dropped=frozenset()):
    """``dropped``: recorded keys (paths, array indexes as []) that newer
    Mesos no longer writes."""
    allowed = OPTIONAL | set(dropped)
    problems = [
        p
        for p in mismatches(value, recorded)
        if not (p.endswith(": missing") and _collapse(p) in allowed)
    ]
    assert not problems, "\n".join(
        sorted({_collapse(p) + ":" + p.partition(":")[2] for p in problems})
    )


def _collapse(problem):
    return re.sub(r"\[\d+\]", "[]", problem.split(":", 1)[0])


@pytest.fixture
def bay(tmp_path):
    """A DC/OS bay with agents in every state, so every optional shape shows."""
    sim = make_simulator(tmp_path)
    sim.start()
    api = dcos(sim, node_count=9)
    sim.set_knobs(
        DCOS_UUID, **ONE_OF_EACH, unreachable=1, unhealthy=1, unhealthy_units=1
    )
    yield api
    sim.stop()


def recorded(*names):
    merged = None
    for name in names:
        merged = merge(merged, schema(fixture(name)))
    return merged


@pytest.mark.parametrize("name", STATE_SUMMARY_FIXTURES)
def test_state_summary_fits_each_recording(bay, name):
    fits(get(bay + "/mesos/master/state-summary").json(), recorded(name))


def test_slaves_fit_the_recording(bay):
    real = recorded("master_slaves__asgard-api__agents_list_raw_fields.json")
    fits(get(bay + "/mesos/master/slaves").json(), real)


def test_state_fits_the_recording(bay):
    real = recorded("master_state__dcos-ui__state.json")
    # Mesos 0.22's per-master task counters, gone from readonly_handler.cpp
    # since Mesos 1.0 (docs/reference.md#mesos-versions).
    dropped = {
        f"/{k}"
        for k in fixture("master_state__dcos-ui__state.json")
        if k.endswith("_tasks") and k != "orphan_tasks"
    }
    fits(get(bay + "/mesos/master/state").json(), real, dropped)


def test_diagnostics_nodes_and_units_fit_the_recordings(bay):
    nodes = recorded("system_health_v1_nodes__dcos-ui__unit-health_nodes.json")
    units = recorded("system_health_v1_units__dcos-ui__unit-health_units.json")
    fits(get(bay + "/system/health/v1/nodes").json(), nodes)
    fits(get(bay + "/system/health/v1/units").json(), units)
    # A unit's nodes are the same node objects (dcos-diagnostics types.go).
    path = "/system/health/v1/units/dcos-adminrouter.service/nodes"
    fits(get(bay + path).json(), nodes)


# -- the checker itself -------------------------------------------------------


def test_the_checker_sees_nested_changes():
    real = schema({"a": [{"b": {"c": "x"}, "d": [1]}], "e": {}})

    assert not mismatches({"a": [{"b": {"c": "y"}, "d": [2, 3]}], "e": {}}, real)
    assert mismatches({"a": [{"b": {"c": 1}, "d": [1]}], "e": {}}, real)
    assert mismatches({"a": [{"b": {"c": "x"}, "d": ["1"]}], "e": {}}, real)
    assert mismatches({"a": [{"b": {"c": "x"}, "d": [1]}], "e": []}, real)
    assert mismatches({"a": [{"b": "c", "d": [1]}], "e": {}}, real)
    assert mismatches({"a": [{"d": [1]}], "e": {}}, real)
