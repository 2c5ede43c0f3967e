"""Where a bay is: the addresses Magnum reports for it.

Every address a cluster document shows is set here, by :func:`set_addresses`
(on create and resize, on a restart, and when a simulator knob moves a bay):
from the cluster simulator for the COEs it simulates, made up for the others.
"""

# The COEs the cluster simulator can stand up; other bays get addresses only.
SIMULATED_COES = ("dcos", "mesos")


def fabricated_addresses(cluster, coe, node_count=None):
    """Addresses for a bay nothing simulates: unique per bay, never answering."""
    base = 16 + (cluster["id"] * 8) % 224
    masters = [f"172.24.4.{base + i}" for i in range(min(cluster["master_count"], 7))]
    count = cluster["node_count"] if node_count is None else node_count
    nodes = [f"10.0.{cluster['id'] % 250}.{10 + i}" for i in range(min(count, 240))]
    scheme = {"kubernetes": "https://{}:6443", "swarm": "tcp://{}:2376"}.get(
        coe.split("-")[0], "{}"
    )
    return {
        "api_address": scheme.format(masters[0]),
        "master_addresses": masters,
        "node_addresses": nodes,
    }


def set_addresses(cluster, addresses):
    """Write what a cluster document reports (``addresses`` may be None)."""
    addresses = addresses or {}
    cluster["api_address"] = addresses.get("api_address")
    cluster["master_addresses"] = list(addresses.get("master_addresses") or [])
    cluster["node_addresses"] = list(addresses.get("node_addresses") or [])
