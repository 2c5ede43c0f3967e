"""Who is in a simulated cluster: its masters and agents, their addresses and
states, and the constants of the Mesos release it runs.

Agent states are laid out by index, so tests can predict them: unreachable
agents are the last ones (and vanish from ``slaves``); then, from index 0,
come the disconnected, deactivated, draining and drained agents.
"""

import dataclasses
import hashlib
import ipaddress
import uuid as uuidlib

AGENT_PORT = 5051  # Mesos agent default --port (docs/configuration/agent.md)

MESOS_VERSION = "1.10.0"  # the last Apache Mesos release, the one DC/OS 2.x ships

# DC/OS 1.8 (Magnum's contrib DC/OS driver) ships Mesos 1.0
# (docs/reference.md#mesos-versions).
OLD_MESOS_VERSION = "1.0.1"

# DC/OS agents offer all but the system ports (dcos-diagnostics state-summary fixture).
DCOS_PORTS = "[1025-2180, 2182-3887, 3889-5049, 5052-8079, 8082-8180, 8182-32000]"

# Mesos agents' default ports resource (docs/attributes-resources.md).
MESOS_PORTS = "[31000-32000]"

# SlaveInfo::Capability values a Mesos 1.10 agent reports (include/mesos/mesos.proto).
AGENT_CAPABILITIES = (
    "MULTI_ROLE",
    "HIERARCHICAL_ROLE",
    "RESERVATION_REFINEMENT",
    "RESOURCE_PROVIDER",
    "RESIZE_VOLUME",
    "AGENT_OPERATION_FEEDBACK",
    "AGENT_DRAINING",
    "TASK_RESOURCE_LIMITS",
)

# The per-agent and per-framework counts state-summary writes (readonly_handler.cpp).
TASK_STATES = (
    "TASK_STAGING",
    "TASK_STARTING",
    "TASK_RUNNING",
    "TASK_KILLING",
    "TASK_FINISHED",
    "TASK_KILLED",
    "TASK_FAILED",
    "TASK_LOST",
    "TASK_ERROR",
    "TASK_UNREACHABLE",
)

# master/tasks_* gauges (src/master/metrics.cpp); the last three have no summary field.
METRIC_TASK_STATES = tuple(s[5:].lower() for s in TASK_STATES) + (
    "dropped",
    "gone",
    "gone_by_operator",
)

SCALARS = ("cpus", "mem", "disk", "gpus")  # Master::Metrics resources (metrics.cpp)

# (region, zone) of DC/OS agents' domain.fault_domain (mesos.proto DomainInfo),
# drawn per agent: OpenStack's default region and a second one, so that a UI
# can group agents by region and zone as dcos-ui does.
FAULT_DOMAINS = (
    ("RegionOne", "nova"),
    ("RegionOne", "nova"),
    ("RegionOne", "az-2"),
    ("RegionOne", "az-3"),
    ("RegionTwo", "az-4"),
    ("RegionTwo", "az-5"),
)

# RFC 2544 benchmark range: made-up node IPs that nothing will ever answer on.
_NET = ipaddress.IPv4Network("198.18.0.0/15")

_NET_BASE = int(_NET.network_address)

_NET_SPAN = _NET.num_addresses - 2  # neither the network nor the broadcast address

_MASTER_SLOTS = 16

_MASK = (1 << 64) - 1


def bay_seed(uuid):
    return int.from_bytes(hashlib.sha256(uuid.encode()).digest()[:8], "big")


def mix(x):
    # splitmix64: cheap, well spread, and the same on every platform.
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def _ip(seed, slot):
    x = _NET_BASE + 1 + (seed + slot) % _NET_SPAN
    return f"{x >> 24}.{(x >> 16) & 255}.{(x >> 8) & 255}.{x & 255}"


def master_ip(seed, index):
    return _ip(seed, index % _MASTER_SLOTS)


def agent_ip(seed, index):
    return _ip(seed, _MASTER_SLOTS + index)


def master_id(seed):
    """A Mesos master ID (a UUID), the prefix of agent and framework IDs."""
    return str(uuidlib.UUID(int=mix(seed) << 64 | mix(seed ^ _MASK)))


@dataclasses.dataclass(frozen=True)
class BayView:
    """What a snapshot needs to know of a bay, frozen at one generation."""

    uuid: str
    coe: str
    name: str
    master_count: int
    node_count: int
    created_at: float
    knobs: dict
    leader_host: str  # where the leading master says it lives
    leader_port: int
    generation: int = 0

    @property
    def label(self):
        return self.name or self.uuid[:8]

    @property
    def seed(self):
        return bay_seed(self.uuid)

    @property
    def agent_count(self):
        return self.knobs.get("agents") or self.node_count


def agent_states(view):
    """Per agent index: normal, disconnected, deactivated, draining, drained
    or unreachable."""
    n = view.agent_count
    k = view.knobs
    unreachable = min(k.get("unreachable", 0), n)
    states = []
    left = n - unreachable
    for name in ("disconnected", "deactivated", "draining", "drained"):
        count = min(k.get(name, 0), left)
        states += [name] * count
        left -= count
    states += ["normal"] * left
    states += ["unreachable"] * unreachable
    return states
