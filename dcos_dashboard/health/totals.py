"""From a bay's parsed agents to the bay: counts, summed usage, version, verdict.

``summary`` reads the master's answer agent by agent; this module adds them
up and applies rules 3-5 of the bay verdict, then the DC/OS components'
rule (both stated in ``summary``'s docstring).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from . import model
from .model import (
    _STATE,
    _USAGE_COLUMNS,
    _VERSION,
    BayHealth,
    ComponentHealth,
    FrameworkSummary,
    NodeHealth,
    _usage,
)
from .reasons import _verdict, component_reason


def totals(
    nodes: tuple[NodeHealth, ...],
    frameworks: tuple[FrameworkSummary, ...],
    reported_version,
    leader: str | None,
    unreachable_agents: int,
) -> BayHealth:
    """Counts, summed usage, version and verdict over every listed agent."""
    # Counter and sum() over itemgetter run in C: a second pass over 10^4
    # nodes costs less than the sums kept by hand in the loop did.
    counts = dict.fromkeys(model.NODE_STATES, 0)
    counts.update(Counter(map(_STATE, nodes)))
    (
        cpus_used,
        cpus_total,
        mem_used,
        mem_total,
        disk_used,
        disk_total,
        gpus_used,
        gpus_total,
    ) = (sum(map(column, nodes), 0.0) for column in _USAGE_COLUMNS)
    bay_version = reported_version
    if type(bay_version) is not str:
        versions = Counter(map(_VERSION, nodes))
        versions.pop(None, None)
        # max() keeps the first of equal counts: Counter keeps insertion order.
        bay_version = max(versions, key=versions.__getitem__) if versions else None
    overall, reason = _verdict(len(nodes), counts, unreachable_agents)
    return BayHealth(
        overall=overall,
        reason=reason,
        leader=leader,
        version=bay_version,
        healthy=counts[model.HEALTHY],
        unhealthy=counts[model.UNHEALTHY],
        disconnected=counts[model.DISCONNECTED],
        deactivated=counts[model.DEACTIVATED],
        draining=counts[model.DRAINING],
        drained=counts[model.DRAINED],
        unknown=counts[model.UNKNOWN],
        unreachable=unreachable_agents,
        cpus=_usage(cpus_used, cpus_total),
        mem=_usage(mem_used, mem_total),
        disk=_usage(disk_used, disk_total),
        gpus=_usage(gpus_used, gpus_total),
        frameworks=frameworks,
        nodes=nodes,
        auth_required=False,
    )


def with_components(
    answer: BayHealth, components: tuple[ComponentHealth, ...]
) -> BayHealth:
    """A bay whose agents look fine is unhealthy when a component is, and its
    reason names the component (dcos-ui's System > Components rule)."""
    failing = [c.name for c in components if c.state == model.UNHEALTHY]
    if not failing or answer.overall in (model.UNREACHABLE, model.UNKNOWN):
        return replace(answer, components=components)
    reason = component_reason(failing, answer.reason)
    return replace(
        answer, overall=model.UNHEALTHY, reason=reason, components=components
    )
