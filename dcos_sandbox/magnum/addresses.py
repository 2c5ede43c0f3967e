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


def reported_addresses(cluster):
    """The addresses a test asked this bay to report, or None.

    Labels ``sandbox_api_address`` and ``sandbox_master_addresses`` (a comma
    list) make a bay report exactly those, simulated by nothing: the security
    suite points bays at its own hostile servers this way.
    """
    labels = cluster.get("labels") or {}
    if "sandbox_api_address" not in labels and "sandbox_master_addresses" not in labels:
        return None
    masters = labels.get("sandbox_master_addresses") or ""
    return {
        "api_address": labels.get("sandbox_api_address") or None,
        "master_addresses": [a for a in masters.split(",") if a],
        "node_addresses": [],
    }


def set_addresses(cluster, addresses):
    """Write what a cluster document reports (``addresses`` may be None)."""
    addresses = addresses or {}
    cluster["api_address"] = addresses.get("api_address")
    cluster["master_addresses"] = list(addresses.get("master_addresses") or [])
    cluster["node_addresses"] = list(addresses.get("node_addresses") or [])
