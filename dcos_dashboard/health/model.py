"""What a bay's health is: states, usage, nodes, the bay verdict (data types)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter, itemgetter
from typing import NamedTuple

HEALTHY = "healthy"
UNHEALTHY = "unhealthy"
DISCONNECTED = "disconnected"
DEACTIVATED = "deactivated"
DRAINING = "draining"
DRAINED = "drained"
UNKNOWN = "unknown"
DEGRADED = "degraded"
UNREACHABLE = "unreachable"
# What one agent can be (a bay's verdict adds DEGRADED and UNREACHABLE).
NODE_STATES = (
    HEALTHY,
    UNHEALTHY,
    DISCONNECTED,
    DEACTIVATED,
    DRAINING,
    DRAINED,
    UNKNOWN,
)

# Source: dcos/dcos-diagnostics (health 0 healthy, 1 unhealthy, 3 unknown).
DIAGNOSTICS_HEALTH_VALUES = (0, 1, 3)
_DIAGNOSTICS_UNHEALTHY = 1

# Floats hold every integer exactly up to here; no machine has more MB or CPUs,
# and bounding inputs keeps sums over 10^4 agents and their ratios finite.


def _pickled_by_fields(cls):
    """Pickle as ``cls(*values)``: the cache stores tens of thousands of these.

    A frozen slots dataclass otherwise pickles through dataclasses' generic
    __getstate__/__setstate__, which looks up fields() for every object:
    about 3x slower for a 10,000-agent bay (docs/performance.md).
    """
    values = attrgetter(*(f.name for f in fields(cls)))

    def __reduce__(self):
        return cls, values(self)

    cls.__reduce__ = __reduce__
    return cls


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class Usage:
    """One resource: used, total (as reported) and percent (0..100)."""

    used: float
    total: float
    percent: float


ZERO_USAGE = Usage(0.0, 0.0, 0.0)


class NodeHealth(NamedTuple):
    """One Mesos agent as the master and DC/OS diagnostics see it.

    A named tuple of plain values: a big bay has 10^4 of these, built on
    every fetch, pickled into the cache and out of it, and a tuple costs a
    fraction of an object to make and to pickle (docs/performance.md). The
    four ``Usage`` attributes are computed when read.
    """

    agent_id: str
    hostname: str
    ip: str
    role: str | None
    state: str
    diagnostics_health: int | None
    cpus_used: float
    cpus_total: float
    mem_used: float
    mem_total: float
    disk_used: float
    disk_total: float
    gpus_used: float
    gpus_total: float
    running_tasks: int
    registered_time: float | None
    reregistered_time: float | None
    version: str | None
    # The agent's fault domain (Mesos >= 1.5, `domain.fault_domain`) and
    # whether DC/OS made it a public agent (attribute `public_ip:true`).
    region: str | None = None
    zone: str | None = None
    public: bool = False

    @property
    def cpus(self) -> Usage:
        return _usage(self.cpus_used, self.cpus_total)

    @property
    def mem(self) -> Usage:
        return _usage(self.mem_used, self.mem_total)

    @property
    def disk(self) -> Usage:
        return _usage(self.disk_used, self.disk_total)

    @property
    def gpus(self) -> Usage:
        return _usage(self.gpus_used, self.gpus_total)


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class FrameworkSummary:
    """One registered framework: name, active (None: not said), running tasks."""

    name: str
    active: bool | None
    tasks: int


@_pickled_by_fields
@dataclass(frozen=True, slots=True)
class ComponentHealth:
    """One DC/OS component (a systemd unit), as /system/health/v1/units says.

    ``health``: 0 healthy, 1 unhealthy, 3 unknown (dcos/dcos-diagnostics);
    None when the answer gave none we know.
    """

    id: str
    name: str
    health: int | None
    description: str

    @property
    def state(self) -> str:
        return {0: HEALTHY, 1: UNHEALTHY}.get(self.health, UNKNOWN)


@dataclass(frozen=True, slots=True)
class BayHealth:
    """The health of one bay: verdict, reason, counts, usage and nodes."""

    overall: str
    reason: str
    leader: str | None
    version: str | None
    healthy: int
    unhealthy: int
    disconnected: int
    deactivated: int
    draining: int
    drained: int
    unknown: int
    unreachable: int
    cpus: Usage
    mem: Usage
    disk: Usage
    gpus: Usage
    frameworks: tuple[FrameworkSummary, ...]
    nodes: tuple[NodeHealth, ...]
    auth_required: bool = False
    # DC/OS bays: each component's health, unhealthy first.
    components: tuple[ComponentHealth, ...] = ()

    def __reduce__(self):
        # The nodes as plain tuples: pickle writes those in C, where named
        # tuples cost a Python call each (a third of the time at 10^4 nodes).
        values = _bay_health_values(self)
        return _bay_health, (
            values[:-3],
            tuple(map(tuple, values[-3])),
            values[-2],
            values[-1],
        )


_bay_health_values = attrgetter(*(f.name for f in fields(BayHealth)))
assert fields(BayHealth)[-3].name == "nodes"


def _bay_health(
    values: tuple,
    nodes: tuple[tuple, ...],
    auth_required: bool,
    components: tuple[ComponentHealth, ...] = (),
):
    """Unpickle a BayHealth (see BayHealth.__reduce__)."""
    new_tuple = tuple.__new__
    return BayHealth(
        *values,
        tuple([new_tuple(NodeHealth, node) for node in nodes]),
        auth_required,
        components,
    )


_STATE = itemgetter(NodeHealth._fields.index("state"))
_VERSION = itemgetter(NodeHealth._fields.index("version"))
_USAGE_COLUMNS = tuple(
    itemgetter(NodeHealth._fields.index(f"{resource}_{part}"))
    for resource in ("cpus", "mem", "disk", "gpus")
    for part in ("used", "total")
)
_NOT_IN_DIAGNOSTICS = (None, None)

_MALFORMED_AGENT = NodeHealth(
    agent_id="",
    hostname="",
    ip="",
    role=None,
    state=UNKNOWN,
    diagnostics_health=None,
    cpus_used=0.0,
    cpus_total=0.0,
    mem_used=0.0,
    mem_total=0.0,
    disk_used=0.0,
    disk_total=0.0,
    gpus_used=0.0,
    gpus_total=0.0,
    running_tasks=0,
    registered_time=None,
    reregistered_time=None,
    version=None,
)


def _usage(used: float, total: float) -> Usage:
    if total > 0.0:
        percent = 100.0 * used / total
        if percent > 100.0:
            percent = 100.0
        return Usage(used, total, percent)
    if used == 0.0:
        return ZERO_USAGE
    return Usage(used, total, 0.0)


def usage(used: float, total: float) -> Usage:
    """One resource's use, e.g. summed over many bays (percent capped at 100)."""
    return _usage(used, total)


def _empty(
    overall: str,
    reason: str,
    *,
    leader: str | None = None,
    unreachable_agents: int = 0,
    auth_required: bool = False,
) -> BayHealth:
    return BayHealth(
        overall=overall,
        reason=reason,
        leader=leader,
        version=None,
        healthy=0,
        unhealthy=0,
        disconnected=0,
        deactivated=0,
        draining=0,
        drained=0,
        unknown=0,
        unreachable=unreachable_agents,
        cpus=ZERO_USAGE,
        mem=ZERO_USAGE,
        disk=ZERO_USAGE,
        gpus=ZERO_USAGE,
        frameworks=(),
        nodes=(),
        auth_required=auth_required,
    )


def unreachable(reason: str, *, auth_required: bool = False) -> BayHealth:
    """Health of a bay whose master could not be read (down, 503, 401...)."""
    return _empty(UNREACHABLE, reason, auth_required=auth_required)
