"""Mesos and DC/OS JSON -> node and bay health: the rules.

``summarize(state_summary, metrics, diagnostics)`` reads the bodies of
``/master/state-summary`` (or ``/master/slaves``, or a Mesos 0.22
``/master/state``), ``/metrics/snapshot`` and DC/OS
``/system/health/v1/nodes`` and returns a ``BayHealth``. ``unreachable()``
builds one when there was nothing to read.

Node state, first rule that applies:

1. ``deactivated`` is true: ``drain_info.state`` DRAINING -> ``draining``,
   DRAINED -> ``drained``, anything else -> ``deactivated``;
2. ``active`` is false -> ``disconnected``;
3. ``active`` missing or not a boolean -> ``unknown``;
4. DC/OS diagnostics health 1 -> ``unhealthy``;
5. otherwise (diagnostics 0, 3 or absent) -> ``healthy``.

Bay ``overall``, first rule that applies:

1. no answer (``state_summary`` is None) or metrics ``master/elected`` is 0
   -> ``unreachable``;
2. malformed answer -> ``unknown``, the reason says what was wrong;
3. no agents, or no agent ``healthy`` -> ``unhealthy``;
4. any agent ``disconnected`` or ``unhealthy``, or metrics
   ``master/slaves_unreachable`` above 0 -> ``degraded``;
5. otherwise ``healthy``: ``deactivated``, ``draining``, ``drained`` are an
   operator's doing and ``unknown`` agents are reported in the reason, so
   none of them degrades the bay.

Then, for DC/OS bays: a component (``/system/health/v1/units``) with health
1 makes a ``healthy`` or ``degraded`` bay ``unhealthy``, the reason naming
it first; ``components`` lists every unit, unhealthy first.

An ``unreachable`` or ``unknown`` verdict carries no nodes: a master that is
not the leader, or an answer of the wrong shape, says nothing to trust.

What counts as malformed, and what is merely missing:

- The answer is malformed when its top level is not an object or its
  ``slaves`` is missing or not an array: the verdict cannot be computed.
- Anything smaller is treated as missing at the smallest scope and the rest
  is still read: an agent entry that is not an object becomes an ``unknown``
  node with empty id, hostname and ip (so the counts always add up to
  ``len(nodes)``); a framework entry that is not an object is skipped; a
  ``resources`` that is not an object reads as no resources; a metrics or
  diagnostics body of the wrong shape reads as absent.
- A number is accepted only when it is an int or float (not a bool),
  finite, not negative and at most 2**53 (beyond any real machine, and the
  bound keeps sums and ratios finite). Anything else reads as missing:
  0 for resources and task counts, None for times.

Figures:

- ``Usage.percent`` is ``100 * used / total``, 0 when total is 0, and capped
  at 100: a bar cannot be fuller than full. ``used`` and ``total`` are kept
  as reported, so oversubscription (used > total) still shows in them.
- Bay totals are sums over every agent listed, whatever its state.
- ``BayHealth.version``: the state-summary carries no master version and
  ``/metrics/snapshot`` has no version metric (Mesos
  src/master/readonly_handler.cpp, docs/monitoring.md), so this is the
  top-level ``version`` when present (``/master/state``), else the version
  most agents report (ties: the first seen), else None.
- Mesos 0.22 ``/master/state`` agents carry no ``used_resources`` and no
  ``TASK_*`` counts: their usage reads 0, and running tasks are counted from
  the frameworks' ``tasks`` arrays instead (task resources are not summed:
  they would leave out executors' and mislead).
- Diagnostics are joined on the agent's IP (from ``pid``
  ``slave(1)@IP:port``, else its hostname), as dcos-ui does. When one IP is
  listed more than once (a single-node cluster lists it as master and as
  agent), an entry whose role is not ``master`` wins, then an unhealthy one,
  then the first. A health other than the int 0, 1 or 3 reads as None; a
  missing or non-string role reads as None.
- Strings from Mesos (hostnames, ids, names) are kept as given: templates
  escape. A non-string where a string belongs reads as "" (or None for
  optional fields).
"""

from __future__ import annotations

from dcos_dashboard.labels.messages import _

from . import model
from .model import (
    _DIAGNOSTICS_UNHEALTHY,
    _MALFORMED_AGENT,
    _NOT_IN_DIAGNOSTICS,
    BayHealth,
    ComponentHealth,
    FrameworkSummary,
    NodeHealth,
    _empty,
    unreachable,
)
from .reasons import _json_kind
from .totals import totals, with_components

# Floats hold every integer exactly up to here; no machine has more MB or CPUs,
# and bounding inputs keeps sums over 10^4 agents and their ratios finite.
_MAX_NUMBER = 2**53

_EMPTY: dict = {}


def _amount(value) -> float:
    """A resource amount or count; 0.0 when not a sane number."""
    # Not written as _optional_number() or 0.0: the agent loop calls this
    # eight times per agent, and the extra call would show at 10^4 agents.
    kind = type(value)
    if kind is float:
        # NaN fails both comparisons; inf fails the upper one.
        if 0.0 <= value <= _MAX_NUMBER:
            return value
        return 0.0
    if kind is int:
        # Compare before float(): a huge JSON int would overflow the conversion.
        if 0 <= value <= _MAX_NUMBER:
            return float(value)
    return 0.0


def _optional_number(value) -> float | None:
    """A time or count; None when not a sane number."""
    kind = type(value)
    if kind is float:
        if 0.0 <= value <= _MAX_NUMBER:
            return value
        return None
    if kind is int and 0 <= value <= _MAX_NUMBER:
        return float(value)
    return None


def _objects(body, key: str) -> list[dict]:
    """The objects of the array ``body[key]``; anything else reads as absent."""
    entries = body.get(key) if isinstance(body, dict) else None
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, dict)]


def _keyed(body, collection: str, key: str):
    """(value, entry) for the objects of ``body[collection]`` whose ``key`` is
    a non-empty string; the others are dropped."""
    for entry in _objects(body, collection):
        value = entry.get(key)
        if type(value) is str and value:
            yield value, entry


def _string(value, default=""):
    """``value`` if it is a non-empty string, else ``default``."""
    return value if type(value) is str and value else default


def _health_code(value) -> int | None:
    """A dcos-diagnostics health, 0, 1 or 3; anything else reads as None."""
    if type(value) is int and value in model.DIAGNOSTICS_HEALTH_VALUES:
        return value
    return None


def _diagnostics_by_ip(diagnostics) -> dict[str, tuple[int | None, str | None]]:
    """host_ip -> (health, role) from a /system/health/v1/nodes body."""
    by_ip: dict[str, tuple[int | None, str | None]] = {}
    for ip, entry in _keyed(diagnostics, "nodes", "host_ip"):
        health = _health_code(entry.get("health"))
        role = entry.get("role")
        if type(role) is not str:
            role = None
        kept = by_ip.get(ip)
        if kept is None or _diagnostics_rank(health, role) > _diagnostics_rank(*kept):
            by_ip[ip] = (health, role)
    return by_ip


def _diagnostics_rank(health: int | None, role: str | None) -> int:
    """Which of two entries for one IP describes the agent there best."""
    # An agent's IP is listed as a master too only on a single-node cluster,
    # and there the agent entry is the one about the agent.
    return (2 if role != "master" else 0) + (health == _DIAGNOSTICS_UNHEALTHY)


def _frameworks(
    state_summary: dict,
) -> tuple[tuple[FrameworkSummary, ...], dict[str, int]]:
    """Framework records, and running tasks per agent id when only tasks say.

    The second value is filled only from /master/state (Mesos 0.22), whose
    frameworks list their tasks instead of TASK_* counts.
    """
    records: list[FrameworkSummary] = []
    running_by_agent: dict[str, int] = {}
    for framework in _objects(state_summary, "frameworks"):
        name = framework.get("name")
        active = framework.get("active")
        running = _optional_number(framework.get("TASK_RUNNING"))
        if running is None:
            running = 0
            tasks = framework.get("tasks")
            if isinstance(tasks, list):
                for task in tasks:
                    if isinstance(task, dict) and task.get("state") == "TASK_RUNNING":
                        running += 1
                        agent_id = task.get("slave_id")
                        if type(agent_id) is str:
                            running_by_agent[agent_id] = (
                                running_by_agent.get(agent_id, 0) + 1
                            )
        records.append(
            FrameworkSummary(
                name=name if type(name) is str else "",
                active=active if type(active) is bool else None,
                tasks=int(running),
            )
        )
    return tuple(records), running_by_agent


def summarize(
    state_summary: dict,
    metrics: dict | None = None,
    diagnostics: dict | None = None,
    units: dict | None = None,
) -> BayHealth:
    """Turn a master's state-summary (plus metrics, diagnostics, DC/OS
    units) into health.

    The rules are in the module docstring. Never raises on decoded JSON.
    """
    answer = _summarize(state_summary, metrics, diagnostics)
    components = _components(units)
    if not components:
        return answer
    return with_components(answer, components)


def _summarize(state_summary, metrics, diagnostics) -> BayHealth:
    if state_summary is None:
        return unreachable(_("No answer from the Mesos master"))
    elected, unreachable_agents = _master_metrics(metrics)
    leader = None
    if isinstance(state_summary, dict):
        hostname = state_summary.get("hostname")
        if type(hostname) is str:
            leader = hostname
    refused = _unreadable(state_summary, elected, leader, unreachable_agents)
    if refused is not None:
        return refused
    frameworks, running_by_agent = _frameworks(state_summary)
    nodes = _nodes(
        state_summary["slaves"], _diagnostics_by_ip(diagnostics), running_by_agent
    )
    return totals(
        nodes, frameworks, state_summary.get("version"), leader, unreachable_agents
    )


def _master_metrics(metrics) -> tuple[float | None, int]:
    """(master/elected, master/slaves_unreachable) from /metrics/snapshot."""
    if not isinstance(metrics, dict):
        return None, 0
    elected = _optional_number(metrics.get("master/elected"))
    return elected, int(_amount(metrics.get("master/slaves_unreachable")))


def _unreadable(
    state_summary, elected: float | None, leader: str | None, unreachable_agents: int
) -> BayHealth | None:
    """Rules 1-2 of the bay verdict: a BayHealth without nodes, or None."""
    if elected == 0.0:
        return _empty(
            model.UNREACHABLE,
            _(
                "The Mesos master that answered (%(leader)s) is not the elected "
                "leader; a leader election may be under way, retry in a minute"
            )
            % {"leader": leader or _("unnamed")},
            leader=leader,
            unreachable_agents=unreachable_agents,
        )
    if not isinstance(state_summary, dict):
        return _empty(
            model.UNKNOWN,
            _("Unexpected answer from the Mesos master: %(kind)s, not an object")
            % {"kind": _json_kind(state_summary)},
            unreachable_agents=unreachable_agents,
        )
    slaves = state_summary.get("slaves")
    if not isinstance(slaves, list):
        detail = (
            _("no agent list")
            if slaves is None
            else _("its agent list is %(kind)s, not an array")
            % {"kind": _json_kind(slaves)}
        )
        return _empty(
            model.UNKNOWN,
            _("Unexpected answer from the Mesos master: %(detail)s")
            % {"detail": detail},
            leader=leader,
            unreachable_agents=unreachable_agents,
        )
    return None


def _nodes(
    slaves: list, by_ip: dict, running_by_agent: dict[str, int]
) -> tuple[NodeHealth, ...]:
    # Hot path (10^4 agents on every poll): a list comprehension of one call
    # per agent, which reads only what it keeps.
    node = _node
    return tuple(
        [
            node(agent, by_ip, running_by_agent)
            if isinstance(agent, dict)
            else _MALFORMED_AGENT
            for agent in slaves
        ]
    )


def _agent_state(agent: dict, health: int | None) -> str:
    """Rules 1-5 of the node state (module docstring)."""
    if agent.get("deactivated") is True:
        drain_info = agent.get("drain_info")
        drain_state = drain_info.get("state") if isinstance(drain_info, dict) else None
        if drain_state == "DRAINING":
            return model.DRAINING
        if drain_state == "DRAINED":
            return model.DRAINED
        return model.DEACTIVATED
    active = agent.get("active")
    if active is False:
        return model.DISCONNECTED
    if active is not True:
        return model.UNKNOWN
    if health == _DIAGNOSTICS_UNHEALTHY:
        return model.UNHEALTHY
    return model.HEALTHY


def _node(agent: dict, by_ip: dict, running_by_agent: dict[str, int]) -> NodeHealth:
    """One agent entry of the master's answer, read defensively."""
    agent_id = agent.get("id")
    if type(agent_id) is not str:
        agent_id = ""
    hostname = agent.get("hostname")
    if type(hostname) is not str:
        hostname = ""
    pid = agent.get("pid")
    ip = ""
    if type(pid) is str:
        # libprocess UPID: "slave(1)@10.0.0.1:5051"; IPv6 hosts in brackets.
        ip = pid.partition("@")[2].rpartition(":")[0]
        if ip[:1] == "[" and ip[-1:] == "]":
            ip = ip[1:-1]
    if not ip:
        ip = hostname
    health, role = by_ip.get(ip, _NOT_IN_DIAGNOSTICS) if by_ip else _NOT_IN_DIAGNOSTICS

    resources = agent.get("resources")
    if not isinstance(resources, dict):
        resources = _EMPTY
    used = agent.get("used_resources")
    if not isinstance(used, dict):
        used = _EMPTY
    amount = _amount
    optional_number = _optional_number

    running = optional_number(agent.get("TASK_RUNNING"))
    if running is None:
        running = running_by_agent.get(agent_id, 0) if running_by_agent else 0
    version = agent.get("version")
    if type(version) is not str:
        version = None
    region = zone = None
    domain = agent.get("domain")
    if domain:
        region, zone = _fault_domain(domain)
    attributes = agent.get("attributes")
    public = isinstance(attributes, dict) and str(attributes.get("public_ip")) == "true"

    # tuple.__new__ skips NamedTuple's Python-level __new__: same object.
    return tuple.__new__(
        NodeHealth,
        (
            agent_id,
            hostname,
            ip,
            role,
            _agent_state(agent, health),
            health,
            amount(used.get("cpus")),
            amount(resources.get("cpus")),
            amount(used.get("mem")),
            amount(resources.get("mem")),
            amount(used.get("disk")),
            amount(resources.get("disk")),
            amount(used.get("gpus")),
            amount(resources.get("gpus")),
            int(running),
            optional_number(agent.get("registered_time")),
            optional_number(agent.get("reregistered_time")),
            version,
            region,
            zone,
            public,
        ),
    )


def _fault_domain(domain) -> tuple[str | None, str | None]:
    """(region, zone) of `{"fault_domain": {"region": {"name"}, "zone": {"name"}}}`."""
    fault_domain = domain.get("fault_domain") if isinstance(domain, dict) else None
    if not isinstance(fault_domain, dict):
        return None, None
    names = []
    for part in ("region", "zone"):
        entry = fault_domain.get(part)
        name = entry.get("name") if isinstance(entry, dict) else None
        names.append(name if type(name) is str else None)
    return names[0], names[1]


STATE_ORDER = {model.UNHEALTHY: 0, model.UNKNOWN: 1, model.HEALTHY: 2}


def _components(units) -> tuple[ComponentHealth, ...]:
    """/system/health/v1/units read defensively, unhealthy first, then by name."""
    found = [
        ComponentHealth(
            id=unit_id,
            name=_string(entry.get("name"), unit_id),
            health=_health_code(entry.get("health")),
            description=_string(entry.get("description")),
        )
        for unit_id, entry in _keyed(units, "units", "id")
    ]
    found.sort(key=lambda c: (STATE_ORDER[c.state], c.name.lower()))
    return tuple(found)
