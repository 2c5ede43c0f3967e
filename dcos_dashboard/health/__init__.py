"""Mesos and DC/OS JSON -> node and bay health: pure, no I/O, no Django.

- ``model``: the states, ``Usage``, ``NodeHealth``, ``FrameworkSummary``,
  ``BayHealth`` (and how they pickle into the shared cache); ``unreachable()``.
- ``summary``: ``summarize()``, the rules from a master's answer to a verdict
  (its docstring states them), agent by agent;
- ``totals``: the agents added up into the bay: counts, usage, version and
  the verdict, then the DC/OS components' rule;
- ``reasons``: the one-line reason beside the verdict, a translatable Message;
- ``units``: one DC/OS component's nodes (``unit_nodes()``, ``UnitNode``).
"""

from dcos_dashboard.labels.messages import Message

from .model import (
    DEACTIVATED,
    DEGRADED,
    DIAGNOSTICS_HEALTH_VALUES,
    DISCONNECTED,
    DRAINED,
    DRAINING,
    HEALTHY,
    NODE_STATES,
    UNHEALTHY,
    UNKNOWN,
    UNREACHABLE,
    ZERO_USAGE,
    BayHealth,
    ComponentHealth,
    FrameworkSummary,
    NodeHealth,
    Usage,
    _bay_health,
    unreachable,
    usage,
)
from .summary import summarize
from .units import UnitNode, unit_nodes

__all__ = [
    "DEACTIVATED",
    "DEGRADED",
    "DIAGNOSTICS_HEALTH_VALUES",
    "DISCONNECTED",
    "DRAINED",
    "DRAINING",
    "HEALTHY",
    "NODE_STATES",
    "UNHEALTHY",
    "UNKNOWN",
    "UNREACHABLE",
    "ZERO_USAGE",
    "BayHealth",
    "ComponentHealth",
    "FrameworkSummary",
    "Message",
    "NodeHealth",
    "UnitNode",
    "Usage",
    "_bay_health",
    "summarize",
    "unit_nodes",
    "unreachable",
    "usage",
]
